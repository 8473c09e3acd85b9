import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { StackFileError, readOfflineConfig, securePlaceholder } from "../lib/plan/stackFiles";

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-stack-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("stack files offline", () => {
  it("passes maps as JSON and scalars as strings, as the language host does", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\nruntime: nodejs\n",
      "Pulumi.dev.yaml": "config:\n  wfm-hris:customer: acme\n  wfm-hris:genesys:\n    region: us-east-1\n    actionTimeoutSeconds: 20\n",
    });
    expect(readOfflineConfig(dir, "dev").config).toEqual({
      "wfm-hris:customer": "acme",
      "wfm-hris:genesys": '{"region":"us-east-1","actionTimeoutSeconds":20}',
    });
  });

  it("replaces secure values by placeholders and lists them as secret keys", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.dev.yaml": "config:\n  wfm-hris:hrisApiKey:\n    secure: v1:abc\n  wfm-hris:hris:\n    token:\n      secure: v1:def\n",
    });
    const offline = readOfflineConfig(dir, "dev");
    expect(offline.config["wfm-hris:hrisApiKey"]).toBe(securePlaceholder("wfm-hris:hrisApiKey"));
    expect(JSON.parse(offline.config["wfm-hris:hris"])).toEqual({ token: securePlaceholder("wfm-hris:hris.token") });
    expect(offline.secretKeys).toEqual(["wfm-hris:hris", "wfm-hris:hrisApiKey"]);
  });

  it("applies project config defaults under the stack's values", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\nconfig:\n  customer:\n    default: fallback\n  region: eu-west-1\n",
      "Pulumi.dev.yaml": "config:\n  wfm-hris:customer: acme\n",
    });
    expect(readOfflineConfig(dir, "dev").config).toEqual({ "wfm-hris:customer": "acme", "wfm-hris:region": "eu-west-1" });
  });

  it("reports a stack file that is not valid YAML", () => {
    const dir = project({ "Pulumi.yaml": "name: wfm-hris\n", "Pulumi.dev.yaml": "config:\n  a: [1,\n" });
    expect(() => readOfflineConfig(dir, "dev")).toThrow(StackFileError);
    expect(() => readOfflineConfig(dir, "dev")).toThrow(/Pulumi\.dev\.yaml is not valid YAML/);
  });
});
