#!/usr/bin/env bash
# Makes the large inputs of docs/benchmarks.md (section "Large inputs") from the reference assessment:
#   <out>/rows100k  the reference with 100,000 more rows of 別添３ (distinct 事後 rows), in four included
#                   files of 25,000 rows (one file may hold at most 8 MiB, docs/limits.md)
#   <out>/inc20k    the reference with 20,000 more include files, each holding one 別添３ row
# Usage: scripts/bench-inputs.sh [out-dir]   (default /tmp/pia-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/pia-bench}
ref=assessments/kanto-it-kenpo
rm -rf "$out/rows100k" "$out/inc20k"
mkdir -p "$out"

row() { # $1 = number
  printf '\n[[changes]]\nchanged_on = 2024-01-01\nitem = "評価書全般"\nbefore = "変更前の記載 %s"\nafter = "変更後の記載 %s"\ntiming = "事後"\ntiming_reason = "重要な変更に当たらない形式的な変更"\n' "$1" "$1"
}

# Copies the reference to $1, its include line extended by the remaining arguments.
copy_with_includes() {
  local dir=$1
  shift
  cp -r "$ref" "$dir"
  while IFS= read -r line; do
    if [[ $line == include\ =\ \[* ]]; then
      printf '%s,\n' "${line%]}"
      for f in "$@"; do printf '  "%s",\n' "$f"; done
      printf ']\n'
    else
      printf '%s\n' "$line"
    fi
  done < "$ref/assessment.toml" > "$dir/assessment.toml"
}

copy_with_includes "$out/rows100k" more-1.toml more-2.toml more-3.toml more-4.toml
for k in 1 2 3 4; do
  for i in $(seq $(( (k - 1) * 25000 + 1 )) $(( k * 25000 ))); do row "$i"; done > "$out/rows100k/more-$k.toml"
done

copy_with_includes "$out/inc20k" $(for i in $(seq 20000); do printf 'rows/r%s.toml ' "$i"; done)
mkdir -p "$out/inc20k/rows"
for i in $(seq 20000); do row "$i" > "$out/inc20k/rows/r$i.toml"; done
echo "$out/rows100k: $(cat "$out"/rows100k/*.toml | grep -c '^\[\[changes\]\]') rows of 別添３"
echo "$out/inc20k: $(ls "$out/inc20k/rows" | wc -l) include files"
