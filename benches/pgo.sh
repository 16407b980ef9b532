#!/usr/bin/env bash
# A profile-guided build of `lambdaform` (PGO): the compiler built once
# with counters, run on a representative workload, then built again with
# what the counters saw, so that LLVM lays out and inlines for the paths a
# build takes.
#
#     benches/pgo.sh [APP_DIR]
#
# APP_DIR is the 1,000-function bench app (`cargo bench --bench pipeline --
# --write-app 1000 DIR`); without it the script writes one. The workload is
# that app built for both targets (into an empty folder and again), for
# Terraform, and checked, then every example built. Needs llvm-profdata of
# the toolchain's LLVM (`rustup component add llvm-tools`). Everything goes
# under target/pgo/; the binary is target/pgo/lambdaform. Its outputs are
# those of the plain build, byte for byte:
#
#     benches/same_output.sh target/release/lambdaform target/pgo/lambdaform APP_DIR/main.lf
#
# The figures (instructions, time against the plain build) are in
# docs/performance.md. A profile describes the code it was taken from:
# take it again after changing the compiler, as this script does.
set -euo pipefail
cd "$(dirname "$0")/.."
host="$(rustc -vV | sed -n 's/^host: //p')"
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  echo "benches/pgo.sh: llvm-profdata not found at $profdata; install it with: rustup component add llvm-tools" >&2
  exit 2
fi
work="$PWD/target/pgo"
rm -rf "$work/profiles" "$work/merged.profdata" "$work/lambdaform"
mkdir -p "$work/profiles"

app="${1:-}"
if [ -z "$app" ]; then
  app="$work/app1000"
  cargo bench --bench pipeline -- --write-app 1000 "$app"
fi
[ -f "$app/main.lf" ] || { echo "benches/pgo.sh: no main.lf in $app" >&2; exit 2; }

echo "== instrumented build" >&2
RUSTFLAGS="-Cprofile-generate=$work/profiles" CARGO_TARGET_DIR="$work/generate" \
  cargo build --release --bin lambdaform
counted="$work/generate/release/lambdaform"

echo "== workload" >&2
export LAMBDAFORM_TODAY=2026-08-16
out="$work/out"
# Only the paths a run takes matter, not its outcome (examples/ci holds a
# workflow, not an app).
run() { "$counted" "$@" >/dev/null 2>&1 || true; }
for _ in 1 2 3; do
  rm -rf "$out"; run build "$app" --target all --out "$out"
  run build "$app" --target all --out "$out"
  rm -rf "$out"; run build "$app" --target terraform --out "$out"
  run check "$app"
done
for example in examples/*/; do
  rm -rf "$out"; run build "$example" --target all --out "$out"
done
rm -rf "$out"

echo "== optimized build" >&2
"$profdata" merge -o "$work/merged.profdata" "$work/profiles"
RUSTFLAGS="-Cprofile-use=$work/merged.profdata" CARGO_TARGET_DIR="$work/use" \
  cargo build --release --bin lambdaform
cp "$work/use/release/lambdaform" "$work/lambdaform"
echo "benches/pgo.sh: wrote $work/lambdaform" >&2
