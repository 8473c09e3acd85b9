import type * as pulumi from "@pulumi/pulumi";
import { VezaClient, normaliseBaseUrl } from "./client";

/**
 * Pulumi dynamic providers for Veza: the custom provider, its data source and the payload push. Pulumi serialises
 * these objects with what they capture, so they capture only the Veza client (plain code, errors as plain `Error`s)
 * and require Node's built-ins inside their methods.
 *
 * Identity: what each input change does (docs/veza-lifecycle.md has the why and how to let go of adopted objects).
 * Pulumi replaces create-before-delete unless diff asks deleteBeforeReplace; `create` gets-or-creates BY NAME, so a
 * replacement whose name is unchanged would adopt the very object the engine deletes next. Hence:
 *
 * | resource       | input changed                      | step                 | order                | why |
 * |----------------|------------------------------------|----------------------|----------------------|-----|
 * | CustomProvider | baseUrl (normalised), apiKey       | update / none        | -                    | connection, not identity; a new URL is checked to hold the same id |
 * | CustomProvider | `/` added, `https://` spelled out  | no change            | -                    | normaliseBaseUrl makes them equal |
 * | CustomProvider | provisioning                       | update (PATCH)       | -                    | Veza's one documented update |
 * | CustomProvider | keepAdopted                        | update (no API call) | -                    | recorded in state for delete |
 * | CustomProvider | name (template same or not)        | replace              | create-before-delete | Veza has no rename; a new name is a different object, so the old one can go last |
 * | CustomProvider | template only                      | replace              | delete-before-replace| same name: created first it would adopt the old one, then lose it to the delete |
 * | DataSource     | baseUrl, apiKey, keepAdopted       | update / none        | -                    | as above |
 * | DataSource     | name, providerId                   | replace              | create-before-delete | a new name or a new provider is always a different object |
 * | Push           | baseUrl, apiKey                    | update (no push)     | -                    | same data, same place |
 * | Push           | payloadHash (file, counts follow)  | update (push)        | -                    | a push replaces the data source's contents |
 * | Push           | providerId, dataSourceId           | replace              | create-before-delete | delete is a no-op (data goes with its data source) |
 *
 * Delete leaves an object the stack adopted (`adopted: true` in its state) unless the state says keepAdopted false.
 * A template change of an adopted, kept provider fails in diff: it could not be replaced without deleting it.
 */

export interface VezaConnection {
  baseUrl: string;
  apiKey: string;
}

export interface CustomProviderInputs extends VezaConnection {
  name: string;
  template: string;
  provisioning: boolean;
  /** Leave the provider in Veza on delete when the stack adopted it rather than created it; default true. */
  keepAdopted?: boolean;
}
export interface CustomProviderOutputs extends CustomProviderInputs {
  /** Whether an existing provider of the same name was adopted rather than created. */
  adopted: boolean;
}

const client = (c: VezaConnection) => new VezaClient({ baseUrl: c.baseUrl, apiKey: c.apiKey });
const changedKeys = <T extends object>(olds: T, news: T, keys: (keyof T)[]) => keys.filter((k) => olds[k] !== news[k]) as string[];
/** Connection settings: never identity. A URL differing only by a trailing `/` or the default scheme is the same. */
const connectionChanged = (olds: VezaConnection, news: VezaConnection) => normaliseBaseUrl(olds.baseUrl) !== normaliseBaseUrl(news.baseUrl) || olds.apiKey !== news.apiKey;
const urlChanged = (olds: VezaConnection, news: VezaConnection) => normaliseBaseUrl(olds.baseUrl) !== normaliseBaseUrl(news.baseUrl);
/** State written before keepAdopted existed has none: the default, keep. */
const keeps = (olds: { adopted?: boolean; keepAdopted?: boolean }) => olds.adopted === true && olds.keepAdopted !== false;

function notAtNewUrl(what: string, id: string, olds: VezaConnection, news: VezaConnection): Error {
  const oldUrl = normaliseBaseUrl(olds.baseUrl);
  const newUrl = normaliseBaseUrl(news.baseUrl);
  return new Error(
    `${what} ${id} is not in the Veza tenant at ${newUrl} (veza.url); this stack manages it at ${oldUrl}. ` +
      `If the new URL is a mistake, put back ${oldUrl}. To move the stack to another tenant, make the stack forget its Veza resources ` +
      `(pulumi state delete <urn> for the custom provider, data source and push; pulumi stack --show-urns lists them) and run pulumi up: ` +
      `it creates or adopts them by name in the new tenant and leaves the old tenant's objects as they are.`,
  );
}

