import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBambooHr } from "../hris/bamboohr/fake";
import { corpusDir } from "./conformance/corpus";
import { responseFor } from "./conformance/standIn";
import { CliResult, runTool } from "./helpers/cli";

const fake = new FakeBambooHr({ companyDomain: "acmedev" });
const runs: Record<string, CliResult> = {};
const API_KEY = "test-api-key-admin";

beforeAll(async () => {
  const url = await fake.start();
  const env = { WFM_HRIS_HRIS_API_KEY: API_KEY };
  const jobs: Record<string, [string[], Record<string, string>]> = {
    balance: [["get-balance", "--input", "employeeId=120", "--input", "end=2026-12-01", "--hris-url", url], env],
    put: [["Bamboo-Put-TimeOff-Request", "--input", "employeeId=120", "--input", "timeOffTypeId=78", "--input", "status=approved", "--input", "start=2026-12-21", "--input", "end=2026-12-21", "--input", "dates=2026-12-21", "--input", "payableMinutes=450", "--input", 'note=Say "hi"', "--hris-url", url], env],
    wrongKey: [["get-timeoff-types", "--hris-url", url], { WFM_HRIS_HRIS_API_KEY: "wrong-api-key-5678" }],
    badInput: [["get-balance", "--input", "employeeId=abc", "--input", "end=2026-12-01", "--hris-url", url], env],
    undeclared: [["get-balance", "--input", "employee=120", "--hris-url", url], env],
    unknownAction: [["get-everything", "--hris-url", url], env],
  };
  const results = await Promise.all(Object.entries(jobs).map(async ([k, [args, e]]) => [k, await runTool("action.ts", args, e)] as const));
  Object.assign(runs, Object.fromEntries(results));
});
afterAll(() => fake.stop());

describe("npm run action", () => {
  it("prints the request, the raw response, the output, the flattened output and the verdict; exits 0 on success", () => {
    const { status, stdout } = runs.balance;
    expect(status).toBe(0);
    expect(stdout).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/gateway\.php\/acmedev\/v1\/employees\/120\/time_off\/calculator\?end=2026-12-01&precision=4/);
    expect(stdout).toContain("Response: HTTP 200 (application/json)");
    expect(stdout).toContain('"balanceMinutes": [');
    expect(stdout).toMatch(/Flattened \(as Architect sees it\):\n    end: "2026-12-01"\n    timeOffTypeIds: \["78","79","80","83","85"\]/);
    expect(stdout).toContain("Verdict: success; the output satisfies the output contract");
  });

  it("shows the rendered JSON body of a PUT, with the note escaped", () => {
    expect(runs.put.status).toBe(0);
    expect(runs.put.stdout).toContain('"note": "Say \\"hi\\""');
    expect(runs.put.stdout).toContain('"amount": 7.5');
  });

  it("exits 1 with the failing stage and a hint, never printing the key", () => {
    const { status, stdout, stderr } = runs.wrongKey;
    expect(status).toBe(1);
    expect(stdout).toContain("Verdict: FAILED [response] HTTP_401");
    expect(stdout + stderr).not.toContain("wrong-api-key-5678");
    expect(stdout).not.toContain(Buffer.from("wrong-api-key-5678:x").toString("base64"));
  });

  it("exits 1 when the input breaks the input contract, without calling the HRIS", () => {
    expect(runs.badInput.status).toBe(1);
    expect(runs.badInput.stdout).toContain('Verdict: FAILED [input] INPUT_CONTRACT: input does not satisfy the input contract: /employeeId must match pattern "^[0-9]+$"');
    expect(runs.badInput.stdout).not.toContain("Request:");
  });

  it("rejects an input the action does not declare, listing the ones it takes", () => {
    expect(runs.undeclared.status).toBe(2);
    expect(runs.undeclared.stderr).toContain("--input employee: Bamboo-Get-Balance declares no such input; it takes: employeeId, end, hoursPerDay");
  });

  it("names the known actions for an unknown one", () => {
    expect(runs.unknownAction.status).toBe(2);
    expect(runs.unknownAction.stderr).toMatch(/no data action "get-everything" in this stack; known: Bamboo-Change-TimeOff-Request-Status, Bamboo-Get-Agents, /);
  });
});

