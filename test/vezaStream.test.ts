import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HrisApiError } from "../hris";
import { buildHrisPayload } from "../hris/bamboohr/directory";
import { readEmployeeReportFile } from "../hris/bamboohr/client";
import { firstSyntaxError } from "../lib/jsonFile";
import { loadOfflineStack } from "../lib/plan/offlineStack";
import { BlockGzip } from "../lib/veza/blockGzip";
import { VezaClient, partBody } from "../lib/veza/client";
import { JsonArrayStream, JsonSyntaxError } from "../lib/veza/jsonArrayStream";
import { HrisPayload, PayloadValidationError, validateHrisPayload } from "../lib/veza/payload";
import { HashIndex, stringHash } from "../lib/veza/hashIndex";
import { StreamingPayloadChecker } from "../lib/veza/payloadChecker";
import { payloadFromReport, payloadFromReportFile, prepareVezaPayload } from "../lib/veza/prepare";
import { readJsonArrayFile } from "../lib/veza/reportFile";
import { Spool } from "../lib/veza/spool";
import { bigReport } from "./fakes/bigReport";
import { FakeVeza } from "./fakes/veza";
import { inOwnTmpdir } from "./helpers/streamedPayloads";

/**
 * The streaming sync (docs/veza-sync.md): a saved report read element by element, each employee mapped, checked and
 * written as it comes, must give Veza exactly what the whole-report build gives, and find every problem it finds.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-vstream-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every element of the array at `at`, reading `text` in pieces of `size` characters. */
function elements(text: string, at: string[], size: number): { values: unknown[]; others: [readonly string[], unknown][] } {
  const values: unknown[] = [];
  const others: [readonly string[], unknown][] = [];
  const stream = new JsonArrayStream(at, { element: (v, i) => values.push([i, v]), other: (p, v) => others.push([p, v]) });
  for (let i = 0; i < text.length; i += size) stream.write(text.slice(i, i + size));
  stream.end();
  return { values: values.map((v) => (v as [number, unknown])[1]), others };
}

const syntaxError = (text: string, size: number): JsonSyntaxError => {
  try {
    elements(text, ["employees"], size);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
    throw e;
  }
  throw new Error("expected a syntax error");
};

describe("reading one array of a JSON document as a stream", () => {
  // Nested objects and lists, brackets and quotes inside strings, escapes (\\ then ", \"), non-ASCII, numbers, null.
  const doc = {
    fields: [{ id: "a", note: "} ] { [" }],
    employees: [
      { id: "1", name: 'Zoë "Z" \\', groups: [{ id: "g:1" }, { id: "g:}" }], n: -1.5e3 },
      { id: "2", path: "C:\\\\temp\\", empty: {}, list: [], t: true, f: false, z: null },
      "a string element",
      42,
      [1, [2, { x: "]" }]],
    ],
    after: { employees: "not this one" },
  };
  const text = JSON.stringify(doc, null, 1);

  it("hands over every element, parsed, whatever the size of the pieces it is read in", () => {
    for (const size of [1, 2, 3, 7, 64, text.length]) expect(elements(text, ["employees"], size).values, `pieces of ${size}`).toEqual(doc.employees);
  });

  it("hands over the other values of the document with their keys", () => {
    expect(elements(text, ["employees"], 5).others).toEqual([
      [["fields"], doc.fields],
      [["after"], doc.after],
    ]);
  });

  it("finds the array at a nested path, or the document itself", () => {
    expect(elements(JSON.stringify({ data: { people: [{ id: 1 }, { id: 2 }] } }), ["data", "people"], 4).values).toEqual([{ id: 1 }, { id: 2 }]);
    expect(elements(JSON.stringify([{ id: 1 }, 2]), [], 3).values).toEqual([{ id: 1 }, 2]);
  });

  it("skips a UTF-8 byte order mark", () => {
    expect(elements(`\ufeff${text}`, ["employees"], 10).values).toEqual(doc.employees);
  });

  it("says where the text stops being JSON, as JSON.parse would find it", () => {
    const broken = [
      '{"employees": [{"id": "1",}]}',
      '{"employees": [{"id": "1"} {"id": "2"}]}',
      '{"employees": [{"id": "1"}]',
      '{"employees" [{"id": "1"}]}',
      '{"employees": [{"id": "1"}]} x',
      '{"fields": [1,], "employees": []}',
      '{"employees": [{"id": "1"}, {"id": "2", "n": 01}]}',
      "",
    ];
    for (const bad of broken)
      for (const size of [1, 4, 1000]) {
        const e = syntaxError(bad, size);
        expect(e.offset, `${JSON.stringify(bad)} in pieces of ${size}`).toBe(firstSyntaxError(bad) ?? bad.length);
      }
  });
});

