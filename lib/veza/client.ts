/**
 * Veza OAA REST client: custom providers, data sources and payload pushes (reference/veza-oaa.md).
 *
 * Kept free of module-level state and of libraries with native bindings: Pulumi serialises the dynamic providers
 * that use it, closure and all.
 */

export interface VezaClientOptions {
  /** Tenant URL; `https://` is added when missing, trailing slashes are dropped. */
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries of a retryable failure (reads, deletes, pushes); creations are never retried. */
  maxRetries?: number;
  /** First backoff; doubles each retry, with full jitter, capped at maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  fetchImpl?: typeof fetch;
  /** Called before each retry (for logs and progress). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Random source for jitter (tests pass a fixed one). */
  random?: () => number;
  /**
   * Veza's and oaaclient's sizes (VezaLimits): the defaults are theirs; tests pass small ones, so the same code paths
   * run on payloads of a few hundred KB instead of 50 MB.
   */
  limits?: Partial<VezaLimits>;
}

export interface VezaLimits {
  /** The largest request body Veza accepts (MAX_PAYLOAD_BYTES). */
  maxBodyBytes: number;
  /** JSON text up to this size goes in one `:push`, larger in parts (MULTIPART_THRESHOLD_BYTES). */
  multipartThresholdBytes: number;
  /** Bytes of JSON text per part, unless a push says otherwise (PART_BYTES). */
  partBytes: number;
}

export interface VezaFieldViolation {
  field: string;
  description: string;
}

/**
 * A failed Veza call, with what Veza said. A plain `Error` with extra fields, not a subclass: Pulumi's closure
 * serialiser turns classes into ES5 constructors that call `Error` as a function, which leaves `message` unset, and
 * the dynamic-provider host reports `e.message` (issue 9). Recognise one with `isVezaApiError`. Not an `instanceof`
 * shim either: every export of this module is serialised with the providers, and the closure serialiser cannot
 * serialise `Symbol.hasInstance` (the provider then fails to load).
 */
export interface VezaApiError extends Error {
  name: "VezaApiError";
  status: number | undefined;
  code: string | undefined;
  vezaMessage: string | undefined;
  requestId: string | undefined;
  fieldViolations: VezaFieldViolation[];
}

export function vezaApiError(
  message: string,
  fields: { status?: number; code?: string; vezaMessage?: string; requestId?: string; fieldViolations?: VezaFieldViolation[] } = {},
): VezaApiError {
  const { status, code, vezaMessage, requestId, fieldViolations = [] } = fields;
  return Object.assign(new Error(message), { name: "VezaApiError" as const, status, code, vezaMessage, requestId, fieldViolations });
}

/** True for an error made by `vezaApiError`, also after serialisation (checked by name, not prototype). */
export function isVezaApiError(e: unknown): e is VezaApiError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "VezaApiError" && typeof (e as { message?: unknown }).message === "string";
}

/** Veza's answer to a creation whose name is taken (reference/veza-oaa.md §1.1: 400 with a `name` field violation). */
export function isDuplicateName(e: unknown): boolean {
  return isVezaApiError(e) && e.status === 400 && e.fieldViolations.some((v) => v.field === "name" && /already exists/i.test(v.description));
}

export interface VezaProvider {
  id: string;
  name: string;
  custom_template: string;
  state?: string;
  provisioning?: boolean;
}

export interface VezaDataSource {
  id: string;
  name: string;
  status?: string;
}

export interface PushResult {
  warnings: { message: string }[];
  stats?: PushStats;
}

/** Veza's documented maximum body size. */
export const MAX_PAYLOAD_BYTES = 100_000_000;
/**
 * Payloads whose JSON text is larger go in parts (`:parts`), as oaaclient >= 1.1.14 chooses
 * (`MULTIPART_THRESHOLD_SIZE`, the size before compression; reference/veza-oaa.md §1.7).
 */
export const MULTIPART_THRESHOLD_BYTES = 50_000_000;
/** Bytes of JSON text per part (oaaclient's `DEFAULT_PART_SIZE`): base64 makes each request ~66.7 MB, under the limit. */
export const PART_BYTES = 50_000_000;

