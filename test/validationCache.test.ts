/**
 * lib/config/validationCache.ts: the compiled tools keep a config that passed validation for their next start, found
 * by everything the result depends on; a hit gives exactly what validation gives, anything else validates again.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, validateStackConfig } from "../lib/config/validate";
import { PROJECT_ROOT } from "../lib/paths";
import { rawConfig } from "./helpers/config";
import { thrownBy } from "./helpers/rejection";

/** What tools/run.cjs hands the compiled code when its start-up cache is on. */
const STARTUP_CACHE = Symbol.for("wfm-hris.startupCache");
const globals = globalThis as { [STARTUP_CACHE]?: { dir: string; sources: string; root: string } };

/** Turns the cache on in a fresh folder, as tools/run.cjs does, for dist/ built from `sources`. */
function cacheOn(sources = "sources-1"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-config-cache-"));
  globals[STARTUP_CACHE] = { dir, sources, root: PROJECT_ROOT };
  return dir;
}
const entries = (dir: string) => (fs.existsSync(path.join(dir, "config")) ? fs.readdirSync(path.join(dir, "config")) : []);

afterEach(() => {
  delete globals[STARTUP_CACHE];
});

describe("validated configs kept for the next start (lib/config/validationCache.ts)", () => {
  it("keeps nothing unless tools/run.cjs turned it on (pulumi up, the tests, the library)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-config-cache-"));
    validateStackConfig(rawConfig(), "dev");
    expect(entries(dir)).toEqual([]);
  });

  it("gives back what validation gave, a setting resolved to undefined included", () => {
    const dir = cacheOn();
    const first = validateStackConfig(rawConfig(), "dev");
    expect(entries(dir)).toHaveLength(1);
    const again = validateStackConfig(rawConfig(), "dev");
    expect(again).toStrictEqual(first);
    expect(Object.keys(again)).toEqual(Object.keys(first));
    expect("veza" in again && again.veza === undefined).toBe(true);
  });

  it("answers the next validation of the same config from the kept entry", () => {
    const dir = cacheOn();
    validateStackConfig(rawConfig(), "dev");
    // An entry edited on disk is what comes back: the proof that the second validation did not run.
    const file = path.join(dir, "config", entries(dir)[0]);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"customer":"acme-dev"', '"customer":"from-the-cache"'));
    expect(validateStackConfig(rawConfig(), "dev").customer).toBe("from-the-cache");
  });

  it("validates again when the config, the stack, the secrets set or the compiled sources differ", () => {
    const dir = cacheOn();
    validateStackConfig(rawConfig(), "dev");
    validateStackConfig(rawConfig({ values: { customer: "acme-prod" } }), "dev");
    validateStackConfig(rawConfig(), "prod");
    validateStackConfig(rawConfig({ secrets: ["hrisApiKey", "genesysOauthClientSecret", "vezaApiKey"] }), "dev");
    expect(entries(dir)).toHaveLength(4);
    globals[STARTUP_CACHE] = { dir, sources: "sources-2", root: PROJECT_ROOT };
    expect(validateStackConfig(rawConfig(), "dev").customer).toBe("acme-dev");
    expect(entries(dir)).toHaveLength(5);
  });

  it("never keeps a config that fails: its errors are worked out each time, the same", () => {
    const dir = cacheOn();
    const bad = rawConfig({ values: { customer: "Acme Corp" } });
    const first = thrownBy(() => validateStackConfig(bad, "dev"), ConfigError, "the config to be rejected");
    const second = thrownBy(() => validateStackConfig(bad, "dev"), ConfigError, "the config to be rejected");
    expect(second.message).toBe(first.message);
    expect(entries(dir)).toEqual([]);
  });

  it("never keeps a custom HRIS's config, whose validation reads the customer's folder", () => {
    const dir = cacheOn();
    const raw = rawConfig({ values: { hris: { kind: "custom", path: "examples/custom-hris", name: "contoso-hr", baseUrl: "https://hr.example.com" } } });
    try {
      validateStackConfig(raw, "dev");
    } catch {
      // whether this folder validates is not the point: nothing of it is kept either way
    }
    expect(entries(dir)).toEqual([]);
  });

  it("keeps neither a plain-text secret's value nor a key that depends on it", () => {
    const dir = cacheOn();
    const canary = "CANARY-hris-key-5f3a";
    const withSecret = (value: string) => rawConfig({ values: { hrisApiKey: value }, secrets: ["genesysOauthClientSecret"] });
    validateStackConfig(withSecret(canary), "dev");
    validateStackConfig(withSecret("another-value"), "dev");
    expect(entries(dir)).toHaveLength(1);
    const kept = fs.readFileSync(path.join(dir, "config", entries(dir)[0]), "utf8");
    expect(kept).not.toContain(canary);
    expect(kept).not.toContain(Buffer.from(canary).toString("base64"));
    expect(entries(dir)[0]).not.toContain(canary);
  });
});
