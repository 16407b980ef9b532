#!/usr/bin/env bash
# The action's verdict from the exit codes of `check` (CHECK) and `plan`
# (PLAN, empty when no plan ran): fails on errors in the app, a usage or I/O
# problem, or a denied hazard; changes alone pass. tests/action.rs runs it.
set -euo pipefail

case "${CHECK:-}" in
  0) ;;
  1) echo "::error::the app has errors: see the check step or the code scanning alerts"; exit 1 ;;
  *) echo "::error::lambdaform check could not run (exit ${CHECK:-none})"; exit 1 ;;
esac
case "${PLAN:-}" in
  "" | 0 | 1) ;;
  3) echo "::error::the plan has a denied hazard (widened grants or data at risk): see the plan comment"; exit 1 ;;
  *) echo "::error::lambdaform plan failed (exit $PLAN)"; exit 1 ;;
esac
echo "lambdaform: check clean${PLAN:+, plan exit $PLAN}"
