import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadWorkflowSpecs } from "../lib/flows/contract";
import { ArchyLintInput, FlowLintInput, callableAction, lintArchyFlow, lintFlow, loadCallableActions } from "../lib/flows/lint";
import { FileIssue } from "../lib/jsonFile";
import { PROJECT_ROOT, flowPlaceholders, loadStackContent } from "../lib/stackContent";
import { corpusDir as corpusFolder } from "./conformance/corpus";
import { runTool } from "./helpers/cli";
import { validConfig } from "./helpers/config";

const config = validConfig();
const content = loadStackContent(config);
const specs = loadWorkflowSpecs(path.join(PROJECT_ROOT, "flows"));
const typesSpec = specs.find((s) => s.task === "getTimeOffTypes")!;
const shipped = fs.readFileSync(path.join(PROJECT_ROOT, "flows/get-timeoff-types.yaml"), "utf8");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-flows-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const baseSubstitutions = {
  flow_name: "acme-dev-HRIS-Get-TimeOff-Types",
  division: "Home",
  data_action_category: config.genesys.integrationName,
  action_get_timeoff_types: "Bamboo-Get-TimeOff-Types",
};

let counter = 0;
function lint(text: string, overrides: Partial<FlowLintInput> = {}): FileIssue[] {
  const file = path.join(tmp, `flow-${counter++}.yaml`);
  fs.writeFileSync(file, text);
  return lintFlow({
    spec: typesSpec,
    path: file,
    file: "flows/test.yaml",
    flowName: baseSubstitutions.flow_name,
    substitutions: baseSubstitutions,
    category: config.genesys.integrationName,
    actions: new Map(content.actions.map((a) => [a.name, callableAction(a)])),
    ...overrides,
  }).issues;
}
const edit = (from: string, to: string) => {
  expect(shipped).toContain(from);
  return shipped.replace(from, to);
};
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
/** The line `offset` lines below the first occurrence of a (possibly multi-line) needle. */
const lineAfter = (text: string, needle: string, offset: number) => text.slice(0, text.indexOf(needle)).split("\n").length + offset;

