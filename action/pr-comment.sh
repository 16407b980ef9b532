#!/usr/bin/env bash
# Posts a pull request's Lambdaform plan as ONE comment: the comment whose
# body starts with the marker is updated, or a comment is created when there
# is none. A body over GitHub's limit is cut with a note.
#
# Usage: pr-comment.sh PLAN.md, with GH_TOKEN, REPO (owner/name) and PR (its
# number) in the environment; MARKER overrides the hidden marker. Needs gh
# and jq, which GitHub's runners have. tests/action.rs runs it against a
# stand-in gh.
set -euo pipefail

plan="${1:?usage: pr-comment.sh PLAN.md}"
: "${REPO:?set REPO=owner/name}" "${PR:?set PR=the pull request number}"
marker="${MARKER:-<!-- lambdaform-plan -->}"
# GitHub refuses comments over 65,536 characters.
limit="${LIMIT:-65000}"

body="$(jq -Rs --arg marker "$marker" --argjson limit "$limit" '
  ($marker + "\n" + .) as $text
  | if ($text | length) > $limit
    then {body: ($text[0:$limit] + "\n\n*(cut at \($limit) characters: the whole plan is in the job log)*")}
    else {body: $text}
    end' "$plan")"

# Every page of comments, the first whose body starts with the marker.
id="$(gh api --paginate "repos/$REPO/issues/$PR/comments" \
  | jq -rn --arg marker "$marker" 'first(inputs[] | select((.body // "") | startswith($marker)) | .id) // empty')"

if [ -n "$id" ]; then
  printf '%s' "$body" | gh api --method PATCH "repos/$REPO/issues/comments/$id" --input - >/dev/null
  echo "updated comment $id"
else
  printf '%s' "$body" | gh api --method POST "repos/$REPO/issues/$PR/comments" --input - >/dev/null
  echo "created a comment"
fi
