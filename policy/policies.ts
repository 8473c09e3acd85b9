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

const OURS = (type: string) => type.startsWith("genesyscloud:") || type.startsWith("wfm-hris:") || VEZA_TYPES.includes(type) || type === "pulumi:providers:genesyscloud";

export const namesCarryCustomerPrefix: StackValidationPolicy = {
  name: "names-carry-customer-prefix",
  description: "Every wfm-hris resource name starts with the customer slug (the name of the WfmHris component), so stacks of different customers never collide.",
  enforcementLevel: "mandatory",
  validateStack: (args: StackValidationArgs, report: ReportViolation) => {
    const root = args.resources.find((r) => r.type === "wfm-hris:index:WfmHris");
    if (!root) return;
    const customer = root.name;
    for (const r of args.resources)
      if (OURS(r.type) && r.name !== customer && !r.name.startsWith(`${customer}-`)) report(`${r.name} does not start with the customer prefix "${customer}-".`, r.urn);
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

export const policies = [dataActionUrlsUseHttps, credentialFieldsAreSecret, integrationsAreEnabled, namesCarryCustomerPrefix, vezaUrlUsesHttps];
