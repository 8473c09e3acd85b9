import * as fs from "node:fs";
import * as path from "node:path";

// Compiled, this file runs as dist/lib/paths.js (tools/build.cjs mirrors the tree into dist/).
const above = path.resolve(__dirname, "..");
const compiled = path.basename(above) === "dist" && !fs.existsSync(path.join(above, "Pulumi.yaml"));

/** Project root: where Pulumi.yaml, actions/ and flows/ live. */
export const PROJECT_ROOT = compiled ? path.dirname(above) : above;
