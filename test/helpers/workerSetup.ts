import { createRequire } from "node:module";
import { inject } from "vitest";
import { useLintCache } from "../../lib/flows/lintCache";

// Each test file runs in its own process (forks): defer Pulumi's closure serializer there too, as the tools do
// (tools/deferPulumiClosures.cjs), so files that never serialize a function do not load TypeScript and Arborist.
const require = createRequire(import.meta.url);
(require("../../tools/deferPulumiClosures.cjs") as { deferPulumiClosures: () => void }).deferPulumiClosures();

// The flow lint's own cache (lib/flows/lintCache.ts, as the offline plan uses it), in a folder of this run only
// (test/helpers/globalSetup.ts makes it and removes it at the end): the test files load the same five workflows with
// the same substitutions again and again, and each distinct lint is computed once per run instead of once per load.
// A hit is exactly the lint's result (test/flowLintCache.test.ts); that file turns the cache off for its own tests.
useLintCache(inject("flowLintCache"));
