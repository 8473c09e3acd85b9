import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import type { WorkflowTask } from "../lib/flows/contract";
import type { DeployableFlow } from "../lib/stackContent";

export interface WorkflowsArgs {
  /** Linted workflows (lib/stackContent). */
  flows: DeployableFlow[];
  /** Data action resources by name: each flow depends on the ones it calls, which Archy checks at publish. */
  actions: Readonly<Record<string, pulumi.Resource>>;
  /** The name each action has in Genesys, by action name: flows call actions by these names. */
  actionNames: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The five Architect workflows implementing the WFM HRIS contract, published from Archy YAML. */
export class Workflows extends pulumi.ComponentResource {
  /** Flow ids by WFM HRIS task (getAgents, getTimeOffTypes, ...). */
  declare public readonly flowIds: pulumi.Output<Record<WorkflowTask, string>>;
  /** Flow names by task. */
  declare public readonly flowNames: pulumi.Output<Record<WorkflowTask, string>>;

  public readonly flows: Readonly<Record<WorkflowTask, genesyscloud.Flow>>;

  constructor(name: string, args: WorkflowsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:genesys:Workflows", name, {}, opts);
    const flows = {} as Record<WorkflowTask, genesyscloud.Flow>;
    for (const flow of args.flows) {
      const missing = flow.calls.filter((a) => !args.actions[a]);
      if (missing.length) throw new Error(`Workflows ${name}: ${flow.file} calls ${missing.join(", ")}, which is not among the data actions given`);
      // A replaced action has a new name, so the flows calling it change and republish before the old one is deleted.
      const substitutions: Record<string, pulumi.Input<string>> = { ...flow.substitutions };
      for (const [key, action] of Object.entries(flow.actionSubstitutions)) substitutions[key] = args.actionNames[action];
      flows[flow.spec.task] = new genesyscloud.Flow(
        `${name}-${flow.spec.file.replace(/\.yaml$/, "")}`,
        {
          // Relative to the project directory, where Pulumi runs the program, so plans are identical on every machine.
          filepath: flow.file,
          name: flow.name,
          // Optional and computed in the provider (read back from the API, never sent on publish), so leaving it unset
          // would not diff; it is set only so the plan shows which flow type the file declares.
          type: "WORKFLOW",
          substitutions,
        },
        {
          parent: this,
          dependsOn: flow.calls.map((a) => args.actions[a]),
          // Publishing under a new name creates another flow and leaves the old one in the org (provider docs), so a
          // rename is a replacement: the new flow first, the WFM integration moved to it, then the old one deleted.
          replaceOnChanges: ["name"],
        },
      );
    }
    this.flows = flows;
    const entries = Object.entries(flows) as [WorkflowTask, genesyscloud.Flow][];
    this.flowIds = pulumi.all(Object.fromEntries(entries.map(([t, f]) => [t, f.id]))) as pulumi.Output<Record<WorkflowTask, string>>;
    this.flowNames = pulumi.output(Object.fromEntries(args.flows.map((f) => [f.spec.task, f.name])) as Record<WorkflowTask, string>);
    this.registerOutputs({ flowIds: this.flowIds, flowNames: this.flowNames });
  }
}
