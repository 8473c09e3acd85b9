/**
 * `tsc -p <tsconfig>` for several projects one after the other in one process, as tsc itself runs each (the
 * TypeScript compiler API: the config's files and options, every diagnostic tsc reports, the emit the config asks
 * for), sharing what the projects have in common: a file (TypeScript's lib files, the declarations of node_modules
 * and of the Genesys SDK, ...) is read and parsed once, not once per project; a parsed file is the same whichever
 * program uses it, as in TypeScript's own language service. A file a project writes is read afresh afterwards. test/packageConsumer.test.ts builds the package's declarations
 * (tsconfig.package.json, as `npm run build:types`) and then type-checks the consumer program against them.
 *
 *   node test/helpers/tscProjects.cjs <tsconfig.json>...   prints [{ project, status, output }] as JSON; status 0 is
 *                                                           what tsc's exit 0 means (no error), output is tsc's text
 *
 * A project is checked only after the ones before it have been built (the consumer reads the declarations the
 * package project just wrote).
 *
 *   ... --link <folder>                                     first links <folder>/node_modules/wfm-hris to this
 *                                                           package, as `npm install` makes a `file:` dependency
 *                                                           on it (examples/consumer depends on `file:../..`)
 *   ... --component-schema                                  then also the schema the package's component provider
 *                                                           makes (WfmHrisComponentProvider.getSchema: Pulumi's
 *                                                           analyzer, a TypeScript program of the whole project):
 *                                                           prints { projects: [...], componentSchema: "<json>" }
 *
 * The analyzer builds its program with TypeScript's own compiler host; here it gets the same one with the files the
 * projects above parsed, instead of parsing the libraries' declarations (the Pulumi SDK, the Genesys SDK, Node's) a
 * third time. test/packageConsumer.test.ts and test/componentSchema.test.ts share one run of this
 * (test/helpers/processes.ts runShared). Plain JavaScript, like tools/run.cjs.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

/** Parsed files, by file and language options; a file written by a project is dropped. */
const parsedFiles = new Map();

/** A compiler host's source files taken from, and given to, the files parsed in this process. */
function shareParsedFiles(host) {
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, languageVersion, onError, fresh) => {
    // The parse depends on the file and the language options (target, module format): the key has both.
    const key = `${path.resolve(file)}\0${JSON.stringify(languageVersion)}`;
    if (!parsedFiles.has(key)) parsedFiles.set(key, read(file, languageVersion, onError, fresh));
    return parsedFiles.get(key);
  };
  const write = host.writeFile.bind(host);
  host.writeFile = (file, ...rest) => {
    for (const key of parsedFiles.keys()) if (key.startsWith(`${path.resolve(file)}\0`)) parsedFiles.delete(key);
    return write(file, ...rest);
  };
  return host;
}

function build(configFile) {
  const problems = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => problems.push(d),
  });
  if (!parsed) return problems;
  // As tsc: a project with incremental (or composite) set is built incrementally, from its .tsbuildinfo.
  const incremental = ts.isIncrementalCompilation(parsed.options);
  const host = shareParsedFiles(incremental ? ts.createIncrementalCompilerHost(parsed.options) : ts.createCompilerHost(parsed.options));
  const program = (incremental ? ts.createIncrementalProgram : ts.createProgram)({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  // What tsc reports, in its order (executeCommandLine.ts, emitFilesAndReportErrors).
  const diagnostics = [...program.getConfigFileParsingDiagnostics()];
  const configProblems = diagnostics.length;
  diagnostics.push(...program.getSyntacticDiagnostics());
  if (diagnostics.length === configProblems) {
    diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
    if (diagnostics.length === configProblems) diagnostics.push(...program.getSemanticDiagnostics());
    if (parsed.options.noEmit && ts.getEmitDeclarations(parsed.options) && diagnostics.length === configProblems) diagnostics.push(...program.getDeclarationDiagnostics());
  }
  diagnostics.push(...program.emit().diagnostics);
  return diagnostics;
}

const format = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => "\n",
};
/**
 * The component provider's schema, its analyzer given TypeScript with `createProgram` taking a compiler host that
 * shares the parsed files (the analyzer passes none, so TypeScript would make its own): Pulumi's analyzer loads
 * TypeScript through @pulumi/pulumi/typescript-shim, which is given this TypeScript with that one difference.
 */
async function componentSchema() {
  const Module = require("node:module");
  const shim = require.resolve("@pulumi/pulumi/typescript-shim");
  const sharing = Object.create(ts, {
    createProgram: {
      value: (rootNamesOrOptions, ...rest) =>
        Array.isArray(rootNamesOrOptions) || rootNamesOrOptions.host
          ? ts.createProgram(rootNamesOrOptions, ...rest)
          : ts.createProgram({ ...rootNamesOrOptions, host: shareParsedFiles(ts.createCompilerHost(rootNamesOrOptions.options)) }),
    },
  });
  const module = new Module(shim);
  Object.assign(module, { filename: shim, loaded: true, exports: sharing });
  require.cache[shim] = module;
  // The provider as the plugin runs it: compiled (dist/, built by the test run's global setup or tools/run.cjs).
  require("../../tools/build.cjs").ensureBuilt();
  require("../../tools/deferPulumiClosures.cjs").deferPulumiClosures();
  const { WfmHrisComponentProvider } = require("../../dist/components/componentProvider.js");
  return new WfmHrisComponentProvider().getSchema();
}

/** The link `npm install` makes in a folder that depends on this package by path. */
function linkPackage(folder) {
  const root = path.resolve(__dirname, "..", "..");
  const link = path.join(root, folder, "node_modules", require(path.join(root, "package.json")).name);
  if (fs.existsSync(link)) return;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  try {
    fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
  } catch (e) {
    if (e.code !== "EEXIST") throw e; // made meanwhile by a test file (test/packageConsumer.test.ts)
  }
}

async function main() {
  const args = process.argv.slice(2);
  const withSchema = args.includes("--component-schema");
  const projects = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--component-schema") continue;
    if (args[i] === "--link") {
      linkPackage(args[++i]);
      continue;
    }
    projects.push(args[i]);
  }
  const results = projects.map((configFile) => {
      const diagnostics = build(path.resolve(configFile));
      const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
    return { project: configFile, status: errors.length ? 2 : 0, output: ts.formatDiagnostics(diagnostics, format) };
  });
  process.stdout.write(JSON.stringify(withSchema ? { projects: results, componentSchema: await componentSchema() } : results));
}

main().catch((e) => {
  process.stderr.write(`${(e && e.stack) || e}\n`);
  process.exit(1);
});
