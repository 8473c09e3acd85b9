/**
 * Starts the fake BambooHR on 127.0.0.1 for trying data actions by hand:
 *
 *   npm run fake:bamboohr -- [--port 8089] [--company acmedev] [--integer-ids]
 *   WFM_HRIS_HRIS_API_KEY=test-api-key-admin npm run action -- get-balance --input employeeId=120 --input end=2026-12-01 --hris-url http://127.0.0.1:8089
 */
import { parseArgs } from "node:util";
import { FakeBambooHr } from "../hris/bamboohr/fake";

const { values } = parseArgs({
  options: { port: { type: "string", default: "0" }, company: { type: "string", default: "acmedev" }, "integer-ids": { type: "boolean", default: false } },
});
const fake = new FakeBambooHr({ companyDomain: values.company, idMode: values["integer-ids"] ? "integer" : "string", oauthClients: { "test-client": "test-client-secret" } });
fake.start(Number(values.port)).then((url) => {
  process.stdout.write(`fake BambooHR for company "${values.company}" at ${url}\nAPI keys: test-api-key-admin (admin), test-api-key-employee (employee); OAuth client test-client / test-client-secret at ${url}/oauth/token\n`);
});
process.on("SIGINT", () => void fake.stop().then(() => process.exit(0)));
