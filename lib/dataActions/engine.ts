import Ajv04 from "ajv-draft-04";
import { ajvLogger } from "../jsonSchema/ajvLogger";
import type { ValidateFunction } from "ajv";
import { TemplateError, renderTemplate, unresolvedReferences } from "../velocity/render";
import { flattenOutput } from "./flatten";
import { TranslationError, translate } from "./translate";

/**
 * Executes a data action the way Genesys does (reference/bamboohr-and-data-actions.md §2): input contract,
 * Velocity rendering of URL, headers and body, the HTTP call, the translation map, the success template, the
 * output contract, and Architect's flattened view. Every failure names its stage.
 */

export type Stage = "input" | "auth" | "render" | "request" | "response" | "translation" | "successTemplate" | "output";

export interface RequestConfig {
  requestType: string;
  requestUrlTemplate: string;
  requestTemplate?: string;
  headers: Record<string, string>;
}
export interface ResponseConfig {
  translationMap: Record<string, string>;
  translationMapDefaults: Record<string, string>;
  successTemplate?: string;
}
export interface ExecutableAction {
  name: string;
  request: RequestConfig;
  response: ResponseConfig;
  contractInput: Record<string, unknown>;
  contractOutput: Record<string, unknown>;
  timeoutSeconds?: number;
}
export interface ActionCredentials {
  /**
   * basicAuth: Genesys adds `Authorization: Basic`; userDefinedOAuth: the custom auth action runs first;
   * userDefined: fields reach templates as $credentials.x only; genesysOAuth (purecloud-data-actions): Genesys calls
   * its own API with the integration's OAuth client, here a bearer token in fields.accessToken.
   */
  type: "basicAuth" | "userDefinedOAuth" | "userDefined" | "genesysOAuth";
  /** basicAuth: userName, password; userDefinedOAuth: whatever fields the credential defines. */
  fields: Record<string, string>;
}
export interface AuthActionConfig {
  request: RequestConfig;
  response: ResponseConfig;
}

export interface RenderedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Headers the definition sets but the HTTP client owns (framing, connection), not sent: see TRANSPORT_HEADERS. */
  droppedHeaders?: string[];
}

/**
 * Hop-by-hop and framing headers (RFC 9110 §7.6.1, RFC 9112 §6) that the HTTP client computes itself. Node's fetch
 * refuses some outright (Transfer-Encoding, Keep-Alive, Upgrade, Expect) and would send a wrong Host or
 * Content-Length for others, so the engine drops them and reports it. What Genesys does with them is unverified.
 */
