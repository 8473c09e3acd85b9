import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_PEOPLE } from "../examples/custom-hris/fake";
import { HrisApiError } from "../hris";
import { FileValidationError } from "../lib/jsonFile";
import { PreparedPayload, directoryReader, payloadFromReport, payloadFromReportFile, prepareVezaPayload } from "../lib/veza/prepare";
import { validConfig } from "./helpers/config";
import { expectSameAsWholeBuild, filesIn, inOwnTmpdir, textOf } from "./helpers/streamedPayloads";

/**
 * A custom HRIS's directory (wfm-hris.json `directory`, docs/custom-hris.md) streams as BambooHR's does: the one GET's
 * answer written as it arrives to a private temporary file, the list at `employeesAt` read from it as a stream and
 * mapped record by record, giving exactly the payload (bytes, hash, warnings) of the whole build.
 */
const KEY = "CANARY-custom-hris-api-key";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-cstream-"));

/** Contoso HR's folder with a mapping into a nested answer ({data: {people}}) and nested fields (name.first, manager.id). */
function folder(employeesAt = "data.people"): string {
  const to = path.join(dir, `hris-${employeesAt}`);
  fs.cpSync(path.resolve("examples/custom-hris/hris"), to, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(to, "wfm-hris.json"), "utf8"));
  manifest.directory = {
    path: "/api/v2/people?include=all",
    employeesAt,
    fields: { id: "id", firstName: "name.first", lastName: "name.last", email: "workEmail", jobTitle: "title", department: "department", location: "office", managerId: "manager.id", status: "status", startDate: "startedOn", terminationDate: "leftOn" },
    activeStatuses: ["active", "on-leave"],
  };
  fs.writeFileSync(path.join(to, "wfm-hris.json"), JSON.stringify(manifest));
  return to;
}

/** 3,000 people (~700 KB) with what the build warns about: managers outside the list and later in it, a circle, a self-manager, bad dates, numeric ids. */
function people(): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [];
  for (let i = 0; i < 3000; i++) {
    list.push({
      id: i % 7 ? `C-${i}` : 100_000 + i,
      name: { first: i % 11 ? `Zoë ${i}` : "", last: `Lastname${i % 50}` },
      workEmail: i % 13 ? `p${i}@contoso.example` : null,
      title: ["Agent", "Lead"][i % 2],
      department: `Dept ${i % 9}`,
      office: i % 5 ? `Office ${i % 4}` : "",
      manager: i < 10 ? null : { id: `C-${(i % 9) + 1}` },
      status: ["active", "on-leave", "terminated"][i % 3],
      startedOn: i % 17 ? `2020-0${1 + (i % 9)}-1${i % 9}` : "2020-02-30",
      leftOn: i % 3 === 2 ? "2026-01-01T10:00:00+02:00" : null,
      costCenter: `CC-${i % 4}`,
    });
  }
  list[20].manager = { id: list[21].id };
  list[21].manager = { id: list[20].id };
  list[22].manager = { id: list[22].id };
  list[23].manager = { id: "C-nobody" };
  list[24].manager = { id: list[2900].id };
  return list;
}

/** What the HRIS answers the directory GET: a body, or a body cut by a dropped connection. */
let answer: (res: http.ServerResponse) => void;
const requests: { url?: string; authorization?: string }[] = [];
const server = http.createServer((req, res) => {
  requests.push({ url: req.url, authorization: req.headers.authorization });
  answer(res);
});
let config: ReturnType<typeof validConfig>;
const stackConfig = (hrisPath: string, baseUrl: string) =>
  validConfig({
    values: {
      customer: "contoso",
      hris: { kind: "custom", path: hrisPath, name: "contoso-hr", baseUrl },
      veza: { url: "https://contoso.vezacloud.com", idpProviders: ["azure_ad"], employeeProperties: { cost_center: "costCenter", badge: "badge.number" } },
    },
    secrets: ["hrisApiKey", "genesysOauthClientSecret", "vezaApiKey"],
  });
let list: Record<string, unknown>[];
const bodyOf = (l: unknown[]) => JSON.stringify({ meta: { count: l.length }, data: { people: l, next: null } });

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = stackConfig(folder(), baseUrl);
  list = people();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

const buildOptions = () => ({ name: config.veza!.dataSourceName, idpProviders: config.veza!.idpProviders, employeeProperties: config.veza!.employeeProperties, idpIdField: config.veza!.idpIdField });
const whole = (records: Record<string, unknown>[]) => directoryReader(config).build(records, config.hris, buildOptions());

const expectWholeBuild = async (prepared: PreparedPayload, records: Record<string, unknown>[]) => expectSameAsWholeBuild(prepared, whole(records));


