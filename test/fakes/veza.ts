import * as http from "node:http";
import { LoopbackServer } from "../../lib/fakes/loopbackServer";
import { randomUUID } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { HrisPayload, PayloadValidationError, validateHrisPayload } from "../../lib/veza/payload";

/**
 * A fake Veza tenant on 127.0.0.1 with the OAA custom provider API as documented (reference/veza-oaa.md §1, §7):
 * bearer API key (401 otherwise), `{value}` / `{values, has_more, next_page_token}` envelopes, `filter=name eq "…"`,
 * duplicate provider names rejected with 400 InvalidArgument and a field violation, NotFound bodies, provisioning
 * PATCH, data sources, `:push` taking `json_data` as a JSON string (gzip + base64 when compression_type is GZIP)
 * and answering with `warnings`, multipart uploads (`:parts` start / upload / complete), 413 over 100 MB, asynchronous deletes (DELETING for a few reads; a provider being
 * deleted still holds its name), and fault injection: any status with its error code (429 with Retry-After, 403,
 * 5xx), the duplicate-name answer, connection resets and slow answers.
 */

interface Provider {
  id: string;
  name: string;
  custom_template: string;
  state: string;
  provisioning: boolean;
  deletingReads?: number;
}
interface DataSource {
  id: string;
  name: string;
  providerId: string;
  status: string;
  deletingReads?: number;
  lastPayload?: HrisPayload;
  /** The JSON text of the last push or completed multipart upload, as Veza received it. */
  lastJson?: string;
  pushes: number;
}

/** An open multipart upload (`:parts`): its parts by sequence number. */
interface Upload {
  dataSourceId: string;
  parts: Map<number, Buffer>;
}

export type Fault =
  | { kind: "status"; status: number; retryAfter?: number }
  /** Veza's documented answer to a taken provider name (400 InvalidArgument, field violation on `name`, §1.1). */
  | { kind: "duplicate" }
  | { kind: "reset" }
  | { kind: "slow"; ms: number };

/**
 * The error `code` per HTTP status. 400/401/404/500 are seen in oaaclient's tests (reference/veza-oaa.md §2); the others
 * follow the gRPC-gateway mapping Veza's error bodies come from (PermissionDenied ↔ 403, ResourceExhausted ↔ 429,
 * Unavailable ↔ 503), which Veza does not document.
 */
const CODES: Record<number, [string, string]> = {
  400: ["InvalidArgument", "Invalid Arguments"],
  401: ["Unauthenticated", "Unauthorized"],
  403: ["PermissionDenied", "Forbidden"],
  404: ["NotFound", "Not Found"],
  429: ["ResourceExhausted", "Too many requests"],
  503: ["Unavailable", "Service unavailable"],
};

export const MAX_BODY = 100_000_000;

export class FakeVeza extends LoopbackServer {
  readonly apiKey: string;
  readonly providers = new Map<string, Provider>();
  readonly dataSources = new Map<string, DataSource>();
  readonly requests: { method: string; path: string; bodyBytes: number }[] = [];
  /** Faults applied to the next requests, in order; `match` limits one to a method or path part. */
  private faults: { fault: Fault; match?: string }[] = [];
  /** Faults applied after the request was processed (the server did the work, the client never hears). */
  private lostAnswers: string[] = [];
  /** Open multipart uploads by upload_id. */
  readonly uploads = new Map<string, Upload>();
  pageSize = 2;
  deletingReads = 2;
  /** Keep each data source's last payload (parsed and as text); the benchmark turns it off for very large ones. */
  keepPayloads = true;

  constructor(apiKey = "veza-test-key") {
    super();
    this.apiKey = apiKey;
  }

  /** Queue a fault for the next request (optionally only one whose "METHOD path" contains `match`). */
  inject(fault: Fault, match?: string): void {
    this.faults.push({ fault, match });
  }

  /** Process the next request matching `match` but reset the connection instead of answering. */
  loseAnswer(match: string): void {
    this.lostAnswers.push(match);
  }

