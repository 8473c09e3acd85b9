import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Secret } from "@pulumi/policy";

/**
 * Organisation rules for wfm-hris stacks, enforced by `pulumi preview|up --policy-pack policy`. Each policy is a
 * plain object, so the tests call `validateResource` directly.
 */

const ACTION = "genesyscloud:index/integrationAction:IntegrationAction";
const CUSTOM_AUTH = "genesyscloud:index/integrationCustomAuthAction:IntegrationCustomAuthAction";
const CREDENTIAL = "genesyscloud:index/integrationCredential:IntegrationCredential";
const INTEGRATION = "genesyscloud:index/integration:Integration";
const VEZA_TYPES = ["pulumi-nodejs:dynamic/veza:CustomProvider", "pulumi-nodejs:dynamic/veza:DataSource", "pulumi-nodejs:dynamic/veza:Push"];

const LOOPBACK = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/;

/** The props as the engine sent them, secrets still wrapped (the policy SDK unwraps them behind a proxy). */
function rawProps(args: ResourceValidationArgs): Record<string, unknown> {
  const { getSpecialProxyTarget } = require("@pulumi/policy/proxy") as { getSpecialProxyTarget: symbol };
  return ((args.props as Record<symbol, unknown>)[getSpecialProxyTarget] as Record<string, unknown>) ?? args.props;
}

export const dataActionUrlsUseHttps: ResourceValidationPolicy = {
  name: "data-action-urls-use-https",
  description: "Data actions and custom auth actions call the HRIS over https (plain http only to a loopback test server).",
  enforcementLevel: "mandatory",
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type !== ACTION && args.type !== CUSTOM_AUTH) return;
    const url = String(args.props.configRequest?.requestUrlTemplate ?? "");
    // A template may start with a Velocity reference (the auth action's ${credentials.loginUrl}): checked where the credential is.
    if (url.startsWith("$")) return;
    if (!url.startsWith("https://") && !LOOPBACK.test(url)) report(`${args.name} calls ${url.split("?")[0]}, which is not https; set hris.baseUrl to an https URL.`);
  },
};

export const credentialFieldsAreSecret: ResourceValidationPolicy = {
  name: "credential-fields-are-secret",
  description: "Integration credential fields are Pulumi secrets, so API keys and client secrets are encrypted in state.",
  enforcementLevel: "mandatory",
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type !== CREDENTIAL) return;
    const fields = rawProps(args).fields;
    if (fields === undefined) return;
    const allSecret = fields instanceof Secret || (typeof fields === "object" && fields !== null && Object.values(fields).every((v) => v instanceof Secret));
    if (!allSecret) report(`${args.name} has credential fields that are not secret; read them with requireSecret and pass them as secrets.`);
  },
};

export const integrationsAreEnabled: ResourceValidationPolicy = {
  name: "integrations-are-enabled",
  description: "Integrations are ENABLED: a disabled data-action or WFM integration silently stops time-off sync.",
  enforcementLevel: "advisory",
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type !== INTEGRATION) return;
    if (args.props.intendedState !== "ENABLED") report(`${args.name} is ${args.props.intendedState ?? "DISABLED (the default)"}; set intendedState ENABLED (wfm.enabled for the WFM integration).`);
  },
};

const FLOW = "genesyscloud:index/flow:Flow";

/** Names Genesys requires unique, as `<scope>: <name>` (unknown names are left out: they cannot be checked yet). */
function uniqueName(type: string, props: Record<string, any>): string | undefined {
  const known = (v: unknown) => typeof v === "string" && v !== "" && !v.startsWith("(known after apply)");
  if (type === ACTION && known(props.name) && known(props.category)) return `data action in category "${props.category}": ${props.name}`;
  if (type === FLOW && known(props.name)) return `${props.type ?? "flow"} flow: ${props.name}`;
  return undefined;
}

export const genesysNamesAreUnique: StackValidationPolicy = {
  name: "genesys-names-are-unique",
  description: "No two data actions of a category and no two flows of a type share a name: Genesys requires them unique, and flows call actions by name.",
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const seen = new Map<string, string>();
    for (const r of args.resources) {
      const name = uniqueName(r.type, r.props as Record<string, any>);
      if (!name) continue;
      const first = seen.get(name);
      if (first) report(`${r.name} and ${first} are both the ${name}; give one of them another name.`, r.urn);
      else seen.set(name, r.name);
    }
  },
};

export const vezaUrlUsesHttps: ResourceValidationPolicy = {
  name: "veza-url-uses-https",
  description: "The Veza tenant is reached over https.",
  enforcementLevel: "mandatory",
  validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
    if (!VEZA_TYPES.includes(args.type)) return;
    const url = String(args.props.baseUrl ?? "");
    if (!url.startsWith("https://") && !LOOPBACK.test(url)) report(`${args.name} reaches Veza at ${url}, which is not https; set veza.url to https://<tenant>.vezacloud.com.`);
  },
};

export const policies = [dataActionUrlsUseHttps, credentialFieldsAreSecret, integrationsAreEnabled, genesysNamesAreUnique, vezaUrlUsesHttps];
