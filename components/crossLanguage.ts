/**
 * The components other languages use (Python, Go, .NET, YAML through `pulumi package add`): plain args, only strings,
 * numbers, booleans, lists and maps, which Pulumi's component analyzer turns into a schema. Each validates its args
 * with the stack config's rules, loads the content itself and composes the TypeScript components.
 */
import * as pulumi from "@pulumi/pulumi";
import { hrisAdapters } from "../hris";
import { resolveWfmIntegrationType } from "../lib/genesys/resolveWfmType";
import { ResolvedWfmHrisSettings, WfmHrisSettings, loadWfmHrisContent, resolveWfmHrisSettings, vezaPayload } from "./settings";
import { VezaHrisProvider } from "./veza";
import { WfmHris, dataActionCredential } from "./wfmHris";

/** Genesys Cloud settings. */
export interface GenesysSettingsArgs {
  /** AWS region of the Genesys Cloud org, e.g. us-east-1. */
  region: string;
  /** Client id of the Genesys OAuth client, only to discover the WFM integration type (with genesysOauthClientSecret). */
  oauthClientId?: string;
  /** Architect division of the workflows (default Home). */
  division?: string;
  /** Name of the Web Services Data Actions integration (default `<customer> WFM HRIS Data Actions`). */
  integrationName?: string;
  /** Name of the integration credential (default `<customer>-<hris kind>`). */
  credentialName?: string;
  /** Prefix of the data action names. */
  actionNamePrefix?: string;
  /** Prefix of the workflow names (default `<customer>-`). */
  flowNamePrefix?: string;
  /** Timeout of each data action in seconds. */
  actionTimeoutSeconds?: number;
}

/** The HRIS and how Genesys authenticates to it. */
export interface HrisSettingsArgs {
  /** HRIS kind: bamboohr, personio or custom. */
  kind: string;
  /** API origin of the HRIS; kinds with a default need it only to point at a test server. */
  baseUrl?: string;
  /** Working hours in a day, to convert balances kept in days (default 8). */
  hoursPerDay?: number;
  /** apiKey or oauth (default: the kind's first, apiKey for bamboohr). */
  authType?: string;
  /** OAuth client id (authType oauth). */
  oauthClientId?: string;
  /** OAuth token endpoint, client_credentials grant (authType oauth). */
  oauthTokenUrl?: string;
  /** Space-separated OAuth scopes (authType oauth). */
  oauthScope?: string;
  /** The kind's own settings, e.g. companyDomain for bamboohr, hostname and appId for personio, path and name for custom. */
  settings?: { [field: string]: string };
}

/** The WFM Time-off HRIS integration. */
export interface WfmSettingsArgs {
  /** Integration name (default `<customer> WFM Time-off HRIS`). */
  integrationName?: string;
  /** ENABLED when true (default), DISABLED otherwise. */
  enabled?: boolean;
  /** Id of the WFM Time-off HRIS integration type; with flowPropertyFormat, nothing is discovered from the org. */
  integrationTypeId?: string;
  /** How the type's properties hold a flow id: string or list. */
  flowPropertyFormat?: string;
  /** Name of the type to discover (default WFM Time-off HRIS). */
  integrationTypeName?: string;
  /** The boolean property that turns on the automatic user account id sync. */
  autoSyncPropertyKey?: string;
  /** Map the get-agents workflow to userAccountIds (default: when the HRIS serves it). */
  syncUserAccountIds?: boolean;
  /** Turn on the automatic 24-hour sync of user account ids. */
  autoSyncUserAccountIds?: boolean;
  /** Adopt an integration installed by hand instead of creating one. */
  adoptIntegrationId?: string;
  /** Leave an adopted integration in the org when it is let go (default true). */
  keepAdoptedIntegration?: boolean;
}

/** The Veza tenant and the provider the HRIS appears as. */
export interface VezaSettingsArgs {
  /** Veza tenant URL, e.g. https://acme.vezacloud.com. */
  url: string;
  /** Name of the OAA custom provider (default `<customer> <HRIS label>`). */
  providerName?: string;
  /** Name of the data source (default `<providerName> - <HRIS instance>`). */
  dataSourceName?: string;
  /** Enable Veza Lifecycle Management provisioning on the provider. */
  provisioning?: boolean;
  /** Identity providers whose users Veza links to HRIS employees, e.g. okta. */
  idpProviders?: string[];
  /** HRIS field holding each employee's IdP login. */
  idpIdField?: string;
  /** Extra HRIS fields sent as Veza custom employee properties: property name to HRIS field id. */
  employeeProperties?: { [property: string]: string };
  /** Leave an adopted provider or data source in Veza when it is let go (default true). */
  keepAdopted?: boolean;
}