// Public exports from the conformance corpus (never committed, read at their recorded commits: test/conformance/corpus.ts).
const CORPUS = corpusDir("data-actions") ?? "";
describe.skipIf(!CORPUS)("npm run action -- --file (any definition, offline)", () => {
  const webServices = `${CORPUS}/limitless-flows-blueprint/Limitless---Get-Full-Event-from-SmartCrowd-v1-2021062184345.custom.json`;
  const genesysApi = `${CORPUS}/callback-prioritization/Get-Interaction-State.custom.json`;
  const TOKEN = "canary-access-token-7f3e";
  const hits: { url?: string; authorization?: string }[] = [];
  let server: http.Server;
  let url = "";
  const results: Record<string, CliResult> = {};

  beforeAll(async () => {
    // The stand-in answers each definition with a response in which its translation paths resolve.
    const bodyFor = (file: string) => {
      const d = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), file), "utf8"));
      return JSON.stringify(responseFor(d.config.response.translationMap, d.contract.output.successSchema));
    };
    server = http.createServer((req, res) => {
      hits.push({ url: req.url, authorization: req.headers.authorization });
      const body = req.url!.startsWith("/api/v2/") ? bodyFor(genesysApi) : bodyFor(webServices);
      res.writeHead(200, { "Content-Type": "application/json" }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const none = { GENESYS_CLOUD_ACCESS_TOKEN: "", DATA_ACTION_CREDENTIAL_USER_NAME: "", DATA_ACTION_CREDENTIAL_PASSWORD: "" };
    const jobs: Record<string, [string[], Record<string, string>]> = {
      web: [["--file", webServices, "--input", "stage=dev", "--input", "conversationId=e1", "--input", "apikey=k1", "--credential-type", "userDefined", "--hris-url", url], none],
      basicMissing: [["--file", webServices, "--input", "stage=dev", "--input", "conversationId=e1", "--input", "apikey=k1", "--hris-url", url], none],
      apiNoToken: [["--file", genesysApi, "--input", "conversationId=c1", "--hris-url", url], none],
      api: [["--file", genesysApi, "--input", "conversationId=c1", "--hris-url", url], { ...none, GENESYS_CLOUD_ACCESS_TOKEN: TOKEN }],
      stackNoKey: [["get-timeoff-types", "--hris-url", url], { WFM_HRIS_HRIS_API_KEY: "" }],
    };
    const before = hits.length;
    for (const [k, [args, env]] of Object.entries(jobs)) results[k] = await runTool("action.ts", args, env);
    expect(before).toBe(0);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("runs a public Web Services action from its file against the given origin, keeping the path", () => {
    expect(results.web.status, results.web.stdout).toBe(0);
    expect(results.web.stdout).toContain("GET https://dev.api.belimitless-app.io/crm/integration/messages/events/e1");
    expect(hits.some((h) => h.url === "/crm/integration/messages/events/e1")).toBe(true);
    expect(results.web.stdout).toContain("Verdict: success");
  });

  it("runs a Genesys Cloud action (relative /api/v2 URL) with the access token, never printing it", () => {
    expect(results.api.status, results.api.stdout + results.api.stderr).toBe(0);
    expect(hits.some((h) => h.url === "/api/v2/conversations/c1" && h.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(results.api.stdout + results.api.stderr).not.toContain(TOKEN);
  });

  it("fails before any request when a credential is missing, naming the variable to set", () => {
    expect(results.basicMissing.status).toBe(2);
    expect(results.basicMissing.stderr).toContain("DATA_ACTION_CREDENTIAL_USER_NAME, DATA_ACTION_CREDENTIAL_PASSWORD");
    expect(results.apiNoToken.status).toBe(2);
    expect(results.apiNoToken.stderr).toContain("set GENESYS_CLOUD_ACCESS_TOKEN");
    expect(results.stackNoKey.status).toBe(2);
    expect(results.stackNoKey.stderr).toContain("WFM_HRIS_HRIS_API_KEY");
    // Only the two successful runs reached the server.
    expect(hits.filter((h) => !h.url!.startsWith("/api/gateway.php")).length).toBe(2);
    expect(hits.some((h) => h.url!.startsWith("/api/gateway.php"))).toBe(false);
  });
});

describe.skipIf(!CORPUS)("npm run action -- --file with a User Defined (OAuth) credential", () => {
  // A Microsoft Teams blueprint's action and the custom auth action it reads ${authResponse.token_type} and
  // ${authResponse.access_token} from (Office 365 client-credentials token).
  const meeting = `${CORPUS}/microsoft-teams-blueprint/Create-Teams-Meeting.custom.json`;
  const office365 = `${CORPUS}/microsoft-teams-blueprint/Office-365-Auth.customAuth.json`;
  const TOKEN = "canary-graph-token-91b4";
  const SECRET = "canary-client-secret-3c7a";
  const credentialEnv = {
    DATA_ACTION_CREDENTIAL_TENANT_ID: "contoso-tenant",
    DATA_ACTION_CREDENTIAL_CLIENT_ID: "graph-client",
    DATA_ACTION_CREDENTIAL_CLIENT_SECRET: SECRET,
    DATA_ACTION_CREDENTIAL_SCOPE: "https://graph.microsoft.com/.default",
    DATA_ACTION_CREDENTIAL_GRANT_TYPE: "client_credentials",
  };
  const hits: { method?: string; url?: string; authorization?: string; body: string }[] = [];
  let server: http.Server;
  const results: Record<string, CliResult> = {};

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        hits.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
        // The token endpoint answers as an OAuth 2.0 token endpoint does (RFC 6749 §5.1); Graph with the event.
        const body = req.url!.endsWith("/oauth2/v2.0/token")
          ? { access_token: TOKEN, token_type: "Bearer", expires_in: 3599 }
          : { id: "event-1", onlineMeeting: { joinUrl: "https://teams.example/join/1" } };
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const inputs = ["--input", "user=agent@contoso.example", "--input", "startTime=2026-12-01T10:00:00", "--input", "endTime=2026-12-01T10:30:00", "--input", "timeZone=UTC"];
    const jobs: Record<string, string[]> = {
      paired: ["--file", meeting, "--auth-action", office365, ...inputs, "--hris-url", url],
      noAuthAction: ["--file", meeting, ...inputs, "--hris-url", url],
      notCustomAuth: ["--file", meeting, "--auth-action", meeting, ...inputs, "--hris-url", url],
      authAlone: ["--file", office365, "--hris-url", url],
    };
    for (const [k, args] of Object.entries(jobs)) results[k] = await runTool("action.ts", args, credentialEnv);
  }, 600_000);
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("runs the custom auth action first and sends its token with the action, printing neither token nor secret", () => {
    const { status, stdout, stderr } = results.paired;
    expect(status, stdout + stderr).toBe(0);
    expect(hits.slice(0, 2).map((h) => `${h.method} ${h.url}`)).toEqual(["POST /contoso-tenant/oauth2/v2.0/token", "POST /v1.0/users/agent@contoso.example/calendar/events"]);
    expect(hits[0].authorization).toBe(`Basic ${Buffer.from(`graph-client:${SECRET}`).toString("base64")}`);
    expect(hits[0].body).toBe("scope=https://graph.microsoft.com/.default&grant_type=client_credentials");
    expect(hits[1].authorization).toBe(`Bearer ${TOKEN}`);
    expect(stdout).toContain('"joinUrl": "https://teams.example/join/1"');
    expect(stdout + stderr).not.toContain(TOKEN);
    expect(stdout + stderr).not.toContain(SECRET);
  });

  it("refuses, before any request, an action reading authResponse without its custom auth action, saying which option to give", () => {
    expect(results.noAuthAction.status).toBe(2);
    expect(results.noAuthAction.stderr).toContain("reads ${authResponse.token_type}, ${authResponse.access_token}, the output of its integration's custom auth action: give that action's export with --auth-action <file.customAuth.json>");
    expect(results.notCustomAuth.status).toBe(2);
    expect(results.notCustomAuth.stderr).toContain("is not a custom auth action export (its actionType is custom, not customAuth)");
    // Only the paired and the lone runs reached the server: two requests, then one.
    expect(hits).toHaveLength(3);
  });

  it("runs a custom auth export on its own, masking the token it returns", () => {
    const { status, stdout, stderr } = results.authAlone;
    expect(status, stdout + stderr).toBe(0);
    // Every credential field but a login URL is masked, the tenant id in the URL included.
    expect(stdout).toContain("POST https://login.microsoftonline.com/[secret]/oauth2/v2.0/token");
    expect(stdout).toContain("(not sent: Transfer-Encoding; the HTTP client sets these itself)");
    expect(stdout).toContain('"access_token": "[secret]"');
    expect(stdout + stderr).not.toContain(TOKEN);
    expect(stdout + stderr).not.toContain(SECRET);
  });
});
