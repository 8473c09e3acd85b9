/**
 * The first index of each value seen, keyed by a 53-bit hash of the value instead of the value: 12 bytes a value
 * (at most twice that while the table grows) where a Map of strings costs ~100 for an email, so a million employees'
 * ids, numbers and emails take ~50 MB instead of ~300 MB. A hash says only "maybe seen": callers confirm a hit
 * against the value itself (StreamingPayloadChecker keeps the ids, and reads numbers and emails back from the
 * payload for the few hits), so the answers are exact.
 */
export class HashIndex {
  private keys: Float64Array;
  private values: Int32Array;
  private count = 0;

  /** `expected`: about how many values will be stored (sized for it, the table does not have to grow). */
  constructor(expected = 0) {
    let size = 1 << 12;
    while (size < expected * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.values = new Int32Array(size).fill(-1);
  }

  /** The index stored for this hash, or -1. */
  get(hash: number): number {
    const mask = this.keys.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const v = this.values[slot];
      if (v < 0) return -1;
      if (this.keys[slot] === hash) return v;
    }
  }

  /** The index stored for this hash; when there is none, stores `index` and answers -1 (one probe for both). */
  add(hash: number, index: number): number {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = hash & mask;
    for (; this.values[slot] >= 0; slot = (slot + 1) & mask) if (this.keys[slot] === hash) return this.values[slot];
    this.keys[slot] = hash;
    this.values[slot] = index;
    this.count++;
    return -1;
  }

  /** Stores an index for a hash not yet stored. */
  set(hash: number, index: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = hash & mask;
    while (this.values[slot] >= 0) slot = (slot + 1) & mask;
    this.keys[slot] = hash;
    this.values[slot] = index;
    this.count++;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2).fill(-1);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (values[i] >= 0) this.set(keys[i], values[i]);
  }
}

/** A 53-bit hash of a string (two 32-bit FNV-1a lanes with different seeds), exact as a double. */
export function stringHash(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) + (b & 0x1fffff) * 0x100000000;
}
