// zlib.crc32 is Node >= 20.15 / 22.2: package.json's engines ask for 20.19+ or 22.2+.
import { constants, crc32, deflateRawSync } from "node:zlib";

/** Bytes of text compressed per zlib call: larger blocks cost no more, smaller ones a few per cent. */
export const GZIP_BLOCK_BYTES = 1 << 20;
/** Deflate's window: how far back a match may reach, so how much of the text before a block it is given. */
const WINDOW_BYTES = 32 * 1024;

/**
 * Gzip of a text written piece by piece, made synchronously as it is written: one gzip member (RFC 1952) whose deflate
 * stream is cut into blocks of GZIP_BLOCK_BYTES, each compressed by its own zlib call with the previous 32 KB as preset
 * dictionary and ended with a sync flush, so matches reach back across blocks as in one stream (the technique of
 * pigz, which zlib's deflateSetDictionary documents). The output is within a few hundred bytes of one zlib stream at
 * the same level, and any gunzip reads it.
 *
 * Why not a zlib stream (createGzip): it compresses on the thread pool, only while the event loop turns, and keeps
 * every piece written until then; the payload is written by a synchronous loop, from one reused buffer.
 */
export class BlockGzip {
  private readonly block: Buffer;
  private used = 0;
  private readonly window = Buffer.allocUnsafe(WINDOW_BYTES);
  private windowBytes = 0;
  private crc = 0;
  private readonly out: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])];
  /** Bytes of text written. */
  size = 0;
  private finished?: Buffer;

  constructor(
    private readonly level = 9,
    blockBytes = GZIP_BLOCK_BYTES,
  ) {
    this.block = Buffer.allocUnsafe(blockBytes);
  }

  /** Adds text; `bytes` may be reused by the caller afterwards. */
  write(bytes: Buffer): void {
    if (this.finished) throw new Error("BlockGzip: written after finish()");
    // A block's worth from a caller that makes its own blocks: compressed where it is, not copied.
    if (this.used === 0 && bytes.length >= this.block.length / 2) {
      this.size += bytes.length;
      return this.compress(bytes, false);
    }
    this.size += bytes.length;
    for (let at = 0; at < bytes.length; ) {
      const n = bytes.copy(this.block, this.used, at);
      this.used += n;
      at += n;
      if (this.used === this.block.length) this.compress(this.block, false);
    }
  }

  /** The whole gzip (the same Buffer on every call). */
  finish(): Buffer {
    if (!this.finished) {
      this.compress(this.block.subarray(0, this.used), true);
      const trailer = Buffer.allocUnsafe(8);
      trailer.writeUInt32LE(this.crc >>> 0, 0);
      // ISIZE: the text's length modulo 2^32 (RFC 1952).
      trailer.writeUInt32LE(this.size % 0x100000000, 4);
      this.out.push(trailer);
      this.finished = Buffer.concat(this.out);
      this.out.length = 0;
    }
    return this.finished;
  }

  private compress(text: Buffer, last: boolean): void {
    const dictionary = this.windowBytes ? this.window.subarray(0, this.windowBytes) : undefined;
    this.out.push(deflateRawSync(text, { level: this.level, dictionary, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH }));
    this.crc = crc32(text, this.crc);
    // The window for the next block: the last 32 KB of the text so far.
    if (text.length >= WINDOW_BYTES) this.windowBytes = text.copy(this.window, 0, text.length - WINDOW_BYTES);
    else {
      const keep = Math.min(this.windowBytes, WINDOW_BYTES - text.length);
      this.window.copy(this.window, 0, this.windowBytes - keep, this.windowBytes);
      this.windowBytes = keep + text.copy(this.window, keep);
    }
    this.used = 0;
  }
}
