#!/usr/bin/env bash
# Runs `pia check` on the assessments a pull request changes.
#
#   check.sh <base> <assessment>… [-- <pia check option>…]
#
# An assessment that exists at the merge base of <base> and HEAD is checked with
# `--since <that revision>` (the rules between two revisions: 別添３ rows for every change,
# 事前/事後, …). A NEW assessment (its first pull request) has nothing to compare with: it is
# checked without --since, and the log says so. With <base> empty ("") every assessment is
# checked without --since (a push to the default branch).
#
# Environment:
#   PIA          the pia binary (default: pia on PATH)
#   PIA_FORMAT   what is printed: human (default, to stderr), github (annotations and the job
#                summary), json or sarif (to stdout)
#   PIA_SARIF    also write one SARIF 2.1.0 log of all the assessments to this file
#   PIA_JSON     also write one `pia check --format json` document of all of them to this file
#
# Exit code: 0 no errors, 1 errors (or warnings with --deny-warnings), 2 an assessment could not
# be read or the command line is wrong — the worst over all the assessments.
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "使い方: check.sh <比較元> <評価書>… [-- <pia check のオプション>…]"
base="$1"
shift
dirs=()
opts=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then
    shift
    opts=("$@")
    break
  fi
  dirs+=("$1")
  shift
done
[ ${#dirs[@]} -gt 0 ] || die "検査する評価書のディレクトリを指定してください"
format="${PIA_FORMAT:-human}"
case "$format" in human | github | json | sarif) ;; *) die "PIA_FORMAT「${format}」は human、github、json、sarif のいずれかです" ;; esac
need "$PIA" git
if [ -n "${PIA_SARIF:-}${PIA_JSON:-}" ]; then need jq; fi

existing=()
new=()
rev=""
if [ -n "$base" ]; then
  rev="$(since_rev "$base")"
  if [ "$rev" = "$base" ]; then
    log "比較元: ${base}"
  else
    log "比較元: ${rev}（${base} との分岐点）"
  fi
fi
for d in "${dirs[@]}"; do
  case "$d" in /*) die "評価書はリポジトリの最上位からの相対パスで指定してください: ${d}" ;; esac
  if [ -n "$rev" ] && existed_at "$rev" "$d"; then
    if base_loads "$rev" "$d"; then
      existing+=("$d")
    else
      log "${rev} の版を読み込めない評価書です: ${d} — 比べられないため --since を付けずに検査します"
      new+=("$d")
    fi
  elif [ -n "$rev" ]; then
    log "新しい評価書です（${rev} にありません）: ${d} — 最初のプルリクエストのため --since を付けずに検査します"
    new+=("$d")
  else
    new+=("$d")
  fi
done
if [ -z "$rev" ]; then
  log "比較元の指定がないため、--since を付けずに検査します"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
sarifs=0

# run_group <name> [--since <rev>] -- <dir>…: pia with the format asked for; the SARIF log of
# each assessment apart, so that a result without a place (an assessment that cannot be read at
# all) gets one — its assessment.toml: GitHub refuses a whole SARIF file over one result
# without a location.
run_group() {
  local name="$1" since=() rc=0
  shift
  while [ "$1" != "--" ]; do
    since+=("$1")
    shift
  done
  shift
  "$PIA" check ${since[@]+"${since[@]}"} --format "$format" ${opts[@]+"${opts[@]}"} "$@" || rc=$?
  status="$(worst "$status" "$rc")"
  if [ -n "${PIA_SARIF:-}" ]; then
    local d main
    for d in "$@"; do
      sarifs=$((sarifs + 1))
      main="${d%/}/assessment.toml"
      main="${main#./}"
      "$PIA" check ${since[@]+"${since[@]}"} --format sarif ${opts[@]+"${opts[@]}"} "$d" |
        jq --arg main "$main" '.runs[0].results |= map(
            if (.locations // []) == [] then
              .locations = [{ physicalLocation: {
                artifactLocation: { uri: $main },
                region: { startLine: 1, startColumn: 1 } } }]
            else . end)' >"$tmp/$(printf '%04d' "$sarifs").sarif" || true
    done
  fi
  if [ -n "${PIA_JSON:-}" ]; then
    "$PIA" check ${since[@]+"${since[@]}"} --format json ${opts[@]+"${opts[@]}"} "$@" >"$tmp/$name.json" || true
  fi
}

if [ ${#existing[@]} -gt 0 ]; then
  log "pia check --since ${rev}: ${existing[*]}"
  run_group existing --since "$rev" -- "${existing[@]}"
fi
if [ ${#new[@]} -gt 0 ]; then
  log "pia check: ${new[*]}"
  run_group new -- "${new[@]}"
fi

# One SARIF log (one run: the rules of both calls, each result's ruleIndex pointing into them)
# and one JSON document, whichever calls there were.
if [ -n "${PIA_SARIF:-}" ]; then
  jq -s '
    (map(.runs[0].tool.driver.rules) | add | unique_by(.id)) as $rules
    | ($rules | map(.id)) as $ids
    | .[0] + { runs: [ .[0].runs[0] + {
        tool: { driver: (.[0].runs[0].tool.driver + { rules: $rules }) },
        results: [ .[].runs[0].results[] | . as $r | .ruleIndex = ($ids | index($r.ruleId)) ]
      } ] }' "$tmp"/*.sarif >"$PIA_SARIF"
fi
if [ -n "${PIA_JSON:-}" ]; then
  jq -s '.[0] + {
      errors: (map(.errors) | add),
      warnings: (map(.warnings) | add),
      assessments: (map(.assessments) | add)
    }' "$tmp"/*.json >"$PIA_JSON"
fi
log "検査した評価書: $((${#existing[@]} + ${#new[@]})) 件（終了コード ${status}）"
exit "$status"
