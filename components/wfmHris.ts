import * as pulumi from "@pulumi/pulumi";
import type { StackSecrets } from "../lib/config/pulumi";
import type { StackConfig } from "../lib/config/validate";
import type { StackContent } from "../lib/stackContent";
import { DataActionLayer, DataActionCredentialArgs } from "./dataActionLayer";

export interface WfmHrisArgs {
  /** Validated stack configuration (lib/config). */
  config: StackConfig;
  /** Validated data actions and auth profile (lib/stackContent). */
  content: StackContent;
  /** Secret config values. */
  secrets: StackSecrets;
}

/** Credential fields for the configured HRIS authentication; secrets stay Pulumi secrets. */
export function credentialFor(config: StackConfig, content: StackContent, secrets: StackSecrets): DataActionCredentialArgs {
  const name = config.genesys.credentialName;
  const { auth } = config.hris;
  if (auth.type === "apiKey") {
    if (!secrets.hrisApiKey) throw new Error("hrisApiKey is required for API key authentication");
    // BambooHR takes the API key as the Basic auth user name; the password is ignored.
    return { name, type: content.auth.credentialType, fields: { userName: secrets.hrisApiKey, password: "x" } };
  }
  if (!secrets.hrisOauthClientSecret) throw new Error("hrisOauthClientSecret is required for OAuth authentication");
  const fields: Record<string, pulumi.Input<string>> = {
    clientId: auth.clientId,
    clientSecret: secrets.hrisOauthClientSecret,
    loginUrl: auth.tokenUrl,
  };
  if (auth.scope) fields.scope = auth.scope;
  return { name, type: content.auth.credentialType, fields };
}

/**
 * Everything one customer environment needs for WFM Time-off HRIS sync in Genesys Cloud.
 * Today: the data-action layer; workflows and the WFM integration compose here next.
 */
export class WfmHris extends pulumi.ComponentResource {
  declare public readonly integrationId: pulumi.Output<string>;
  declare public readonly category: pulumi.Output<string>;
  declare public readonly actionIds: pulumi.Output<Record<string, string>>;

  public readonly dataActions: DataActionLayer;

  constructor(name: string, args: WfmHrisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:index:WfmHris", name, {}, opts);
    const { config, content, secrets } = args;

    this.dataActions = new DataActionLayer(
      `${name}-data-actions`,
      {
        integrationName: config.genesys.integrationName,
        notes: `WFM Time-off HRIS data actions for ${config.customer} (${config.hris.kind}); managed by Pulumi (wfm-hris).`,
        credential: credentialFor(config, content, secrets),
        customAuthAction: content.auth.customAuthAction,
        actions: content.actions,
      },
      { parent: this },
    );

    this.integrationId = this.dataActions.integrationId;
    this.category = this.dataActions.category;
    this.actionIds = this.dataActions.actionIds;
    this.registerOutputs({ integrationId: this.integrationId, category: this.category, actionIds: this.actionIds });
  }
}
