import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { MAX_PAYLOAD_BYTES, MULTIPART_THRESHOLD_BYTES, PART_BYTES, VezaClient, isVezaApiError } from "../lib/veza/client";
import { compressPayload } from "../lib/veza/prepare";
import { buildHrisPayload } from "../hris/bamboohr/directory";
import { bigReport } from "./fakes/bigReport";
import { FakeVeza } from "./fakes/veza";
import { rejectionWhere } from "./helpers/rejection";

/**
 * Veza's multipart upload (`:parts` start / upload / complete, reference/veza-oaa.md §1.7, oaaclient >= 1.1.14
 * `datasource_push_parts`): what our client sends, what the fake accepts, and the choice between one `:push` and
 * parts by the size of the JSON text, as oaaclient makes it.
 */
const fake = new FakeVeza("veza-test-key");
let client: VezaClient;
let providerId: string;
beforeAll(async () => {
  const url = await fake.start();
  client = new VezaClient({ baseUrl: url, apiKey: "veza-test-key", backoffMs: 5, maxBackoffMs: 50 });
  providerId = (await client.createProvider("Multipart HRIS", "hris")).id;
});
afterAll(() => fake.stop());

/** The Veza error a call fails with (the test fails if it succeeds or fails otherwise). */
const failure = (call: Promise<unknown>) => rejectionWhere(call, isVezaApiError, "a Veza API error");
const settled = () => new Promise((r) => setTimeout(r, 50));
const partsPath = (dataSourceId: string) => `/api/v1/providers/custom/${providerId}/datasources/${dataSourceId}:parts`;
const raw = (dataSourceId: string, body: unknown) => client.request({ method: "POST", path: partsPath(dataSourceId), body, retryable: false, what: "test" });

/** A 600-employee directory as BambooHR gives it, built into the payload wfm-hris pushes. */
const { payload } = buildHrisPayload(bigReport(600, 30), { kind: "bamboohr", companyDomain: "acme" } as never, {
  name: "Acme BambooHR - acme",
  idpProviders: ["okta"],
  employeeProperties: { cost_center_code: "customCostCenter" },
});

/** The payload's JSON text in chunks of odd sizes, as a stream delivers it. */
async function* chunks(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield Buffer.from(text.slice(i, i + size));
}

describe("Veza multipart upload", () => {
  it("sends a directory in parts that the fake reassembles into exactly the text a single push delivers", async () => {
    const single = await client.createDataSource(providerId, "single");
    const parted = await client.createDataSource(providerId, "parted");
    const { gzipped } = await compressPayload(payload);
    await client.push(providerId, single.id, gzipped);
    const text = JSON.stringify(payload);
    const result = await client.pushParts(providerId, parted.id, chunks(text, 7_777), { partBytes: 40_000 });
    await settled();
    expect(result.stats).toMatchObject({ mode: "parts", parts: Math.ceil(text.length / 40_000) });
    expect(fake.dataSources.get(parted.id)!.lastJson).toBe(fake.dataSources.get(single.id)!.lastJson);
    expect(fake.dataSources.get(parted.id)).toMatchObject({ status: "SUCCESS", pushes: 1 });
    expect(fake.dataSources.get(parted.id)!.lastPayload!.employees).toHaveLength(600);
  });

  it("sends oaaclient's bodies: start, then base64 parts numbered from 1, then complete with the count", async () => {
    const ds = await client.createDataSource(providerId, "bodies");
    const seen: { bytes: number }[] = [];
    const before = fake.requests.length;
    await client.pushParts(providerId, ds.id, chunks(JSON.stringify(payload), 100_000), { partBytes: 100_000, onPart: (_n, bytes) => seen.push({ bytes }) });
    const sent = fake.requests.slice(before).filter((r) => r.path.endsWith(":parts"));
    // One start, one upload per part, one complete; every part but the last is exactly partBytes of JSON.
    expect(sent).toHaveLength(seen.length + 2);
    expect(seen.slice(0, -1).every((p) => p.bytes === 100_000)).toBe(true);
    // base64 of 100,000 bytes, plus the envelope.
    expect(Math.max(...sent.map((r) => r.bodyBytes))).toBeGreaterThan(133_336);
  });

  it("answers a push with the warnings of the completed upload", async () => {
    const ds = await client.createDataSource(providerId, "warnings");
    const noEmail = { ...payload, employees: payload.employees.map((e) => ({ ...e, email: undefined })) };
    const result = await client.pushParts(providerId, ds.id, chunks(JSON.stringify(noEmail), 50_000), { partBytes: 60_000 });
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.warnings[0].message).toMatch(/Cannot find identity by names for employee/);
  });

  it("uses Veza's body limit and oaaclient's threshold and part size unless told otherwise", () => {
    // Veza's documented 100 MB, oaaclient's MULTIPART_THRESHOLD_SIZE and DEFAULT_PART_SIZE (reference/veza-oaa.md §1.7).
    expect(new VezaClient({ baseUrl: "https://acme.vezacloud.com", apiKey: "k" }).limits).toEqual({ maxBodyBytes: 100_000_000, multipartThresholdBytes: 50_000_000, partBytes: 50_000_000 });
    expect([MAX_PAYLOAD_BYTES, MULTIPART_THRESHOLD_BYTES, PART_BYTES]).toEqual([100_000_000, 50_000_000, 50_000_000]);
  });

  it("chooses one :push up to the threshold of JSON and parts beyond, as oaaclient does", async () => {
    // The threshold and part size made small (the defaults are oaaclient's 50,000,000, above): the same choice, on KB.
    const threshold = 300_000;
    const limited = new VezaClient({ baseUrl: fake.url, apiKey: "veza-test-key", backoffMs: 5, maxBackoffMs: 50, limits: { multipartThresholdBytes: threshold, partBytes: threshold } });
    const ds = await client.createDataSource(providerId, "threshold");
    // Valid JSON of any size: the payload padded with whitespace (which gzip makes tiny).
    const small = JSON.stringify(payload);
    expect(small.length).toBeLessThan(threshold);
    const atThreshold = gzipSync(small + " ".repeat(threshold - small.length));
    expect((await limited.pushPayload(providerId, ds.id, atThreshold)).stats).toMatchObject({ mode: "single", parts: 1 });
    const over = gzipSync(small + " ".repeat(threshold + 1 - small.length));
    const result = await limited.pushPayload(providerId, ds.id, over);
    // The threshold's worth, then 1 byte.
    expect(result.stats).toMatchObject({ mode: "parts", parts: 2 });
    expect(result.stats!.maxBodyBytes).toBeLessThan(Math.ceil(threshold / 3) * 4 + 200);
    await settled();
    expect(fake.dataSources.get(ds.id)!.lastJson!.length).toBe(threshold + 1);
    expect(fake.dataSources.get(ds.id)!.status).toBe("SUCCESS");
  });

  it("refuses a part size whose base64 form would pass Veza's body limit, before sending anything", async () => {
    const before = fake.requests.length;
    await expect(client.pushParts(providerId, "d", chunks("{}", 2), { partBytes: 80_000_000 })).rejects.toThrow(/part size 80000000 .* 100000000-byte body limit/);
    expect(fake.requests.length).toBe(before);
  });
});

