import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import type { WorkflowTask } from "../lib/flows/contract";
import type { DeployableFlow } from "../lib/stackContent";

export interface WorkflowsArgs {
  /** Linted workflows (lib/stackContent). */
  flows: DeployableFlow[];
  /** Data action resources by name: each flow depends on the ones it calls, which Archy checks at publish. */
  actions: Readonly<Record<string, pulumi.Resource>>;
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
      flows[flow.spec.task] = new genesyscloud.Flow(
        `${name}-${flow.spec.file.replace(/\.yaml$/, "")}`,
        {
          // Relative to the project directory, where Pulumi runs the program, so plans are identical on every machine.
          filepath: flow.file,
          name: flow.name,
          // Set explicitly: the provider reads both back from the API, and unset values would diff forever.
          type: "WORKFLOW",
          substitutions: flow.substitutions,
        },
        { parent: this, dependsOn: flow.calls.map((a) => args.actions[a]) },
      );
    }
    this.flows = flows;
    const entries = Object.entries(flows) as [WorkflowTask, genesyscloud.Flow][];
    this.flowIds = pulumi.all(Object.fromEntries(entries.map(([t, f]) => [t, f.id]))) as pulumi.Output<Record<WorkflowTask, string>>;
    this.flowNames = pulumi.output(Object.fromEntries(args.flows.map((f) => [f.spec.task, f.name])) as Record<WorkflowTask, string>);
    this.registerOutputs({ flowIds: this.flowIds, flowNames: this.flowNames });
  }
}
