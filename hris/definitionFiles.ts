import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The definitions of a folder named by role (`get-agents.json` serves the get-agents role): file base name → path.
 * Names that are not roles are reported by the loader, which knows the roles.
 */
export function roleFilesIn(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".json"))
      .map((e) => e.name)
      .sort()
      .map((name) => [name.replace(/\.json$/, ""), path.join(dir, name)]),
  );
}