/** The hris section of the stack config for these args. */
function hrisSection(hris: HrisSettingsArgs): WfmHrisSettings["hris"] {
  const auth = hris.authType === undefined ? undefined : { type: hris.authType, clientId: hris.oauthClientId, tokenUrl: hris.oauthTokenUrl, scope: hris.oauthScope };
  return { ...hris.settings, kind: hris.kind, baseUrl: hris.baseUrl, hoursPerDay: hris.hoursPerDay, auth };
}

/** A setting's path in these args: `hris.auth.clientId` is `hris.oauthClientId`, an adapter's field is under `hris.settings`. */
function argPath(key: string): string {
  const auth: Record<string, string> = { "hris.auth.type": "hris.authType", "hris.auth.clientId": "hris.oauthClientId", "hris.auth.tokenUrl": "hris.oauthTokenUrl", "hris.auth.scope": "hris.oauthScope", "hris.auth": "hris.authType" };
  if (auth[key]) return `args.${auth[key]}`;
  if (key === "hrisApiKey" || key === "hrisOauthClientSecret") return "args.hrisSecret";
  const field = /^hris\.([^.]+)/.exec(key)?.[1];
  if (field && !["kind", "baseUrl", "hoursPerDay", "auth"].includes(field)) return `args.hris.settings.${key.slice("hris.".length)}`;
  return `args.${key}`;
}

/** The secret hrisSecret stands for: the one the auth type needs (the kind's default auth type when none is given). */
const hrisSecretKey = (hris: HrisSettingsArgs) =>
  (hris.authType ?? hrisAdapters().find((a) => a.kind === hris.kind)?.authTypes[0]) === "oauth" ? "hrisOauthClientSecret" : "hrisApiKey";

/** Validates args with the stack config's rules; errors name the arg and the component. */
function resolve(component: string, name: string, settings: WfmHrisSettings, secretsSet: string[]): ResolvedWfmHrisSettings {
  try {
    return resolveWfmHrisSettings(settings, secretsSet, argPath);
  } catch (e) {
    if (e instanceof Error && e.name === "WfmHrisSettingsError") throw new pulumi.RunError(`${component} ${name}: ${e.message}`);
    throw e;
  }
}

export interface HrisTimeOffSyncArgs {
  /** Customer slug (2-40 lowercase letters, digits, inner hyphens); default names derive from it. */
  customer: string;
  /** Genesys Cloud settings. */
  genesys: GenesysSettingsArgs;
  /** The HRIS. */
  hris: HrisSettingsArgs;
  /** The HRIS API key (authType apiKey) or OAuth client secret (authType oauth); kept secret. */
  hrisSecret: pulumi.Input<string>;
  /** Secret of the Genesys OAuth client (genesys.oauthClientId), only to discover the WFM integration type; kept secret. */
  genesysOauthClientSecret?: pulumi.Input<string>;
  /** The WFM Time-off HRIS integration. */
  wfm?: WfmSettingsArgs;
}

/**
 * WFM Time-off HRIS sync in Genesys Cloud for one customer: the Web Services Data Actions integration, its credential
 * and data actions for the HRIS, the workflows calling them and the WFM Time-off HRIS integration pointing at them.
 * Give the genesyscloud provider as a resource option (providers).
 */
export class HrisTimeOffSync extends pulumi.ComponentResource {
  /** Id of the Web Services Data Actions integration. */
  declare public readonly integrationId: pulumi.Output<string>;
  /** Category under which the workflows find the data actions. */
  declare public readonly category: pulumi.Output<string>;
  /** Data action ids by action name. */
  declare public readonly actionIds: pulumi.Output<{ [action: string]: string }>;
  /** Workflow ids by WFM HRIS task. */
  declare public readonly flowIds: pulumi.Output<{ [task: string]: string }>;
  /** Id of the WFM Time-off HRIS integration. */
  declare public readonly wfmIntegrationId: pulumi.Output<string>;
  /** Which workflow (by name) serves each WFM integration property. */
  declare public readonly wfmTaskWorkflows: pulumi.Output<{ [property: string]: string }>;

