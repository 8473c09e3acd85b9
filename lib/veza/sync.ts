import type { StackConfig } from "../config/validate";
import { MULTIPART_THRESHOLD_BYTES, PushStats, VezaClient, VezaClientOptions, getOrCreate } from "./client";
import { httpFetch } from "./http";
import type { PreparedPayload } from "./prepare";

export interface SyncResult {
  providerId: string;
  dataSourceId: string;
  providerAdopted: boolean;
  dataSourceAdopted: boolean;
  warnings: string[];
  push?: PushStats;
}

/**
 * Pushes a prepared payload: the custom provider (template hris) and data source are got or created by name,
 * the provisioning flag set when it differs, then the full snapshot pushed.
 */
export async function syncToVeza(
  veza: NonNullable<StackConfig["veza"]>,
  apiKey: string,
  prepared: PreparedPayload,
  options: { onProgress?: (line: string) => void; client?: Partial<VezaClientOptions> } = {},
): Promise<SyncResult> {
  const progress = options.onProgress ?? (() => {});
  const client = new VezaClient({
    baseUrl: veza.url,
    apiKey,
    onRetry: ({ attempt, delayMs, reason }) => progress(`retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s after ${reason}`),
    // node:http rather than fetch: a fraction of the start-up, and a part's body is written as it is read.
    fetchImpl: httpFetch as unknown as typeof fetch,
    ...options.client,
  });
  const provider = await getOrCreate(
    () => client.findProvider(veza.providerName),
    () => client.createProvider(veza.providerName, "hris"),
  );
  if (provider.value.custom_template !== "hris")
    throw new Error(`Veza already has a custom provider named "${veza.providerName}" with template ${provider.value.custom_template}; choose another veza.providerName`);
  progress(`${provider.adopted ? "using" : "created"} Veza custom provider "${veza.providerName}" (${provider.value.id})`);
  if ((provider.value.provisioning ?? false) !== veza.provisioning) {
    await client.setProvisioning(provider.value.id, veza.provisioning);
    progress(`set provisioning to ${veza.provisioning}`);
  }
  const dataSource = await getOrCreate(
    () => client.findDataSource(provider.value.id, veza.dataSourceName),
    () => client.createDataSource(provider.value.id, veza.dataSourceName),
  );
  progress(`${dataSource.adopted ? "using" : "created"} data source "${veza.dataSourceName}" (${dataSource.value.id})`);
  const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
  const single = prepared.jsonBytes <= MULTIPART_THRESHOLD_BYTES;
  const size = single ? `${mb((await prepared.gzipped()).length)} gzipped, ${mb(prepared.jsonBytes)} JSON` : `${mb(prepared.jsonBytes)} JSON`;
  progress(`pushing ${prepared.employeeCount} employees and ${prepared.groupCount} groups (${size})`);
  const started = Date.now();
  const result = await client.pushText(provider.value.id, dataSource.value.id, prepared.text, prepared.gzipped, {
    onPart: (n, bytes) => progress(`sent part ${n} (${mb(bytes)} of JSON)`),
  });
  const how = result.stats?.mode === "parts" ? ` in ${result.stats.parts} parts (multipart upload: the JSON is over ${mb(MULTIPART_THRESHOLD_BYTES)})` : "";
  progress(`pushed${how} in ${((Date.now() - started) / 1000).toFixed(1)} s; Veza reported ${result.warnings.length} warning${result.warnings.length === 1 ? "" : "s"}`);
  return {
    providerId: provider.value.id,
    dataSourceId: dataSource.value.id,
    providerAdopted: provider.adopted,
    dataSourceAdopted: dataSource.adopted,
    warnings: result.warnings.map((w) => w.message),
    push: result.stats,
  };
}
