import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { VezaApiError, VezaClient, getOrCreate, isVezaApiError, normaliseBaseUrl } from "../lib/veza/client";
import { FakeVeza } from "./fakes/veza";
import { rejectionWhere } from "./helpers/rejection";

const fake = new FakeVeza("veza-test-key");
let client: VezaClient;
const retries: { attempt: number; delayMs: number; reason: string }[] = [];
beforeAll(async () => {
  const url = await fake.start();
  // The client's own answer timeout (60 s): a busy machine slows the fake down, it must not fail the tests.
  client = new VezaClient({ baseUrl: url, apiKey: "veza-test-key", backoffMs: 5, maxBackoffMs: 50, onRetry: (r) => retries.push(r) });
});
afterAll(() => fake.stop());
/** The Veza error a call fails with (the test fails if it succeeds or fails otherwise). */
const failure = (call: Promise<unknown>) => rejectionWhere(call, isVezaApiError, "a Veza API error");
const requestsTo = (part: string) => fake.requests.filter((r) => `${r.method} ${r.path}`.includes(part)).length;

describe("Veza client", () => {
  it("normalises the tenant URL", () => {
    expect(normaliseBaseUrl("acme.vezacloud.com/")).toBe("https://acme.vezacloud.com");
    expect(normaliseBaseUrl("http://127.0.0.1:8080//")).toBe("http://127.0.0.1:8080");
  });

  it("creates a provider and finds it again by name, across pages", async () => {
    for (const n of ["Alpha", "Beta", "Gamma"]) await client.createProvider(n, "application");
    const created = await client.createProvider("Acme BambooHR", "hris");
    expect(created).toMatchObject({ name: "Acme BambooHR", custom_template: "hris", state: "ENABLED" });
    expect((await client.findProvider("Acme BambooHR"))?.id).toBe(created.id);
    expect(await client.findProvider("Nobody")).toBeUndefined();
  });

  it("reports Veza's error code, message, request id and field violations", async () => {
    const error = await failure(client.createProvider("Acme BambooHR", "hris"));
    expect(isVezaApiError(error)).toBe(true);
    // A plain Error, so the message survives Pulumi's closure serialisation (test/vezaProviderHost.test.ts).
    expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
    expect(error).toMatchObject({ status: 400, code: "InvalidArgument", vezaMessage: "Invalid Arguments", fieldViolations: [{ field: "name", description: "Provider with the same name already exists" }] });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain("answered HTTP 400 InvalidArgument: Invalid Arguments (name: Provider with the same name already exists)");
  });

  it("explains a rejected API key without showing it", async () => {
    const bad = new VezaClient({ baseUrl: fake.url, apiKey: "CANARY-wrong-veza-key" });
    const error = await failure(bad.listTemplates());
    expect(error).toMatchObject({ status: 401 });
    expect(error.message).toContain("(check the Veza API key)");
    expect(error.message).not.toContain("CANARY-wrong-veza-key");
  });

  it("retries a read after 429, waiting at least Retry-After", async () => {
    fake.inject({ kind: "status", status: 429, retryAfter: 1 }, "GET /api/v1/providers/custom");
    const started = Date.now();
    expect(await client.findProvider("Acme BambooHR")).toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(retries.at(-1)).toMatchObject({ reason: "HTTP 429", delayMs: 1000 });
  });

  it("retries reads through 500, 503, reset connections and slow answers", async () => {
    // A slow answer is one past the client's timeout: 1 s here, against an answer held for 10 s (a margin that a
    // busy machine does not eat, unlike a few hundred ms).
    const seen: string[] = [];
    const impatient = new VezaClient({ baseUrl: fake.url, apiKey: "veza-test-key", backoffMs: 5, maxBackoffMs: 50, timeoutMs: 1000, onRetry: (r) => seen.push(r.reason) });
    fake.inject({ kind: "status", status: 500 }, "GET");
    fake.inject({ kind: "status", status: 503 }, "GET");
    fake.inject({ kind: "reset" }, "GET");
    fake.inject({ kind: "slow", ms: 10_000 }, "GET");
    expect(await impatient.findProvider("Acme BambooHR")).toBeDefined();
    expect(seen).toHaveLength(4);
  });

  it("gives up after the bounded number of retries, saying how many attempts it made", async () => {
    const few = new VezaClient({ baseUrl: fake.url, apiKey: "veza-test-key", maxRetries: 2, backoffMs: 1 });
    for (let i = 0; i < 3; i++) fake.inject({ kind: "status", status: 503 }, "GET");
    const error = await failure(few.listTemplates());
    expect(error.message).toContain("answered HTTP 503");
    expect(error.message).toContain("(after 3 attempts)");
  });

  it("never retries a creation, which could duplicate it", async () => {
    fake.inject({ kind: "status", status: 503 }, "POST /api/v1/providers/custom");
    const before = requestsTo("POST /api/v1/providers/custom");
    await expect(client.createProvider("Delta", "hris")).rejects.toMatchObject({ status: 503 });
    expect(requestsTo("POST /api/v1/providers/custom") - before).toBe(1);
  });

  it("get-or-create adopts what a creation made when its answer was lost, without a duplicate", async () => {
    fake.loseAnswer("POST /api/v1/providers/custom");
    const { value, adopted } = await getOrCreate(
      () => client.findProvider("Epsilon"),
      () => client.createProvider("Epsilon", "hris"),
    );
    expect(adopted).toBe(false);
    expect([...fake.providers.values()].filter((p) => p.name === "Epsilon").map((p) => p.id)).toEqual([value.id]);
  });

  it("pushes gzip + base64 with json_data as a string, and returns Veza's warnings", async () => {
    const provider = await client.findProvider("Acme BambooHR");
    const ds = await client.createDataSource(provider!.id, "Acme BambooHR - acme");
    const payload = {
      name: "X", hris_type: "BambooHR", custom_property_definition: { system_properties: {}, employee_properties: {}, group_properties: {} },
      system: { id: "s", name: "X", idp_providers: [] },
      employees: [{ id: "1", name: "A", employee_number: "1", first_name: "A", last_name: "B", is_active: true, employment_status: "ACTIVE" }],
      groups: [],
    };
    const result = await client.push(provider!.id, ds.id, gzipSync(JSON.stringify(payload)));
    expect(result.warnings).toEqual([{ message: "Cannot find identity by names for employee 1" }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.dataSources.get(ds.id)).toMatchObject({ status: "SUCCESS", pushes: 1 });
  });

  it("retries a push: a full snapshot is safe to repeat", async () => {
    const provider = await client.findProvider("Acme BambooHR");
    const ds = await client.findDataSource(provider!.id, "Acme BambooHR - acme");
    fake.inject({ kind: "status", status: 502 }, ":push");
    const minimal = gzipSync(JSON.stringify({ name: "X", hris_type: "B", custom_property_definition: {}, system: { id: "s", name: "X" }, employees: [], groups: [] }));
    await client.push(provider!.id, ds!.id, minimal);
    expect(fake.dataSources.get(ds!.id)!.pushes).toBe(2);
  });

  it("refuses a push over Veza's body limit before sending anything, naming both sizes", async () => {
    // The limit made small (Veza's is 100,000,000 bytes, the default: vezaMultipart.test.ts), so the check runs on KB.
    const limited = new VezaClient({ baseUrl: fake.url, apiKey: "veza-test-key", limits: { maxBodyBytes: 10_000 } });
    const before = fake.requests.length;
    const error = await failure(limited.push("p", "d", Buffer.alloc(7_600))); // base64 makes it over 10,000
    expect(error).toMatchObject({ code: "OVERSIZE" });
    expect(error.message).toMatch(/the request would be 10\d{3} bytes; Veza accepts at most 10000\. Nothing was sent\./);
    expect(fake.requests.length).toBe(before);
  });

  it("treats deleting an unknown or already deleting provider as done", async () => {
    const provider = await client.createProvider("Zeta", "hris");
    await client.deleteProvider(provider.id);
    await client.deleteProvider(provider.id); // DELETING
    expect(await client.findProvider("Zeta")).toBeUndefined();
    await client.deleteProvider("00000000-0000-0000-0000-000000000000");
  });
});