  constructor(name: string, args: HrisTimeOffSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:index:HrisTimeOffSync", name, {}, opts);
    const secretsSet = [hrisSecretKey(args.hris), ...(args.genesysOauthClientSecret === undefined ? [] : ["genesysOauthClientSecret"])];
    const settings = resolve("HrisTimeOffSync", name, { customer: args.customer, genesys: { ...args.genesys }, hris: hrisSection(args.hris), wfm: args.wfm && { ...args.wfm } }, secretsSet);
    const content = loadWfmHrisContent(settings);
    const genesysSecret = args.genesysOauthClientSecret === undefined ? undefined : pulumi.secret(args.genesysOauthClientSecret);
    const wfmHris = new WfmHris(
      name,
      {
        integrationName: settings.genesys.integrationName,
        integrationNotes: `WFM Time-off HRIS data actions for ${settings.customer} (${settings.hris.kind}); managed by Pulumi (wfm-hris).`,
        credential: dataActionCredential(settings.genesys.credentialName, settings.hris.auth, content, pulumi.secret(args.hrisSecret)),
        content,
        wfm: {
          name: settings.wfm.integrationName,
          notes: `Time-off sync with ${settings.hris.kind} for ${settings.customer}; managed by Pulumi (wfm-hris).`,
          enabled: settings.wfm.enabled,
          typeInfo: resolveWfmIntegrationType(settings, genesysSecret ? { genesysOauthClientSecret: genesysSecret } : {}),
          syncUserAccountIds: settings.wfm.syncUserAccountIds,
          autoSyncUserAccountIds: settings.wfm.autoSyncUserAccountIds,
          adoptIntegrationId: settings.wfm.adoptIntegrationId,
          keepAdopted: settings.wfm.keepAdoptedIntegration,
        },
      },
      { parent: this },
    );
    this.integrationId = wfmHris.integrationId;
    this.category = wfmHris.category;
    this.actionIds = wfmHris.actionIds;
    this.flowIds = wfmHris.flowIds.apply((ids): { [task: string]: string } => ({ ...ids }));
    this.wfmIntegrationId = wfmHris.wfmIntegrationId;
    this.wfmTaskWorkflows = wfmHris.wfmTaskWorkflows.apply((w) => ({ ...w }) as { [property: string]: string });
    this.registerOutputs({
      integrationId: this.integrationId,
      category: this.category,
      actionIds: this.actionIds,
      flowIds: this.flowIds,
      wfmIntegrationId: this.wfmIntegrationId,
      wfmTaskWorkflows: this.wfmTaskWorkflows,
    });
  }
}

export interface VezaHrisSyncArgs {
  /** Customer slug; the default provider name derives from it. */
  customer: string;
  /** The HRIS whose directory Veza receives. */
  hris: HrisSettingsArgs;
  /** The HRIS API key (authType apiKey) or OAuth client secret (authType oauth); kept secret. */
  hrisSecret: pulumi.Input<string>;
  /** The Veza tenant and provider. */
  veza: VezaSettingsArgs;
  /** Veza API key; kept secret. */
  vezaApiKey: pulumi.Input<string>;
}

/**
 * The HRIS in Veza: an OAA custom provider (template hris), its data source, and a push of the employees and groups
 * read from the HRIS whenever they change.
 */
export class VezaHrisSync extends pulumi.ComponentResource {
  /** Id of the OAA custom provider. */
  declare public readonly providerId: pulumi.Output<string>;
  /** Id of the data source. */
  declare public readonly dataSourceId: pulumi.Output<string>;
  /** SHA-256 of the payload last pushed. */
  declare public readonly payloadHash: pulumi.Output<string>;
  /** Employees in the payload last pushed. */
  declare public readonly employeeCount: pulumi.Output<number>;
  /** Groups in the payload last pushed. */
  declare public readonly groupCount: pulumi.Output<number>;
  /** Warnings Veza returned for the last push. */
  declare public readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: VezaHrisSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:index:VezaHrisSync", name, {}, opts);
    const secretsSet = [hrisSecretKey(args.hris), "vezaApiKey"];
    // The settings are validated as a whole; the Veza side reads no Genesys setting, so any valid region will do.
    const settings = resolve("VezaHrisSync", name, { customer: args.customer, genesys: { region: "us-east-1" }, hris: hrisSection(args.hris), veza: { ...args.veza } }, secretsSet);
    const veza = settings.veza!;
    const provider = new VezaHrisProvider(
      name,
      {
        connection: { url: veza.url, apiKey: args.vezaApiKey },
        providerName: veza.providerName,
        dataSourceName: veza.dataSourceName,
        provisioning: veza.provisioning,
        keepAdopted: veza.keepAdopted,
        payload: vezaPayload(settings, args.hrisSecret),
      },
      { parent: this },
    );
    this.providerId = provider.providerId;
    this.dataSourceId = provider.dataSourceId;
    this.payloadHash = provider.payloadHash;
    this.employeeCount = provider.employeeCount;
    this.groupCount = provider.groupCount;
    this.warnings = provider.warnings;
    this.registerOutputs({
      providerId: this.providerId,
      dataSourceId: this.dataSourceId,
      payloadHash: this.payloadHash,
      employeeCount: this.employeeCount,
      groupCount: this.groupCount,
      warnings: this.warnings,
    });
  }
}
