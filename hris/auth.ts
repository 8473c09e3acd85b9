import { z } from "zod";
import { builtOnFirstRead, doc, httpsUrl } from "../lib/config/fields";
import type { SecretKey } from "../lib/config/schema";

/**
 * How Genesys authenticates to an HRIS, as config. Each adapter says which of these it supports; the data actions'
 * side of each (credential type, custom auth action, headers) is the adapter's `auth/<type>.json` profile.
 */

const buildAuthSchemas = () => {
  const ApiKeyAuth = z.strictObject({
    type: z.literal("apiKey").meta(doc("Authenticate with an API key, sent as the HTTP Basic user name (Basic Auth credential in Genesys).", "apiKey")),
  });
  const OAuthAuth = z.strictObject({
    type: z.literal("oauth").meta(doc("Authenticate with OAuth client credentials (User Defined (OAuth) credential + custom auth action).", "oauth")),
    clientId: z.string().trim().min(1, "must not be empty").meta(doc("OAuth client id issued for the HRIS API.", "genesys-wfm")),
    tokenUrl: httpsUrl().meta(doc("OAuth token endpoint (client_credentials grant).", "https://hr.example.com/oauth/token")),
    scope: z.string().trim().min(1).optional().meta(doc("Space-separated OAuth scopes to request.", "time_off employees")),
  });
  return { apiKey: ApiKeyAuth, oauth: OAuthAuth } as const;
};

/** The auth section's schema of each auth type (built on first use, shared by every adapter). */
export const hrisAuthSchemas = builtOnFirstRead(buildAuthSchemas);
type AuthSchemas = ReturnType<typeof buildAuthSchemas>;
export type HrisAuthType = keyof AuthSchemas;
export type HrisAuth = z.output<AuthSchemas["apiKey"]> | z.output<AuthSchemas["oauth"]>;

/** The secret config key each auth type needs. */
export const AUTH_SECRET: Record<HrisAuthType, SecretKey> = { apiKey: "hrisApiKey", oauth: "hrisOauthClientSecret" };

/**
 * The fields of the Genesys integration credential for an auth setting, with the secret where it belongs. Generic
 * over the secret's type: the program passes a Pulumi secret, the offline tools a string.
 */
export function credentialFields<S>(auth: HrisAuth, secret: S): Record<string, S | string> {
  // Basic Auth with the key as user name; such APIs ignore the password, Genesys requires one.
  if (auth.type === "apiKey") return { userName: secret, password: "x" };
  return { clientId: auth.clientId, clientSecret: secret, loginUrl: auth.tokenUrl, ...(auth.scope ? { scope: auth.scope } : {}) };
}
