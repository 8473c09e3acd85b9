import { genesysApiDomain } from "../config/schema";

/** How to reach a Genesys Cloud org's Platform API with client-credentials OAuth. */
export interface GenesysApiOptions {
  /** Org region (e.g. us-east-1); gives https://api.<domain> and https://login.<domain>. */
  region?: string;
  /** Overrides for tests (a fake on 127.0.0.1). */
  apiBaseUrl?: string;
  loginBaseUrl?: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** A failed Genesys call: what was tried, the status and Genesys' message. */
export class GenesysApiError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "GenesysApiError";
  }
}

const EXCERPT = 200;

export function genesysUrls(opts: Pick<GenesysApiOptions, "region" | "apiBaseUrl" | "loginBaseUrl">) {
  const domain = opts.region ? genesysApiDomain(opts.region) : undefined;
  const api = opts.apiBaseUrl ?? (domain ? `https://api.${domain}` : undefined);
  const login = opts.loginBaseUrl ?? (domain ? `https://login.${domain}` : undefined);
  if (!api || !login) throw new Error(`no Genesys Cloud API for region ${JSON.stringify(opts.region)}`);
  return { api: api.replace(/\/+$/, ""), login: login.replace(/\/+$/, "") };
}

async function call(url: string, init: RequestInit, opts: GenesysApiOptions, what: string): Promise<unknown> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === "TimeoutError" ? `no answer within ${opts.timeoutMs ?? 30_000} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new GenesysApiError(`${what}: could not reach ${url}: ${why}`, url);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text.slice(0, EXCERPT);
    try {
      const body = JSON.parse(text) as { message?: string; error_description?: string; error?: string };
      message = body.message ?? body.error_description ?? body.error ?? message;
    } catch {
      // not JSON: keep the excerpt
    }
    const hint =
      res.status === 401 || res.status === 400
        ? " (check genesys.oauthClientId and genesysOauthClientSecret, or GENESYSCLOUD_OAUTHCLIENT_ID/SECRET)"
        : res.status === 403
          ? " (the OAuth client's role needs the Integrations > Integration > View permission)"
          : res.status === 429
            ? ` (rate limited${res.headers.get("retry-after") ? `; retry after ${res.headers.get("retry-after")} s` : ""})`
            : "";
    throw new GenesysApiError(`${what}: ${url} answered HTTP ${res.status}${message ? `: ${message}` : ""}${hint}`, url, res.status);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new GenesysApiError(`${what}: ${url} answered HTTP ${res.status} with a body that is not JSON`, url, res.status);
  }
}

/** A client-credentials token (POST https://login.<domain>/oauth/token). */
export async function getAccessToken(opts: GenesysApiOptions): Promise<string> {
  const { login } = genesysUrls(opts);
  const url = `${login}/oauth/token`;
  const body = (await call(
    url,
    {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${opts.clientId}:${opts.clientSecret}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: "grant_type=client_credentials",
    },
    opts,
    "Getting a Genesys Cloud token",
  )) as { access_token?: string };
  if (!body.access_token) throw new GenesysApiError(`Getting a Genesys Cloud token: ${url} answered without an access_token`, url);
  return body.access_token;
}

/** An authenticated GET on the Platform API; `path` starts with /api/v2. */
export function apiGet(opts: GenesysApiOptions, token: string, path: string, what: string): Promise<unknown> {
  const { api } = genesysUrls(opts);
  return call(`${api}${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } }, opts, what);
}

/** An authenticated POST with a JSON body. */
export function apiPost(opts: GenesysApiOptions, token: string, path: string, body: unknown, what: string): Promise<unknown> {
  const { api } = genesysUrls(opts);
  return call(
    `${api}${path}`,
    { method: "POST", headers: { Authorization: `Bearer ${token}`, Accept: "application/json", "Content-Type": "application/json" }, body: JSON.stringify(body) },
    opts,
    what,
  );
}

/** Every entity of a paged Genesys listing (`entities`, `pageCount`). */
export async function apiGetAll<T>(opts: GenesysApiOptions, token: string, path: string, what: string, maxPages = 50): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const body = (await apiGet(opts, token, `${path}${sep}pageSize=100&pageNumber=${page}`, what)) as { entities?: T[]; pageCount?: number };
    all.push(...(body.entities ?? []));
    if (!body.pageCount || page >= body.pageCount) break;
  }
  return all;
}