export const TRANSPORT_HEADERS = ["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "expect", "proxy-connection", "te", "trailer"];
export interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class DataActionFailure extends Error {
  constructor(
    readonly stage: Stage,
    readonly code: string,
    /** What went wrong, without stage and code. */
    readonly detail: string,
    readonly details: { status?: number; bodyExcerpt?: string; hint?: string; errors?: string[] } = {},
  ) {
    super(`[${stage}] ${code}: ${detail}${details.hint ? ` (hint: ${details.hint})` : ""}`);
    this.name = "DataActionFailure";
  }
}

export interface ExecutionReport {
  ok: boolean;
  /** Set when ok is false. */
  failure?: DataActionFailure;
  /** The request as sent, with credentials masked. */
  request?: RenderedRequest;
  response?: ReceivedResponse;
  /** Translation map variables (JSON text). */
  variables?: Record<string, string>;
  output?: unknown;
  flattened?: Record<string, unknown>;
}

export interface ExecuteOptions {
  /** Where a relative requestUrlTemplate (`/api/v2/...`, Genesys Cloud data actions) is sent. */
  apiBaseUrl?: string;
  credentials: ActionCredentials;
  /** Required for userDefinedOAuth: the custom auth action's request and response. */
  authAction?: AuthActionConfig;
  /** Per-request timeout; defaults to the action's timeout or 60 s (the Genesys maximum). */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** The HRIS adapter's reading of a failed answer (hris/<kind> errorHint). */
  errorHint?: ErrorHint;
  /**
   * The action is a custom auth action run on its own: its output is the auth response (tokens), so every string
   * in it is masked in the report, as credentials are.
   */
  outputIsSecret?: boolean;
}

const BODY_EXCERPT = 300;
const ajv = new Ajv04({ strict: false, allErrors: true, logger: ajvLogger });
const validators = new WeakMap<object, ValidateFunction>();
function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = ajv.compile(schema)));
  return v;
}
const schemaErrors = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message}`.trim());

/** Values that must never be shown: every credential field but the login URL, and the auth response. */
function secretValues(credentials: ActionCredentials, authResponse?: Record<string, unknown>): string[] {
  const fields = Object.entries(credentials.fields)
    .filter(([k]) => k !== "loginUrl")
    .map(([, v]) => v);
  const auth = authResponse ? Object.values(authResponse).filter((v): v is string => typeof v === "string") : [];
  return [...fields, ...auth].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}
/** Every string in a JSON value (the values of an auth response, wherever they sit). */
function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}
const maskDeep = (value: unknown, secrets: string[]): unknown =>
  typeof value === "string"
    ? maskSecrets(value, secrets)
    : Array.isArray(value)
      ? value.map((v) => maskDeep(v, secrets))
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, secrets)]))
        : value;

export function maskSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("[secret]");
  for (const s of secrets) out = out.split(Buffer.from(s).toString("base64")).join("[secret]");
  return out;
}
function maskRequest(r: RenderedRequest, secrets: string[]): RenderedRequest {
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, k.toLowerCase() === "authorization" ? "[secret]" : maskSecrets(v, secrets)]));
  return {
    method: r.method,
    url: maskSecrets(r.url, secrets),
    headers,
    body: r.body === undefined ? undefined : maskSecrets(r.body, secrets),
    ...(r.droppedHeaders ? { droppedHeaders: r.droppedHeaders } : {}),
  };
}

function render(template: string, context: Record<string, unknown>, what: string): string {
  try {
    return renderTemplate(template, context);
  } catch (e) {
    throw new DataActionFailure("render", "REQUEST_TEMPLATE", `${what}: ${(e as Error).message}`);
  }
}

/** Validates the input and renders the HTTP request. */
export function renderRequest(
  action: Pick<ExecutableAction, "request">,
  input: Record<string, unknown>,
  credentials: Record<string, string>,
  authResponse?: Record<string, unknown>,
  apiBaseUrl?: string,
): RenderedRequest {
  const context = { input: { ...input, rawRequest: JSON.stringify(input) }, credentials, authResponse: authResponse ?? {} };
  const { request } = action;
  const method = request.requestType.toUpperCase();
  let url = render(request.requestUrlTemplate, context, "requestUrlTemplate");
  const rendered = Object.entries(request.headers).map(([k, v]) => [k, render(v, context, `headers.${k}`)] as const);
  const headers = Object.fromEntries(rendered.filter(([k]) => !TRANSPORT_HEADERS.includes(k.toLowerCase())));
  const dropped = rendered.filter(([k]) => TRANSPORT_HEADERS.includes(k.toLowerCase())).map(([k]) => k);
  // "GET requests do not use request templates."
  const body = method === "GET" || !request.requestTemplate ? undefined : render(request.requestTemplate, context, "requestTemplate");
  const roots = ["input", "credentials", "authResponse"];
  const unresolved = [url, ...Object.values(headers), body ?? ""].flatMap((t) => unresolvedReferences(t, roots));
  if (unresolved.length) {
    const wrongCase = unresolved.find((u) => !roots.some((r) => new RegExp(`^\\$\\{?${r}\\.`).test(u)));
    throw new DataActionFailure("render", "UNRESOLVED_REFERENCE", `the rendered request still contains ${[...new Set(unresolved)].join(", ")}`, {
      hint: wrongCase
        ? `Velocity names are case-sensitive: ${wrongCase} must use one of $${roots.join(", $")}`
        : "a referenced input, credential field or auth response value is missing",
    });
  }
  if (url.startsWith("/")) {
    // Genesys Cloud data actions (purecloud-data-actions) use paths on the org's own API.
    if (!apiBaseUrl)
      throw new DataActionFailure("render", "INVALID_URL", `requestUrlTemplate rendered to the relative path ${JSON.stringify(url)}`, {
        hint: "this is a Genesys Cloud data action: give the API base URL (--api-url) to send it",
      });
    url = apiBaseUrl.replace(/\/+$/, "") + url;
  }
  if (!URL.canParse(url)) throw new DataActionFailure("render", "INVALID_URL", `requestUrlTemplate rendered to ${JSON.stringify(url)}, which is not a URL`);
  return { method, url, headers, body, ...(dropped.length ? { droppedHeaders: dropped } : {}) };
}

export function validateInput(action: Pick<ExecutableAction, "contractInput">, input: Record<string, unknown>): void {
  const validate = validatorFor(action.contractInput);
  if (!validate(input)) {
    const errors = schemaErrors(validate);
    throw new DataActionFailure("input", "INPUT_CONTRACT", `input does not satisfy the input contract: ${errors.join("; ")}`, { errors });
  }
}

/** What an HRIS adapter adds to a failed call's hint (its own error header, which setting a 404 points at). */
export type ErrorHint = (status: number, headers: Record<string, string>) => string | undefined;

const hintFor = (status: number, headers: Record<string, string>, hrisHint?: ErrorHint): string | undefined => {
  const retryAfter = headers["retry-after"];
  const specific = hrisHint?.(status, headers);
  if (status === 401) return "the HRIS rejected the credential: check the API key or OAuth client secret in the stack config";
  if (status === 403) return `the credential's user lacks permission for this call${specific ? `: ${specific}` : ""}`;
  if (status === 429 || status === 503)
    return `the HRIS is throttling requests${retryAfter ? `; it asks to retry after ${retryAfter} s` : ""}. Genesys does not retry; the WFM sync tries again later`;
  if (specific) return specific;
  if (status === 404) return "unknown record or wrong URL (check hris.baseUrl and the ids passed)";
  return undefined;
};

