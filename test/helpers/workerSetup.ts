import { createRequire } from "node:module";

// Each test file runs in its own process (forks): defer Pulumi's closure serializer there too, as the tools do
// (tools/deferPulumiClosures.cjs), so files that never serialize a function do not load TypeScript and Arborist.
const require = createRequire(import.meta.url);
(require("../../tools/deferPulumiClosures.cjs") as { deferPulumiClosures: () => void }).deferPulumiClosures();
