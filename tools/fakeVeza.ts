/**
 * Starts the fake Veza on 127.0.0.1, for trying the sync by hand (and for the benchmark, which runs it in its own
 * process as Veza would be):
 *
 *   npm run fake:veza -- [--port 8090] [--api-key veza-test-key] [--forget-payloads]
 *   VEZA_API_KEY=veza-test-key npm run veza:sync -- --stack globex-prod --from-report report.json --veza-url http://127.0.0.1:8090
 */
import { FakeVeza } from "../test/fakes/veza";
import { UsageError, parseCommandLine, portOption, runCommand, serveUntilStopped } from "./cli";

const USAGE = "usage: npm run fake:veza -- [--port <0-65535, 0 for any free port>] [--api-key <key the fake accepts>] [--forget-payloads]";

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    options: { port: { type: "string", default: "0" }, "api-key": { type: "string", default: "veza-test-key" }, "forget-payloads": { type: "boolean", default: false } },
  });
  const port = portOption(values.port!);
  if (!values["api-key"]!.trim()) throw new UsageError('--api-key "": give the key the fake accepts, e.g. --api-key veza-test-key');
  const fake = new FakeVeza(values["api-key"]!);
  // The benchmark's million-employee payloads: checked, then dropped, not kept in memory.
  fake.keepPayloads = !values["forget-payloads"];
  const url = await fake.start(port);
  process.stdout.write(`fake Veza at ${url}\nAPI key: ${values["api-key"]}\n`);
  return serveUntilStopped(fake);
}

runCommand("fake:veza", USAGE, main);
