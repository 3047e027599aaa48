#!/usr/bin/env bash
# Posts <body-file> (from diff-comment.sh) as a note on the merge request of the pipeline, or
# updates the note an earlier pipeline posted (found by the marker on its first line).
#
#   gitlab-note.sh <body-file>
#
# Environment: PIA_GITLAB_TOKEN — a project access token (role Reporter, scope api) kept as a
# masked CI/CD variable: CI_JOB_TOKEN cannot write merge-request notes. CI_API_V4_URL,
# CI_PROJECT_ID and CI_MERGE_REQUEST_IID are set by GitLab in merge-request pipelines.
# CURL (default: curl on PATH).
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "使い方: gitlab-note.sh <本文のファイル>"
body="$1"
CURL="${CURL:-curl}"
need "$CURL" jq
[ -f "$body" ] || die "本文のファイル「${body}」がありません"
[ "$(head -n 1 "$body")" = "$PIA_MARKER" ] || die "本文の1行目が ${PIA_MARKER} ではありません（diff-comment.sh の出力を渡してください）"
for v in PIA_GITLAB_TOKEN CI_API_V4_URL CI_PROJECT_ID CI_MERGE_REQUEST_IID; do
  [ -n "${!v:-}" ] || die "${v} が設定されていません（マージリクエストのパイプラインで、プロジェクトアクセストークンを CI/CD 変数 PIA_GITLAB_TOKEN に設定してください）"
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The token goes in a header file, not on the command line (where `ps` would show it).
umask 077
printf 'PRIVATE-TOKEN: %s\n' "$PIA_GITLAB_TOKEN" >"$tmp/headers"
printf 'Content-Type: application/json\n' >>"$tmp/headers"
jq -Rs '{ body: . }' <"$body" >"$tmp/payload.json"

api="${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/merge_requests/${CI_MERGE_REQUEST_IID}/notes"
id=""
page=1
while [ -z "$id" ] && [ "$page" -le 50 ]; do
  "$CURL" -fsS -H "@$tmp/headers" "${api}?per_page=100&page=${page}&sort=asc&order_by=created_at" >"$tmp/notes.json"
  [ "$(jq 'length' "$tmp/notes.json")" -gt 0 ] || break
  id="$(jq -r --arg m "$PIA_MARKER" \
    '[.[] | select((.system | not) and (.body | startswith($m)))] | .[0].id // empty' "$tmp/notes.json")"
  page=$((page + 1))
done
if [ -n "$id" ]; then
  "$CURL" -fsS -X PUT -H "@$tmp/headers" --data "@$tmp/payload.json" "${api}/${id}" >/dev/null
  log "マージリクエスト !${CI_MERGE_REQUEST_IID} のノート ${id} を更新しました"
else
  "$CURL" -fsS -X POST -H "@$tmp/headers" --data "@$tmp/payload.json" "$api" >/dev/null
  log "マージリクエスト !${CI_MERGE_REQUEST_IID} にノートを追加しました"
fi
