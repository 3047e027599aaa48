#!/usr/bin/env bash
# Posts <body-file> (from diff-comment.sh) as a comment on pull request <number>, or updates the
# comment an earlier run posted (found by the marker on its first line): one comment per pull
# request, current after every push. A body over GitHub's limit (65,536 characters) is cut at
# a line, with a note that the whole text is in the job's artifact.
#
#   github-comment.sh <pull-request number> <body-file>
#
# Environment: GH_TOKEN (a token that may write pull-request comments: github.token with
# `permissions: pull-requests: write`), GITHUB_REPOSITORY (owner/name; set by GitHub Actions),
# GH (the gh CLI, default: gh on PATH).
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "使い方: github-comment.sh <プルリクエストの番号> <本文のファイル>"
pr="$1"
body="$2"
GH="${GH:-gh}"
need "$GH" jq awk
case "$pr" in '' | *[!0-9]*) die "プルリクエストの番号「${pr}」が正しくありません" ;; esac
[ -n "${GITHUB_REPOSITORY:-}" ] || die "GITHUB_REPOSITORY（owner/name）が設定されていません"
[ -f "$body" ] || die "本文のファイル「${body}」がありません"
[ "$(head -n 1 "$body")" = "$PIA_MARKER" ] || die "本文の1行目が ${PIA_MARKER} ではありません（diff-comment.sh の出力を渡してください）"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Bytes, not characters, are counted: a safe bound under the limit for any text.
limit=60000
if [ "$(wc -c <"$body")" -gt "$limit" ]; then
  LC_ALL=C awk -v limit="$limit" '{ n += length($0) + 1; if (n > limit) exit; print }' "$body" >"$tmp/body.md"
  printf '\n---\n\n（コメントの長さの上限を超えるため、ここで省略しました。全文はジョブのアーティファクト pia-diff にあります。）\n' >>"$tmp/body.md"
  log "本文が長いため ${limit} バイトで省略しました"
else
  cp "$body" "$tmp/body.md"
fi
jq -Rs '{ body: . }' <"$tmp/body.md" >"$tmp/payload.json"

repo="$GITHUB_REPOSITORY"
id="$("$GH" api --paginate "repos/${repo}/issues/${pr}/comments?per_page=100" \
  --jq "[.[] | select(.body | startswith(\"${PIA_MARKER}\"))] | .[0].id // empty" |
  awk 'NF { print; exit }')"
if [ -n "$id" ]; then
  "$GH" api --method PATCH "repos/${repo}/issues/comments/${id}" --input "$tmp/payload.json" --silent
  log "プルリクエスト #${pr} のコメント ${id} を更新しました"
else
  "$GH" api --method POST "repos/${repo}/issues/${pr}/comments" --input "$tmp/payload.json" --silent
  log "プルリクエスト #${pr} にコメントしました"
fi
