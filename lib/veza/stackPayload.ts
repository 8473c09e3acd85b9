import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { StackSecrets } from "../config/pulumi";
import type { StackConfig } from "../config/validate";
import { OFFLINE_PLAN_ENV } from "../genesys/resolveWfmType";
import { PROJECT_ROOT } from "../paths";
import { prepareVezaPayload } from "./prepare";

/** What the push resource needs: the payload's hash and size, and where this run wrote it. */
export interface PayloadRef {
  hash: string;
  employeeCount: number;
  groupCount: number;
  file: string;
}

/** Where a run keeps the gzipped payload for the push (git-ignored). */
export const PAYLOAD_DIR = ".wfm-hris/veza";

/**
 * Builds the stack's Veza payload from the HRIS while the program runs (preview included, so the diff shows
 * whether a push will happen). Validation failures stop the deployment before anything reaches Veza.
 */
export function vezaPayloadForStack(config: StackConfig, secrets: StackSecrets, env: NodeJS.ProcessEnv = process.env): pulumi.Output<PayloadRef> {
  if (env[OFFLINE_PLAN_ENV] === "1") return pulumi.output(pulumi.unknown) as unknown as pulumi.Output<PayloadRef>;
  const secret = config.hris.auth.type === "apiKey" ? secrets.hrisApiKey : secrets.hrisOauthClientSecret;
  if (!secret) throw new pulumi.RunError("the Veza sync needs the HRIS credential (hrisApiKey or hrisOauthClientSecret)");
  const stack = pulumi.getStack();
  return pulumi.unsecret(
    secret.apply(async (s) => {
      const prepared = await prepareVezaPayload(config, s, { onProgress: (line) => pulumi.log.info(`veza: ${line}`) });
      for (const w of prepared.buildWarnings) pulumi.log.warn(`veza: ${w}`);
      const dir = path.join(PROJECT_ROOT, PAYLOAD_DIR);
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${stack}-${prepared.hash.slice(0, 16)}.json.gz`);
      try {
        fs.writeFileSync(file, await prepared.gzipped());
      } finally {
        prepared.dispose();
      }
      return { hash: prepared.hash, employeeCount: prepared.employeeCount, groupCount: prepared.groupCount, file: path.relative(PROJECT_ROOT, file) };
    }),
  );
}
