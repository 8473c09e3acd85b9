import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HrisApiError } from "../hris";
import type { PersonioEmployee } from "../hris/personio/client";
import { FakePersonio } from "../hris/personio/fake";
import { SeedEmployee, seedEmployees } from "../hris/personio/fakeData";
import { personioDirectory } from "../hris/personio/veza";
import { FileValidationError } from "../lib/jsonFile";
import { loadOfflineStack } from "../lib/plan/offlineStack";
import { PreparedPayload, extraFields, payloadFromReport, payloadFromReportFile, prepareVezaPayload } from "../lib/veza/prepare";
import { expectSameAsWholeBuild, filesIn, inOwnTmpdir } from "./helpers/streamedPayloads";

/**
 * A Personio directory streams as BambooHR's does (docs/veza-sync.md): the pages written as they arrive to a private
 * temporary file, read back as a stream and mapped one employee at a time, giving exactly the payload (bytes, hash,
 * warnings) of the whole build.
 */
const SECRET = "CANARY-personio-stream-secret";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-pstream-"));

/** 800 employees (8 pages) with what the build warns about, as the fake serves it. */
function awkwardSeed(): SeedEmployee[] {
  const seed = seedEmployees(800);
  seed[20].supervisorId = seed[21].id; // a circle of two
  seed[21].supervisorId = seed[20].id;
  seed[22].supervisorId = seed[22].id; // their own manager
  seed[30].supervisorId = seed[750].id; // a manager on a later page
  seed[40].hireDate = "2026-02-30"; // not a date
  (seed[41] as { status: string }).status = "retired"; // a status Personio does not document
  return seed;
}
const fake = new FakePersonio({ clients: { cid: SECRET }, employees: awkwardSeed() });
let config: ReturnType<typeof loadOfflineStack>["config"];

