/**
 * HTTP for the directory readers of HRIS adapters: per-request timeouts, bounded retries on throttling (429/503,
 * honouring Retry-After, else exponential backoff from 1 s) and gateway errors, and the auth the stack's `hris.auth`
 * describes. Errors are HrisApiErrors naming the call; no credential is ever part of a message.
 */
import type { HrisAuth } from "./auth";
import { HrisApiError } from "./errors";

export interface HttpOptions {
  timeoutMs?: number;
  maxRetries?: number;
  fetchImpl?: typeof fetch;
  onRetry?: (info: { attempt: number; delayMs: number; status: number }) => void;
}

const RETRYABLE = [429, 502, 503, 504];

/** Sends a request, retrying throttled and gateway answers; returns the last answer. */
export async function sendWithRetry(url: string, init: RequestInit, opts: HttpOptions, what: string): Promise<Response> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const maxRetries = opts.maxRetries ?? 4;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      throw new HrisApiError(`${what}: could not reach ${new URL(url).origin}: ${err.name === "TimeoutError" ? "timed out" : (err.cause?.code ?? err.message)}`);
    }
    if (res.ok || !RETRYABLE.includes(res.status) || attempt >= maxRetries) return res;
    const header = res.headers.get("retry-after");
    const delayMs = Math.min(60_000, header && /^\d+$/.test(header) ? Number(header) * 1000 : 1000 * 2 ** attempt);
    await res.arrayBuffer();
    opts.onRetry?.({ attempt: attempt + 1, delayMs, status: res.status });
    await new Promise((r) => setTimeout(r, delayMs));
  }
}

/**
 * The Authorization header for `hris.auth` with its secret: Basic with the API key as user name, or a Bearer token
 * from the OAuth 2.0 client-credentials grant (RFC 6749 §4.4, client authenticated with HTTP Basic, §2.3.1).
 */
export async function authorizationHeader(auth: HrisAuth, secret: string, opts: HttpOptions): Promise<string> {
  if (auth.type === "apiKey") return `Basic ${Buffer.from(`${secret}:x`).toString("base64")}`;
  const form = new URLSearchParams({ grant_type: "client_credentials", ...(auth.scope ? { scope: auth.scope } : {}) });
  const res = await sendWithRetry(
    auth.tokenUrl,
    {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${auth.clientId}:${secret}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: form.toString(),
    },
    opts,
    "Getting an HRIS OAuth token",
  );
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token)
    throw new HrisApiError(`Getting an HRIS OAuth token: ${auth.tokenUrl} answered HTTP ${res.status}${body.error ? ` ${body.error}` : ""} (check hris.auth.clientId and hrisOauthClientSecret)`, res.status);
  return `Bearer ${body.access_token}`;
}