describe("a saved BambooHR report read as a stream", () => {
  it("reads a report larger than its pieces with characters of several bytes across them", () => {
    const report = bigReport(3000, 60);
    report.employees.forEach((e, i) => (e.firstName = `Zoë-${"é".repeat(i % 7)}-${i}`));
    const file = path.join(dir, "multibyte.json");
    fs.writeFileSync(file, JSON.stringify(report));
    expect(fs.statSync(file).size).toBeGreaterThan(1 << 20);
    expect(readEmployeeReportFile(file).employees).toEqual(report.employees);
  });

  it("names the line and column of a syntax error far into a large file", () => {
    const lines = JSON.stringify(bigReport(4000, 40), null, 1).split("\n");
    lines[lines.length - 40] += ",";
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(file, lines.join("\n"));
    const { issue } = readJsonArrayFile(file, ["employees"], { element: () => {} });
    const text = fs.readFileSync(file, "utf8");
    const at = firstSyntaxError(text)!;
    const line = text.slice(0, at).split("\n").length;
    expect(issue?.path).toBe(`line ${line} column ${at - text.lastIndexOf("\n", at - 1)}`);
    expect(issue?.problem).toMatch(/^is not valid JSON: /);
  });

  it("refuses a report saved as Latin-1, naming the line of the first byte that is not UTF-8 far into the file", () => {
    const lines = JSON.stringify(bigReport(4000, 40), null, 1).split("\n");
    const bad = lines.length - 40;
    lines[bad] = lines[bad].replace(/"[^"]*"$/, '"Jos\u00e9"');
    const file = path.join(dir, "latin1.json");
    fs.writeFileSync(file, Buffer.from(lines.join("\n"), "latin1"));
    expect(fs.statSync(file).size).toBeGreaterThan(1 << 20);
    const { issue } = readJsonArrayFile(file, ["employees"], { element: () => {} });
    expect(issue).toMatchObject({ file, path: "$", problem: expect.stringMatching(new RegExp(`^line ${bad + 1} is not UTF-8 text .*save the file as UTF-8$`)) });
  });

  it("reads a report that holds the replacement character itself, encoded as UTF-8", () => {
    const report = bigReport(50, 5);
    report.employees[7].firstName = "\uFFFD unknown";
    const file = path.join(dir, "replacement.json");
    fs.writeFileSync(file, JSON.stringify(report));
    expect(readEmployeeReportFile(file).employees).toEqual(report.employees);
  });
});

