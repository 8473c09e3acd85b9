import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../lib/config/validate";
import {
  CustomProviderInputs,
  DataSourceInputs,
  PushInputs,
  customProviderProvider,
  dataSourceProvider,
  pushProvider,
} from "../lib/veza/dynamicProviders";
import type { PayloadRef } from "../lib/veza/stackPayload";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };
const SECRET_OUTPUTS = { additionalSecretOutputs: ["apiKey"] };

/** A Veza OAA custom provider, got or created by name; one it adopted is left in Veza on delete unless keepAdopted is false. */
export class VezaCustomProvider extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly template: pulumi.Output<string>;
  declare public readonly provisioning: pulumi.Output<boolean>;
  declare public readonly keepAdopted: pulumi.Output<boolean | undefined>;
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: Inputs<CustomProviderInputs>, opts?: pulumi.CustomResourceOptions) {
    super(customProviderProvider, name, { ...args, adopted: undefined }, pulumi.mergeOptions(opts, SECRET_OUTPUTS), "veza", "CustomProvider");
  }
}

/** A data source under a Veza custom provider, got or created by name; adopted ones are kept like providers. */
export class VezaDataSource extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: Inputs<DataSourceInputs>, opts?: pulumi.CustomResourceOptions) {
    super(dataSourceProvider, name, { ...args, adopted: undefined }, pulumi.mergeOptions(opts, SECRET_OUTPUTS), "veza", "DataSource");
  }
}

/** A full-snapshot push of the HRIS payload; runs again when the payload's hash changes. */
export class VezaPush extends pulumi.dynamic.Resource {
  declare public readonly payloadHash: pulumi.Output<string>;
  declare public readonly employeeCount: pulumi.Output<number>;
  declare public readonly groupCount: pulumi.Output<number>;
  declare public readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: Inputs<PushInputs>, opts?: pulumi.CustomResourceOptions) {
    super(pushProvider, name, { ...args, warnings: undefined }, pulumi.mergeOptions(opts, SECRET_OUTPUTS), "veza", "Push");
  }
}

export interface VezaHrisProviderArgs {
  /** The stack's veza section; without it the component creates nothing. */
  veza: StackConfig["veza"];
  apiKey?: pulumi.Input<string>;
  /** The prepared payload (lib/veza/stackPayload). */
  payload?: pulumi.Input<PayloadRef>;
}

/**
 * The HRIS in Veza: an OAA custom provider with the `hris` template, its data source, and the push of the
 * employees and groups built from the HRIS. The API key stays a secret in every resource.
 */
export class VezaHrisProvider extends pulumi.ComponentResource {
  declare public readonly providerId: pulumi.Output<string | undefined>;
  declare public readonly dataSourceId: pulumi.Output<string | undefined>;
  declare public readonly payloadHash: pulumi.Output<string | undefined>;
  declare public readonly employeeCount: pulumi.Output<number | undefined>;
  declare public readonly groupCount: pulumi.Output<number | undefined>;
  declare public readonly warnings: pulumi.Output<string[] | undefined>;

  constructor(name: string, args: VezaHrisProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:veza:VezaHrisProvider", name, {}, opts);
    const { veza } = args;
    if (!veza) {
      for (const k of ["providerId", "dataSourceId", "payloadHash", "employeeCount", "groupCount", "warnings"] as const) (this as Record<string, unknown>)[k] = pulumi.output(undefined);
      this.registerOutputs({});
      return;
    }
    if (!args.apiKey || !args.payload) throw new Error(`VezaHrisProvider ${name}: a veza section needs the API key and the payload`);
    const apiKey = pulumi.secret(args.apiKey);
    const payload = pulumi.output(args.payload);
    // Adopted objects are left in Veza on delete unless veza.keepAdopted is false (docs/veza-lifecycle.md).
    const keepAdopted = veza.keepAdopted ?? true;
    const provider = new VezaCustomProvider(
      `${name}-provider`,
      { baseUrl: veza.url, apiKey, name: veza.providerName, template: "hris", provisioning: veza.provisioning, keepAdopted },
      { parent: this },
    );
    const dataSource = new VezaDataSource(`${name}-datasource`, { baseUrl: veza.url, apiKey, providerId: provider.id, name: veza.dataSourceName, keepAdopted }, { parent: this });
    const push = new VezaPush(
      `${name}-push`,
      {
        baseUrl: veza.url,
        apiKey,
        providerId: provider.id,
        dataSourceId: dataSource.id,
        payloadHash: payload.hash,
        payloadFile: payload.file,
        employeeCount: payload.employeeCount,
        groupCount: payload.groupCount,
      },
      { parent: this },
    );
    this.providerId = provider.id;
    this.dataSourceId = dataSource.id;
    this.payloadHash = push.payloadHash;
    this.employeeCount = push.employeeCount;
    this.groupCount = push.groupCount;
    this.warnings = push.warnings;
    this.registerOutputs({
      providerId: this.providerId,
      dataSourceId: this.dataSourceId,
      payloadHash: this.payloadHash,
      employeeCount: this.employeeCount,
      groupCount: this.groupCount,
      warnings: this.warnings,
    });
  }
}
