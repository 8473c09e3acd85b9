import * as path from "node:path";

/** Project root: where Pulumi.yaml, actions/ and flows/ live. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");