export interface PushStats {
  /** "single": one `:push` (gzip + base64); "parts": `:parts` start, upload, complete. */
  mode: "single" | "parts";
  parts: number;
  /** The largest request body sent. */
  maxBodyBytes: number;
  /** Every request body of the push, added up. */
  totalBodyBytes: number;
}

export function normaliseBaseUrl(url: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
  return withScheme.replace(/\/+$/, "");
}

/** `filter=name eq "<name>"`, spaces as + as Veza expects (URLSearchParams does that). */
function nameFilter(name: string): string {
  return new URLSearchParams({ filter: `name eq "${name.replace(/"/g, '\\"')}"` }).toString();
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** A body sent in pieces (lib/veza/http.ts PiecesBody), read when sent and again for a retry. */
interface Pieces {
  length: number;
  pieces(): Iterable<Buffer | string>;
}
const isPieces = (b: unknown): b is Pieces => typeof b === "object" && b !== null && typeof (b as Pieces).pieces === "function";
/** A fetch that writes a body's pieces as it reads them (lib/veza/http.ts httpFetch); any other gets them joined. */
const takesPieces = (f: unknown) => (f as { takesPieces?: boolean } | undefined)?.takesPieces === true;
const joined = (b: Pieces) => Buffer.concat([...b.pieces()].map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)), b.length);

interface RequestSpec {
  method: Method;
  path: string;
  body?: unknown;
  /** Repeating it is safe: reads, deletes, full-snapshot pushes. */
  retryable: boolean;
  what: string;
}

const RETRY_STATUSES = [429, 500, 502, 503, 504];
const MAX_RETRY_AFTER_MS = 120_000;

export class VezaClient {
  readonly baseUrl: string;
  readonly limits: VezaLimits;
  private readonly opts: Required<Omit<VezaClientOptions, "onRetry" | "fetchImpl" | "limits">> & Pick<VezaClientOptions, "onRetry" | "fetchImpl">;

  constructor(options: VezaClientOptions) {
    if (!options.apiKey) throw new Error("Veza API key is empty");
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.opts = {
      timeoutMs: 60_000,
      maxRetries: 5,
      backoffMs: 500,
      maxBackoffMs: 30_000,
      random: Math.random,
      ...options,
    };
    this.limits = { maxBodyBytes: MAX_PAYLOAD_BYTES, multipartThresholdBytes: MULTIPART_THRESHOLD_BYTES, partBytes: PART_BYTES, ...options.limits };
  }

