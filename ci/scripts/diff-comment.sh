#!/usr/bin/env bash
# Prints the pull-request comment (Markdown) on the assessments a pull request changes: for each
# one that exists at the merge base of <base> and HEAD, the table of `pia diff --from <that
# revision> --format markdown` (changed items, 事前/事後, 別添３ rows to write); a NEW assessment
# is named without a table. The first line is a marker by which github-comment.sh and
# gitlab-note.sh find the comment again and update it.
#
#   diff-comment.sh <base> <assessment>… > pia-diff.md
#
# Environment: PIA (the pia binary, default: pia on PATH).
# Exit code: 0, or 2 when an assessment could not be compared (the body says which, and why).
# shellcheck disable=SC2016 # backquotes in the printf formats are Markdown
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "使い方: diff-comment.sh <比較元> <評価書>…"
base="$1"
shift
need "$PIA" git
rev="$(since_rev "$base")"
if [ "$rev" = "$base" ]; then
  label="$base"
else
  label="$(git rev-parse --short "$rev")（${base} との分岐点）"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
printf '%s\n' "$PIA_MARKER"
printf '# pia: 評価書の変更（比較元 `%s`）\n\n' "$label"
printf 'このプルリクエストが変更する評価書: %d 件\n' "$#"
for d in "$@"; do
  printf '\n---\n\n'
  if ! existed_at "$rev" "$d"; then
    log "新しい評価書です（${rev} にありません）: ${d} — 差分はありません"
    printf '## 新しい評価書: `%s`\n\n' "$d"
    printf '比較元 `%s` にない評価書です（最初のプルリクエスト）。差分はなく、`pia check` は `--since` を付けずに実行しました。\n' "$label"
    continue
  fi
  if ! base_loads "$rev" "$d"; then
    log "${rev} の版を読み込めない評価書です: ${d} — 差分はありません"
    printf '## `%s`: 比較元の版を読み込めません\n\n' "$d"
    printf '比較元 `%s` のこの評価書は pia が読み込めない（TOML の誤り等）ため、差分はありません。`pia check` は `--since` を付けずに実行しました。\n' "$label"
    continue
  fi
  rc=0
  "$PIA" diff --from "$rev" --format markdown --color never "$d" >"$tmp/out.md" 2>"$tmp/err.txt" || rc=$?
  if [ "$rc" -eq 0 ]; then
    cat "$tmp/out.md"
  else
    status=2
    log "pia diff が失敗しました（終了コード ${rc}）: ${d}"
    cat "$tmp/err.txt" >&2
    printf '## `%s`: 差分を作れませんでした（pia diff の終了コード %d）\n\n' "$d" "$rc"
    printf '```text\n'
    cat "$tmp/err.txt"
    printf '```\n'
  fi
done
exit "$status"
