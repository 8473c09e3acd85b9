import { describe, expect, it } from "vitest";
import { diffPlans, formatDiffMarkdown, formatMermaid, summaryLine } from "../lib/plan/diff";
import type { Plan, PlannedResource } from "../lib/plan/run";
import { runTool } from "./helpers/cli";

const stack: PlannedResource = { urn: "urn:pulumi:dev::wfm-hris::pulumi:pulumi:Stack::wfm-hris-dev", type: "pulumi:pulumi:Stack", name: "wfm-hris-dev", custom: false, inputs: {}, dependencies: [] };
const layer: PlannedResource = { urn: "urn:pulumi:dev::wfm-hris::wfm-hris:genesys:DataActionLayer::acme-data-actions", type: "wfm-hris:genesys:DataActionLayer", name: "acme-data-actions", parent: stack.urn, custom: false, inputs: {}, dependencies: [] };
const resource = (type: string, name: string, inputs: Record<string, unknown>, dependencies: string[] = []): PlannedResource => ({
  urn: `urn:pulumi:dev::wfm-hris::wfm-hris:genesys:DataActionLayer$${type}::${name}`,
  type,
  name,
  parent: layer.urn,
  custom: true,
  inputs,
  dependencies,
});
const ACTION = "genesyscloud:index/integrationAction:IntegrationAction";
const integration = resource("genesyscloud:index/integration:Integration", "acme-integration", { config: { name: "Acme", credentials: { basicAuth: "(known after apply)" } } });
const action = resource(ACTION, "acme-get-balance", { name: "Bamboo-Get-Balance", contractInput: JSON.stringify({ type: "object", properties: { employeeId: { type: "string" } } }), integrationId: "(known after apply)" }, [integration.urn]);
const credential = resource("genesyscloud:index/integrationCredential:IntegrationCredential", "acme-credential", { fields: "[secret]", name: "acme-bamboohr" });
const plan = (...resources: PlannedResource[]): Plan => ({ project: "wfm-hris", stack: "dev", resources: [stack, layer, ...resources], outputs: {}, summary: { create: resources.length + 2 } });