describe("the streamed payload is the whole-report payload", () => {
  let config: ReturnType<typeof loadOfflineStack>["config"];
  beforeAll(() => {
    const stackFile = path.join(dir, "Pulumi.stream.yaml");
    fs.writeFileSync(
      stackFile,
      "config:\n  wfm-hris:customer: acme\n  wfm-hris:genesys:\n    region: us-east-1\n  wfm-hris:hris:\n    kind: bamboohr\n    companyDomain: acme\n  wfm-hris:hrisApiKey: unused\n  wfm-hris:vezaApiKey: unused\n" +
        "  wfm-hris:veza:\n    url: https://acme.vezacloud.com\n    idpProviders: [okta]\n    employeeProperties:\n      cost_center_code: customCostCenter\n      shoe_size: customShoeSize\n",
    );
    config = loadOfflineStack("stream", stackFile).config;
  });
  const whole = (report: ReturnType<typeof bigReport>) =>
    buildHrisPayload(report, config.hris, { name: config.veza!.dataSourceName, idpProviders: config.veza!.idpProviders, employeeProperties: config.veza!.employeeProperties });

  /** A report with every kind of problem the build warns about: unknown and own supervisors, a circle, bad dates, a field no one has. */
  const awkward = () => {
    const report = bigReport(2500, 80);
    const e = report.employees;
    e[10].supervisorEId = "999999"; // not in the report
    e[11].supervisorEId = e[11].id; // their own manager
    e[20].supervisorEId = e[21].id; // a circle of two...
    e[21].supervisorEId = e[20].id;
    e[30].supervisorEId = e[2400].id; // ...and a manager who comes later in the report
    e[40].hireDate = "2024-02-30";
    return report;
  };

  it("gives byte for byte the same JSON, hash and warnings, read from a file or from memory", async () => {
    const report = awkward();
    const file = path.join(dir, "awkward.json");
    fs.writeFileSync(file, JSON.stringify(report));
    const expected = whole(report);
    for (const prepared of [await payloadFromReportFile(config, file), await payloadFromReport(config, report)]) {
      try {
        expect(Buffer.concat([...prepared.text.read()]).toString()).toBe(JSON.stringify(expected.payload));
        expect(gunzipSync(await prepared.gzipped()).toString()).toBe(JSON.stringify(expected.payload));
        expect(prepared.buildWarnings).toEqual(expected.warnings);
        expect(prepared.buildWarnings.join("\n")).toMatch(/1 employees have a supervisor who is not in the report[\s\S]*not a date[\s\S]*their own manager[\s\S]*circle[\s\S]*customShoeSize/);
        expect([prepared.employeeCount, prepared.groupCount]).toEqual([2500, expected.payload.groups.length]);
      } finally {
        prepared.dispose();
      }
    }
  });

  // Both kinds of index the checker keeps: Maps of the values (up to EXACT_INDEX_LIMIT expected employees) and hashes.
  it.each([
    ["Maps of the values", Infinity],
    ["tables of hashes", -1],
  ])("finds what the whole-payload validation finds, with the same words (%s)", (_kind, exactUpTo) => {
    const base = whole(bigReport(40, 6)).payload;
    const edits: ((p: HrisPayload) => void)[] = [
      (p) => (p.employees[3].id = p.employees[1].id.toUpperCase()),
      (p) => (p.employees[4].employee_number = p.employees[2].employee_number),
      (p) => (p.employees[5].email = p.employees[6].email!.toUpperCase()),
      (p) => (p.employees[7].managers = [{ id: "nobody" }]),
      (p) => (p.employees[8].managers = [{ id: p.employees[8].id }]),
      (p) => (p.employees[9].department = { id: "department:none" }),
      (p) => (p.employees[9].start_date = "2023-02-29T00:00:00Z"),
      (p) => (p.employees[10].termination_date = "2001-01-01T00:00:00Z"),
      (p) => (p.employees[11].custom_properties = { undeclared: "x", cost_center_code: 5 }),
      (p) => ((p.employees[12] as Record<string, unknown>).shoe_size = "9"),
      (p) => ((p.employees[13] as Partial<HrisPayload["employees"][0]>).name = undefined),
      (p) => p.groups.push({ ...p.groups[0], id: p.groups[0].id.toUpperCase() }),
      (p) => (p.groups[1].parent = { id: "division:nowhere" }),
    ];
    for (const edit of edits) {
      const p = structuredClone(base);
      edit(p);
      let expected: PayloadValidationError | undefined;
      try {
        validateHrisPayload(structuredClone(p));
      } catch (e) {
        expected = e as PayloadValidationError;
      }
      const { employees, groups, ...head } = p;
      const checker = new StreamingPayloadChecker(head, 0, exactUpTo);
      expect(checker.exact).toBe(exactUpTo === Infinity);
      let got: PayloadValidationError | undefined;
      try {
        // In batches, as a sync checks them: a batch with a bad employee is checked employee by employee.
        for (let i = 0; i < employees.length; i += 16) checker.employees(employees.slice(i, i + 16), i);
        checker.finish(groups, (wanted) => new Map([...wanted].map((i) => [i, employees[i]])));
      } catch (e) {
        got = e as PayloadValidationError;
      }
      expect(expected, edit.toString()).toBeInstanceOf(PayloadValidationError);
      expect(new Set(got?.issues), edit.toString()).toEqual(new Set(expected!.issues));
    }
  });

  it("checks the streamed employees before anything can be sent, naming the record", async () => {
    const report = bigReport(50, 5);
    report.employees[7].workEmail = report.employees[3].workEmail;
    await expect(payloadFromReport(config, report)).rejects.toThrow(/\$\.employees\[7\]\.email: duplicates the email of employees\[3\]/);
  });

  describe("a directory fetched live from BambooHR", () => {
    /** A fetch that answers the report request with `chunks`, calling `beforeChunk` before each is handed over. */
    const answering = (chunks: string[], beforeChunk: (i: number) => Promise<void> | void = () => {}, failAt?: number): typeof fetch =>
      (async () => {
        let i = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (i === failAt) return controller.error(new Error("socket hang up"));
            if (i === chunks.length) return controller.close();
            await beforeChunk(i);
            controller.enqueue(new TextEncoder().encode(chunks[i++]));
          },
        });
        return new Response(body, { status: 200, headers: { "Content-Type": "application/json" } });
      }) as typeof fetch;

    it("streams the answer through a private temporary file, removed afterwards, into the payload a whole report gives", async () => {
      const report = bigReport(300, 20);
      const text = JSON.stringify(report);
      const modes: number[] = [];
      await inOwnTmpdir(dir, async (tmp) => {
        // Before the last piece: once the file is open (a bounded number of turns of the event loop, not a clock).
        const seeing = async () => {
          const files = () => fs.readdirSync(tmp).flatMap((d) => fs.readdirSync(path.join(tmp, d)).map((f) => path.join(tmp, d, f)));
          for (let turn = 0; turn < 10_000 && !files().length; turn++) await new Promise((r) => setImmediate(r));
          for (const f of files()) modes.push(fs.statSync(f).mode & 0o777);
        };
        const prepared = await prepareVezaPayload(config, "a-key", { fetchImpl: answering([text.slice(0, 5000), text.slice(5000)], (i) => (i === 1 ? seeing() : undefined)) });
        const whole = await payloadFromReport(config, report);
        try {
          expect(prepared.hash).toBe(whole.hash);
          expect(prepared.buildWarnings).toEqual(whole.buildWarnings);
        } finally {
          prepared.dispose();
          whole.dispose();
        }
        expect(fs.readdirSync(tmp)).toEqual([]);
      });
      expect(modes).toEqual([0o600]);
    });

    it("names a problem of the answer as BambooHR's answer, not by its temporary file", async () => {
      await inOwnTmpdir(dir, async (tmp) => {
        const failure = await prepareVezaPayload(config, "a-key", { fetchImpl: answering(['{"fields": [], "employees": [{"id": "1"}, {"firstName": "x"}]}']) }).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(HrisApiError);
        expect((failure as Error).message).toMatch(/the HRIS answered: \$\.employees: .*without an id at employees\[1\]/);
        expect((failure as Error).message).not.toContain(tmp);
        expect(fs.readdirSync(tmp)).toEqual([]);
      });
    });

    it("says the answer was cut short when the connection drops mid-report, and keeps no partial file", async () => {
      await inOwnTmpdir(dir, async (tmp) => {
        const failure = await prepareVezaPayload(config, "a-key", { fetchImpl: answering(['{"employees": [', '{"id": "1"}'], undefined, 1) }).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(HrisApiError);
        expect((failure as Error).message).toContain("Fetching the BambooHR employee report: the answer was cut short");
        expect(fs.readdirSync(tmp)).toEqual([]);
      });
    });
  });
});

