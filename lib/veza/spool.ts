import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Bytes kept in memory before the spool moves to a file. Small: on the 2-core reference VM, a MB of fresh process
 * memory costs ~3.5 ms of CPU in page faults, the same MB written to a temporary file ~0.3 ms (the page cache), and
 * the text is read back at most a few times (parts of a multipart push, a retry).
 */
export const SPOOL_MEMORY_BYTES = 1024 * 1024;
/** Bytes per piece read from the file: a multiple of 3, so a part's base64 is made from each piece without carrying bytes over. */
const READ_CHUNK = 3 << 18;

/**
 * Bytes written once, in order, then read as many times as needed (a push that is retried, a gzip then a push): in
 * memory while small, in a temporary file past its memory size (removed by dispose, or when the process exits), so a
 * payload of any size costs constant memory.
 */
export class Spool {
  private chunks: Buffer[] = [];
  private fd?: number;
  private file?: string;
  size = 0;

  constructor(private readonly memoryBytes = SPOOL_MEMORY_BYTES) {}

  /** Appends bytes (copied: the caller may reuse a Buffer it passes). */
  write(text: string | Buffer): void {
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    this.size += bytes.length;
    if (this.fd !== undefined) {
      fs.writeSync(this.fd, bytes);
      return;
    }
    this.chunks.push(typeof text === "string" ? bytes : Buffer.from(bytes));
    if (this.size > this.memoryBytes) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-veza-"));
      this.file = path.join(dir, "payload.json");
      this.fd = fs.openSync(this.file, "w+", 0o600);
      process.once("exit", this.removeOnExit);
      for (const c of this.chunks) fs.writeSync(this.fd, c);
      this.chunks = [];
    }
  }

  /**
   * The bytes from `start`, `length` of them, in pieces of at most 768 KB. `reuse`: the pieces from the file are read
   * into one buffer, each valid until the next is asked for (for a reader that is done with a piece by then).
   */
  *read(start = 0, length = this.size - start, reuse = false): Generator<Buffer> {
    const end = Math.min(this.size, start + length);
    if (this.fd === undefined) {
      let at = 0;
      for (const c of this.chunks) {
        const from = Math.max(start, at);
        const to = Math.min(end, at + c.length);
        if (from < to) yield c.subarray(from - at, to - at);
        at += c.length;
        if (at >= end) return;
      }
      return;
    }
    let shared: Buffer | undefined;
    for (let at = start; at < end; ) {
      const want = Math.min(READ_CHUNK, end - at);
      const buf = reuse ? (shared ??= Buffer.allocUnsafe(want)).subarray(0, want) : Buffer.allocUnsafe(want);
      const n = fs.readSync(this.fd, buf, 0, buf.length, at);
      if (n <= 0) throw new Error(`the payload spool ${this.file} ended early`);
      at += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  }

  /** Whether the bytes are in a file. */
  get onDisk(): boolean {
    return this.fd !== undefined;
  }

  private readonly removeOnExit = () => this.dispose();

  dispose(): void {
    this.chunks = [];
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
      // The one file, then its folder (fs.rmSync's recursive walk costs more than both); gone already is fine.
      for (const remove of [() => fs.unlinkSync(this.file!), () => fs.rmdirSync(path.dirname(this.file!))])
        try {
          remove();
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        }
      process.removeListener("exit", this.removeOnExit);
    }
  }
}