describe("a custom HRIS's directory fetched live", () => {
  it("gives byte for byte the payload, hash and warnings of the whole build", async () => {
    answer = (res) => res.writeHead(200, { "Content-Type": "application/json" }).end(bodyOf(list));
    await expectWholeBuild(await prepareVezaPayload(config, KEY), list);
    expect(requests.at(-1)).toEqual({ url: "/api/v2/people?include=all", authorization: `Basic ${Buffer.from(`${KEY}:x`).toString("base64")}` });
    expect(whole(list).warnings.join("\n")).toMatch(
      /^\d+ employees have a manager who is not in the list[\s\S]*startedOn that is not a date[\s\S]*their own manager[\s\S]*circle of managers[\s\S]*badge\.number/,
    );
  });

  it("writes the answer to a temporary file readable only by this user, without the key in its name or progress, removed afterwards", async () => {
    const seen: { file: string; mode: number }[] = [];
    const progress: string[] = [];
    await inOwnTmpdir(dir, async (tmp) => {
      const body = bodyOf(list);
      answer = (res) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write(body.slice(0, 100_000));
        // The rest once the first part is in the file (a bounded number of turns of the event loop, not a clock).
        void (async () => {
          for (let turn = 0; turn < 10_000 && !filesIn(tmp).some((f) => fs.statSync(f).size > 0); turn++) await new Promise((r) => setImmediate(r));
          for (const file of filesIn(tmp)) seen.push({ file, mode: fs.statSync(file).mode & 0o777 });
          res.end(body.slice(100_000));
        })();
      };
      const prepared = await prepareVezaPayload(config, KEY, { onProgress: (line) => progress.push(line) });
      prepared.dispose();
      expect(fs.readdirSync(tmp)).toEqual([]);
    });
    expect(seen.map((s) => s.mode)).toEqual([0o600]);
    expect(progress.length).toBeGreaterThan(0);
    for (const text of [seen[0].file, ...progress]) expect(text).not.toContain(KEY);
  });

  it("says the answer was cut short when the connection drops mid-answer, keeping no file and not showing the key", async () => {
    await inOwnTmpdir(dir, async (tmp) => {
      const body = bodyOf(list);
      answer = (res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) });
        res.write(body.slice(0, 50_000), () => res.destroy());
      };
      const failure = await prepareVezaPayload(config, KEY).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(HrisApiError);
      expect((failure as Error).message).toContain("Fetching the Contoso HR employee list: the answer was cut short");
      expect((failure as Error).message).not.toContain(KEY);
      expect(fs.readdirSync(tmp)).toEqual([]);
    });
  });

  it("names a problem of the answer as the HRIS's answer, not by the temporary file", async () => {
    await inOwnTmpdir(dir, async (tmp) => {
      answer = (res) => res.writeHead(200, { "Content-Type": "application/json" }).end(bodyOf([...list.slice(0, 400), { ...list[400], id: { value: 1 } }]));
      const failure = await prepareVezaPayload(config, KEY).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(HrisApiError);
      expect((failure as Error).message).toMatch(/^Reading the Contoso HR employee list JSON \(.*\) the HRIS answered: \$: .*has an employee at index 400 that has an id \(id\) that is an object/);
      expect((failure as Error).message).not.toContain(tmp);
      answer = (res) => res.writeHead(200, { "Content-Type": "application/json" }).end('{"data": {"people": [{"id": "C-1"},, ]}}');
      const syntax = await prepareVezaPayload(config, KEY).catch((e: unknown) => e);
      expect((syntax as Error).message).toMatch(/the HRIS answered: line 1 column 36: is not valid JSON/);
      expect((syntax as Error).message).not.toContain(tmp);
      expect(fs.readdirSync(tmp)).toEqual([]);
    });
  });
});

describe("a custom HRIS's saved answer read as a stream", () => {
  const save = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("gives the whole build's payload, the list read in pieces wherever it sits in the answer", async () => {
    // Large enough to be read in several pieces of 32 KB, each cutting a record somewhere.
    expect(bodyOf(list).length).toBeGreaterThan(5 * 32_768);
    await expectWholeBuild(await payloadFromReportFile(config, save("people.json", bodyOf(list))), list);
    await expectWholeBuild(await payloadFromReportFile(config, save("people-pretty.json", JSON.stringify({ data: { people: list } }, null, 2))), list);
    await expectWholeBuild(await payloadFromReport(config, list), list);
  });

  it("names the mapping when the answer has no list at employeesAt", async () => {
    const failure = await payloadFromReportFile(config, save("elsewhere.json", JSON.stringify({ data: { persons: list.slice(0, 3) } }))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FileValidationError);
    expect(String(failure)).toMatch(/has no employee list at data\.people \(directory\.employeesAt\)[\s\S]*fix: save the JSON answer of GET <hris\.baseUrl>\/api\/v2\/people\?include=all/);
  });
});

describe("a list the stream cannot reach", () => {
  it("is still read, whole, when employeesAt goes through a list (results.0.people)", async () => {
    const through = stackConfig(folder("results.0.people"), config.hris.baseUrl);
    answer = (res) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ results: [{ people: list.slice(0, 50) }] }));
    const live = await prepareVezaPayload(through, KEY);
    const expected = directoryReader(through).build(list.slice(0, 50), through.hris, buildOptions());
    try {
      expect(textOf(live)).toBe(JSON.stringify(expected.payload));
    } finally {
      live.dispose();
    }
    const file = path.join(dir, "through-list.json");
    fs.writeFileSync(file, JSON.stringify({ results: [{ people: list.slice(0, 50) }] }));
    expect(directoryReader(through).readReportFile(file)).toEqual(list.slice(0, 50));
  });
});

describe("upgrading to the streaming build", () => {
  it("keeps the hash of the worked example's directory that the whole build gave before streaming (no push again)", async () => {
    const example = validConfig({
      values: { customer: "contoso", hris: { kind: "custom", path: "examples/custom-hris/hris", name: "contoso-hr", baseUrl: "https://hr.contoso.example" }, veza: { url: "https://contoso.vezacloud.com", idpProviders: ["azure_ad"], employeeProperties: { cost_center: "costCenter" } } },
      secrets: ["hrisApiKey", "genesysOauthClientSecret", "vezaApiKey"],
    });
    const prepared = await payloadFromReport(example, CONTOSO_PEOPLE.map((p, i) => ({ ...p, costCenter: `CC-${i % 2}` })));
    try {
      // SHA-256 of JSON.stringify of hris/custom/directory.ts's build at 43d0d81, before streaming.
      expect(prepared.hash).toBe(PRE_STREAMING_HASH);
    } finally {
      prepared.dispose();
    }
  });
});

const PRE_STREAMING_HASH = "3be328b24a6ed0c0672cf9d0590ccf3b9470704994c42921b9eaa606e3d5db7f";