describe("the hash table of ids, numbers and emails past 50,000 employees", () => {
  it("answers the first index stored for a hash, also for hashes that share a slot, as it grows", () => {
    const table = new HashIndex(0);
    // Hashes equal in their low 32 bits land in the same slot: each must still be told apart by its whole value.
    const hashes = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? stringHash(`E${i}`) : (i + 1) * 2 ** 33 + 7));
    hashes.forEach((h, i) => expect(table.add(h, i)).toBe(-1));
    hashes.forEach((h, i) => expect(table.add(h, 99_999)).toBe(i));
    hashes.forEach((h, i) => expect(table.get(h)).toBe(i));
    expect(table.get(stringHash("never stored"))).toBe(-1);
  });
});

describe("the spool", () => {
  it("moves to a file past its memory size, reads any range, and removes the file when disposed", () => {
    const spool = new Spool(1000);
    const text = Array.from({ length: 300 }, (_, i) => `{"n":${i}},`).join("");
    for (let i = 0; i < text.length; i += 37) spool.write(text.slice(i, i + 37));
    expect(spool.onDisk).toBe(true);
    expect(Buffer.concat([...spool.read()]).toString()).toBe(text);
    expect(Buffer.concat([...spool.read(995, 20)]).toString()).toBe(text.slice(995, 1015));
    const files = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("wfm-hris-veza-"));
    spool.dispose();
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("wfm-hris-veza-")).length).toBe(files.length - 1);
  });
});

