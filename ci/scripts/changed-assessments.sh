#!/usr/bin/env bash
# Lists the assessments a pull request changes, one directory per line (relative to the top of
# the repository, sorted): every directory that holds an assessment.toml at <head> and has a
# file changed between the merge base of <base> and <head> (assessment.toml, an included file,
# a figure, anything under it). A deleted assessment is logged, not listed.
#
#   changed-assessments.sh <base> [<head>]    # a pull request: origin/main HEAD
#   changed-assessments.sh --all [<head>]     # every assessment (a push to the default branch)
#
# Run it at the top of the repository. Needs git; the history must reach the merge base
# (actions/checkout with fetch-depth: 0, GitLab with GIT_DEPTH: 0).
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  die "使い方: changed-assessments.sh <比較元> [<比較先>] 又は changed-assessments.sh --all [<比較先>]"
fi
base="$1"
head="${2:-HEAD}"
need git awk sort
git rev-parse --verify --quiet "${head}^{commit}" >/dev/null || die "リビジョン「${head}」がありません"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Directories holding an assessment.toml in a tree ("." for the top).
assessment_dirs() {
  git ls-tree -r -z --name-only --full-tree "$1" | tr '\0' '\n' |
    awk '$0 == "assessment.toml" { print "."; next }
         /\/assessment\.toml$/ { sub(/\/assessment\.toml$/, ""); print }' |
    LC_ALL=C sort -u
}

assessment_dirs "$head" >"$tmp/dirs"

if [ "$base" = "--all" ]; then
  cat "$tmp/dirs"
  exit 0
fi

git rev-parse --verify --quiet "${base}^{commit}" >/dev/null ||
  die "比較元のリビジョン「${base}」がありません（actions/checkout に fetch-depth: 0、GitLab では GIT_DEPTH: 0 を指定してください）"
mb="$(git merge-base "$base" "$head")" ||
  die "「${base}」と「${head}」に共通の祖先がありません（履歴が浅い clone では fetch-depth: 0 が必要です）"
git diff -z --name-only --no-renames "$mb" "$head" | tr '\0' '\n' >"$tmp/changed"

# The nearest enclosing assessment directory of each changed file.
owners() {
  awk 'NR == FNR { dirs[$0] = 1; next }
       {
         p = $0
         while (1) {
           i = match(p, /\/[^\/]*$/)
           if (i == 0) { if ("." in dirs) print "."; break }
           p = substr(p, 1, i - 1)
           if (p in dirs) { print p; break }
         }
       }' "$1" "$tmp/changed" | LC_ALL=C sort -u
}

owners "$tmp/dirs"

# Assessments that were at the merge base and are gone: nothing to check, but say so.
assessment_dirs "$mb" >"$tmp/old"
owners "$tmp/old" >"$tmp/old-changed"
LC_ALL=C comm -23 "$tmp/old-changed" "$tmp/dirs" | while IFS= read -r gone; do
  log "削除された評価書です（検査しません）: ${gone}"
done
