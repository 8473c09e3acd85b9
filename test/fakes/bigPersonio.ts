/**
 * The fake Personio serving a large directory for the Veza benchmark, in its own process as Personio would be:
 *
 *   node --require tsx/cjs test/fakes/bigPersonio.ts <employees>
 *
 * prints `fake Personio at <url>` and serves until stopped. Personio's rate limits (300 employee pages a minute, 15 a
 * second: hris/personio/fake.ts DOCUMENTED_RATE_LIMITS) are lifted: 1,000,000 employees are 10,000 pages, which at
 * the documented limits take over half an hour of waiting, and the benchmark measures the sync's work, not Personio's
 * budget (test/personioDirectory.test.ts checks the back-off under the limits).
 */
import { FakePersonio } from "../../hris/personio/fake";
import { seedEmployees } from "../../hris/personio/fakeData";

export const BENCH_CLIENT = { id: "papi-client-initech", secret: "papi-secret-initech" };
const UNLIMITED = { authPerMinute: 1e9, employeesPerMinute: 1e9, employeesPerSecond: 1e9, allPerMinute: 1e9 };

async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count < 1) throw new Error("usage: bigPersonio.ts <employees>");
  const fake = new FakePersonio({ clients: { [BENCH_CLIENT.id]: BENCH_CLIENT.secret }, employees: seedEmployees(count), rateLimits: UNLIMITED });
  process.stdout.write(`fake Personio at ${await fake.start()}\n`);
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (require.main === module) void main();
