/**
 * ajv's logger for the project's validators: ajv warns of an unknown `format` once while compiling a schema and
 * again while generating its code, so the same line showed twice (and again for every contract sharing the schema).
 * Each distinct warning is printed once per process; logs and errors pass through as ajv prints them.
 */
const warned = new Set<string>();

export const ajvLogger = {
  log: (...args: unknown[]) => console.log(...args),
  warn: (...args: unknown[]) => {
    const line = args.map(String).join(" ");
    if (warned.has(line)) return;
    warned.add(line);
    console.warn(...args);
  },
  error: (...args: unknown[]) => console.error(...args),
};
