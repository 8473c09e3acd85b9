import { RunError } from "@pulumi/pulumi";
import { ConfigError } from "./config/validate";
import { RunnerInputError } from "./dataActions/runner";
import { FileValidationError } from "./jsonFile";
import { StackFileError } from "./plan/stackFiles";

/** Errors the user fixes by editing config or files: print the message alone, no stack trace. */
export function isUserError(e: unknown): e is Error {
  return (
    e instanceof ConfigError ||
    e instanceof FileValidationError ||
    e instanceof StackFileError ||
    e instanceof RunnerInputError ||
    RunError.isInstance(e)
  );
}
