#!/usr/bin/env bash
# Converts `pia check --format json` (check.sh's PIA_JSON) to a GitLab Code Quality report
# (artifacts:reports:codequality), printed to stdout: one issue per diagnostic, with its code as
# check_name, the Japanese message and item as description, error → major and warning → minor,
# the file and line, and a fingerprint: the MD5 of the code, the file and the TOML path (and a
# counter when one item has the same code twice). It stays the same while the finding does —
# lines may move, dates in messages change — so the merge-request widget shows what is new and
# what is fixed.
#
#   codequality.sh pia-check.json > gl-code-quality-report.json
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "使い方: codequality.sh <pia check --format json の出力>"
need jq md5sum
[ -f "$1" ] || die "ファイル「$1」がありません"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
jq '[ .assessments[] as $a | $a.diagnostics[] | {
      description: "\(.code) \(.message)（\(.item)）",
      check_name: .code,
      key: ([.code, (.file // $a.target), .path] | @json),
      severity: (if .severity == "error" then "major" else "minor" end),
      location: {
        path: (.file // ($a.target | sub("/$"; "") + "/assessment.toml")),
        lines: { begin: (.line // 1) }
      }
    } ]
    | group_by(.key)
    | map(to_entries | map(.value + { key: (.value.key + "#" + (.key | tostring)) }))
    | flatten
    | sort_by(.location.path, .location.lines.begin, .check_name)' "$1" >"$tmp/issues.json"
jq -r '.[].key | @base64' "$tmp/issues.json" | while IFS= read -r key; do
  printf '%s' "$key" | md5sum | cut -c1-32
done >"$tmp/fingerprints"
jq --rawfile fps "$tmp/fingerprints" \
  '($fps | split("\n")) as $f | to_entries | map(.value + { fingerprint: $f[.key] } | del(.key))' \
  "$tmp/issues.json"