  private errorBody(code: string, message: string, details: unknown[] = []) {
    return { code, message, request_id: randomUUID(), timestamp: new Date(0).toISOString(), details };
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const key = `${req.method} ${url.pathname}`;
    const faultAt = this.faults.findIndex((f) => !f.match || key.includes(f.match));
    const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0].fault : undefined;
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.ms));
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY) {
      res.writeHead(413, { "Content-Type": "application/json", Connection: "close" });
      res.end(JSON.stringify(this.errorBody("ResourceExhausted", "Request body too large")));
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413, { "Content-Type": "application/json", Connection: "close" });
        res.end(JSON.stringify(this.errorBody("ResourceExhausted", "Request body too large")));
        req.socket.destroy();
        return;
      }
      chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks).toString("utf8");
    this.requests.push({ method: req.method ?? "GET", path: `${url.pathname}${url.search}`, bodyBytes: size });
    if (fault?.kind === "status") {
      res.writeHead(fault.status, { "Content-Type": "application/json", ...(fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {}) });
      const [code, message] = CODES[fault.status] ?? ["Internal", "Internal error"];
      res.end(JSON.stringify(this.errorBody(code, message)));
      return;
    }
    if (fault?.kind === "duplicate") {
      const [status, payload] = this.invalid("name", "Provider with the same name already exists");
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(payload));
      return;
    }
    const [status, payload] = this.route(req, url, body);
    const lostAt = this.lostAnswers.findIndex((m) => key.includes(m));
    if (lostAt >= 0) {
      this.lostAnswers.splice(lostAt, 1);
      req.socket.destroy();
      return;
    }
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(payload));
  }

  private notFound(resource: string, id: string): [number, unknown] {
    return [
      404,
      this.errorBody("NotFound", "Not Found", [
        { "@type": "type.googleapis.com/errorstatus.v1.ResourceInfo", resource_type: resource, resource: id },
        { "@type": "type.googleapis.com/errorstatus.v1.UserFacingErrorInfo", reason: "NOT_FOUND", metadata: {}, message: "Requested resource was not found.", resolution: "" },
      ]),
    ];
  }

  private invalid(field: string, description: string): [number, unknown] {
    return [
      400,
      this.errorBody("InvalidArgument", "Invalid Arguments", [
        { "@type": "type.googleapis.com/google.rpc.BadRequest", field_violations: [{ field, description }] },
        { "@type": "type.googleapis.com/errorstatus.v1.UserFacingErrorInfo", reason: "INVALID_ARGUMENTS", metadata: {}, message: "Request includes invalid arguments.", resolution: "Reference error details for the exact field violations." },
      ]),
    ];
  }

  /** Objects being deleted stay visible as DELETING for a few reads, then disappear. */
  private visible<T extends { state?: string; status?: string; deletingReads?: number }>(items: Map<string, T>): [string, T][] {
    for (const [id, item] of [...items]) {
      if (item.deletingReads !== undefined && item.deletingReads-- <= 0) items.delete(id);
    }
    return [...items];
  }

  private page<T>(all: T[], url: URL): [number, unknown] {
    const size = Math.min(Number(url.searchParams.get("page_size") ?? 250), this.pageSize);
    const start = Number(url.searchParams.get("page_token") ?? 0);
    const values = all.slice(start, start + size);
    const more = start + size < all.length;
    return [200, { values, has_more: more, ...(more ? { next_page_token: String(start + size) } : {}) }];
  }

  private nameFilter(url: URL): string | undefined {
    const filter = url.searchParams.get("filter");
    if (!filter) return undefined;
    const m = /^name eq "(.*)"$/.exec(filter);
    return m ? m[1].replace(/\\"/g, '"') : "\u0000invalid filter";
  }

  private providerView(p: Provider) {
    return { id: p.id, name: p.name, custom_template: p.custom_template, state: p.state, provisioning: p.provisioning, application_types: [], resource_types: [], idp_types: [] };
  }

  private route(req: http.IncomingMessage, url: URL, body: string): [number, unknown] {
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) return [401, this.errorBody("Unauthenticated", "Unauthorized")];
    const json = () => {
      try {
        return JSON.parse(body);
      } catch {
        return undefined;
      }
    };
    const path = url.pathname;
    // Not Veza's: what the fake received (method, path, body size), for the benchmark's side-by-side comparison.
    if (path === "/_fake/requests" && req.method === "GET") return [200, { values: this.requests }];
    if (path === "/api/v1/providers/custom/templates" && req.method === "GET") return [200, { values: [{ name: "application" }, { name: "identity_provider" }, { name: "hris" }] }];
    if (path === "/api/v1/providers/custom") {
      if (req.method === "GET") {
        const name = this.nameFilter(url);
        const all = this.visible(this.providers).map(([, p]) => p).filter((p) => name === undefined || p.name === name);
        return this.page(all.map((p) => this.providerView(p)), url);
      }
      if (req.method === "POST") {
        const b = json();
        if (!b?.name) return this.invalid("name", "name is required");
        if (!["application", "identity_provider", "hris"].includes(b.custom_template)) return this.invalid("custom_template", `unknown template ${b.custom_template}`);
        if ([...this.providers.values()].some((p) => p.name === b.name)) return this.invalid("name", "Provider with the same name already exists");
        const p: Provider = { id: randomUUID(), name: b.name, custom_template: b.custom_template, state: "ENABLED", provisioning: b.provisioning === true };
        this.providers.set(p.id, p);
        return [200, { value: this.providerView(p) }];
      }
    }
    let m = /^\/api\/v1\/providers\/custom\/([^/:]+)$/.exec(path);
    if (m) {
      this.visible(this.providers);
      const p = this.providers.get(m[1]);
      if (!p) return this.notFound("provider", m[1]);
      if (req.method === "GET") return [200, { value: this.providerView(p) }];
      if (req.method === "PATCH") {
        const b = json();
        if (typeof b?.provisioning !== "boolean") return this.invalid("provisioning", "must be a boolean");
        p.provisioning = b.provisioning;
        return [200, { value: this.providerView(p) }];
      }
      if (req.method === "DELETE") {
        if (p.state !== "DELETING") {
          p.state = "DELETING";
          p.deletingReads = this.deletingReads;
          for (const d of this.dataSources.values()) if (d.providerId === p.id) this.dataSources.delete(d.id);
        }
        return [200, {}];
      }
    }
    m = /^\/api\/v1\/providers\/custom\/([^/]+)\/datasources$/.exec(path);
    if (m) {
      const p = this.providers.get(m[1]);
      if (!p || p.state === "DELETING") return this.notFound("provider", m[1]);
      if (req.method === "GET") {
        const name = this.nameFilter(url);
        const all = this.visible(this.dataSources).map(([, d]) => d).filter((d) => d.providerId === p.id && (name === undefined || d.name === name));
        return this.page(all.map(({ id, name: n, status }) => ({ id, name: n, status })), url);
      }
      if (req.method === "POST") {
        const b = json();
        if (!b?.name) return this.invalid("name", "name is required");
        const d: DataSource = { id: randomUUID(), name: b.name, providerId: p.id, status: "PENDING", pushes: 0 };
        this.dataSources.set(d.id, d);
        return [200, { value: { id: d.id, name: d.name } }];
      }
    }
    m = /^\/api\/v1\/providers\/custom\/([^/]+)\/datasources\/([^/:]+)(:push|:parts)?$/.exec(path);
    if (m) {
      this.visible(this.dataSources);
      const d = this.dataSources.get(m[2]);
      if (!d || d.providerId !== m[1]) return this.notFound("datasource", m[2]);
      if (m[3] === ":push" && req.method === "POST") return this.push(d, json());
      if (m[3] === ":parts" && req.method === "POST") return this.parts(d, json());
      if (req.method === "GET") return [200, { value: { id: d.id, name: d.name, status: d.status } }];
      if (req.method === "DELETE") {
        d.status = "DELETING";
        d.deletingReads = this.deletingReads;
        return [200, {}];
      }
    }
    return this.notFound("route", path);
  }

  private push(d: DataSource, b: Record<string, unknown> | undefined): [number, unknown] {
    if (!b) return this.invalid("body", "the body is not JSON");
    if (typeof b.json_data !== "string") return this.invalid("json_data", "json_data must be a string holding the JSON payload");
    let text = b.json_data;
    if (b.compression_type === "GZIP") {
      try {
        text = gunzipSync(Buffer.from(text, "base64")).toString("utf8");
      } catch {
        return this.invalid("json_data", "json_data is not base64-encoded gzip");
      }
    } else if (b.compression_type !== undefined && b.compression_type !== "none") return this.invalid("compression_type", "only GZIP is supported");
    return this.accept(d, text);
  }

  /**
   * Multipart upload, as oaaclient >= 1.1.14 drives it (reference/veza-oaa.md §1.7): `start` opens an upload and
   * answers its `upload_id`; `upload` stores part `sequence_number` (1, 2, …; `data` is base64 of raw JSON bytes, no
   * compression; the same number again replaces the part); `complete` checks that parts 1..`sequence_count` are all
   * there, joins them and processes the text as a `:push`, answering as one. Every request is under the 100 MB body
   * limit like any other. Veza does not document its errors for this operation: these follow its other 400/404
   * answers (InvalidArgument with a field violation, NotFound naming the resource) [inferred].
   */
  private parts(d: DataSource, b: Record<string, unknown> | undefined): [number, unknown] {
    if (!b) return this.invalid("body", "the body is not JSON");
    if (b.operation === "start") {
      const id = randomUUID();
      this.uploads.set(id, { dataSourceId: d.id, parts: new Map() });
      return [200, { upload_id: id }];
    }
    if (b.operation !== "upload" && b.operation !== "complete") return this.invalid("operation", "operation must be start, upload or complete");
    if (typeof b.upload_id !== "string" || !b.upload_id) return this.invalid("upload_id", "upload_id is required");
    const upload = this.uploads.get(b.upload_id);
    if (!upload || upload.dataSourceId !== d.id) return this.notFound("upload", b.upload_id);
    if (b.operation === "upload") {
      const n = b.sequence_number;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 1) return this.invalid("sequence_number", "sequence_number must be an integer from 1");
      if (typeof b.data !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(b.data) || b.data.length % 4 !== 0) return this.invalid("data", "data must be the part's bytes, base64-encoded");
      upload.parts.set(n, Buffer.from(b.data, "base64"));
      return [200, {}];
    }
    const count = b.sequence_count;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) return this.invalid("sequence_count", "sequence_count must be the number of parts uploaded");
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !upload.parts.has(i));
    if (missing.length || upload.parts.size !== count)
      return this.invalid("sequence_count", `sequence_count is ${count} but parts ${[...upload.parts.keys()].sort((a, c) => a - c).join(", ") || "none"} were uploaded`);
    this.uploads.delete(b.upload_id);
    const text = Buffer.concat(Array.from({ length: count }, (_, i) => upload.parts.get(i + 1)!)).toString("utf8");
    upload.parts.clear();
    return this.accept(d, text);
  }

  /** Parses a payload's JSON text and answers with the push's warnings; validates it after answering. */
  private accept(d: DataSource, text: string): [number, unknown] {
    let payload: { employees?: unknown; groups?: unknown; name?: unknown };
    try {
      payload = JSON.parse(text);
    } catch {
      return this.invalid("json_data", "json_data is not valid JSON");
    }
    if (!payload || typeof payload !== "object" || !Array.isArray(payload.employees) || !Array.isArray(payload.groups))
      return this.invalid("json_data", "the payload needs employees and groups lists");
    d.pushes++;
    d.status = "PROCESSING";
    d.lastJson = this.keepPayloads ? text : undefined;
    // Veza parses the payload after answering: the data source's status turns to SUCCESS or a failure later.
    setImmediate(() => {
      try {
        const valid = validateHrisPayload(payload);
        d.lastPayload = this.keepPayloads ? valid : undefined;
        d.status = "SUCCESS";
      } catch (e) {
        const issue = (e as PayloadValidationError).issues?.[0];
        d.status = `FAILED: ${issue ? `${issue.path}: ${issue.problem}` : String(e)}`;
      }
    });
    // Warnings (non-fatal) come back at once: employees that cannot be linked to an identity.
    const unlinked = (payload.employees as Record<string, unknown>[]).filter((e) => !e?.idp_id && !e?.email).slice(0, 20);
    return [200, { warnings: unlinked.map((e) => ({ message: `Cannot find identity by names for employee ${String(e?.id)}` })) }];
  }
}
