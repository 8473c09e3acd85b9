import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadWorkflowSpecs } from "../lib/flows/contract";
import { FlowLintInput, callableAction, lintFlow } from "../lib/flows/lint";
import { FileIssue } from "../lib/jsonFile";
import { PROJECT_ROOT, flowPlaceholders, loadStackContent } from "../lib/stackContent";
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
      path: `line ${lineOf(text, "variables:") + 1}`, // the first item of the variables list
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

  it("rejects failure outputs Genesys does not provide", () => {
    const text = edit("                        userMessage:\n", "                        httpStatus:\n");
    expect(lint(text).map((i) => i.problem)).toContain("reads the failure output httpStatus, which Genesys does not provide");
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
