/**
 * Starts the fake BambooHR on 127.0.0.1 for trying data actions by hand:
 *
 *   npm run fake:bamboohr -- [--port 8089] [--company acmedev] [--integer-ids]
 *   WFM_HRIS_HRIS_API_KEY=test-api-key-admin npm run action -- get-balance --input employeeId=120 --input end=2026-12-01 --hris-url http://127.0.0.1:8089
 */
import { FakeBambooHr } from "../hris/bamboohr/fake";
import { UsageError, parseCommandLine, portOption, runCommand, serveUntilStopped } from "./cli";

const USAGE = "usage: npm run fake:bamboohr -- [--port <0-65535, 0 for any free port>] [--company <company domain>] [--integer-ids]";

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    options: { port: { type: "string", default: "0" }, company: { type: "string", default: "acmedev" }, "integer-ids": { type: "boolean", default: false } },
  });
  const port = portOption(values.port!);
  if (!/^[A-Za-z0-9-]+$/.test(values.company!)) throw new UsageError(`--company ${JSON.stringify(values.company)}: a BambooHR company domain has only letters, digits and '-', e.g. --company acmedev`);
  const fake = new FakeBambooHr({ companyDomain: values.company!, idMode: values["integer-ids"] ? "integer" : "string", oauthClients: { "test-client": "test-client-secret" } });
  const url = await fake.start(port);
  process.stdout.write(`fake BambooHR for company "${values.company}" at ${url}\nAPI keys: test-api-key-admin (admin), test-api-key-employee (employee); OAuth client test-client / test-client-secret at ${url}/oauth/token\n`);
  return serveUntilStopped(fake);
}

runCommand("fake:bamboohr", USAGE, main);
