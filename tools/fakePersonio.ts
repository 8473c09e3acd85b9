/**
 * Starts the fake Personio on 127.0.0.1 for trying data actions and the Veza sync by hand:
 *
 *   npm run fake:personio -- [--port 8090] [--employees 250] [--employees-per-minute 300]
 *   WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET=papi-secret-initech npm run action -- get-balance --stack initech-personio \
 *     --input employeeId=1020 --hris-url http://127.0.0.1:8090
 */
import { FakePersonio } from "../hris/personio/fake";
import { seedEmployees } from "../hris/personio/fakeData";
import { intOption, parseCommandLine, portOption, runCommand, serveUntilStopped } from "./cli";

const USAGE = "usage: npm run fake:personio -- [--port <0-65535, 0 for any free port>] [--employees <1-1000000>] [--employees-per-minute <n>]";

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    options: {
      port: { type: "string", default: "0" },
      employees: { type: "string", default: "250" },
      "employees-per-minute": { type: "string" },
    },
  });
  const port = portOption(values.port!);
  const count = intOption("--employees", values.employees!, 1, 1_000_000, "250");
  const perMinute = values["employees-per-minute"] === undefined ? undefined : intOption("--employees-per-minute", values["employees-per-minute"], 1, 1_000_000, "300");
  const fake = new FakePersonio({
    clients: { "papi-client-initech": "papi-secret-initech" },
    employees: seedEmployees(count),
    rateLimits: perMinute === undefined ? {} : { employeesPerMinute: perMinute },
  });
  const url = await fake.start(port);
  process.stdout.write(
    `fake Personio with ${count} employees at ${url}\nAPI credentials: client id papi-client-initech, secret papi-secret-initech (POST ${url}/v1/auth or ${url}/v2/auth/token)\n`,
  );
  return serveUntilStopped(fake);
}

runCommand("fake:personio", USAGE, main);
