/** Deterministic seed data for the HRIS fakes: the same seed gives the same people on every run. */

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A name as the ASCII letters of an email address (accents dropped). */
const slug = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z]/g, "").toLowerCase();

/** `first.last`, with a two-digit suffix while it is taken; records it in `seen`. */
export function uniqueEmailLocal(firstName: string, lastName: string, seen: Set<string>, rand: () => number): string {
  let local = `${slug(firstName)}.${slug(lastName)}`;
  while (seen.has(local)) local = `${local}${Math.floor(rand() * 90 + 10)}`;
  seen.add(local);
  return local;
}