describe("flow lint", () => {
  it("passes the five shipped workflows and knows which actions each calls", () => {
    expect(content.flows.map((f) => [f.spec.task, f.calls])).toEqual([
      ["getAgents", ["Bamboo-Get-Agents"]],
      ["getTimeOffTypes", ["Bamboo-Get-TimeOff-Types"]],
      ["getBalance", ["Bamboo-Get-Balance"]],
      ["insertTimeOff", ["Bamboo-Get-Balance", "Bamboo-Put-TimeOff-Request"]],
      ["updateTimeOff", ["Bamboo-Change-TimeOff-Request-Status", "Bamboo-Get-Balance", "Bamboo-Put-TimeOff-Request"]],
    ]);
  });

  it("requires every contract variable", () => {
    const text = edit("    - stringCollectionVariable:\n        name: Flow.id2s\n        initialValue:\n          noValue: true\n        isInput: false\n        isOutput: true\n", "");
    expect(lint(text)).toContainEqual({
      file: "flows/test.yaml",
      path: `line ${lineOf(text, "variables:")}`, // the flow's variables: key
      problem: "lacks Flow.id2s (string collection, output) from the WFM HRIS contract",
      fix: "declare Flow.id2s as stringCollectionVariable with isInput: false, isOutput: true",
    });
  });

  it("rejects a contract variable of the wrong type", () => {
    const text = edit("    - integerVariable:\n        name: Flow.statusCode", "    - stringVariable:\n        name: Flow.statusCode");
    expect(lint(text)).toContainEqual(expect.objectContaining({ problem: "declares Flow.statusCode as string; the WFM HRIS contract says integer" }));
  });

  it("rejects a contract variable with the wrong direction", () => {
    const text = edit("        name: Flow.names\n        initialValue:\n          noValue: true\n        isInput: false", "        name: Flow.names\n        initialValue:\n          noValue: true\n        isInput: true");
    expect(lint(text)).toContainEqual(expect.objectContaining({ problem: "declares Flow.names with isInput: true, isOutput: true; the contract makes it an output" }));
  });

  it("rejects an input or output the contract does not have", () => {
    const text = edit("  settingsErrorHandling:", "    - stringVariable:\n        name: Flow.debug\n        initialValue:\n          noValue: true\n        isInput: false\n        isOutput: true\n  settingsErrorHandling:");
    expect(lint(text)).toContainEqual(expect.objectContaining({ path: `line ${lineOf(text, "Flow.debug") - 1}`, problem: "declares Flow.debug as an output, which the WFM HRIS contract does not have" }));
  });

  it("rejects a call to a data action this stack does not define", () => {
    const text = edit('"{{action_get_timeoff_types}}":', '"Bamboo-Get-Holidays":');
    expect(lint(text, { substitutions: { ...baseSubstitutions, action_get_timeoff_types: undefined as never } }).map((i) => i.problem)).toContain(
      'calls the data action "Bamboo-Get-Holidays", which this stack does not define',
    );
  });

  it("rejects a call outside this stack's data-action category", () => {
    const issues = lint(shipped, { substitutions: { ...baseSubstitutions, data_action_category: "Someone Else's Actions" } });
    expect(issues.map((i) => i.problem)).toContain(
      `calls a data action in category "Someone Else's Actions", but this stack's actions are in "${config.genesys.integrationName}"`,
    );
  });

  it("rejects inputs the action does not take and outputs it does not have", () => {
    const text = edit("                      successOutputs:\n                        timeOffTypeIds:", "                      inputs:\n                        employeeId:\n                          lit: \"1\"\n                      successOutputs:\n                        timeOffTypeIdz:");
    const problems = lint(text).map((i) => i.problem);
    expect(problems).toContain("passes the input employeeId, which Bamboo-Get-TimeOff-Types does not take");
    expect(problems).toContain("reads the output timeOffTypeIdz, which Bamboo-Get-TimeOff-Types does not have");
  });

  it("requires the action's required inputs", () => {
    const balance = content.flows.find((f) => f.spec.task === "getBalance")!;
    const text = fs.readFileSync(path.join(PROJECT_ROOT, balance.file), "utf8").replace("                                  end:\n                                    exp: State.date\n", "");
    const issues = lint(text, { spec: balance.spec, substitutions: balance.substitutions, flowName: balance.name });
    expect(issues.map((i) => i.problem)).toContain("calls Bamboo-Get-Balance without its required input end");
  });

  it("rejects failure outputs Architect does not offer, including errors", () => {
    const text = edit("                        userMessage:\n", "                        httpStatus:\n");
    expect(lint(text).map((i) => i.problem)).toContain("reads the failure output httpStatus, which Architect does not offer");
    const errors = edit("                        userMessage:\n", "                        errors:\n");
    expect(lint(errors).map((i) => i.problem)).toContain("reads the failure output errors, which Architect does not offer");
  });

  it("rejects a placeholder written with spaces, which the flow resource would not replace", () => {
    const text = edit('"{{division}}"', '"{{ division }}"');
    expect(lint(text)).toContainEqual(
      expect.objectContaining({ path: `line ${lineOf(text, "{{ division }}")}`, problem: "writes the placeholder {{ division }} with spaces inside the braces; the flow resource replaces only the exact {{division}}" }),
    );
  });

  it("requires a workflow: WFM HRIS runs nothing else", () => {
    const text = shipped.replace(/^workflow:/m, "inboundCall:").replace("/workflow/states/", "/inboundCall/states/");
    expect(lint(text).map((i) => i.problem)).toEqual(["is an Archy inboundCall flow; WFM HRIS runs workflows"]);
  });

  it("requires success, failure and timeout branches", () => {
    const start = shipped.indexOf("                timeout:\n                  actions:");
    const text = shipped.slice(0, start);
    expect(lint(text).map((i) => i.problem)).toContain("has no timeout branch: every outcome must set statusCode, status and errorMsg");
  });

  it("rejects references to undeclared variables, with the line", () => {
    const text = edit("                              variable: Flow.id2s", "                              variable: Flow.id3s");
    expect(lint(text)).toContainEqual(expect.objectContaining({ path: `line ${lineOf(text, "Flow.id3s")}`, problem: "refers to Flow.id3s, which is not declared" }));
  });

  it("requires a substitution for every placeholder", () => {
    const { division: _division, ...rest } = baseSubstitutions;
    expect(lint(shipped, { substitutions: rest })).toContainEqual(expect.objectContaining({ path: `line ${lineOf(shipped, "{{division}}")}`, problem: "uses the placeholder {{division}}, which has no substitution" }));
  });

  it("rejects a substitution the file never uses", () => {
    expect(lint(shipped, { substitutions: { ...baseSubstitutions, action_get_agents: "Bamboo-Get-Agents" } }).map((i) => i.problem)).toContain(
      "has a substitution for {{action_get_agents}} that the file never uses",
    );
  });

  it("rejects substitution values that would break the YAML", () => {
    const problems = lint(shipped, { substitutions: { ...baseSubstitutions, division: 'Sales "EMEA"' } }).map((i) => i.problem);
    expect(problems).toContain('cannot take "Sales \\"EMEA\\"" for {{division}}: quotes, backslashes, braces and line breaks would break the flow YAML');
  });

  it("enforces Genesys' flow name rules", () => {
    const long = "x".repeat(201);
    const problems = (name: string) => lint(shipped, { flowName: name, substitutions: { ...baseSubstitutions, flow_name: name } }).map((i) => i.problem);
    expect(problems(long)).toContain("has a flow name of 201 characters; Genesys allows 200");
    expect(problems("acme/HRIS")).toContain("has a flow name with '/', which Genesys rejects");
    expect(problems("HRIS-debug")).toContain("has a flow name ending in -debug, which Genesys reserves");
  });

  it("reports YAML that does not parse, with the line", () => {
    const text = edit("  defaultLanguage: en-us", "  defaultLanguage: [en-us");
    const [issue] = lint(text);
    expect(issue.problem).toMatch(/^is not valid YAML after substitution/);
    expect(issue.path).toMatch(/^line \d+$/);
  });

  it("builds the placeholders from the stack: flow name prefix, category, actions, hours per day", () => {
    const vars = flowPlaceholders(validConfig({ values: { hris: { kind: "bamboohr", companyDomain: "acme", hoursPerDay: 7.5 } } }), content.actions, content.capabilities);
    expect(vars).toMatchObject({ division: "Home", hours_per_day: "7.5", action_get_balance: "Bamboo-Get-Balance", data_action_category: "acme-dev WFM HRIS Data Actions" });
  });
});