export const customProviderProvider: pulumi.dynamic.ResourceProvider<CustomProviderInputs, CustomProviderOutputs> = {
  async create(inputs) {
    const veza = client(inputs);
    const { value, adopted } = await veza.getOrCreateProvider(inputs.name, inputs.template);
    if (value.custom_template !== inputs.template)
      throw new Error(
        `Veza already has a custom provider named "${inputs.name}" (${value.id}) with template ${value.custom_template}, not ${inputs.template}; ` +
          `choose another veza.providerName, or delete that provider in Veza if nothing else uses it`,
      );
    if ((value.provisioning ?? false) !== inputs.provisioning) await veza.setProvisioning(value.id, inputs.provisioning);
    return { id: value.id, outs: { ...inputs, adopted } };
  },
  async diff(id, olds, news) {
    const replaces = changedKeys(olds, news, ["name", "template"]);
    const sameName = !replaces.includes("name");
    if (replaces.includes("template") && sameName && keeps(olds))
      throw new Error(
        `Veza provider "${olds.name}" (${id}) was adopted by this stack and is kept (veza.keepAdopted): changing its template from ${olds.template} to ${news.template} ` +
          `would delete it. Choose a new veza.providerName instead, or first run pulumi up with veza.keepAdopted false and the old template, then change the template.`,
      );
    const changes = replaces.length > 0 || connectionChanged(olds, news) || olds.provisioning !== news.provisioning || olds.keepAdopted !== news.keepAdopted;
    // Same name, new template: the old one must be gone before create looks the name up, or create would adopt it.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 && sameName };
  },
  async update(id, olds, news) {
    const veza = client(news);
    if (urlChanged(olds, news)) {
      const found = await veza.getProvider(id);
      if (!found || found.state === "DELETING" || found.name !== olds.name) throw notAtNewUrl(`Veza provider "${olds.name}"`, id, olds, news);
    }
    if (olds.provisioning !== news.provisioning) await veza.setProvisioning(id, news.provisioning);
    return { outs: { ...news, adopted: olds.adopted } };
  },
  async delete(id, olds) {
    // Adopted and kept: it was there before the stack and stays after it (the state forgets it).
    if (keeps(olds)) return;
    // A 404 or a provider already DELETING is fine: the deletion finishes in the background.
    await client(olds).deleteProvider(id);
  },
};

export interface DataSourceInputs extends VezaConnection {
  providerId: string;
  name: string;
  /** Leave the data source in Veza on delete when the stack adopted it; default true. */
  keepAdopted?: boolean;
}
export interface DataSourceOutputs extends DataSourceInputs {
  adopted: boolean;
}

export const dataSourceProvider: pulumi.dynamic.ResourceProvider<DataSourceInputs, DataSourceOutputs> = {
  async create(inputs) {
    const veza = client(inputs);
    const { value, adopted } = await veza.getOrCreateDataSource(inputs.providerId, inputs.name);
    return { id: value.id, outs: { ...inputs, adopted } };
  },
  async diff(_id, olds, news) {
    // A new name or a new provider always means another object: create-before-delete cannot adopt the old one.
    const replaces = changedKeys(olds, news, ["providerId", "name"]);
    return { changes: replaces.length > 0 || connectionChanged(olds, news) || olds.keepAdopted !== news.keepAdopted, replaces, deleteBeforeReplace: false };
  },
  async update(id, olds, news) {
    if (urlChanged(olds, news)) {
      const found = await client(news).getDataSource(news.providerId, id);
      if (!found || found.status === "DELETING" || found.name !== olds.name) throw notAtNewUrl(`Veza data source "${olds.name}"`, id, olds, news);
    }
    return { outs: { ...news, adopted: olds.adopted } };
  },
  async delete(id, olds) {
    if (keeps(olds)) return;
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
  // One :push, or parts past Veza's multipart threshold, as oaaclient chooses.
  const result = await client(inputs).pushPayload(inputs.providerId, inputs.dataSourceId, fs.readFileSync(inputs.payloadFile));
  return { ...inputs, warnings: result.warnings.map((w) => w.message) };
}

export const pushProvider: pulumi.dynamic.ResourceProvider<PushInputs, PushOutputs> = {
  async create(inputs) {
    return { id: `${inputs.dataSourceId}:${inputs.payloadHash.slice(0, 12)}`, outs: await pushFile(inputs) };
  },
  async diff(_id, olds, news) {
    const replaces = changedKeys(olds, news, ["providerId", "dataSourceId"]);
    return { changes: replaces.length > 0 || olds.payloadHash !== news.payloadHash || connectionChanged(olds, news), replaces, deleteBeforeReplace: false };
  },
  async update(_id, olds, news) {
    // Only a new payload needs a push; a new key or URL alone does not (the data source's update checked the URL).
    if (olds.payloadHash === news.payloadHash) return { outs: { ...news, warnings: olds.warnings } };
    return { outs: await pushFile(news) };
  },
  // A push has nothing to undo: the data stays until the data source is deleted.
  async delete() {},
};