describe("the fake's :parts operation", () => {
  it("refuses to complete an upload with a part missing, naming sequence_count", async () => {
    const ds = await client.createDataSource(providerId, "missing part");
    const { upload_id } = (await raw(ds.id, { operation: "start" })) as { upload_id: string };
    await raw(ds.id, { operation: "upload", upload_id, sequence_number: 2, data: Buffer.from("{}").toString("base64") });
    const e = await failure(raw(ds.id, { operation: "complete", upload_id, sequence_count: 2 }));
    expect(e.status).toBe(400);
    expect(e.fieldViolations[0]).toMatchObject({ field: "sequence_count" });
  });

  it("answers 404 for an upload id it never gave or already completed", async () => {
    const ds = await client.createDataSource(providerId, "unknown upload");
    const e = await failure(raw(ds.id, { operation: "upload", upload_id: "nope", sequence_number: 1, data: "" }));
    expect(e).toMatchObject({ status: 404, code: "NotFound" });
    const { upload_id } = (await raw(ds.id, { operation: "start" })) as { upload_id: string };
    const text = JSON.stringify(payload);
    await raw(ds.id, { operation: "upload", upload_id, sequence_number: 1, data: Buffer.from(text).toString("base64") });
    await raw(ds.id, { operation: "complete", upload_id, sequence_count: 1 });
    expect((await failure(raw(ds.id, { operation: "complete", upload_id, sequence_count: 1 }))).status).toBe(404);
  });

  it("refuses a part whose data is not base64 and a sequence number below 1", async () => {
    const ds = await client.createDataSource(providerId, "bad parts");
    const { upload_id } = (await raw(ds.id, { operation: "start" })) as { upload_id: string };
    expect((await failure(raw(ds.id, { operation: "upload", upload_id, sequence_number: 1, data: "{not base64}" }))).fieldViolations[0].field).toBe("data");
    expect((await failure(raw(ds.id, { operation: "upload", upload_id, sequence_number: 0, data: "" }))).fieldViolations[0].field).toBe("sequence_number");
    expect((await failure(raw(ds.id, { operation: "finish", upload_id }))).fieldViolations[0].field).toBe("operation");
  });

  it("keeps an upload to the data source it was started on", async () => {
    const a = await client.createDataSource(providerId, "upload a");
    const b = await client.createDataSource(providerId, "upload b");
    const { upload_id } = (await raw(a.id, { operation: "start" })) as { upload_id: string };
    expect((await failure(raw(b.id, { operation: "complete", upload_id, sequence_count: 1 }))).status).toBe(404);
  });
});