async function send(req: RenderedRequest, credentials: ActionCredentials, timeoutMs: number, fetchImpl: typeof fetch): Promise<ReceivedResponse> {
  const headers: Record<string, string> = { ...req.headers };
  // Genesys adds Basic auth for Basic Auth credentials; user-defined credentials are applied by the templates.
  if (credentials.type === "basicAuth")
    headers.Authorization = `Basic ${Buffer.from(`${credentials.fields.userName ?? ""}:${credentials.fields.password ?? ""}`).toString("base64")}`;
  if (credentials.type === "genesysOAuth") headers.Authorization = `Bearer ${credentials.fields.accessToken ?? ""}`;
  let res: Response;
  try {
    res = await fetchImpl(req.url, { method: req.method, headers, body: req.body, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === "TimeoutError") throw new DataActionFailure("request", "REQUEST_TIMEOUT", `no response within ${timeoutMs} ms from ${new URL(req.url).origin}`, { status: 408 });
    throw new DataActionFailure("request", "REQUEST_FAILED", `could not reach ${new URL(req.url).origin}: ${err.cause?.code ?? err.cause?.message ?? err.message}`);
  }
  const body = await res.text();
  const responseHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => (responseHeaders[k] = v));
  return { status: res.status, headers: responseHeaders, body };
}

function checkStatus(res: ReceivedResponse, hrisHint?: ErrorHint) {
  if (res.status >= 200 && res.status < 300) return;
  const excerpt = res.body.length > BODY_EXCERPT ? `${res.body.slice(0, BODY_EXCERPT)}…` : res.body;
  throw new DataActionFailure("response", `HTTP_${res.status}`, `the endpoint answered ${res.status}${excerpt ? `: ${excerpt}` : " with an empty body"}`, {
    status: res.status,
    bodyExcerpt: excerpt,
    hint: hintFor(res.status, res.headers, hrisHint),
  });
}

