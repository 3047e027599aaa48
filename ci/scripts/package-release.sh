#!/usr/bin/env bash
# Packs one built pia binary for a release: <outdir>/pia-<version>-<target>.tar.gz (Linux,
# macOS) or .zip (Windows), holding the directory pia-<version>-<target>/ with the binary,
# README.md and the licence texts present. install-pia.sh (PIA_VERSION) downloads these names.
#
#   package-release.sh <version> <target> <binary> <outdir>
#   e.g. package-release.sh v0.1.0 x86_64-unknown-linux-gnu target/x86_64-unknown-linux-gnu/release/pia dist
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 4 ] || die "使い方: package-release.sh <バージョン> <ターゲット> <バイナリ> <出力先>"
version="$1"
target="$2"
binary="$3"
outdir="$4"
case "$version" in v[0-9]*) ;; *) die "バージョン「${version}」はタグの形（v0.1.0 等）で指定してください" ;; esac
[ -f "$binary" ] || die "バイナリ「${binary}」がありません"

name="pia-${version}-${target}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/$name" "$outdir"
cp "$binary" "$tmp/$name/"
for f in README.md LICENSE LICENSE-MIT LICENSE-APACHE; do
  if [ -f "$f" ]; then cp "$f" "$tmp/$name/"; fi
done
outdir="$(cd "$outdir" && pwd -P)"
case "$target" in
  *windows*)
    # Made inside the temporary directory and moved: 7z on Windows reads no POSIX paths.
    if command -v 7z >/dev/null 2>&1; then
      (cd "$tmp" && 7z a -tzip -bd "$name.zip" "$name" >/dev/null)
    else
      need zip
      (cd "$tmp" && zip -qr "$name.zip" "$name")
    fi
    mv "$tmp/$name.zip" "$outdir/$name.zip"
    log "作成しました: $outdir/$name.zip"
    ;;
  *)
    chmod 755 "$tmp/$name/$(basename "$binary")"
    tar -C "$tmp" -czf "$outdir/$name.tar.gz" "$name"
    log "作成しました: $outdir/$name.tar.gz"
    ;;
esac
