#!/usr/bin/env bash
# Whether two `lambdaform` binaries write byte-identical output:
#
#     benches/same_output.sh REF NEW [BIG_APP]
#
# Builds, with each binary in turn and into the same path, every `.lf` file
# of examples/ and tests/ on its own and every example folder whole (both
# targets, the runtimes judged on the tests' day), and compares the output
# folders and what each build printed. BIG_APP (a large app's main.lf, as
# `cargo bench --bench pipeline -- --write-app 1000 DIR` writes it) is also
# built at --stack-budget 1, 3 and 10, with the default budget, and again
# into the output of budget 10 with budget 3 (a split that keeps stacks),
# and again into its own output at the default budget (the membership the
# first build recorded beside its templates).
# For a change meant to leave every output as it was (a speed-up).
set -uo pipefail
ref="$(realpath "$1")"; new="$(realpath "$2")"; big="${3:-}"
cd "$(dirname "$0")/.."
export LAMBDAFORM_TODAY=2026-08-16
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
builds=0; differ=0

# build BIN SIDE ARGS...: the output and messages of one build, kept as SIDE.
build() {
  local bin=$1 side=$2; shift 2
  rm -rf "$work/out" "$work/$side"; mkdir -p "$work/$side"
  "$bin" build "$@" --out "$work/out" >"$work/$side/printed" 2>&1
  echo "exit $?" >>"$work/$side/printed"
  if [ -d "$work/out" ]; then mv "$work/out" "$work/$side/out"; fi
}

# again BIN SIDE APP FIRST SECOND: built at budget FIRST, then again at SECOND.
again() {
  local bin=$1 side=$2 app=$3
  rm -rf "$work/out"
  "$bin" build "$app" --out "$work/out" --stack-budget "$4" >/dev/null 2>&1
  build "$bin" "$side" "$app" --stack-budget "$5"
}

# The record of a split build's stacks holds each template's stamp (inode,
# time), which differs from build to build: it is left out.
compare() {
  builds=$((builds + 1))
  if ! diff -r -q -x .lambdaform-stacks.json "$work/ref" "$work/new" >/dev/null; then
    differ=$((differ + 1)); echo "differs: $*"
    diff -r -x .lambdaform-stacks.json "$work/ref" "$work/new" | head -5 | cut -c1-200
  fi
}

for app in $(find examples tests -name '*.lf' | sort) $(ls -d examples/*/); do
  build "$ref" ref "$app"; build "$new" new "$app"; compare "$app"
done
if [ -n "$big" ]; then
  for budget in 1 3 10; do
    build "$ref" ref "$big" --stack-budget $budget; build "$new" new "$big" --stack-budget $budget
    compare "$big at budget $budget"
  done
  build "$ref" ref "$big"; build "$new" new "$big"; compare "$big"
  again "$ref" ref "$big" 10 3; again "$new" new "$big" 10 3; compare "$big again, budget 10 then 3"
  again "$ref" ref "$big" 400 400; again "$new" new "$big" 400 400; compare "$big again into its own output"
fi
if [ "$differ" = 0 ]; then echo "all outputs byte-identical ($builds builds)"; else echo "$differ of $builds builds differ"; exit 1; fi