describe("gzip made in blocks as the text is written", () => {
  const text = JSON.stringify(whole600());
  const gzipOf = (blockBytes: number, pieceBytes: number, level = 9) => {
    const gzip = new BlockGzip(level, blockBytes);
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += pieceBytes) gzip.write(Buffer.from(bytes.subarray(i, i + pieceBytes)));
    return gzip.finish();
  };

  it("is one gzip any gunzip reads back as exactly the text, whatever the blocks and pieces", () => {
    for (const [block, piece] of [[64 * 1024, 1000], [40_000, 77_777], [1 << 20, 4096]]) expect(gunzipSync(gzipOf(block, piece)).toString(), `${block}/${piece}`).toBe(text);
    const empty = new BlockGzip();
    expect(gunzipSync(empty.finish()).length).toBe(0);
    const accents = new BlockGzip(9, 33_000);
    const several = "Zoë Ångström — 東京 ".repeat(5000);
    accents.write(Buffer.from(several));
    expect(gunzipSync(accents.finish()).toString()).toBe(several);
  });

  it("compresses as well as one zlib stream at the same level (matches reach back across blocks)", () => {
    const one = gzipSync(text, { level: 9 }).length;
    expect(gzipOf(1 << 20, 65_536).length).toBeLessThanOrEqual(one + 64);
    // Blocks compressed each alone would lose their first 32 KB of context: the preset window is what keeps it.
    expect(gzipOf(40_000, 65_536).length).toBeLessThan(one * 1.01);
  });
});

describe("multipart from the spool", () => {
  const fake = new FakeVeza("veza-test-key");
  let client: VezaClient;
  let providerId: string;
  beforeAll(async () => {
    const url = await fake.start();
    const { httpFetch } = await import("../lib/veza/http");
    client = new VezaClient({ baseUrl: url, apiKey: "veza-test-key", fetchImpl: httpFetch as unknown as typeof fetch });
    providerId = (await client.createProvider("Stream HRIS", "hris")).id;
  });
  afterAll(() => fake.stop());

  it("makes each part's base64 from the text in pieces that join into the part's base64", () => {
    const spool = new Spool(100);
    const text = "x".repeat(50) + "é".repeat(100) + "{}";
    spool.write(text);
    const body = partBody('{"head":"', spool, 7, 200);
    const sent = [...body.pieces()].map((p) => Buffer.from(p)).join("");
    expect(sent).toBe(`{"head":"${Buffer.from(text).subarray(7, 207).toString("base64")}"}`);
    expect(Buffer.byteLength(sent)).toBe(body.length);
    spool.dispose();
  });

  it("sends a payload past the threshold in parts the fake joins into exactly the text", async () => {
    // The threshold and part size made small (oaaclient's 50,000,000 are the defaults, test/vezaMultipart.test.ts).
    const threshold = 400_000;
    const { httpFetch } = await import("../lib/veza/http");
    const limited = new VezaClient({ baseUrl: fake.url, apiKey: "veza-test-key", fetchImpl: httpFetch as unknown as typeof fetch, limits: { multipartThresholdBytes: threshold, partBytes: threshold } });
    const ds = await client.createDataSource(providerId, "parts");
    // A spool past its memory size: the parts are read back from its file.
    const spool = new Spool(100_000);
    const payload = whole600();
    // Padding (JSON whitespace) past the threshold, so oaaclient's rule chooses parts.
    const text = JSON.stringify(payload) + " ".repeat(threshold + 1 - JSON.stringify(payload).length);
    spool.write(text);
    expect(spool.onDisk).toBe(true);
    const result = await limited.pushText(providerId, ds.id, spool, () => Promise.reject(new Error("a payload sent in parts is not gzipped")));
    spool.dispose();
    expect(result.stats).toMatchObject({ mode: "parts", parts: 2 });
    expect(result.stats!.maxBodyBytes).toBeLessThan(Math.ceil(threshold / 3) * 4 + 200);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.dataSources.get(ds.id)!.lastJson).toBe(text);
    expect(fake.dataSources.get(ds.id)!.status).toBe("SUCCESS");
  });
});

function whole600(): HrisPayload {
  return buildHrisPayload(bigReport(600, 30), { kind: "bamboohr", companyDomain: "acme" } as never, { name: "Acme", idpProviders: [], employeeProperties: {} }).payload;
}
