import * as net from "node:net";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { TYPE_CHECKS } from "./typeChecks";

/** The files that read the type checks' shared run (test/helpers/tscProjects.cjs): the component schema last of all. */
const SCHEMA = "test/componentSchema.test.ts";
const TYPE_CHECK_READERS = [SCHEMA, "test/packageConsumer.test.ts"];
const isFile = (spec: TestSpecification, file: string) => spec.moduleId.replace(/\\/g, "/").endsWith(`/${file}`);

/**
 * vitest's order (slowest first, by the last run's durations), with two changes for a run that plans its CPU:
 *
 * - when a file that reads the type checks is in the run, their shared run (~7 s of CPU) is asked for now, from the
 *   process server (test/helpers/processServer.ts, as a test worker asks), so it runs beside the first test files
 *   instead of after the file that first needs it;
 * - test/componentSchema.test.ts comes last of its project's files: it waits for that run, and the one worker of
 *   the pulumi-runtime project (vitest.config.mts) runs the other files meanwhile.
 */
export class RunOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    if (sorted.some((spec) => TYPE_CHECK_READERS.some((f) => isFile(spec, f)))) askForTypeChecks(this.ctx.getRootProject().getProvidedContext().processServer);
    return [...sorted.filter((spec) => !isFile(spec, SCHEMA)), ...sorted.filter((spec) => isFile(spec, SCHEMA))];
  }
}

/** Asks the process server for the type checks' shared run without waiting for its answer (the readers get it). */
function askForTypeChecks(address: string | undefined) {
  if (!address) return;
  const socket = net.connect(address);
  socket.on("error", () => socket.destroy());
  socket.resume();
  socket.end(`${JSON.stringify({ shared: TYPE_CHECKS })}\n`);
}
