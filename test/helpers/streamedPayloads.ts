/**
 * What the streaming-directory tests (vezaStream, personioStream, customHrisStream) share: a streamed payload compared
 * with the whole build, and os.tmpdir() redirected to a folder a test can list (the sync's private temporary files).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import type { BuildResult } from "../../lib/veza/directory";
import type { PreparedPayload } from "../../lib/veza/prepare";

/** A prepared payload's text, read back from its spool. */
export const textOf = (p: PreparedPayload) => Buffer.concat([...p.text.read()]).toString();

/** The streamed payload is byte for byte the whole build's, with its hash and warnings; the payload is disposed. */
export function expectSameAsWholeBuild(prepared: PreparedPayload, expected: BuildResult): void {
  try {
    expect(textOf(prepared)).toBe(JSON.stringify(expected.payload));
    expect(prepared.hash).toBe(createHash("sha256").update(JSON.stringify(expected.payload)).digest("hex"));
    expect(prepared.buildWarnings).toEqual(expected.warnings);
  } finally {
    prepared.dispose();
  }
}

/** Runs `body` with os.tmpdir() in a new folder under `parent`, which the test can list (restored afterwards). */
export async function inOwnTmpdir<T>(parent: string, body: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = fs.mkdtempSync(path.join(parent, "tmp-"));
  const was = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    return await body(tmp);
  } finally {
    if (was === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = was;
  }
}

/** Every file under a folder, as full paths. */
export const filesIn = (folder: string) =>
  fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => path.join(f.parentPath, f.name));
