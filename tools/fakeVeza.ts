/**
 * Starts the fake Veza on 127.0.0.1, for trying the sync by hand (and for the benchmark, which runs it in its own
 * process as Veza would be):
 *
 *   npm run fake:veza -- [--port 8090] [--api-key veza-test-key] [--forget-payloads]
 *   VEZA_API_KEY=veza-test-key npm run veza:sync -- --stack globex-prod --from-report report.json --veza-url http://127.0.0.1:8090
 */
import { parseArgs } from "node:util";
import { FakeVeza } from "../test/fakes/veza";

const { values } = parseArgs({
  options: { port: { type: "string", default: "0" }, "api-key": { type: "string", default: "veza-test-key" }, "forget-payloads": { type: "boolean", default: false } },
});
const fake = new FakeVeza(values["api-key"]);
// The benchmark's million-employee payloads: checked, then dropped, not kept in memory.
fake.keepPayloads = !values["forget-payloads"];
fake.start(Number(values.port)).then((url) => {
  process.stdout.write(`fake Veza at ${url}\nAPI key: ${values["api-key"]}\n`);
});
process.on("SIGINT", () => void fake.stop().then(() => process.exit(0)));
process.on("SIGTERM", () => void fake.stop().then(() => process.exit(0)));
