/**
 * Credentials written into a data action definition instead of coming from the integration's credential: a
 * hard-coded `Authorization: Basic dXNlcjpzZWNyZXQ=` header, an `X-API-Key: abc123`, a `Cookie: session=...`,
 * `https://user:secret@host` or `?api_key=abc123` in the URL template, `"password": "abc123"` or
 * `client_secret=abc123` in the request body. Such a value is stored in plain text in the repository, in Genesys' action
 * config (visible to anyone who can read actions) and in every plan, so it is refused. The issues never repeat the
 * value. Genesys puts the credential in the template context as `${credentials.<field>}` (reference/genesys-cloud.md).
 */
import { FileIssue, jsonPath } from "../jsonFile";

/** Headers that carry a credential. */
const CREDENTIAL_HEADER = /^(?:proxy-)?authorization$|^cookie$|^x-?api-?key$|^api-?key$|^x-?auth-?token$|token|secret|password|passwd|apikey|api-key|api_key/i;
/** Query parameters that carry a credential. */
const CREDENTIAL_PARAM = /^(?:api[-_]?key|apikey|key|token|access[-_]?token|auth|client[-_]?secret|secret|password|passwd|pwd|signature|sig)$/i;
/** An auth scheme followed by a literal token (base64 for Basic, opaque for Bearer/Token). */
const LITERAL_SCHEME = /^\s*(?:basic|bearer|token|digest|apikey|key)\s+[^\s$]+/i;

/** Whether a header carries a credential by its name (Authorization, X-API-Key, ...): its value is never printed. */
export const isCredentialHeader = (name: string) => CREDENTIAL_HEADER.test(name);

/** Whether a header or parameter value comes from a Velocity reference rather than being written out. */
const isTemplated = (value: string) => value.includes("$");

/** Body fields that carry a credential (narrower than query parameters: a body's "key" or "auth" is often data). */
const CREDENTIAL_FIELD = /^(?:password|passwd|pwd|client[-_]?secret|secret|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token)$/i;
/** `"name": "value"` (JSON) and `name=value` (a form) pairs of a request body, values up to a quote or `&`. */
const BODY_PAIR = /"([A-Za-z_-]+)"\s*:\s*"([^"]*)"|(?:^|[&?\s])([A-Za-z_-]+)=([^&"\s]*)/g;

export function literalCredentialIssues(file: string, request: { requestUrlTemplate: string; headers: Record<string, string>; requestTemplate?: string }): FileIssue[] {
  const issues: FileIssue[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (!CREDENTIAL_HEADER.test(name)) continue;
    if (!isTemplated(value) || LITERAL_SCHEME.test(value))
      issues.push({
        file,
        path: jsonPath(["config", "request", "headers", name]),
        problem: "holds a hard-coded credential (its value is not shown); it would be stored and printed in plain text",
        fix: 'take it from the integration credential, e.g. "Basic $encoding.base64(\\"${credentials.userName}:${credentials.password}\\")" or "${credentials.apiKey}", and set the secret in the stack config',
      });
  }
  const url = request.requestUrlTemplate;
  const at = jsonPath(["config", "request", "requestUrlTemplate"]);
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i.test(url))
    issues.push({ file, path: at, problem: "holds a user name or password (user:secret@host; not shown)", fix: "remove it from the URL and send the credential in an Authorization header built from ${credentials.*}" });
  const query = url.indexOf("?");
  if (query >= 0)
    for (const pair of url.slice(query + 1).split(/[&?]/)) {
      const [name, value = ""] = pair.split("=");
      if (CREDENTIAL_PARAM.test(name) && value && !isTemplated(value))
        issues.push({ file, path: at, problem: `has a hard-coded credential in the query parameter ${name} (its value is not shown)`, fix: `write ${name}=\${credentials.<field>} and set the secret in the stack config` });
    }
  const body = request.requestTemplate ?? "";
  for (const m of body.matchAll(BODY_PAIR)) {
    const [name, value] = m[1] !== undefined ? [m[1], m[2]] : [m[3], m[4]];
    if (CREDENTIAL_FIELD.test(name) && value && !isTemplated(value))
      issues.push({
        file,
        path: jsonPath(["config", "request", "requestTemplate"]),
        problem: `has a hard-coded credential in ${name} (its value is not shown)`,
        fix: `write \${credentials.<field>} there (e.g. "${name}": "\${credentials.clientSecret}") and set the secret in the stack config`,
      });
  }
  return issues;
}
