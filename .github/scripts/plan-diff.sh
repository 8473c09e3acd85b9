#!/usr/bin/env bash
# Offline plan of every stack of <head> and, where it exists and plans, of <base>; prints one Markdown diff per stack.
#   plan-diff.sh <head checkout> <base checkout>
set -uo pipefail
head="$(cd "$1" && pwd)"; base="$(cd "$2" && pwd)"
out="$(mktemp -d)"
for file in "$head"/Pulumi.*.yaml; do
  stack="$(basename "$file" .yaml)"; stack="${stack#Pulumi.}"
  if ! (cd "$head" && npm run --silent plan -- --stack "$stack" --quiet --json "$out/$stack.head.json") 2> "$out/$stack.err"; then
    printf '### %s: the offline plan fails\n\n```\n%s\n```\n\n' "$stack" "$(cat "$out/$stack.err")"
    continue
  fi
  basejson=-
  if [ -f "$base/Pulumi.$stack.yaml" ] && (cd "$base" && npm run --silent plan -- --stack "$stack" --quiet --json "$out/$stack.base.json") 2>/dev/null; then
    basejson="$out/$stack.base.json"
  fi
  (cd "$head" && npm run --silent plan:diff -- "$basejson" "$out/$stack.head.json")
  echo
done
