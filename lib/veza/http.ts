/**
 * A request body sent in pieces, read when sent (and read again for a retry): a multipart part's ~67 MB of base64 is
 * made 3 MB at a time from the payload's spool instead of being built as one string.
 */
export interface PiecesBody {
  /** Bytes in all, sent as Content-Length. */
  length: number;
  pieces(): Iterable<Buffer | string>;
}

const NOT_ASCII = /[^\x00-\x7f]/;

export const isPiecesBody = (b: unknown): b is PiecesBody => typeof b === "object" && b !== null && typeof (b as PiecesBody).pieces === "function";

/** The body's bytes in one buffer, for a fetch that cannot take pieces. */
export function joinPieces(body: PiecesBody): Buffer {
  return Buffer.concat([...body.pieces()].map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)), body.length);
}

/**
 * The subset of fetch the Veza client uses, on node:http/https: what `veza:sync` sends with. It loads in a fraction
 * of fetch's start-up (undici), and writes a PiecesBody as it is read, with backpressure. Errors look like fetch's
 * where the client reads them: a timeout rejects with the signal's reason (a TimeoutError), a network failure with
 * the socket error as `cause`.
 */
export async function httpFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer | PiecesBody; signal?: AbortSignal },
): Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }> {
  const target = new URL(url);
  const lib = (target.protocol === "https:" ? require("node:https") : require("node:http")) as typeof import("node:http");
  const body = init.body;
  // A string body of ASCII only (a `:push` is mostly base64) is sent as one byte a character, measured by its length.
  const encoding: BufferEncoding = typeof body === "string" && !NOT_ASCII.test(body) ? "latin1" : "utf8";
  const length = body === undefined ? 0 : isPiecesBody(body) ? body.length : typeof body === "string" && encoding === "latin1" ? body.length : Buffer.byteLength(body);
  const headers: Record<string, string | number> = { ...init.headers, ...(body === undefined ? {} : { "Content-Length": length }) };
  return new Promise((resolve, reject) => {
    const signal = init.signal;
    if (signal?.aborted) return reject(signal.reason);
    const req = lib.request(target, { method: init.method ?? "GET", headers });
    const onAbort = () => req.destroy(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    req.on("error", (e) => {
      done();
      reject(signal?.aborted ? signal.reason : Object.assign(new Error("fetch failed"), { cause: e }));
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (e) => {
        done();
        reject(signal?.aborted ? signal.reason : Object.assign(new Error("fetch failed"), { cause: e }));
      });
      res.on("end", () => {
        done();
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          headers: { get: (name: string) => (([] as string[]).concat(res.headers[name.toLowerCase()] ?? [])[0] ?? null) },
          text: async () => text,
        });
      });
    });
    if (body === undefined) req.end();
    else if (typeof body === "string") req.end(body, encoding);
    else if (!isPiecesBody(body)) req.end(body);
    else {
      const pieces = body.pieces()[Symbol.iterator]();
      // Writes until the socket's buffer is full, then again when it drains: one piece in memory at a time.
      const pump = () => {
        try {
          for (;;) {
            const next = pieces.next();
            if (next.done) return void req.end();
            // ASCII text (base64, the envelopes) is written as it is stored, one byte a character: Node 20's UTF-8
            // encoder is several times slower, and a part is ~67 MB of it.
            const piece = next.value;
            const written = typeof piece === "string" && !NOT_ASCII.test(piece) ? req.write(piece, "latin1") : req.write(piece);
            if (!written) return void req.once("drain", pump);
          }
        } catch (e) {
          req.destroy(e as Error);
        }
      };
      pump();
    }
  });
}

/** Tells the Veza client it may hand this fetch a PiecesBody as it is. */
(httpFetch as { takesPieces?: boolean }).takesPieces = true;