describe("plan diff", () => {
  it("shows an edited flow file as a change of its content hash, as the provider's preview does, and nothing for a plan saved without hashes", () => {
    const flow = (hash?: string) => ({ ...resource("genesyscloud:index/flow:Flow", "acme-update", { filepath: "flows/update-timeoff.yaml", name: "acme-HRIS-Update-TimeOff" }), ...(hash ? { computed: { fileContentHash: hash } } : {}) });
    expect(diffPlans(plan(flow("aa11")), plan(flow("bb22")))).toMatchObject([{ action: "update", changes: [{ path: "fileContentHash", before: "aa11", after: "bb22" }] }]);
    expect(diffPlans(plan(flow()), plan(flow("bb22")))).toEqual([]);
    expect(diffPlans(plan(flow("aa11")), plan(flow("aa11")))).toEqual([]);
  });

  it("reports nothing when the plans are the same, secrets included", () => {
    expect(diffPlans(plan(integration, action, credential), plan(integration, action, { ...credential, inputs: { ...credential.inputs } }))).toEqual([]);
  });

  it("lists added and removed resources", () => {
    const changes = diffPlans(plan(integration, credential), plan(integration, action));
    expect(changes.map((c) => [c.action, c.name])).toEqual([["remove", "acme-credential"], ["add", "acme-get-balance"]]);
  });

  it("shows an in-place change with the changed input, before and after", () => {
    const renamed = { ...integration, inputs: { config: { ...(integration.inputs.config as object), name: "Acme HRIS" } } };
    const [change] = diffPlans(plan(integration), plan(renamed));
    expect(change).toMatchObject({ action: "update", changes: [{ path: "config.name", before: "Acme", after: "Acme HRIS" }] });
  });

  it("calls a contract change a replacement and shows the change inside the JSON", () => {
    const head = { ...action, inputs: { ...action.inputs, contractInput: JSON.stringify({ type: "object", properties: { employeeId: { type: "string" }, end: { type: "string" } } }) } };
    const [change] = diffPlans(plan(integration, action), plan(integration, head));
    expect(change).toMatchObject({ action: "replace", replacedBy: ["contractInput"], changes: [{ path: "contractInput#properties.end", before: undefined, after: { type: "string" } }] });
  });

  it("says a replacement creates the new object first, or deletes the old one first when the provider needs it", () => {
    const head = { ...action, inputs: { ...action.inputs, contractInput: "{}" } };
    expect(diffPlans(plan(integration, action), plan(integration, head))[0]).toMatchObject({ action: "replace", order: "create-before-delete" });
    const PROVIDER = "pulumi-nodejs:dynamic/veza:CustomProvider";
    const veza = resource(PROVIDER, "veza-provider", { name: "Acme BambooHR", template: "hris" });
    const [templateChange] = diffPlans(plan(veza), plan({ ...veza, inputs: { ...veza.inputs, template: "other" } }));
    expect(templateChange).toMatchObject({ action: "replace", order: "delete-before-replace" });
    expect(formatDiffMarkdown("dev", [templateChange])).toContain("| ♻️ replace | `veza-provider` | `CustomProvider` | old one deleted first |");
  });

  it("replaces a flow whose name changes (replaceOnChanges), new one first", () => {
    const flow = { ...resource("genesyscloud:index/flow:Flow", "acme-get-agents", { name: "acme-HRIS-Get-Agents" }), options: { replaceOnChanges: ["name"] } };
    const [change] = diffPlans(plan(flow), plan({ ...flow, inputs: { name: "Acme-HRIS-Get-Agents" } }));
    expect(change).toMatchObject({ action: "replace", replacedBy: ["name"], order: "create-before-delete" });
  });

  it("matches a renamed resource to its old self through its aliases, children included", () => {
    const child = (parent: PlannedResource, name: string) => ({ ...credential, urn: `${parent.urn.replace("::" + parent.name, "")}$${credential.type}::${name}`, name, parent: parent.urn });
    const oldLayer = { ...layer, urn: layer.urn.replace("::acme-data-actions", "::old-data-actions"), name: "old-data-actions" };
    const aliasedLayer = { ...layer, options: { aliases: [oldLayer.urn] } };
    const base: Plan = { ...plan(), resources: [stack, oldLayer, child(oldLayer, "old-data-actions-credential")] };
    const head: Plan = { ...plan(), resources: [stack, aliasedLayer, child(aliasedLayer, "acme-data-actions-credential")] };
    expect(diffPlans(base, head)).toEqual([]);
    // Without the alias they are different resources: one added, one removed, each.
    expect(summaryLine(diffPlans(base, { ...head, resources: [stack, layer, child(layer, "acme-data-actions-credential")] }))).toBe("2 to add, 0 to change, 0 to replace, 2 to remove");
  });

  it("marks a removed resource that is retained on delete", () => {
    const adopted = { ...integration, options: { retainOnDelete: true, importId: "0f8fad5b-d9cb-469f-a165-70867728950e" } };
    expect(diffPlans(plan(adopted), plan())[0]).toMatchObject({ action: "remove", retained: true });
  });

  it("treats a missing base as a new stack", () => {
    expect(summaryLine(diffPlans(undefined, plan(integration, action)))).toBe("4 to add, 0 to change, 0 to replace, 0 to remove");
  });

  it("formats Markdown with a summary line, a table and the changed inputs", () => {
    const head = { ...action, inputs: { ...action.inputs, name: "Bamboo-Get-Balance-2" } };
    const md = formatDiffMarkdown("wfm-hris/dev", diffPlans(plan(integration, action, credential), plan(integration, head)));
    expect(md).toMatch(/^### wfm-hris\/dev: 0 to add, 1 to change, 0 to replace, 1 to remove\n/);
    expect(md).toContain("| ✏️ change | `acme-get-balance` | `IntegrationAction` |");
    expect(md).toContain("| ➖ remove | `acme-credential` | `IntegrationCredential` |");
    expect(md).toContain('- `name`: `"Bamboo-Get-Balance"` → `"Bamboo-Get-Balance-2"`');
    expect(formatDiffMarkdown("wfm-hris/dev", [])).toBe("### wfm-hris/dev: no changes\n\n");
  });

  it("draws a Mermaid graph: components as subgraphs, dependencies as arrows", () => {
    const graph = formatMermaid(plan(integration, action));
    expect(graph).toMatch(/^flowchart LR\n/);
    expect(graph).toContain('subgraph r1["DataActionLayer<br/>acme-data-actions"]');
    expect(graph).toContain('r3["IntegrationAction<br/>acme-get-balance"]');
    expect(graph).toContain("r2 --> r3");
  });

  it("npm run plan:diff prints the Markdown of two plan files", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-diff-"));
    fs.writeFileSync(path.join(dir, "head.json"), JSON.stringify(plan(integration)));
    const r = await runTool("planDiff.ts", ["-", path.join(dir, "head.json")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^### wfm-hris\/dev: 3 to add, 0 to change, 0 to replace, 0 to remove/);
    const bad = await runTool("planDiff.ts", [path.join(dir, "head.json")]);
    expect(bad.status).toBe(2);
  });
});
