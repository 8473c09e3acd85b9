/**
 * Starts the fake Personio on 127.0.0.1 for trying data actions and the Veza sync by hand:
 *
 *   npm run fake:personio -- [--port 8090] [--employees 250] [--employees-per-minute 300]
 *   WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET=papi-secret-initech npm run action -- get-balance --stack initech-personio \
 *     --input employeeId=1020 --hris-url http://127.0.0.1:8090
 */
import { parseArgs } from "node:util";
import { FakePersonio } from "../hris/personio/fake";
import { seedEmployees } from "../hris/personio/fakeData";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    employees: { type: "string", default: "250" },
    "employees-per-minute": { type: "string" },
  },
});
const count = Number(values.employees);
if (!Number.isInteger(count) || count < 1) {
  process.stderr.write(`--employees ${values.employees}: expected a whole number of employees, e.g. --employees 250\n`);
  process.exit(2);
}
const perMinute = values["employees-per-minute"] === undefined ? undefined : Number(values["employees-per-minute"]);
if (perMinute !== undefined && (!Number.isInteger(perMinute) || perMinute < 1)) {
  process.stderr.write(`--employees-per-minute ${values["employees-per-minute"]}: expected a whole number of requests, e.g. --employees-per-minute 300\n`);
  process.exit(2);
}
const fake = new FakePersonio({
  clients: { "papi-client-initech": "papi-secret-initech" },
  employees: seedEmployees(count),
  rateLimits: perMinute === undefined ? {} : { employeesPerMinute: perMinute },
});
fake.start(Number(values.port)).then((url) => {
  process.stdout.write(
    `fake Personio with ${count} employees at ${url}\nAPI credentials: client id papi-client-initech, secret papi-secret-initech (POST ${url}/v1/auth or ${url}/v2/auth/token)\n`,
  );
});
process.on("SIGINT", () => void fake.stop().then(() => process.exit(0)));