  private async once(spec: RequestSpec): Promise<{ status: number; headers: Headers; text: string }> {
    const fetchImpl = this.opts.fetchImpl ?? fetch;
    const res = await (fetchImpl as typeof fetch)(`${this.baseUrl}${spec.path}`, {
      method: spec.method,
      headers: {
        Authorization: `Bearer ${this.opts.apiKey}`,
        Accept: "application/json",
        ...(spec.body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: spec.body === undefined ? undefined : typeof spec.body === "string" ? spec.body : isPieces(spec.body) ? (takesPieces(fetchImpl) ? (spec.body as unknown as BodyInit) : joined(spec.body)) : JSON.stringify(spec.body),
      signal: AbortSignal.timeout(this.opts.timeoutMs),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  private error(spec: RequestSpec, status: number | undefined, text: string, cause?: string): VezaApiError {
    let body: { code?: unknown; message?: string; request_id?: string; details?: { field_violations?: VezaFieldViolation[] }[] } = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // not JSON
    }
    const violations = (body.details ?? []).flatMap((d) => d.field_violations ?? []);
    const code = body.code === undefined ? undefined : String(body.code);
    const parts = [
      `${spec.what}: ${spec.method} ${this.baseUrl}${spec.path.split("?")[0]}`,
      status === undefined ? ` failed (${cause})` : ` answered HTTP ${status}${code ? ` ${code}` : ""}`,
      body.message ? `: ${body.message}` : !status || body.code !== undefined ? "" : text ? `: ${text.slice(0, 200)}` : "",
      violations.length ? ` (${violations.map((v) => `${v.field}: ${v.description}`).join("; ")})` : "",
      body.request_id ? ` [request ${body.request_id}]` : "",
      status === 401 ? " (check the Veza API key)" : "",
      // Not in Veza's docs; gRPC-gateway answers PermissionDenied as 403 (reference/veza-oaa.md §2 lists the shape only).
      status === 403 ? " (the Veza API key is valid but not allowed to do this: check its role; Veza recommends a Team API key for OAA)" : "",
    ];
    return vezaApiError(parts.join(""), { status, code, vezaMessage: body.message, requestId: body.request_id, fieldViolations: violations });
  }

  /** One API call with the retry policy; resolves to the parsed JSON body. */
  async request<T>(spec: RequestSpec): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let status: number | undefined;
      let retryAfterMs: number | undefined;
      let failure: VezaApiError;
      try {
        const res = await this.once(spec);
        status = res.status;
        if (res.status >= 200 && res.status < 300) {
          try {
            return (res.text ? JSON.parse(res.text) : {}) as T;
          } catch {
            throw vezaApiError(`${spec.what}: ${this.baseUrl}${spec.path.split("?")[0]} answered ${res.status} with a body that is not JSON`, { status: res.status });
          }
        }
        failure = this.error(spec, res.status, res.text);
        const header = res.headers.get("retry-after");
        if (header) retryAfterMs = /^\d+(\.\d+)?$/.test(header) ? Number(header) * 1000 : Math.max(0, Date.parse(header) - Date.now());
      } catch (e) {
        if (isVezaApiError(e)) throw e;
        const err = e as Error & { cause?: { code?: string; message?: string } };
        const cause = err.name === "TimeoutError" ? `no answer within ${this.opts.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
        failure = this.error(spec, undefined, "", cause);
      }
      const retryable = spec.retryable && (status === undefined || RETRY_STATUSES.includes(status));
      if (!retryable || attempt >= this.opts.maxRetries) {
        if (attempt > 0) failure.message += ` (after ${attempt + 1} attempts)`;
        throw failure;
      }
      // Veza's Retry-After wins (bounded, so a bad header cannot stall a deployment); else exponential backoff with full jitter.
      const backoff = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** attempt);
      const delayMs = retryAfterMs !== undefined ? Math.min(MAX_RETRY_AFTER_MS, retryAfterMs) : Math.round(backoff * this.opts.random());
      this.opts.onRetry?.({ attempt: attempt + 1, delayMs, reason: status === undefined ? failure.message : `HTTP ${status}` });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }

  /** Every item of a paged listing (`values`, `has_more`, `next_page_token`). */
  private async list<T>(path: string, what: string): Promise<T[]> {
    const all: T[] = [];
    let token: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const sep = path.includes("?") ? "&" : "?";
      const query = `page_size=250${token ? `&page_token=${encodeURIComponent(token)}` : ""}`;
      const body = await this.request<{ values?: T[]; has_more?: boolean; next_page_token?: string }>({ method: "GET", path: `${path}${sep}${query}`, retryable: true, what });
      all.push(...(body.values ?? []));
      if (!body.has_more || !body.next_page_token) return all;
      token = body.next_page_token;
    }
    throw new Error(`${what}: more than 1000 pages`);
  }

  async listTemplates(): Promise<unknown> {
    return this.request({ method: "GET", path: "/api/v1/providers/custom/templates", retryable: true, what: "Checking the Veza connection" });
  }

  /** Every provider listed under this name, those being deleted (state DELETING) included. */
  async listProvidersNamed(name: string): Promise<VezaProvider[]> {
    const found = await this.list<VezaProvider>(`/api/v1/providers/custom?${nameFilter(name)}`, `Looking up Veza provider "${name}"`);
    return found.filter((p) => p.name === name);
  }

  async findProvider(name: string): Promise<VezaProvider | undefined> {
    const live = (await this.listProvidersNamed(name)).filter((p) => p.state !== "DELETING");
    if (live.length > 1) throw new Error(`Veza has ${live.length} custom providers named "${name}": ${live.map((p) => p.id).join(", ")}`);
    return live[0];
  }

  /** `GET /api/v1/providers/custom/{id}`; undefined when Veza answers 404 (reference/veza-oaa.md §1.2). */
  async getProvider(id: string): Promise<VezaProvider | undefined> {
    try {
      return (await this.request<{ value: VezaProvider }>({ method: "GET", path: `/api/v1/providers/custom/${encodeURIComponent(id)}`, retryable: true, what: `Reading Veza provider ${id}` })).value;
    } catch (e) {
      if (isVezaApiError(e) && e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * Creates a provider once its name is free. Veza deletes in the background (reference/veza-oaa.md §1.3), so right
   * after a delete-before-replace the old provider may still hold the name (listed as DELETING) and the creation
   * answers 400 "already exists": wait for it to go, a bounded number of times. A live provider of that name that
   * appears meanwhile (created by someone else) is adopted, as get-or-create would.
   */
  async createProviderWhenNameFree(
    name: string,
    template: string,
    waitsMs: number[] = [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000],
  ): Promise<{ value: VezaProvider; adopted: boolean }> {
    let waited = 0;
    let nothingHeldIt = false;
    for (;;) {
      let duplicate: VezaApiError;
      try {
        return { value: await this.createProvider(name, template), adopted: false };
      } catch (e) {
        if (!isDuplicateName(e)) throw e;
        duplicate = e as VezaApiError;
      }
      const named = await this.listProvidersNamed(name);
      const live = named.find((p) => p.state !== "DELETING");
      if (live) return { value: live, adopted: true };
      if (!named.length) {
        // Nothing listed holds the name: one immediate retry covers a deletion that finished in between.
        if (!nothingHeldIt) {
          nothingHeldIt = true;
          continue;
        }
        duplicate.message += `. Veza lists no provider named "${name}" for this API key: it may belong to a team this key cannot see. Choose another veza.providerName.`;
        throw duplicate;
      }
      if (waited >= waitsMs.length) {
        duplicate.message += `. A provider named "${name}" is still being deleted in Veza; run pulumi up again once it is gone.`;
        throw duplicate;
      }
      await new Promise((r) => setTimeout(r, waitsMs[waited++]));
    }
  }

  /**
   * Get-or-create by name that waits for a name still held by a provider being deleted (see
   * createProviderWhenNameFree). `adopted` is true when the provider existed before this call.
   */
  async getOrCreateProvider(name: string, template: string): Promise<{ value: VezaProvider; adopted: boolean }> {
    let appeared = false;
    const result = await getOrCreate(
      () => this.findProvider(name),
      async () => {
        const created = await this.createProviderWhenNameFree(name, template);
        appeared = created.adopted;
        return created.value;
      },
    );
    return { value: result.value, adopted: result.adopted || appeared };
  }

  /** Creation is not retried: a repeat could create a duplicate. */
  async createProvider(name: string, template: string): Promise<VezaProvider> {
    return (await this.request<{ value: VezaProvider }>({ method: "POST", path: "/api/v1/providers/custom", body: { name, custom_template: template }, retryable: false, what: `Creating Veza provider "${name}"` })).value;
  }

  async setProvisioning(id: string, provisioning: boolean): Promise<void> {
    await this.request({ method: "PATCH", path: `/api/v1/providers/custom/${encodeURIComponent(id)}`, body: { provisioning }, retryable: true, what: `Setting provisioning on Veza provider ${id}` });
  }

  /** Deletes a provider; an unknown one (404) counts as deleted. Deletion finishes in the background. */
  async deleteProvider(id: string): Promise<void> {
    try {
      await this.request({ method: "DELETE", path: `/api/v1/providers/custom/${encodeURIComponent(id)}`, retryable: true, what: `Deleting Veza provider ${id}` });
    } catch (e) {
      if (!(isVezaApiError(e) && e.status === 404)) throw e;
    }
  }

  async findDataSource(providerId: string, name: string): Promise<VezaDataSource | undefined> {
    const found = await this.list<VezaDataSource>(`/api/v1/providers/custom/${encodeURIComponent(providerId)}/datasources?${nameFilter(name)}`, `Looking up Veza data source "${name}"`);
    const live = found.filter((d) => d.name === name && d.status !== "DELETING");
    if (live.length > 1) throw new Error(`Veza provider ${providerId} has ${live.length} data sources named "${name}"`);
    return live[0];
  }

  /** `GET /api/v1/providers/custom/{provider}/datasources/{id}`; undefined when Veza answers 404 (reference/veza-oaa.md §1.5). */
  async getDataSource(providerId: string, id: string): Promise<VezaDataSource | undefined> {
    try {
      return (
        await this.request<{ value: VezaDataSource }>({
          method: "GET",
          path: `/api/v1/providers/custom/${encodeURIComponent(providerId)}/datasources/${encodeURIComponent(id)}`,
          retryable: true,
          what: `Reading Veza data source ${id}`,
        })
      ).value;
    } catch (e) {
      if (isVezaApiError(e) && e.status === 404) return undefined;
      throw e;
    }
  }

  /** Get-or-create a data source by name under a provider; `adopted` is true when it existed before. */
  async getOrCreateDataSource(providerId: string, name: string): Promise<{ value: VezaDataSource; adopted: boolean }> {
    return getOrCreate(
      () => this.findDataSource(providerId, name),
      () => this.createDataSource(providerId, name),
    );
  }

  async createDataSource(providerId: string, name: string): Promise<VezaDataSource> {
    return (
      await this.request<{ value: VezaDataSource }>({
        method: "POST",
        path: `/api/v1/providers/custom/${encodeURIComponent(providerId)}/datasources`,
        body: { id: providerId, name },
        retryable: false,
        what: `Creating Veza data source "${name}"`,
      })
    ).value;
  }

  async deleteDataSource(providerId: string, dataSourceId: string): Promise<void> {
    try {
      await this.request({
        method: "DELETE",
        path: `/api/v1/providers/custom/${encodeURIComponent(providerId)}/datasources/${encodeURIComponent(dataSourceId)}`,
        retryable: true,
        what: `Deleting Veza data source ${dataSourceId}`,
      });
    } catch (e) {
      if (!(isVezaApiError(e) && e.status === 404)) throw e;
    }
  }

  /**
   * Pushes a full snapshot, gzip + base64. A push replaces the data source's contents, so repeating it after a
   * lost answer is safe and it is retried. Bodies over Veza's 100 MB limit are refused before sending.
   */
  async push(providerId: string, dataSourceId: string, gzippedPayload: Buffer): Promise<PushResult> {
    const json_data = gzippedPayload.toString("base64");
    const body = JSON.stringify({ id: providerId, data_source_id: dataSourceId, json_data, compression_type: "GZIP" });
    const bytes = Buffer.byteLength(body);
    if (bytes > this.limits.maxBodyBytes)
      throw vezaApiError(
        `Pushing to Veza data source ${dataSourceId}: the request would be ${bytes} bytes; Veza accepts at most ${this.limits.maxBodyBytes}. Nothing was sent.`,
        { code: "OVERSIZE" },
      );
    const res = await this.request<PushResult & { value?: PushResult }>({
      method: "POST",
      path: `/api/v1/providers/custom/${encodeURIComponent(providerId)}/datasources/${encodeURIComponent(dataSourceId)}:push`,
      body,
      retryable: true,
      what: `Pushing to Veza data source ${dataSourceId}`,
    });
    return { warnings: res.warnings ?? res.value?.warnings ?? [], stats: { mode: "single", parts: 1, maxBodyBytes: bytes, totalBodyBytes: bytes } };
  }

  /**
   * Pushes a payload whose JSON text can be read again (veza:sync's spool), the way oaaclient chooses by size: up to
   * MULTIPART_THRESHOLD_BYTES gzipped in one `:push` (`gzipped` is asked for only then), a larger one in parts read
   * from the text as each is sent, so a part is never whole in memory.
   */
  async pushText(
    providerId: string,
    dataSourceId: string,
    text: RereadableText,
    gzipped: () => Promise<Buffer>,
    options: { partBytes?: number; onPart?: (n: number, bytes: number) => void } = {},
  ): Promise<PushResult> {
    if (text.size <= this.limits.multipartThresholdBytes) return this.push(providerId, dataSourceId, await gzipped());
    const partBytes = options.partBytes ?? this.limits.partBytes;
    return this.uploadParts(providerId, dataSourceId, options, async (send) => {
      for (let at = 0; at < text.size; at += partBytes) {
        const length = Math.min(partBytes, text.size - at);
        await send((head) => partBody(head, text, at, length), length);
      }
    });
  }

  /**
   * Pushes a gzipped payload the way oaaclient does by size: its JSON text up to MULTIPART_THRESHOLD_BYTES in one
   * `:push`, a larger one in parts. The text's length is the gzip trailer's (ISIZE, exact below 4 GiB), so a stored
   * payload file needs nothing else.
   */
  async pushPayload(providerId: string, dataSourceId: string, gzippedPayload: Buffer, options: { partBytes?: number; onPart?: (n: number, bytes: number) => void } = {}): Promise<PushResult> {
    const jsonBytes = gzippedPayload.length >= 18 ? gzippedPayload.readUInt32LE(gzippedPayload.length - 4) : 0;
    if (jsonBytes <= this.limits.multipartThresholdBytes) return this.push(providerId, dataSourceId, gzippedPayload);
    const zlib = require("node:zlib") as typeof import("node:zlib");
    const { Readable } = require("node:stream") as typeof import("node:stream");
    // Decompressed as it is sent: one part of text is in memory at a time, never the whole text.
    const text = Readable.from([gzippedPayload]).pipe(zlib.createGunzip({ chunkSize: 4 * 1024 * 1024 }));
    return this.pushParts(providerId, dataSourceId, text, options);
  }

  /**
   * Veza's multipart upload (`POST …/datasources/{id}:parts`, as oaaclient's `datasource_push_parts`; reference/
   * veza-oaa.md §1.7): `{"operation":"start"}` gives an `upload_id`; each part of the JSON text goes base64-encoded,
   * uncompressed, as `{"operation":"upload","upload_id","sequence_number":1..n,"data"}`; `{"operation":"complete",
   * "upload_id","sequence_count":n}` answers as a `:push` does. The text is read from `source` as it comes, so
   * memory holds one part. Start and complete are not retried (a repeat would open a second upload or find the first
   * one closed); an upload is (sending a part with the same sequence number again replaces it [inferred]).
   */
  async pushParts(
    providerId: string,
    dataSourceId: string,
    source: AsyncIterable<Buffer | string>,
    options: { partBytes?: number; onPart?: (n: number, bytes: number) => void } = {},
  ): Promise<PushResult> {
    const partBytes = options.partBytes ?? this.limits.partBytes;
    return this.uploadParts(providerId, dataSourceId, options, async (send) => {
      // Parts of exactly partBytes (the last one shorter), cut from chunks of any size.
      const whole = (part: Buffer) => send((head) => `${head}${part.toString("base64")}"}`, part.length);
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let sent = 0;
      for await (const chunk of source) {
        let rest = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
        while (pendingBytes + rest.length >= partBytes) {
          const take = partBytes - pendingBytes;
          const part = Buffer.concat([...pending, rest.subarray(0, take)], partBytes);
          rest = rest.subarray(take);
          pending = [];
          pendingBytes = 0;
          sent++;
          await whole(part);
        }
        if (rest.length) {
          pending.push(rest);
          pendingBytes += rest.length;
        }
      }
      if (pendingBytes || sent === 0) await whole(Buffer.concat(pending, pendingBytes));
    });
  }

  /**
   * The `:parts` exchange around `sendParts`, which calls `send` once per part in order with the part's body (made from
   * the envelope's head, `{"operation":"upload","upload_id":…,"sequence_number":n,"data":"`) and its size in bytes of
   * JSON text.
   */
  private async uploadParts(
    providerId: string,
    dataSourceId: string,
    options: { partBytes?: number; onPart?: (n: number, bytes: number) => void },
    sendParts: (send: (body: (head: string) => string | Pieces, bytes: number) => Promise<void>) => Promise<void>,
  ): Promise<PushResult> {
    const partBytes = options.partBytes ?? this.limits.partBytes;
    const limit = this.limits.maxBodyBytes;
    if (!(Number.isInteger(partBytes) && partBytes > 0 && Math.ceil(partBytes / 3) * 4 + 200 <= limit))
      throw new Error(`part size ${partBytes} must be a positive integer whose base64 form fits Veza's ${limit}-byte body limit`);
    const path = `/api/v1/providers/custom/${encodeURIComponent(providerId)}/datasources/${encodeURIComponent(dataSourceId)}:parts`;
    const what = `Pushing to Veza data source ${dataSourceId} in parts`;
    const stats: PushStats = { mode: "parts", parts: 0, maxBodyBytes: 0, totalBodyBytes: 0 };
    const post = async <T>(body: string | Pieces, retryable: boolean, step: string): Promise<T> => {
      const bytes = typeof body === "string" ? Buffer.byteLength(body) : body.length;
      stats.maxBodyBytes = Math.max(stats.maxBodyBytes, bytes);
      stats.totalBodyBytes += bytes;
      return this.request<T>({ method: "POST", path, body, retryable, what: `${what} (${step})` });
    };
    const started = await post<{ upload_id?: string; value?: { upload_id?: string } }>(JSON.stringify({ operation: "start" }), false, "start");
    const uploadId = started.upload_id ?? started.value?.upload_id;
    if (!uploadId) throw vezaApiError(`${what}: the start of the upload answered without an upload_id`, { code: "BadResponse" });
    const head = `{"operation":"upload","upload_id":${JSON.stringify(uploadId)},"sequence_number":`;
    await sendParts(async (body, bytes) => {
      stats.parts++;
      await post(body(`${head}${stats.parts},"data":"`), true, `part ${stats.parts}`);
      options.onPart?.(stats.parts, bytes);
    });
    const res = await post<PushResult & { value?: PushResult }>(JSON.stringify({ operation: "complete", upload_id: uploadId, sequence_count: stats.parts }), false, "complete");
    return { warnings: res.warnings ?? res.value?.warnings ?? [], stats };
  }
}

/** A payload's JSON text that can be read again from any offset (lib/veza/spool.ts). */
export interface RereadableText {
  size: number;
  /** `reuse`: each piece may be overwritten by the next (the reader is done with it by then). */
  read(start: number, length: number, reuse?: boolean): Iterable<Buffer>;
}

/** Bytes of text per base64 string of a part: a multiple of 3, and small enough that the string (64 KB) is an
 * ordinary young object, not a large one with memory of its own to fault in and free for each. */
const BASE64_SLICE = 3 * 16 * 1024;

/**
 * One part's upload body, made as it is sent: the envelope around the base64 of `length` bytes of text from `start`,
 * encoded 48 KB at a time (3-byte aligned, so the pieces join into one base64 string).
 */
export function partBody(head: string, text: RereadableText, start: number, length: number): Pieces {
  const tail = '"}';
  return {
    length: Buffer.byteLength(head) + Math.ceil(length / 3) * 4 + tail.length,
    *pieces() {
      yield head;
      let carry: Buffer | undefined;
      // Each piece is turned into base64 before the next is read: one buffer serves them all.
      for (const piece of text.read(start, length, true)) {
        const bytes: Buffer = carry ? Buffer.concat([carry, piece]) : piece;
        const whole = bytes.length - (bytes.length % 3);
        for (let at = 0; at < whole; at += BASE64_SLICE) yield bytes.toString("base64", at, Math.min(whole, at + BASE64_SLICE));
        carry = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : undefined;
      }
      if (carry) yield carry.toString("base64");
      yield tail;
    },
  };
}

/**
 * Get-or-create by name, duplicate-free: when a creation fails without a clear answer (timeout, reset, 5xx), the
 * object may exist anyway, so look it up again before reporting the failure.
 */
export async function getOrCreate<T>(find: () => Promise<T | undefined>, create: () => Promise<T>): Promise<{ value: T; adopted: boolean }> {
  const existing = await find();
  if (existing) return { value: existing, adopted: true };
  try {
    return { value: await create(), adopted: false };
  } catch (e) {
    const unclear = isVezaApiError(e) && (e.status === undefined || e.status >= 500);
    if (unclear) {
      const created = await find();
      if (created) return { value: created, adopted: false };
    }
    throw e;
  }
}
