/**
 * The Veza dynamic providers as `pulumi up` runs them: serialised by the SDK's own closure serialiser in a process
 * started like the real program, loaded by the SDK's real dynamic-provider host in a fresh process, and driven over
 * gRPC in the engine's order against the fake Veza (test/helpers/dynamicProviderHost.ts says how and cites the SDK).
 * Error messages asserted here are the gRPC status details the engine receives and prints.
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamicProviderHost, HostError, Props, SERIALISED_API_KEY, serialiseDynamicProviders } from "./helpers/dynamicProviderHost";
import { FakeVeza } from "./fakes/veza";

const KEY = SERIALISED_API_KEY;
const WRONG_KEY = `CANARY-veza-key-wrong-${randomUUID()}`;
const fake = new FakeVeza(KEY);
/** Another tenant, for veza.url moves. */
const otherTenant = new FakeVeza(KEY);
let host: DynamicProviderHost;
let texts: Record<string, string>;
let secretInputs: number;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-veza-host-"));
const payloadFile = path.join(tmp, "payload.json.gz");

beforeAll(async () => {
  await Promise.all([fake.start(), otherTenant.start()]);
  // One child at a time: the serialiser exits before the host starts.
  ({ texts, secretInputs } = await serialiseDynamicProviders(KEY));
  host = await DynamicProviderHost.start();
  const employee = { id: "1", name: "A", employee_number: "1", first_name: "A", last_name: "B", is_active: true, employment_status: "ACTIVE", email: "a@acme.example" };
  const payload = { name: "Acme", hris_type: "BambooHR", custom_property_definition: { system_properties: {}, employee_properties: {}, group_properties: {} }, system: { id: "s", name: "Acme", idp_providers: [] }, employees: [employee], groups: [] };
  fs.writeFileSync(payloadFile, gzipSync(JSON.stringify(payload)));
});
afterAll(async () => {
  await host?.stop();
  await Promise.all([fake.stop(), otherTenant.stop()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Inputs as the engine sends them after Check: the program's inputs plus the serialised provider.
const conn = () => ({ baseUrl: fake.url, apiKey: KEY });
const providerInputs = (name: string, extra: Props = {}): Props => ({ __provider: texts.CustomProvider, ...conn(), name, template: "hris", provisioning: false, keepAdopted: true, ...extra });
const dataSourceInputs = (providerId: string, name: string, extra: Props = {}): Props => ({ __provider: texts.DataSource, ...conn(), providerId, name, keepAdopted: true, ...extra });
const pushInputs = (providerId: string, dataSourceId: string, extra: Props = {}): Props => ({
  __provider: texts.Push, ...conn(), providerId, dataSourceId, payloadHash: "hash-1", payloadFile, employeeCount: 1, groupCount: 0, ...extra,
});

/** The message the engine shows for a failed call; the test fails if the call succeeds. */
async function hostFailure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    const message = (e as Error).message;
    expect(message).not.toContain("CANARY");
    return message;
  }
  throw new Error("expected the call to fail");
}
const REQUEST_ID = "\\[request [0-9a-f-]{36}\\]";
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const stateOf = (id: string) => fake.providers.get(id)?.state;

/** A stack's three resources, created in the engine's order (provider, then data source, then push). */
async function deployStack(name: string, extra: Props = {}) {
  const provider = await host.create(providerInputs(name, extra));
  const dataSource = await host.create(dataSourceInputs(provider.id, `${name} - acme`, extra));
  const push = await host.create(pushInputs(provider.id, dataSource.id));
  return { provider, dataSource, push };
}

describe("the serialised dynamic providers", () => {
  it("hold neither the API key nor an Error subclass, and the key reaches the engine as a secret input", () => {
    expect(Object.keys(texts).sort()).toEqual(["CustomProvider", "DataSource", "Push"]);
    for (const text of Object.values(texts)) {
      expect(text.startsWith("exports.handler = ")).toBe(true);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain("CANARY");
      // How the serialiser writes `class X extends Error`: its constructors then never set `message`.
      expect(text).not.toMatch(/setPrototypeOf\(__\w+, global\.Error\)/);
    }
    expect(secretInputs).toBe(3);
  });
});

describe("Veza errors as the engine reports them", () => {
  it("401: names the call, Veza's answer and the key to check, without the key", async () => {
    const message = await hostFailure(host.create(providerInputs("Errors HRIS", { apiKey: WRONG_KEY })));
    expect(message).toMatch(
      new RegExp(`^Looking up Veza provider "Errors HRIS": GET ${escape(fake.url)}/api/v1/providers/custom answered HTTP 401 Unauthenticated: Unauthorized ${REQUEST_ID} \\(check the Veza API key\\)$`),
    );
  });

  it("403: says the key is valid but not allowed", async () => {
    fake.inject({ kind: "status", status: 403 }, "GET /api/v1/providers/custom");
    const message = await hostFailure(host.create(providerInputs("Errors HRIS")));
    expect(message).toMatch(new RegExp(`^Looking up Veza provider "Errors HRIS": GET ${escape(fake.url)}/api/v1/providers/custom answered HTTP 403 PermissionDenied: Forbidden ${REQUEST_ID}`));
    expect(message).toContain("the Veza API key is valid but not allowed to do this");
  });

  it("404: a data source under a provider Veza does not know", async () => {
    const unknown = randomUUID();
    const message = await hostFailure(host.create(dataSourceInputs(unknown, "Orphan")));
    expect(message).toMatch(new RegExp(`^Looking up Veza data source "Orphan": GET ${escape(fake.url)}/api/v1/providers/custom/${unknown}/datasources answered HTTP 404 NotFound: Not Found ${REQUEST_ID}$`));
  });

  it("400 duplicate: Veza's field violation and what to do when nothing visible holds the name", async () => {
    // The name is taken by a provider this key cannot list (twice: the immediate retry sees the same).
    fake.inject({ kind: "duplicate" }, "POST /api/v1/providers/custom");
    fake.inject({ kind: "duplicate" }, "POST /api/v1/providers/custom");
    const message = await hostFailure(host.create(providerInputs("Taken HRIS")));
    expect(message).toMatch(
      new RegExp(`^Creating Veza provider "Taken HRIS": POST ${escape(fake.url)}/api/v1/providers/custom answered HTTP 400 InvalidArgument: Invalid Arguments \\(name: Provider with the same name already exists\\) ${REQUEST_ID}`),
    );
    expect(message).toContain("Choose another veza.providerName");
  });

  it("429: gives up after the bounded retries and says how many attempts it made", async () => {
    // Retry-After: 0 (honoured by the client) keeps the production retry policy and makes the test fast.
    for (let i = 0; i < 6; i++) fake.inject({ kind: "status", status: 429, retryAfter: 0 }, "GET /api/v1/providers/custom");
    const message = await hostFailure(host.create(providerInputs("Busy HRIS")));
    expect(message).toMatch(new RegExp(`^Looking up Veza provider "Busy HRIS": GET ${escape(fake.url)}/api/v1/providers/custom answered HTTP 429 ResourceExhausted: Too many requests ${REQUEST_ID} \\(after 6 attempts\\)$`));
  });

  it("5xx on a creation (never retried) and on a delete (retried, then reported through the host's other error path)", async () => {
    fake.inject({ kind: "status", status: 500 }, "POST /api/v1/providers/custom");
    const created = await hostFailure(host.create(providerInputs("Flaky HRIS")));
    expect(created).toMatch(new RegExp(`^Creating Veza provider "Flaky HRIS": POST ${escape(fake.url)}/api/v1/providers/custom answered HTTP 500 Internal: Internal error ${REQUEST_ID}$`));

    const { id, outs } = await host.create(providerInputs("Flaky HRIS"));
    for (let i = 0; i < 6; i++) fake.inject({ kind: "status", status: 503, retryAfter: 0 }, `DELETE /api/v1/providers/custom/${id}`);
    const deleted = await hostFailure(host.delete(id, { ...outs, keepAdopted: false }));
    expect(deleted).toMatch(new RegExp(`^Deleting Veza provider ${id}: DELETE ${escape(fake.url)}/api/v1/providers/custom/${id} answered HTTP 503 Unavailable: Service unavailable ${REQUEST_ID} \\(after 6 attempts\\)$`));
    expect(stateOf(id)).toBe("ENABLED");
  });
});

describe("the engine's lifecycle against the serialised providers", () => {
  it("(a) a trailing slash on veza.url is no change at all; a new key alone is an update that calls nothing", async () => {
    const { provider, dataSource, push } = await deployStack("Slash HRIS");
    const slash = { baseUrl: `${fake.url}/` };
    expect(await host.diff(provider.id, provider.outs, providerInputs("Slash HRIS", slash))).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
    expect(await host.diff(dataSource.id, dataSource.outs, dataSourceInputs(provider.id, "Slash HRIS - acme", slash))).toMatchObject({ changes: "none", replaces: [] });
    expect(await host.diff(push.id, push.outs, pushInputs(provider.id, dataSource.id, slash))).toMatchObject({ changes: "none", replaces: [] });

    const rotated = { apiKey: `${KEY}-rotated` };
    expect(await host.diff(provider.id, provider.outs, providerInputs("Slash HRIS", rotated))).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const before = fake.requests.length;
    const outs = await host.update(provider.id, provider.outs, providerInputs("Slash HRIS", rotated));
    await host.update(dataSource.id, dataSource.outs, dataSourceInputs(provider.id, "Slash HRIS - acme", rotated));
    await host.update(push.id, push.outs, pushInputs(provider.id, dataSource.id, rotated));
    expect(fake.requests.length).toBe(before);
    expect(outs).toMatchObject({ apiKey: rotated.apiKey, adopted: false });
  });

  it("a real veza.url move is an update that checks the objects are in the new tenant, and fails saying what to do when not", async () => {
    const { provider, dataSource } = await deployStack("Moving HRIS");
    const moved = { baseUrl: otherTenant.url };
    expect(await host.diff(provider.id, provider.outs, providerInputs("Moving HRIS", moved))).toMatchObject({ changes: "some", replaces: [] });
    const message = await hostFailure(host.update(provider.id, provider.outs, providerInputs("Moving HRIS", moved)));
    expect(message).toContain(`Veza provider "Moving HRIS" ${provider.id} is not in the Veza tenant at ${otherTenant.url} (veza.url); this stack manages it at ${fake.url}.`);
    expect(message).toContain("pulumi state delete <urn>");
    const dsMessage = await hostFailure(host.update(dataSource.id, dataSource.outs, dataSourceInputs(provider.id, "Moving HRIS - acme", moved)));
    expect(dsMessage).toContain(`Veza data source "Moving HRIS - acme" ${dataSource.id} is not in the Veza tenant at ${otherTenant.url}`);

    // The same objects reachable at the new URL (the tenant's new address): the URL is recorded, nothing else.
    otherTenant.providers.set(provider.id, { ...fake.providers.get(provider.id)! });
    otherTenant.dataSources.set(dataSource.id, { ...fake.dataSources.get(dataSource.id)! });
    expect(await host.update(provider.id, provider.outs, providerInputs("Moving HRIS", moved))).toMatchObject({ baseUrl: otherTenant.url, adopted: false });
    expect(await host.update(dataSource.id, dataSource.outs, dataSourceInputs(provider.id, "Moving HRIS - acme", moved))).toMatchObject({ baseUrl: otherTenant.url });
  });

  it("(b) a renamed provider is created before the old one is deleted, and the new one stays live", async () => {
    const old = await deployStack("Before Rename");
    const news = providerInputs("After Rename");
    expect(await host.diff(old.provider.id, old.provider.outs, news)).toEqual({ changes: "some", replaces: ["name"], deleteBeforeReplace: false });
    // Create-before-delete: new provider, then its dependents replaced (new providerId), then the old ones deleted.
    const provider = await host.create(news);
    const dsNews = dataSourceInputs(provider.id, "Before Rename - acme");
    expect(await host.diff(old.dataSource.id, old.dataSource.outs, dsNews)).toMatchObject({ replaces: ["providerId"], deleteBeforeReplace: false });
    const dataSource = await host.create(dsNews);
    const pushNews = pushInputs(provider.id, dataSource.id);
    expect(await host.diff(old.push.id, old.push.outs, pushNews)).toMatchObject({ replaces: ["providerId", "dataSourceId"] });
    await host.create(pushNews);
    await host.delete(old.push.id, old.push.outs);
    await host.delete(old.dataSource.id, old.dataSource.outs);
    await host.delete(old.provider.id, old.provider.outs);

    expect(provider.id).not.toBe(old.provider.id);
    expect(fake.providers.get(provider.id)).toMatchObject({ name: "After Rename", state: "ENABLED" });
    expect(fake.dataSources.get(dataSource.id)).toMatchObject({ status: "SUCCESS", pushes: 1 });
    expect(stateOf(old.provider.id) ?? "gone").toMatch(/DELETING|gone/);
  });

  it("(c) a template change asks delete-before-replace; the old provider is freed first and the new one is live", async () => {
    const old = await deployStack("Template HRIS");
    const news = providerInputs("Template HRIS", { template: "application" });
    expect(await host.diff(old.provider.id, old.provider.outs, news)).toEqual({ changes: "some", replaces: ["template"], deleteBeforeReplace: true });
    // Delete-before-replace: dependents first, then the provider, then the replacement (which waits for the name).
    await host.delete(old.push.id, old.push.outs);
    await host.delete(old.dataSource.id, old.dataSource.outs);
    await host.delete(old.provider.id, old.provider.outs);
    expect(stateOf(old.provider.id)).toBe("DELETING");
    const provider = await host.create(news);
    expect(provider.id).not.toBe(old.provider.id);
    expect(fake.providers.get(provider.id)).toMatchObject({ name: "Template HRIS", custom_template: "application", state: "ENABLED" });
    expect(provider.outs.adopted).toBe(false);
  });

  it("refuses in diff, before anything changes, a template change that would delete an adopted provider it keeps", async () => {
    fake.providers.set("kept-1", { id: "kept-1", name: "Kept HRIS", custom_template: "hris", state: "ENABLED", provisioning: false });
    const { id, outs } = await host.create(providerInputs("Kept HRIS"));
    expect(outs.adopted).toBe(true);
    const message = await hostFailure(host.diff(id, outs, providerInputs("Kept HRIS", { template: "application" })));
    expect(message).toContain(`Veza provider "Kept HRIS" (kept-1) was adopted by this stack and is kept (veza.keepAdopted)`);
  });

  it("(d) leaves adopted objects in Veza on delete; keepAdopted false (an update with no API call) lets them go", async () => {
    fake.providers.set("adopted-1", { id: "adopted-1", name: "Adopted HRIS", custom_template: "hris", state: "ENABLED", provisioning: false });
    fake.dataSources.set("adopted-ds-1", { id: "adopted-ds-1", name: "Adopted HRIS - acme", providerId: "adopted-1", status: "SUCCESS", pushes: 3 });
    const provider = await host.create(providerInputs("Adopted HRIS"));
    const dataSource = await host.create(dataSourceInputs("adopted-1", "Adopted HRIS - acme"));
    expect([provider.id, provider.outs.adopted, dataSource.id, dataSource.outs.adopted]).toEqual(["adopted-1", true, "adopted-ds-1", true]);

    await host.delete(dataSource.id, dataSource.outs);
    await host.delete(provider.id, provider.outs);
    expect(stateOf("adopted-1")).toBe("ENABLED");
    expect(fake.dataSources.get("adopted-ds-1")?.status).toBe("SUCCESS");
    // State written before keepAdopted existed keeps them too.
    await host.delete(provider.id, { ...provider.outs, keepAdopted: undefined });
    expect(stateOf("adopted-1")).toBe("ENABLED");

    const letGo = { keepAdopted: false };
    expect(await host.diff(provider.id, provider.outs, providerInputs("Adopted HRIS", letGo))).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const before = fake.requests.length;
    const providerOuts = await host.update(provider.id, provider.outs, providerInputs("Adopted HRIS", letGo));
    const dataSourceOuts = await host.update(dataSource.id, dataSource.outs, dataSourceInputs("adopted-1", "Adopted HRIS - acme", letGo));
    expect(fake.requests.length).toBe(before);
    expect([providerOuts.keepAdopted, providerOuts.adopted]).toEqual([false, true]);
    await host.delete(dataSource.id, dataSourceOuts);
    await host.delete(provider.id, providerOuts);
    expect(fake.dataSources.get("adopted-ds-1")?.status ?? "gone").toMatch(/DELETING|gone/);
    expect(stateOf("adopted-1")).toBe("DELETING");
  });

  it("(e) destroy deletes what the stack created", async () => {
    const { provider, dataSource, push } = await deployStack("Destroyed HRIS");
    await host.delete(push.id, push.outs);
    await host.delete(dataSource.id, dataSource.outs);
    await host.delete(provider.id, provider.outs);
    expect(fake.dataSources.get(dataSource.id)?.status ?? "gone").toMatch(/DELETING|gone/);
    expect(stateOf(provider.id)).toBe("DELETING");
  });
});
