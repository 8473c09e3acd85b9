import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AuthProfile } from "../lib/dataActions/auth";
import { ACTION_SUFFIX_BYTES, INTEGRATION_ACTION, identityKeepers } from "../lib/lifecycle/identity";
import type { DeployableDataAction } from "../lib/stackContent";

/** The integration credential the data actions authenticate with. */
export interface DataActionCredentialArgs {
  /** Credential name shown in Genesys. */
  name: string;
  /** Genesys credential type: `basicAuth` or `userDefinedOAuth`. */
  type: AuthProfile["credentialType"];
  /** Credential fields; stored as a Pulumi secret whatever is passed. */
  fields: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface DataActionLayerArgs {
  /** Name of the Web Services Data Actions integration; also the category flows use to find the actions. */
  integrationName: string;
  /** Notes shown on the integration. */
  notes?: string;
  credential: DataActionCredentialArgs;
  /** Request/response of the custom auth action; required for a `userDefinedOAuth` credential. */
  customAuthAction?: AuthProfile["customAuthAction"];
  /** Validated, rendered data actions (see lib/stackContent.ts). */
  actions: DeployableDataAction[];
}

/**
 * The Genesys side of the HRIS connection: a Web Services Data Actions integration (`custom-rest-actions`),
 * its credential, the custom auth action when the credential is User Defined (OAuth), and the data actions.
 */
export class DataActionLayer extends pulumi.ComponentResource {
  declare public readonly integrationId: pulumi.Output<string>;
  declare public readonly credentialId: pulumi.Output<string>;
  /** Category under which flows find the actions (the integration name). */
  declare public readonly category: pulumi.Output<string>;
  /** Data action ids by action name. */
  declare public readonly actionIds: pulumi.Output<Record<string, string>>;
  /** Names the actions have in Genesys (the action name plus its identity suffix), by action name. */
  declare public readonly actionNames: pulumi.Output<Record<string, string>>;

  public readonly integration: genesyscloud.Integration;
  public readonly credential: genesyscloud.IntegrationCredential;
  public readonly customAuthAction?: genesyscloud.IntegrationCustomAuthAction;
  /** Data action resources by action name. */
  public readonly actions: Readonly<Record<string, genesyscloud.IntegrationAction>>;

  constructor(name: string, args: DataActionLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:genesys:DataActionLayer", name, {}, opts);
    const { credential: cred } = args;
    if ((cred.type === "userDefinedOAuth") !== (args.customAuthAction !== undefined))
      throw new Error(`DataActionLayer ${name}: customAuthAction must be given exactly when the credential type is userDefinedOAuth`);

    this.credential = new genesyscloud.IntegrationCredential(
      `${name}-credential`,
      { name: cred.name, credentialTypeName: cred.type, fields: pulumi.secret(cred.fields) },
      { parent: this },
    );

    this.integration = new genesyscloud.Integration(
      `${name}-integration`,
      {
        integrationType: "custom-rest-actions",
        intendedState: "ENABLED",
        config: {
          name: args.integrationName,
          notes: args.notes,
          // Genesys names the Web Services credential slot basicAuth for every credential type.
          credentials: { basicAuth: this.credential.id },
        },
      },
      { parent: this },
    );

    if (args.customAuthAction) {
      const { request, response } = args.customAuthAction;
      this.customAuthAction = new genesyscloud.IntegrationCustomAuthAction(
        `${name}-custom-auth`,
        {
          integrationId: this.integration.id,
          name: `${args.integrationName} Custom Auth`,
          configRequest: request,
          configResponse: response,
        },
        { parent: this },
      );
    }

    const actions: Record<string, genesyscloud.IntegrationAction> = {};
    for (const action of args.actions) {
      const replacing = {
        integrationId: this.integration.id,
        secure: action.secure,
        contractInput: JSON.stringify(action.contractInput),
        contractOutput: JSON.stringify(action.contractOutput),
      };
      // Genesys cannot change these in place, so a change replaces the action; the bridge does not free the name
      // first, and Pulumi creates the replacement before deleting the original. A suffix that changes with them gives
      // the replacement its own name, so both can exist while the workflows calling it republish with the new name.
      const identity = new random.RandomId(
        `${name}-${action.id}-identity`,
        { byteLength: ACTION_SUFFIX_BYTES, keepers: identityKeepers(INTEGRATION_ACTION, replacing) },
        { parent: this },
      );
      actions[action.name] = new genesyscloud.IntegrationAction(
        `${name}-${action.id}`,
        {
          ...replacing,
          name: pulumi.interpolate`${action.name}-${identity.hex}`,
          category: args.integrationName,
          configTimeoutSeconds: action.timeoutSeconds,
          configRequest: action.request,
          configResponse: action.response,
        },
        // An OAuth action cannot run before the auth action that gets its token is configured.
        { parent: this, dependsOn: this.customAuthAction ? [this.customAuthAction] : [] },
      );
    }
    this.actions = actions;
    this.actionNames = pulumi.all(Object.fromEntries(Object.entries(actions).map(([n, a]) => [n, a.name])));

    this.integrationId = this.integration.id;
    this.credentialId = this.credential.id;
    this.category = pulumi.output(args.integrationName);
    this.actionIds = pulumi.all(Object.fromEntries(Object.entries(actions).map(([n, a]) => [n, a.id])));
    this.registerOutputs({
      integrationId: this.integrationId,
      credentialId: this.credentialId,
      category: this.category,
      actionIds: this.actionIds,
      actionNames: this.actionNames,
    });
  }
}
