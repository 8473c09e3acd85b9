/**
 * Standalone Veza sync, for schedules between deployments: fetch the HRIS, build and validate the payload, push.
 *
 *   npm run veza:sync -- --stack <s> [--dry-run] [--from-report report.json]
 *
 * Secrets: VEZA_API_KEY, WFM_HRIS_HRIS_API_KEY (or WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET), else the stack file.
 */
import { AUTH_SECRET, HrisApiError, withHrisBaseUrl } from "../hris";
import { isUserError } from "../lib/errors";
import { loadOfflineStack, missingSecret } from "../lib/plan/offlineStack";
import { MULTIPART_THRESHOLD_BYTES, isVezaApiError } from "../lib/veza/client";
import { PayloadValidationError } from "../lib/veza/payload";
import { PreparedPayload, directoryReader, payloadFromReportFile, prepareVezaPayload } from "../lib/veza/prepare";
import { syncToVeza } from "../lib/veza/sync";
import { inputFile, parseCommandLine, runCommand, stackChoice, urlOption } from "./cli";

const USAGE = "usage: npm run veza:sync -- [--stack <name>] [--stack-file <file>] [--dry-run] [--from-report <HRIS report JSON>] [--hris-url <url>] [--veza-url <url>]";

async function main(): Promise<number> {
  const values = parseCommandLine({
    options: {
      stack: { type: "string" },
      "stack-file": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "from-report": { type: "string" },
      "hris-url": { type: "string" },
      "veza-url": { type: "string" },
      stats: { type: "boolean", default: false },
    },
  }).values;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const hrisUrl = urlOption("--hris-url", values["hris-url"]);
  const vezaUrl = urlOption("--veza-url", values["veza-url"]);
  const report = values["from-report"] === undefined ? undefined : inputFile("--from-report", values["from-report"]);
  const { stack: stackName, stackFile } = stackChoice(values);
  const stack = loadOfflineStack(stackName, stackFile);
  let config = stack.config;
  if (!config.veza) {
    process.stderr.write(`stack ${stackName} has no veza section: nothing to sync (add wfm-hris:veza.url and the vezaApiKey secret)\n`);
    return 2;
  }
  if (hrisUrl) config = { ...config, hris: withHrisBaseUrl(config.hris, hrisUrl) };
  if (vezaUrl) config = { ...config, veza: { ...config.veza!, url: vezaUrl } };
  let prepared: PreparedPayload;
  if (report) {
    const reader = directoryReader(config);
    log(`reading the ${reader.reportDescription} ${report}`);
    prepared = await payloadFromReportFile(config, report, log);
  } else {
    const hrisKey = AUTH_SECRET[config.hris.auth.type];
    const hrisSecret = stack.secret(hrisKey);
    if (!hrisSecret) {
      process.stderr.write(`${missingSecret(hrisKey, "Reading the HRIS directory")}\n`);
      return 2;
    }
    prepared = await prepareVezaPayload(config, hrisSecret, { onProgress: log });
  }
  try {
    for (const w of prepared.buildWarnings) log(`warning: ${w}`);
    const parts = prepared.jsonBytes > MULTIPART_THRESHOLD_BYTES;
    // A dry run shows the size of the one :push it would send; a payload for parts is sent uncompressed.
    const gzipBytes = !parts && (values["dry-run"] || values.stats) ? (await prepared.gzipped()).length : undefined;
    log(`payload ${prepared.hash.slice(0, 16)}: ${prepared.employeeCount} employees, ${prepared.groupCount} groups, ${prepared.jsonBytes} bytes JSON${gzipBytes !== undefined ? `, ${gzipBytes} bytes gzipped` : parts ? " (sent in parts, uncompressed)" : ""}`);
    if (values["dry-run"]) {
      log("dry run: the payload is valid; nothing was sent to Veza");
    } else {
      const apiKey = stack.secret("vezaApiKey");
      if (!apiKey) {
        process.stderr.write(`${missingSecret("vezaApiKey", "Pushing to Veza")}\n`);
        return 2;
      }
      const result = await syncToVeza(config.veza!, apiKey, prepared, { onProgress: log });
      for (const w of result.warnings) log(`veza warning: ${w}`);
      log(`synced to Veza provider ${result.providerId}, data source ${result.dataSourceId}`);
    }
    if (values.stats) {
      // CPU of every thread of the process (zlib's thread pool included), as the benchmark compares with the SDK's.
      const usage = process.resourceUsage();
      process.stderr.write(`${JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssBytes: usage.maxRSS * 1024, jsonBytes: prepared.jsonBytes, gzipBytes })}\n`);
    }
  } finally {
    prepared.dispose();
  }
  return 0;
}

runCommand("veza sync", USAGE, main, (e) => isUserError(e) || isVezaApiError(e) || e instanceof HrisApiError || e instanceof PayloadValidationError);
