import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VezaClient, isVezaApiError } from "../lib/veza/client";
import { httpFetch } from "../lib/veza/http";
import { FakeVeza } from "./fakes/veza";
import { rejectionWhere } from "./helpers/rejection";

/**
 * The node:http fetch veza:sync sends with (lib/veza/http.ts): the client's retry policy and error reports must be
 * what they are over fetch (test/vezaClient.test.ts), and a body in pieces must arrive whole.
 */
const fake = new FakeVeza("veza-test-key");
const seen: string[] = [];
let client: VezaClient;
const lean = (extra: Partial<ConstructorParameters<typeof VezaClient>[0]> = {}) =>
  new VezaClient({ baseUrl: fake.url, apiKey: "veza-test-key", backoffMs: 5, maxBackoffMs: 50, fetchImpl: httpFetch as unknown as typeof fetch, onRetry: (r) => seen.push(r.reason), ...extra });
beforeAll(async () => {
  await fake.start();
  client = lean();
});
afterAll(() => fake.stop());

/** The Veza error a call fails with (the test fails if it succeeds or fails otherwise). */
const failure = (call: Promise<unknown>) => rejectionWhere(call, isVezaApiError, "a Veza API error");

describe("veza:sync's HTTP transport", () => {
  it("creates and finds a provider, with Veza's envelopes", async () => {
    const created = await client.createProvider("Lean HRIS", "hris");
    expect(await client.findProvider("Lean HRIS")).toMatchObject({ id: created.id, custom_template: "hris" });
  });

  it("reports Veza's error body: status, code, field violations, the key's hint, never the key", async () => {
    const error = await failure(client.createProvider("Lean HRIS", "hris"));
    expect(error).toMatchObject({ status: 400, code: "InvalidArgument", fieldViolations: [{ field: "name" }] });
    const wrongKey = await failure(lean({ apiKey: "CANARY-wrong-key" }).listTemplates());
    expect(wrongKey.message).toContain("(check the Veza API key)");
    expect(wrongKey.message).not.toContain("CANARY");
  });

  it("retries reads through 429 with Retry-After, 503, a reset connection and an answer past the timeout", async () => {
    seen.length = 0;
    const impatient = lean({ timeoutMs: 1000 });
    fake.inject({ kind: "status", status: 429, retryAfter: 0 }, "GET");
    fake.inject({ kind: "status", status: 503 }, "GET");
    fake.inject({ kind: "reset" }, "GET");
    fake.inject({ kind: "slow", ms: 10_000 }, "GET");
    expect(await impatient.findProvider("Lean HRIS")).toBeDefined();
    expect(seen).toHaveLength(4);
    expect(seen[0]).toBe("HTTP 429");
    expect(seen[3]).toMatch(/no answer within 1000 ms/);
  });

  it("says what failed when nothing answers", async () => {
    const error = await failure(new VezaClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k", maxRetries: 0, fetchImpl: httpFetch as unknown as typeof fetch }).listTemplates());
    expect(error.message).toMatch(/Checking the Veza connection: GET http:\/\/127\.0\.0\.1:1\/api\/v1\/providers\/custom\/templates failed \(ECONNREFUSED\)/);
  });

  it("sends a body given in pieces with its length, as one request", async () => {
    const provider = await client.findProvider("Lean HRIS");
    const ds = await client.createDataSource(provider!.id, "pieces");
    const json = JSON.stringify({ name: "x", hris_type: "t", custom_property_definition: {}, system: { id: "s", name: "s" }, employees: [], groups: [] });
    const head = JSON.stringify({ id: provider!.id, data_source_id: ds.id, json_data: "" }).slice(0, -2);
    const pieces = [head, json.replace(/"/g, '\\"').slice(0, 10), json.replace(/"/g, '\\"').slice(10), '"}'];
    const length = pieces.reduce((n, p) => n + Buffer.byteLength(p), 0);
    const before = fake.requests.length;
    await client.request({ method: "POST", path: `/api/v1/providers/custom/${provider!.id}/datasources/${ds.id}:push`, body: { length, pieces: () => pieces }, retryable: true, what: "test" });
    expect(fake.requests.slice(before)).toEqual([expect.objectContaining({ bodyBytes: length })]);
    expect(fake.dataSources.get(ds.id)!.lastJson).toBe(json);
  });

  it("sends text past ASCII as UTF-8, whole or in pieces, with its length in bytes (ASCII goes one byte a character)", async () => {
    const provider = await client.findProvider("Lean HRIS");
    const ds = await client.createDataSource(provider!.id, "accents");
    const json = JSON.stringify({ name: "Zoë Ångström 東京", hris_type: "t", custom_property_definition: {}, system: { id: "s", name: "s" }, employees: [], groups: [] });
    const path = `/api/v1/providers/custom/${provider!.id}/datasources/${ds.id}:push`;
    const head = JSON.stringify({ id: provider!.id, data_source_id: ds.id, json_data: "" }).slice(0, -2);
    const escaped = json.replace(/"/g, '\\"');
    for (const body of [`${head}${escaped}"}`, { length: Buffer.byteLength(`${head}${escaped}"}`), pieces: () => [head, escaped.slice(0, 20), escaped.slice(20), '"}'] }]) {
      const before = fake.requests.length;
      await client.request({ method: "POST", path, body, retryable: true, what: "test" });
      expect(fake.requests.slice(before)).toEqual([expect.objectContaining({ bodyBytes: Buffer.byteLength(`${head}${escaped}"}`) })]);
      expect(fake.dataSources.get(ds.id)!.lastJson).toBe(json);
    }
  });
});
