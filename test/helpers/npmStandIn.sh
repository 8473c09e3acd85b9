#!/usr/bin/env bash
# `npm`, for the workflow steps and scripts the tests run (test/workflows.test.ts puts a link to this file first on
# PATH, named npm): `npm run --silent <script> -- <args>` of a script that runs a tool (`node tools/run.cjs <tool>`),
# run in the tool host of the process server (test/helpers/npmStandIn.ts, port in WFM_TEST_NPM_PORT) instead of
# starting npm and then node. What npm does for that command, the server does: the script of the package.json in the
# working folder or the nearest folder above, run from that folder with the arguments after -- appended and
# npm_lifecycle_event set to the script's name, in this environment; the tool's stdout, stderr and exit code come
# back (--silent: npm adds nothing of its own). Any other npm command is refused with exit 127, so a step that starts
# using npm another way fails its test instead of running something else.
#
# Bash (its /dev/tcp), so that a step running many npm scripts does not start a node process for each.
set -u
if [ "${1-}" != run ] || [ "${2-}" != --silent ] || [ -z "${3-}" ] || { [ $# -gt 3 ] && [ "$4" != -- ]; }; then
  echo "npm stand-in (test/helpers/npmStandIn.sh): npm $*: it runs only \`npm run --silent <script> -- <args>\` of a tool script" >&2
  exit 127
fi
script=$3
shift 3
[ $# -gt 0 ] && shift
out=$(mktemp -d)
exec 3<>"/dev/tcp/127.0.0.1/${WFM_TEST_NPM_PORT:?the npm stand-in needs the process server (WFM_TEST_NPM_PORT)}"
# The request: fields ended by NUL (folder, script, output folder, argument count, arguments, NAME=value of the
# environment), then an empty field. The answer: the exit code, after stdout and stderr are in the output folder.
{
  printf '%s\0' "$PWD" "$script" "$out" "$#"
  [ $# -gt 0 ] && printf '%s\0' "$@"
  env -0
  printf '\0'
} >&3
IFS= read -r status <&3
exec 3<&-
cat "$out/stdout"
cat "$out/stderr" >&2
rm -rf "$out"
exit "$status"
