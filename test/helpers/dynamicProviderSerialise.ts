/**
 * Child program for test/vezaProviderHost.test.ts: serialises the Veza dynamic providers exactly as `pulumi up` does,
 * and prints the three `__provider` texts as one JSON line.
 *
 * It is started like the real program (Pulumi.yaml `runtime.options.nodeargs`, i.e. `node --import tsx`), not under
 * vitest, whose module transform changes the serialised text. The resources are the real component classes, so the
 * text comes from the SDK's own path: `pulumi.dynamic.Resource`'s constructor → `serializeProvider` →
 * `runtime/closure/serializeClosure.serializeFunction(() => provider, { allowSecrets: true })`
 * (node_modules/@pulumi/pulumi/dynamic/index.js). Mocks only stand in for the engine that receives the inputs.
 *
 * Usage: node --import tsx test/helpers/dynamicProviderSerialise.ts <api key to pass as a secret input>
 */
import * as pulumi from "@pulumi/pulumi";

const apiKey = process.argv[2] ?? "";
const texts: Record<string, string> = {};
let secretInputs = 0;

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      const type = args.type.replace("pulumi-nodejs:dynamic/veza:", "");
      texts[type] = args.inputs.__provider;
      if (args.inputs.apiKey?.["4dabf18193072939515e22adb298388d"]) secretInputs++;
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "wfm-hris",
  "serialise",
);

async function main() {
  // Imported after setMocks, as a Pulumi program would be run.
  const { VezaCustomProvider, VezaDataSource, VezaPush } = await import("../../components/veza");
  const key = pulumi.secret(apiKey);
  const conn = { baseUrl: "https://serialise.vezacloud.com", apiKey: key };
  const provider = new VezaCustomProvider("p", { ...conn, name: "n", template: "hris", provisioning: false, keepAdopted: true });
  const ds = new VezaDataSource("d", { ...conn, providerId: provider.id, name: "n", keepAdopted: true });
  const push = new VezaPush("x", { ...conn, providerId: provider.id, dataSourceId: ds.id, payloadHash: "h", payloadFile: "f", employeeCount: 0, groupCount: 0 });
  await new Promise<void>((resolve) => push.id.apply(() => resolve()));
  process.stdout.write(`${JSON.stringify({ texts, secretInputs })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