/** Translation map, success template, output contract and flattening of a successful response. */
export function processResponse(action: Pick<ExecutableAction, "response" | "contractOutput">, body: string, input: Record<string, unknown> = {}) {
  const { response } = action;
  let parsed: unknown;
  if (Object.keys(response.translationMap).length) {
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new DataActionFailure("translation", "RESPONSE_NOT_JSON", `the response is not JSON (${body.slice(0, 60)}…), so the translation map cannot apply`, {
        hint: "send Accept: application/json",
      });
    }
  }
  let variables: Record<string, string> = {};
  try {
    variables = parsed === undefined ? {} : translate(parsed, response.translationMap, response.translationMapDefaults);
  } catch (e) {
    if (e instanceof TranslationError) throw new DataActionFailure("translation", "TRANSLATION_MAP", e.message);
    throw e;
  }
  const template = response.successTemplate ?? "${rawResult}";
  let text: string;
  try {
    text = renderTemplate(template, { ...variables, rawResult: body, input });
  } catch (e) {
    if (e instanceof TemplateError) throw new DataActionFailure("successTemplate", "SUCCESS_TEMPLATE", e.message);
    throw e;
  }
  let output: unknown;
  try {
    output = JSON.parse(text);
  } catch (e) {
    throw new DataActionFailure("successTemplate", "SUCCESS_TEMPLATE_INVALID_JSON", `the success template did not produce JSON (${(e as Error).message}): ${text.slice(0, 120)}`);
  }
  const validate = validatorFor(action.contractOutput);
  if (!validate(output)) {
    const errors = schemaErrors(validate);
    throw new DataActionFailure("output", "OUTPUT_CONTRACT", `the result does not satisfy the output contract: ${errors.join("; ")}`, { errors });
  }
  return { variables, output, flattened: flattenOutput(output, action.contractOutput) };
}

async function runAuthAction(auth: AuthActionConfig, credentials: ActionCredentials, timeoutMs: number, fetchImpl: typeof fetch) {
  try {
    const req = renderRequest(auth, {}, credentials.fields);
    const res = await send(req, { type: "userDefinedOAuth", fields: credentials.fields }, timeoutMs, fetchImpl);
    checkStatus(res);
    const { output } = processResponse({ response: auth.response, contractOutput: { type: "object" } }, res.body);
    return output as Record<string, unknown>;
  } catch (e) {
    if (e instanceof DataActionFailure)
      throw new DataActionFailure("auth", `AUTH_${e.code}`, `custom auth action failed at ${e.stage}: ${e.detail}`, { ...e.details });
    throw e;
  }
}

/** Runs the whole pipeline; never throws for a data action failure, which is reported instead. */
export async function executeAction(action: ExecutableAction, input: Record<string, unknown>, options: ExecuteOptions): Promise<ExecutionReport> {
  const timeoutMs = options.timeoutMs ?? (action.timeoutSeconds ?? 60) * 1000;
  const fetchImpl = options.fetchImpl ?? fetch;
  const report: ExecutionReport = { ok: false };
  let secrets = secretValues(options.credentials);
  try {
    validateInput(action, input);
    let authResponse: Record<string, unknown> | undefined;
    if (options.credentials.type === "userDefinedOAuth") {
      if (!options.authAction) throw new DataActionFailure("auth", "AUTH_NOT_CONFIGURED", "a User Defined (OAuth) credential needs its custom auth action");
      authResponse = await runAuthAction(options.authAction, options.credentials, timeoutMs, fetchImpl);
      secrets = secretValues(options.credentials, authResponse);
    }
    const request = renderRequest(action, input, options.credentials.fields, authResponse, options.apiBaseUrl);
    report.request = maskRequest(request, secrets);
    report.response = await send(request, options.credentials, timeoutMs, fetchImpl);
    checkStatus(report.response, options.errorHint);
    Object.assign(report, processResponse(action, report.response.body, input));
    if (options.outputIsSecret) {
      const tokens = stringLeaves(report.output).filter((v) => v.length >= 4);
      const all = [...secrets, ...tokens].sort((a, b) => b.length - a.length);
      report.response = { ...report.response, body: maskSecrets(report.response.body, all) };
      report.variables = maskDeep(report.variables, all) as Record<string, string>;
      report.output = maskDeep(report.output, all);
      report.flattened = maskDeep(report.flattened, all) as Record<string, unknown>;
    }
    report.ok = true;
  } catch (e) {
    if (!(e instanceof DataActionFailure)) throw e;
    const { bodyExcerpt } = e.details;
    report.failure = new DataActionFailure(e.stage, e.code, maskSecrets(e.detail, secrets), {
      ...e.details,
      bodyExcerpt: bodyExcerpt === undefined ? undefined : maskSecrets(bodyExcerpt, secrets),
    });
  }
  return report;
}