beforeAll(async () => {
  const url = await fake.start();
  const stackFile = path.join(dir, "Pulumi.pstream.yaml");
  fs.writeFileSync(
    stackFile,
    "config:\n  wfm-hris:customer: initech\n  wfm-hris:genesys:\n    region: eu-central-1\n  wfm-hris:hris:\n    kind: personio\n    hostname: initech\n" +
      `    baseUrl: ${url}\n    auth:\n      type: oauth\n      clientId: cid\n      tokenUrl: ${url}/v1/auth\n  wfm-hris:hrisOauthClientSecret: unused\n  wfm-hris:vezaApiKey: unused\n` +
      "  wfm-hris:veza:\n    url: https://initech.vezacloud.com\n    idpProviders: [okta]\n    idpIdField: dynamic_24407\n    employeeProperties:\n      okta_login: dynamic_24407\n      shoe_size: dynamic_99\n",
  );
  config = loadOfflineStack("pstream", stackFile).config;
});
afterAll(async () => {
  await fake.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const buildOptions = () => ({ name: config.veza!.dataSourceName, idpProviders: config.veza!.idpProviders, employeeProperties: config.veza!.employeeProperties, idpIdField: config.veza!.idpIdField });
/** The whole-report build of a fetched report: what the payload must equal. */
const whole = (report: PersonioEmployee[]) => personioDirectory.build(report, config.hris, buildOptions());
const fetched = () => personioDirectory.fetch(config.hris, SECRET, { extraFields: extraFields(config) });

const expectWholeBuild = async (prepared: PreparedPayload, report: PersonioEmployee[]) => expectSameAsWholeBuild(prepared, whole(report));


/** A fetch that answers the employees page at `offset` with `answer` (the rest from the fake). */
const replacingPage = (offset: number, answer: () => Response): typeof fetch =>
  (async (input, init) => (String(input).includes("/v1/company/employees") && new URL(String(input)).searchParams.get("offset") === String(offset) ? answer() : fetch(input, init))) as typeof fetch;

describe("a Personio directory fetched live", () => {
  it("gives byte for byte the payload, hash and warnings of the whole build", async () => {
    const report = await fetched();
    await expectWholeBuild(await prepareVezaPayload(config, SECRET), report);
    // The directory has every kind of warning the build gives (a manager outside it: the saved-report tests below).
    expect(whole(report).warnings.join("\n")).toMatch(/hire_date that is not a date[\s\S]*their own manager[\s\S]*circle of managers[\s\S]*status Personio does not document \(retired\)[\s\S]*shoe_size/);
  });

  it("writes the pages to a temporary file readable only by this user, without the secret in its name, text or progress, removed afterwards", async () => {
    const seen: { file: string; mode: number; text: string }[] = [];
    const progress: string[] = [];
    await inOwnTmpdir(dir, async (tmp) => {
      // When the second page is asked for, the first is in the file.
      const fetchImpl: typeof fetch = async (input, init) => {
        if (new URL(String(input)).searchParams.get("offset") === "100")
          for (const file of filesIn(tmp)) seen.push({ file, mode: fs.statSync(file).mode & 0o777, text: fs.readFileSync(file, "utf8") });
        return fetch(input, init);
      };
      const prepared = await prepareVezaPayload(config, SECRET, { fetchImpl, onProgress: (line) => progress.push(line) });
      prepared.dispose();
      expect(fs.readdirSync(tmp)).toEqual([]);
    });
    expect(seen.map((s) => s.mode)).toEqual([0o600]);
    expect(seen[0].text).toMatch(/^\[\{"type":"Employee"/);
    expect(progress.length).toBeGreaterThan(0);
    for (const text of [seen[0].file, seen[0].text, ...progress]) expect(text).not.toContain(SECRET);
  });

  it("says the answer was cut short when the connection drops mid-page, keeping no file and not showing the secret", async () => {
    await inOwnTmpdir(dir, async (tmp) => {
      const dropping = () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"success": true, "data": [{"type": "Employee", "attributes": {"id": {"value": 1'));
              controller.error(new Error("socket hang up"));
            },
          }),
          { status: 200, headers: { "Content-Type": "application/json" } },
        );
      const failure = await prepareVezaPayload(config, SECRET, { fetchImpl: replacingPage(200, dropping) }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(HrisApiError);
      expect((failure as Error).message).toContain("Fetching the Personio employees: the answer at offset 200 was cut short");
      expect((failure as Error).message).not.toContain(SECRET);
      expect(fs.readdirSync(tmp)).toEqual([]);
    });
  });

  it("names a problem of a page as Personio's answer at its offset, not by the temporary file", async () => {
    await inOwnTmpdir(dir, async (tmp) => {
      const page = { success: true, data: [{ type: "Employee", attributes: { id: { value: 1 } } }, { type: "Employee", attributes: { id: { value: { nested: 2 } } } }] };
      const failure = await prepareVezaPayload(config, SECRET, { fetchImpl: replacingPage(100, () => Response.json(page)) }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(HrisApiError);
      expect((failure as Error).message).toBe("Fetching the Personio employees: the answer at offset 100 has an employee without attributes.id.value at data[1]");
      expect(fs.readdirSync(tmp)).toEqual([]);
    });
  });
});

describe("a saved Personio report read as a stream", () => {
  let report: PersonioEmployee[];
  beforeAll(async () => {
    report = await fetched();
  });
  const save = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
  };
  const pagesOf = (employees: PersonioEmployee[]) =>
    Array.from({ length: Math.ceil(employees.length / 100) }, (_, i) => ({ success: true, metadata: { current_page: i }, data: employees.slice(i * 100, i * 100 + 100) }));

  it("gives the whole build's payload from a list of the employees, a list of pages, or one page", async () => {
    // Large enough to be read in several pieces of 32 KB, each cutting an employee somewhere.
    expect(JSON.stringify(report).length).toBeGreaterThan(10 * 32_768);
    await expectWholeBuild(await payloadFromReportFile(config, save("employees.json", report)), report);
    await expectWholeBuild(await payloadFromReportFile(config, save("pages.json", pagesOf(report))), report);
    await expectWholeBuild(await payloadFromReportFile(config, save("pages-pretty.json", JSON.stringify(pagesOf(report), null, 2))), report);
    await expectWholeBuild(await payloadFromReportFile(config, save("page.json", pagesOf(report)[3])), report.slice(300, 400));
  });

  it("leaves out, with the whole build's warning, supervisors who are not in the report, read once or twice", async () => {
    // Without the first page, its supervisors (the top of the tree) are nowhere: the report is read again to drop them.
    const rest = report.slice(100);
    const file = save("without-first-page.json", JSON.stringify(rest, null, 1));
    const expected = whole(rest);
    expect(expected.warnings[0]).toMatch(/^\d+ employees have a supervisor who is not in the report; their manager was left out$/);
    await expectWholeBuild(await payloadFromReportFile(config, file), rest);
    await expectWholeBuild(await payloadFromReport(config, rest), rest);
  });

  it("names the place of an employee without an id in a saved list", async () => {
    const bad = [...report.slice(0, 5), { type: "Employee", attributes: { first_name: { value: "x" } } }];
    await expect(payloadFromReportFile(config, save("no-id.json", bad))).rejects.toThrow(FileValidationError);
    await expect(payloadFromReportFile(config, save("no-id.json", bad))).rejects.toThrow(/is not a list of Personio employees: it has an employee without attributes\.id\.value at \$\[5\]/);
  });

  it("refuses a list of pages with something else in it, naming the element", async () => {
    const mixed = [pagesOf(report)[0], report[150]];
    await expect(payloadFromReportFile(config, save("mixed.json", mixed))).rejects.toThrow(/\$\[1\].*is not a Personio employees page, though the list's first element is one/);
  });

  it("checks each employee as it is read, naming the one that repeats another's email", async () => {
    const copy = structuredClone(report.slice(0, 300));
    copy[250].attributes.email = { ...copy[250].attributes.email, value: String(copy[3].attributes.email.value).toUpperCase() };
    await expect(payloadFromReportFile(config, save("dup.json", copy))).rejects.toThrow(/\$\.employees\[250\]\.email: duplicates the email of employees\[3\]/);
  });
});

describe("upgrading to the streaming build", () => {
  it("keeps the hash of the fake's seed directory that the whole build gave before streaming (no push again)", async () => {
    const seedFake = new FakePersonio({ employees: seedEmployees(250) });
    const report = [...seedFake.employees.values()].map((e) => ({ type: "Employee", attributes: seedFake.employeeAttributes(e) })) as PersonioEmployee[];
    const prepared = await payloadFromReport(config, report);
    try {
      // SHA-256 of JSON.stringify of hris/personio/directory.ts's buildHrisPayload at 43d0d81, before streaming.
      expect(prepared.hash).toBe(PRE_STREAMING_HASH);
    } finally {
      prepared.dispose();
    }
  });
});

const PRE_STREAMING_HASH = "1b9edfe7650dc9200fc5387ae2f2d9e105dbb7a015b923393094d3543916585d";