// The generic Archy layer, on real public flows (Genesys-authored, MIT; never committed, read at their recorded
// commits, see test/conformance/corpus.ts; sources in test/conformance/flows/manifest.json).
const corpusDir = corpusFolder("flows") ?? "";
const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "test/conformance/flows/manifest.json"), "utf8")) as {
  flows: { file: string; repo: string; path: string; commit: string; licence: string; flowType: string }[];
  actions: { dir: string; flow: string; substitutions: Record<string, string> }[];
};
// Without the corpus its suites are skipped, but their bodies still run to collect the tests: read nothing then.
const corpusText = (file: string) => (corpusDir ? fs.readFileSync(path.join(corpusDir, file), "utf8") : "");
const generic = (text: string, extra: Partial<ArchyLintInput> = {}) => lintArchyFlow({ text, file: "flow.yaml", ...extra }).issues.map((i) => `${i.path}: ${i.problem}`);

describe.skipIf(!corpusDir)("generic Archy layer: conformance corpus", () => {
  it("holds at least 20 real flows of several flow types, each with its source and licence recorded", () => {
    expect(manifest.flows.length).toBeGreaterThanOrEqual(20);
    expect(new Set(manifest.flows.map((f) => f.flowType)).size).toBeGreaterThanOrEqual(5);
    for (const f of manifest.flows) {
      expect(f).toMatchObject({ repo: expect.stringMatching(/^(GenesysCloudBlueprints|MyPureCloud)\//), path: expect.any(String), commit: expect.stringMatching(/^[0-9a-f]{40}$/), licence: "MIT" });
      expect(fs.existsSync(path.join(corpusDir, f.file))).toBe(true);
    }
  });

  it.each(manifest.flows.map((f) => [f.file, f.flowType]))("finds nothing wrong in %s (%s)", (file) => {
    expect(generic(corpusText(file))).toEqual([]);
  });

  it("checks a real workflow's calls against its real data action exports, with its Terraform substitutions", () => {
    const [set] = manifest.actions;
    const { actions, issues } = loadCallableActions(path.join(corpusDir, set.dir));
    expect(issues).toEqual([]);
    const result = lintArchyFlow({ text: corpusText(set.flow), file: set.flow, substitutions: set.substitutions, actions });
    expect(result.issues).toEqual([]);
    expect(result.flow!.calls.map((c) => [c.action, c.resolved?.name])).toEqual([
      ["Get Interaction State", "Get Interaction State"],
      ["Get Callback Priority", "Get Callback Priority"],
      ["Update Callback Priority", "Update Callback Priority"],
    ]);
  });
});

describe.skipIf(!corpusDir)("generic Archy layer: rules", () => {
  const workflow = corpusText("files/callback-prioritization--terraform_Callback-Prioritization-Workflow.yaml");
  const ivr = corpusText("files/terraform-provider-genesyscloud--examples_resources_genesyscloud_flow_inboundcall_flow_example.yaml");
  const sentiment = corpusText("files/negative-sentiment-callback--terraform_modules_flow_Send_SMS_and_Create_Supervisor_Callback.yaml");
  const change = (text: string, from: string, to: string) => {
    expect(text).toContain(from);
    return text.replace(from, to);
  };

  it("rejects a top-level key that is no Archy flow type", () => {
    expect(generic(change(ivr, "inboundCall:", "inboundcall:"))[0]).toMatch(/^line 1: must be one top-level map named for its flow type; found `inboundcall:`/);
  });

  it("rejects a startUpRef that points at no element of the flow", () => {
    expect(generic(change(ivr, "startUpRef: ./menus/menu[mainMenu]", "startUpRef: ./menus/menu[main]"))).toEqual([
      'line 4: points at ./menus/menu[main], but inboundCall.menus has no menu with refId "main"',
    ]);
  });

  it("rejects a variable kind Architect does not have, and knows dateTime, queue and collection kinds", () => {
    expect(generic(change(sentiment, "- dateTimeVariable:\n        name: Flow.CallbackTime", "- datetimeVariable:\n        name: Flow.CallbackTime"))[0]).toMatch(
      /^line 23: declares a variable of unknown kind `datetimeVariable`/,
    );
    const kinds = ["dateVariable", "timeVariable", "durationVariable", "queueVariable", "userVariable", "externalContactVariable", "queueCollectionVariable", "dateTimeCollectionVariable"];
    for (const kind of kinds) expect(generic(change(sentiment, "- dateTimeVariable:\n        name: Flow.CallbackTime", `- ${kind}:\n        name: Flow.CallbackTime`)).filter((p) => p.includes("unknown kind"))).toEqual([]);
  });

  it("rejects an updateData statement of another type than the variable it assigns", () => {
    const text = change(sentiment, "- dateTime:\n                                                  variable: Flow.CurrentDateTime", "- string:\n                                                  variable: Flow.CurrentDateTime");
    expect(generic(text)).toEqual([`line ${lineAfter(text, "- string:\n", 1)}: assigns Flow.CurrentDateTime with a \`string\` statement, but it is declared as dateTimeVariable`]);
  });

  it("reads placeholders as their key when no substitutions are given, so a Terraform flow lints as is", () => {
    expect(workflow).toContain("name: \"{{flow_name}}\"");
    expect(generic(workflow)).toEqual([]);
  });

  it("rejects a callData input, output or required input that the called action's contract does not have", () => {
    const [set] = manifest.actions;
    const { actions } = loadCallableActions(path.join(corpusDir, set.dir));
    const text = change(workflow, "                                                    successOutputs:\n                                                      state:", "                                                    successOutputs:\n                                                      status:");
    expect(generic(text, { substitutions: set.substitutions, actions })).toEqual([`line ${lineAfter(text, "successOutputs:\n", 1)}: reads the output status, which Get Interaction State does not have`]);
  });

  it("rejects a callData output path other than success, failure and timeout", () => {
    const text = change(workflow, "                                            outputs:\n                                              success:", "                                            outputs:\n                                              succeeded:");
    expect(generic(text).some((p) => p.endsWith('has a callData output "succeeded"; a data action call has only success, failure, timeout'))).toBe(true);
  });
});

describe.skipIf(!corpusDir)("npm run lint:flow", () => {
  const workflowFile = path.join(corpusDir, "files/callback-prioritization--terraform_Callback-Prioritization-Workflow.yaml");
  const actionsDir = path.join(corpusDir, "actions/callback-prioritization");

  it("passes a real flow with its actions and substitutions, exit 0", async () => {
    const subs = Object.entries(manifest.actions[0].substitutions).flatMap(([k, v]) => ["--sub", `${k}=${v}`]);
    const r = await runTool("lintFlow.ts", [workflowFile, "--actions", actionsDir, ...subs]);
    expect([r.status, r.stdout.trim()]).toEqual([0, "1 flow: no findings"]);
  });

  it("reports findings with file, line and fix, exit 1", async () => {
    const bad = path.join(tmp, "spaced.yaml");
    fs.writeFileSync(bad, corpusText("files/terraform-provider-genesyscloud--examples_resources_genesyscloud_flow_inboundcall_flow_example.yaml").replace("./menus/menu[mainMenu]", "./menus/menu[nowhere]"));
    const r = await runTool("lintFlow.ts", [bad]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${bad} line 4: points at ./menus/menu[nowhere], but inboundCall.menus has no menu with refId "nowhere"`);
    expect(r.stdout.trim().endsWith("1 finding")).toBe(true);
  });

  it("answers a missing file or a malformed --sub with the usage, exit 2, and --help with exit 0", async () => {
    const missing = await runTool("lintFlow.ts", ["nowhere.yaml"]);
    expect([missing.status, missing.stderr.split("\n")[0]]).toEqual([2, "nowhere.yaml: no such file"]);
    const sub = await runTool("lintFlow.ts", [workflowFile, "--sub", "division"]);
    expect([sub.status, sub.stderr.split("\n")[0]]).toEqual([2, "--sub division: write key=value"]);
    const help = await runTool("lintFlow.ts", ["--help"]);
    expect([help.status, help.stdout]).toEqual([0, expect.stringMatching(/^usage: npm run lint:flow -- <flow.yaml>/)]);
  });
});
