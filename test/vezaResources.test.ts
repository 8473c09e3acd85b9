import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWireSecret, promiseOf, recordResources } from "./helpers/mocks";
import type { StackConfig } from "../lib/config/validate";

const registered = recordResources();
const { customProviderProvider, dataSourceProvider, pushProvider } = await import("../lib/veza/dynamicProviders");
const { VezaHrisProvider } = await import("../components/veza");
const { FakeVeza } = await import("./fakes/veza");
const { validConfig } = await import("./helpers/config");

const fake = new FakeVeza("veza-test-key");
let conn: { baseUrl: string; apiKey: string };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-veza-"));
beforeAll(async () => {
  conn = { baseUrl: await fake.start(), apiKey: "veza-test-key" };
});
afterAll(async () => {
  await fake.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
const payloadFile = (employees: number) => {
  const file = path.join(tmp, `p${employees}.json.gz`);
  const payload = {
    name: "Acme", hris_type: "BambooHR", custom_property_definition: { system_properties: {}, employee_properties: {}, group_properties: {} },
    system: { id: "s", name: "Acme", idp_providers: [] },
    employees: Array.from({ length: employees }, (_, i) => ({ id: `${i}`, name: `E${i}`, employee_number: `${i}`, first_name: "E", last_name: `${i}`, is_active: true, employment_status: "ACTIVE", email: `e${i}@acme.example` })),
    groups: [],
  };
  fs.writeFileSync(file, gzipSync(JSON.stringify(payload)));
  return file;
};

describe("Veza custom provider resource", () => {
  const inputs = () => ({ ...conn, name: "Lifecycle HRIS", template: "hris", provisioning: false });

  it("creates the provider when none has the name", async () => {
    const { id, outs } = await customProviderProvider.create!(inputs());
    expect(outs).toMatchObject({ adopted: false, name: "Lifecycle HRIS" });
    expect(fake.providers.get(id)).toMatchObject({ name: "Lifecycle HRIS", custom_template: "hris", provisioning: false });
  });

  it("adopts an existing provider of the same name instead of duplicating it", async () => {
    const { id, outs } = await customProviderProvider.create!(inputs());
    expect(outs!.adopted).toBe(true);
    expect([...fake.providers.values()].filter((p) => p.name === "Lifecycle HRIS").map((p) => p.id)).toEqual([id]);
  });

  it("sets the provisioning flag with PATCH when it differs", async () => {
    const { id } = await customProviderProvider.create!({ ...inputs(), provisioning: true });
    expect(fake.providers.get(id)!.provisioning).toBe(true);
    expect(fake.requests.at(-1)).toMatchObject({ method: "PATCH", path: `/api/v1/providers/custom/${id}` });
  });

  it("reports no change when nothing changed, an update for provisioning, a replacement for name or template", async () => {
    const olds = { ...inputs(), adopted: false };
    expect(await customProviderProvider.diff!("x", olds, inputs())).toMatchObject({ changes: false, replaces: [] });
    expect(await customProviderProvider.diff!("x", olds, { ...inputs(), provisioning: true })).toMatchObject({ changes: true, replaces: [] });
    expect(await customProviderProvider.diff!("x", olds, { ...inputs(), name: "Renamed" })).toMatchObject({ changes: true, replaces: ["name"] });
    expect(await customProviderProvider.diff!("x", olds, { ...inputs(), template: "application" })).toMatchObject({ replaces: ["template"] });
  });

  it("never replaces for connection settings: a URL differing by a slash or the default scheme is no change, a new key or URL an update", async () => {
    const olds = { ...inputs(), baseUrl: "https://acme.vezacloud.com", adopted: false };
    for (const baseUrl of ["https://acme.vezacloud.com/", "acme.vezacloud.com", "acme.vezacloud.com//"])
      expect(await customProviderProvider.diff!("x", olds, { ...olds, baseUrl })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await customProviderProvider.diff!("x", olds, { ...olds, apiKey: "rotated" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await customProviderProvider.diff!("x", olds, { ...olds, baseUrl: "https://other.vezacloud.com" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const ds = { ...conn, baseUrl: "https://acme.vezacloud.com", providerId: "p", name: "d", adopted: false };
    expect(await dataSourceProvider.diff!("d", ds, { ...ds, baseUrl: "https://acme.vezacloud.com/" })).toMatchObject({ changes: false, replaces: [] });
    const push = { ...ds, dataSourceId: "d", payloadHash: "h", payloadFile: "f", employeeCount: 0, groupCount: 0, warnings: [] };
    expect(await pushProvider.diff!("x", push, { ...push, baseUrl: "https://acme.vezacloud.com/" })).toMatchObject({ changes: false, replaces: [] });
  });

  it("replaces a renamed provider create-before-delete, but a same-name template change delete-before-replace", async () => {
    const olds = { ...inputs(), adopted: false };
    expect(await customProviderProvider.diff!("x", olds, { ...inputs(), name: "Renamed" })).toMatchObject({ replaces: ["name"], deleteBeforeReplace: false });
    expect(await customProviderProvider.diff!("x", olds, { ...inputs(), name: "Renamed", template: "application" })).toMatchObject({ replaces: ["name", "template"], deleteBeforeReplace: false });
    expect(await customProviderProvider.diff!("x", olds, { ...inputs(), template: "application" })).toMatchObject({ replaces: ["template"], deleteBeforeReplace: true });
  });

  it("treats keepAdopted as an in-place update, and records it in state written before it existed", async () => {
    const olds = { ...inputs(), adopted: true, keepAdopted: true };
    expect(await customProviderProvider.diff!("x", olds, { ...inputs(), keepAdopted: false })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await customProviderProvider.diff!("x", { ...inputs(), adopted: true }, { ...inputs(), keepAdopted: true })).toMatchObject({ changes: true, replaces: [] });
    const before = fake.requests.length;
    expect(await customProviderProvider.update!("x", olds, { ...inputs(), keepAdopted: false })).toEqual({ outs: { ...inputs(), keepAdopted: false, adopted: true } });
    expect(fake.requests.length).toBe(before);
  });

  it("leaves an adopted provider in Veza on delete unless keepAdopted is false", async () => {
    fake.providers.set("adopted-9", { id: "adopted-9", name: "Pre-existing", custom_template: "hris", state: "ENABLED", provisioning: false });
    const { id, outs } = await customProviderProvider.create!({ ...inputs(), name: "Pre-existing", keepAdopted: true });
    expect([id, outs!.adopted]).toEqual(["adopted-9", true]);
    await customProviderProvider.delete!(id, outs!);
    await customProviderProvider.delete!(id, { ...outs!, keepAdopted: undefined });
    expect(fake.providers.get(id)!.state).toBe("ENABLED");
    await customProviderProvider.delete!(id, { ...outs!, keepAdopted: false });
    expect(fake.providers.get(id)!.state).toBe("DELETING");
  });

  it("waits for a name still held by a provider being deleted before creating it again", async () => {
    const { id, outs } = await customProviderProvider.create!({ ...inputs(), name: "Recycled" });
    await customProviderProvider.delete!(id, outs!);
    const again = await customProviderProvider.create!({ ...inputs(), name: "Recycled" });
    expect(again.id).not.toBe(id);
    expect([again.outs!.adopted, fake.providers.get(again.id)!.state]).toEqual([false, "ENABLED"]);
  });

  it("updates provisioning in place", async () => {
    const { id, outs } = await customProviderProvider.create!(inputs());
    await customProviderProvider.update!(id, outs!, { ...inputs(), provisioning: false });
    expect(fake.providers.get(id)!.provisioning).toBe(false);
  });

  it("refuses to adopt a provider of the same name with another template", async () => {
    await fake.providers.set("app-1", { id: "app-1", name: "Taken", custom_template: "application", state: "ENABLED", provisioning: false });
    await expect(customProviderProvider.create!({ ...inputs(), name: "Taken" })).rejects.toThrow(/already has a custom provider named "Taken" \(app-1\) with template application/);
  });

  it("deletes, tolerating a provider already deleting or gone", async () => {
    const { id, outs } = await customProviderProvider.create!({ ...inputs(), name: "Short-lived" });
    await customProviderProvider.delete!(id, outs!);
    await customProviderProvider.delete!(id, outs!); // DELETING
    await customProviderProvider.delete!("00000000-0000-0000-0000-000000000000", outs!); // 404
    fake.providers.delete(id);
    await customProviderProvider.delete!(id, outs!);
  });
});

describe("Veza data source and push resources", () => {
  let providerId: string;
  beforeAll(async () => {
    providerId = (await customProviderProvider.create!({ ...conn, name: "Push HRIS", template: "hris", provisioning: false })).id;
  });

  it("gets or creates the data source by name", async () => {
    const first = await dataSourceProvider.create!({ ...conn, providerId, name: "Push HRIS - acme" });
    const again = await dataSourceProvider.create!({ ...conn, providerId, name: "Push HRIS - acme" });
    expect([first.outs!.adopted, again.outs!.adopted, again.id]).toEqual([false, true, first.id]);
    expect(await dataSourceProvider.diff!(first.id, first.outs!, { ...conn, providerId, name: "Other" })).toMatchObject({ replaces: ["name"] });
  });

  it("pushes on create, again only when the payload hash changes, and exposes Veza's warnings", async () => {
    const ds = await dataSourceProvider.create!({ ...conn, providerId, name: "Push HRIS - acme" });
    const inputs = { ...conn, providerId, dataSourceId: ds.id, payloadHash: "aaa", payloadFile: payloadFile(3), employeeCount: 3, groupCount: 0 };
    const created = await pushProvider.create!(inputs);
    expect(created.outs!.warnings).toEqual([]);
    expect(fake.dataSources.get(ds.id)!.pushes).toBe(1);
    expect(await pushProvider.diff!(created.id, created.outs!, inputs)).toMatchObject({ changes: false });
    const next = { ...inputs, payloadHash: "bbb", payloadFile: payloadFile(5), employeeCount: 5 };
    expect(await pushProvider.diff!(created.id, created.outs!, next)).toMatchObject({ changes: true, replaces: [] });
    await pushProvider.update!(created.id, created.outs!, next);
    expect(fake.dataSources.get(ds.id)!.pushes).toBe(2);
    await pushProvider.update!(created.id, created.outs!, { ...inputs, apiKey: conn.apiKey });
    expect(fake.dataSources.get(ds.id)!.pushes).toBe(2);
  });

  it("fails clearly when the payload file of this run is missing", async () => {
    await expect(pushProvider.create!({ ...conn, providerId, dataSourceId: "d", payloadHash: "c", payloadFile: path.join(tmp, "gone.json.gz"), employeeCount: 0, groupCount: 0 })).rejects.toThrow(
      /is missing: it is written while the program runs/,
    );
  });
});

describe("VezaHrisProvider component", () => {
  // What index.ts maps a stack's veza section to.
  const vezaArgs = (veza: NonNullable<StackConfig["veza"]>) => ({ providerName: veza.providerName, dataSourceName: veza.dataSourceName, provisioning: veza.provisioning, keepAdopted: veza.keepAdopted });

  it("creates the provider, data source and push, the API key secret in each", async () => {
    const config = validConfig({ values: { veza: { url: "https://acme.vezacloud.com", provisioning: true } }, secrets: ["hrisApiKey", "genesysOauthClientSecret", "vezaApiKey"] });
    const component = new VezaHrisProvider("acme-veza", {
      ...vezaArgs(config.veza!),
      connection: { url: config.veza!.url, apiKey: pulumi.secret("CANARY-veza-key") },
      payload: { hash: "abc", employeeCount: 3, groupCount: 1, file: ".wfm-hris/veza/dev-abc.json.gz" },
    });
    await promiseOf(component.payloadHash);
    const mine = registered.filter((r) => r.name.startsWith("acme-veza-"));
    expect(mine.map((r) => [r.type, r.name])).toEqual([
      ["pulumi-nodejs:dynamic/veza:CustomProvider", "acme-veza-provider"],
      ["pulumi-nodejs:dynamic/veza:DataSource", "acme-veza-datasource"],
      ["pulumi-nodejs:dynamic/veza:Push", "acme-veza-push"],
    ]);
    for (const r of mine) expect(isWireSecret(r.inputs.apiKey)).toBe(true);
    expect(mine[0].inputs).toMatchObject({ name: "acme-dev BambooHR", template: "hris", provisioning: true, baseUrl: "https://acme.vezacloud.com", keepAdopted: true });
    expect(mine[1].inputs).toMatchObject({ keepAdopted: true });
    expect(mine[2].inputs).toMatchObject({ payloadHash: "abc", employeeCount: 3, payloadFile: ".wfm-hris/veza/dev-abc.json.gz" });
    // The key appears nowhere but inside the secret-wrapped apiKey inputs.
    expect(JSON.stringify(mine.map((r) => ({ ...r.inputs, apiKey: undefined })))).not.toContain("CANARY-veza-key");
  });

  it("passes veza.keepAdopted false to the provider and the data source", async () => {
    const config = validConfig({ values: { veza: { url: "https://acme.vezacloud.com", keepAdopted: false } }, secrets: ["hrisApiKey", "genesysOauthClientSecret", "vezaApiKey"] });
    const component = new VezaHrisProvider("letgo-veza", { ...vezaArgs(config.veza!), connection: { url: config.veza!.url, apiKey: pulumi.secret("k") }, payload: { hash: "abc", employeeCount: 0, groupCount: 0, file: "f" } });
    await promiseOf(component.payloadHash);
    const mine = registered.filter((r) => r.name.startsWith("letgo-veza-"));
    expect(mine.map((r) => [r.name, r.inputs.keepAdopted])).toEqual([
      ["letgo-veza-provider", false],
      ["letgo-veza-datasource", false],
      ["letgo-veza-push", undefined],
    ]);
  });
});
