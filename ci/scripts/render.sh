#!/usr/bin/env bash
# Renders each assessment to a PDF in <outdir>, named after its directory
# (assessments/kanto-it-kenpo → <outdir>/kanto-it-kenpo.pdf; when two directories share a
# name, the whole path: assessments_kanto-it-kenpo.pdf). The check runs first (--check); an
# assessment with errors is still rendered, with 「下書き」 on every page (--allow-errors),
# so that reviewers see it.
#
#   render.sh <outdir> <assessment>… [-- <pia render option>…]
#
# Needs a Japanese font (Debian/Ubuntu: fonts-morisawa-bizud-gothic, fonts-ipaexfont-gothic).
# Environment: PIA (the pia binary, default: pia on PATH).
# Exit code: 0 every PDF written; 2 some could not be (the others are still written).
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "使い方: render.sh <出力先ディレクトリ> <評価書>… [-- <pia render のオプション>…]"
outdir="$1"
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
[ ${#dirs[@]} -gt 0 ] || die "出力する評価書のディレクトリを指定してください"
need "$PIA"
mkdir -p "$outdir"

status=0
written=" "
for d in "${dirs[@]}"; do
  d="${d%/}"
  if [ "$d" = "." ] || [ -z "$d" ]; then
    name="$(basename "$(pwd -P)")"
  else
    name="$(basename "$d")"
  fi
  case "$written" in
    *" ${name}.pdf "*) name="$(printf '%s' "$d" | tr '/' '_')" ;;
  esac
  out="${outdir%/}/${name}.pdf"
  rc=0
  "$PIA" render --check --allow-errors ${opts[@]+"${opts[@]}"} -o "$out" "$d" || rc=$?
  if [ "$rc" -eq 0 ] && [ -s "$out" ]; then
    log "PDF を出力しました: ${d} → ${out}"
    written="${written}${name}.pdf "
  else
    log "PDF を出力できませんでした（終了コード ${rc}）: ${d}"
    status=2
  fi
done
exit "$status"
