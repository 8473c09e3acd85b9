import { ConfigError } from "./config/validate";
import { RunnerInputError } from "./dataActions/runner";
import { FileValidationError } from "./jsonFile";
import { StackFileError } from "./plan/stackFiles";

/**
 * Errors the user fixes by editing config or files: print the message alone, no stack trace. Pulumi's RunError
 * is recognised by its marker (what RunError.isInstance checks), so the command-line tools need not load Pulumi.
 */
export function isUserError(e: unknown): e is Error {
  return (
    e instanceof ConfigError ||
    e instanceof FileValidationError ||
    e instanceof StackFileError ||
    e instanceof RunnerInputError ||
    (e instanceof Error && (e as { __pulumiRunError?: boolean }).__pulumiRunError === true)
  );
}
