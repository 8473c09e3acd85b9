import * as pulumi from "@pulumi/pulumi";
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

/** Where the Veza tenant is and how to reach it. */
export interface VezaConnectionArgs {
  /** Veza tenant URL, e.g. https://acme.vezacloud.com. */
  url: string;
  /** Veza API key; stored as a Pulumi secret whatever is passed. */
  apiKey: pulumi.Input<string>;
}

export interface VezaHrisProviderArgs {
  /** The Veza tenant. */
  connection: VezaConnectionArgs;
  /** Name of the OAA custom provider (template `hris`); an existing one of that name is adopted. */
  providerName: string;
  /** Name of the data source under the provider; an existing one of that name is adopted. */
  dataSourceName: string;
  /** Enable Veza Lifecycle Management provisioning on the provider. */
  provisioning: boolean;
  /** Leave a provider or data source the component adopted in Veza when it deletes or replaces it (default true). */
  keepAdopted?: boolean;
  /** The HRIS payload this run prepared: its hash, sizes and gzipped file (lib/veza/stackPayload). */
  payload: pulumi.Input<PayloadRef>;
}

/**
 * The HRIS in Veza: an OAA custom provider with the `hris` template, its data source, and the push of the
 * employees and groups built from the HRIS. The API key stays a secret in every resource.
 */
export class VezaHrisProvider extends pulumi.ComponentResource {
  /** Id of the OAA custom provider. */
  declare public readonly providerId: pulumi.Output<string>;
  /** Id of the data source. */
  declare public readonly dataSourceId: pulumi.Output<string>;
  /** SHA-256 of the payload last pushed. */
  declare public readonly payloadHash: pulumi.Output<string>;
  /** Employees in the payload last pushed. */
  declare public readonly employeeCount: pulumi.Output<number>;
  /** Groups in the payload last pushed. */
  declare public readonly groupCount: pulumi.Output<number>;
  /** Warnings Veza returned for the last push. */
  declare public readonly warnings: pulumi.Output<string[]>;

  constructor(name: string, args: VezaHrisProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:veza:VezaHrisProvider", name, {}, opts);
    const { url } = args.connection;
    const apiKey = pulumi.secret(args.connection.apiKey);
    const payload = pulumi.output(args.payload);
    // Adopted objects are left in Veza on delete unless keepAdopted is false (docs/veza-lifecycle.md).
    const keepAdopted = args.keepAdopted ?? true;
    const provider = new VezaCustomProvider(
      `${name}-provider`,
      { baseUrl: url, apiKey, name: args.providerName, template: "hris", provisioning: args.provisioning, keepAdopted },
      { parent: this },
    );
    const dataSource = new VezaDataSource(`${name}-datasource`, { baseUrl: url, apiKey, providerId: provider.id, name: args.dataSourceName, keepAdopted }, { parent: this });
    const push = new VezaPush(
      `${name}-push`,
      {
        baseUrl: url,
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
