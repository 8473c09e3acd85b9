import type * as pulumi from "@pulumi/pulumi";
import { VezaClient, getOrCreate } from "./client";

/**
 * Pulumi dynamic providers for Veza: the custom provider, its data source and the payload push. Pulumi serialises
 * these objects with what they capture, so they capture only the Veza client (plain code) and require Node's
 * built-ins inside their methods.
 */

export interface VezaConnection {
  baseUrl: string;
  apiKey: string;
}

export interface CustomProviderInputs extends VezaConnection {
  name: string;
  template: string;
  provisioning: boolean;
}
export interface CustomProviderOutputs extends CustomProviderInputs {
  /** Whether an existing provider of the same name was adopted rather than created. */
  adopted: boolean;
}

const client = (c: VezaConnection) => new VezaClient({ baseUrl: c.baseUrl, apiKey: c.apiKey });
const replacementKeys = <T extends object>(olds: T, news: T, keys: (keyof T)[]) => keys.filter((k) => olds[k] !== news[k]) as string[];

export const customProviderProvider: pulumi.dynamic.ResourceProvider<CustomProviderInputs, CustomProviderOutputs> = {
  async create(inputs) {
    const veza = client(inputs);
    const { value, adopted } = await getOrCreate(
      () => veza.findProvider(inputs.name),
      () => veza.createProvider(inputs.name, inputs.template),
    );
    if (value.custom_template !== inputs.template)
      throw new Error(`Veza already has a custom provider named "${inputs.name}" with template ${value.custom_template}, not ${inputs.template}; choose another veza.providerName`);
    if ((value.provisioning ?? false) !== inputs.provisioning) await veza.setProvisioning(value.id, inputs.provisioning);
    return { id: value.id, outs: { ...inputs, adopted } };
  },
  async diff(_id, olds, news) {
    // Veza has no rename: a new name or template is a new provider.
    const replaces = replacementKeys(olds, news, ["name", "template", "baseUrl"]);
    const changes = replaces.length > 0 || olds.provisioning !== news.provisioning || olds.apiKey !== news.apiKey;
    return { changes, replaces, deleteBeforeReplace: replaces.includes("name") ? false : undefined };
  },
  async update(id, olds, news) {
    if (olds.provisioning !== news.provisioning) await client(news).setProvisioning(id, news.provisioning);
    return { outs: { ...news, adopted: olds.adopted } };
  },
  async delete(id, olds) {
    // A 404 or a provider already DELETING is fine: the deletion finishes in the background.
    await client(olds).deleteProvider(id);
  },
};

export interface DataSourceInputs extends VezaConnection {
  providerId: string;
  name: string;
}
export interface DataSourceOutputs extends DataSourceInputs {
  adopted: boolean;
}

export const dataSourceProvider: pulumi.dynamic.ResourceProvider<DataSourceInputs, DataSourceOutputs> = {
  async create(inputs) {
    const veza = client(inputs);
    const { value, adopted } = await getOrCreate(
      () => veza.findDataSource(inputs.providerId, inputs.name),
      () => veza.createDataSource(inputs.providerId, inputs.name),
    );
    return { id: value.id, outs: { ...inputs, adopted } };
  },
  async diff(_id, olds, news) {
    const replaces = replacementKeys(olds, news, ["providerId", "name", "baseUrl"]);
    return { changes: replaces.length > 0 || olds.apiKey !== news.apiKey, replaces };
  },
  async update(_id, olds, news) {
    return { outs: { ...news, adopted: olds.adopted } };
  },
  async delete(id, olds) {
    await client(olds).deleteDataSource(olds.providerId, id);
  },
};

export interface PushInputs extends VezaConnection {
  providerId: string;
  dataSourceId: string;
  /** SHA-256 of the payload JSON: the push runs again when it changes. */
  payloadHash: string;
  /** The gzipped payload, written by the program for this deployment. */
  payloadFile: string;
  employeeCount: number;
  groupCount: number;
}
export interface PushOutputs extends PushInputs {
  warnings: string[];
}

async function pushFile(inputs: PushInputs): Promise<PushOutputs> {
  const fs = require("node:fs") as typeof import("node:fs");
  if (!fs.existsSync(inputs.payloadFile))
    throw new Error(`the Veza payload ${inputs.payloadFile} is missing: it is written while the program runs; run pulumi up again`);
  const result = await client(inputs).push(inputs.providerId, inputs.dataSourceId, fs.readFileSync(inputs.payloadFile));
  return { ...inputs, warnings: result.warnings.map((w) => w.message) };
}

export const pushProvider: pulumi.dynamic.ResourceProvider<PushInputs, PushOutputs> = {
  async create(inputs) {
    return { id: `${inputs.dataSourceId}:${inputs.payloadHash.slice(0, 12)}`, outs: await pushFile(inputs) };
  },
  async diff(_id, olds, news) {
    const replaces = replacementKeys(olds, news, ["providerId", "dataSourceId"]);
    return { changes: replaces.length > 0 || olds.payloadHash !== news.payloadHash || olds.apiKey !== news.apiKey || olds.baseUrl !== news.baseUrl, replaces };
  },
  async update(_id, olds, news) {
    // Only a new payload needs a push; a new key alone does not.
    if (olds.payloadHash === news.payloadHash) return { outs: { ...news, warnings: olds.warnings } };
    return { outs: await pushFile(news) };
  },
  // A push has nothing to undo: the data stays until the data source is deleted.
  async delete() {},
};
