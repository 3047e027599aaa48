#!/usr/bin/env bash
# Installs pia into $PIA_ROOT/bin (default ~/.pia/bin), once: the workflows cache $PIA_ROOT
# under the key `--resolve` prints, so a later run with the same pia finds it and this script
# does nothing.
#
#   install-pia.sh --resolve    # prints the key of the pia to install (a commit or a release)
#   install-pia.sh              # installs it unless $PIA_ROOT already holds that one
#
# From source (default; works without any release), needs Rust (cargo) and about 10–15 minutes
# for the first build (typst):
#   PIA_GIT_URL   the git repository of pia (required)
#   PIA_REF       a branch, tag or commit (default: main); resolved to the commit, so a moving
#                 branch installs again when it moves
# From a release binary (no Rust needed), when PIA_VERSION is set:
#   PIA_VERSION       the release tag, e.g. v0.1.0
#   PIA_RELEASE_REPO  owner/name of the repository on GitHub whose releases hold the binaries
#   PIA_RELEASE_URL   base URL of the release files instead (default:
#                     https://github.com/$PIA_RELEASE_REPO/releases/download)
#   PIA_TARGET        default: x86_64-unknown-linux-gnu
# PIA_ROOT (default: $HOME/.pia); CARGO (default: cargo).
set -euo pipefail
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/lib.sh"

root="${PIA_ROOT:-$HOME/.pia}"
CARGO="${CARGO:-cargo}"

# resolve: the key naming exactly what would be installed.
resolve() {
  if [ -n "${PIA_VERSION:-}" ]; then
    printf 'release-%s-%s\n' "$PIA_VERSION" "${PIA_TARGET:-x86_64-unknown-linux-gnu}"
    return
  fi
  [ -n "${PIA_GIT_URL:-}" ] || die "PIA_GIT_URL（pia の git リポジトリ）又は PIA_VERSION（リリースのタグ）を設定してください"
  local ref="${PIA_REF:-main}" sha
  if printf '%s' "$ref" | grep -Eq '^[0-9a-f]{40}$'; then
    sha="$ref"
  else
    need git
    # A peeled tag (the commit an annotated tag points to) first, then a branch, then a tag.
    sha="$(git ls-remote "$PIA_GIT_URL" "$ref" "${ref}^{}" | awk -v r="$ref" '
      $2 == "refs/tags/" r "^{}" { p[1] = $1 }
      $2 == "refs/heads/" r      { p[2] = $1 }
      $2 == "refs/tags/" r       { p[3] = $1 }
      $2 == r                    { p[4] = $1 }
      END { for (i = 1; i <= 4; i++) if (i in p) { print p[i]; exit } }')" ||
      die "pia のリポジトリ「${PIA_GIT_URL}」を読めません"
    [ -n "$sha" ] || die "pia のリポジトリ「${PIA_GIT_URL}」に「${ref}」（ブランチ・タグ）がありません"
  fi
  printf 'git-%s\n' "$sha"
}

if [ "${1:-}" = "--resolve" ]; then
  resolve
  exit 0
fi
[ $# -eq 0 ] || die "使い方: install-pia.sh [--resolve]"

key="$(resolve)"
if [ -x "$root/bin/pia" ] && [ "$(cat "$root/.pia-installed" 2>/dev/null || true)" = "$key" ]; then
  log "インストール済みの pia を使います（${key}）: $("$root/bin/pia" --version)"
  exit 0
fi

mkdir -p "$root/bin"
case "$key" in
  git-*)
    need "$CARGO"
    log "pia をソースからインストールします（${PIA_GIT_URL} ${key#git-}）。初回は typst のビルドに 10～15 分かかります"
    "$CARGO" install --locked --force --root "$root" --git "$PIA_GIT_URL" --rev "${key#git-}" pia
    ;;
  release-*)
    need curl tar sha256sum
    target="${PIA_TARGET:-x86_64-unknown-linux-gnu}"
    if [ -n "${PIA_RELEASE_URL:-}" ]; then
      url="$PIA_RELEASE_URL"
    else
      [ -n "${PIA_RELEASE_REPO:-}" ] || die "PIA_RELEASE_REPO（リリースのある owner/name）を設定してください"
      url="https://github.com/${PIA_RELEASE_REPO}/releases/download"
    fi
    url="${url%/}/${PIA_VERSION}"
    asset="pia-${PIA_VERSION}-${target}.tar.gz"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    log "pia のリリース ${PIA_VERSION}（${target}）をダウンロードします: ${url}/${asset}"
    curl -fsSL -o "$tmp/$asset" "${url}/${asset}" || die "ダウンロードできません: ${url}/${asset}"
    curl -fsSL -o "$tmp/SHA256SUMS" "${url}/SHA256SUMS" || die "ダウンロードできません: ${url}/SHA256SUMS"
    (cd "$tmp" && grep -F "  ${asset}" SHA256SUMS | sha256sum -c --quiet -) ||
      die "${asset} のチェックサムが SHA256SUMS と一致しません"
    tar -xzf "$tmp/$asset" -C "$tmp"
    [ -f "$tmp/pia-${PIA_VERSION}-${target}/pia" ] || die "${asset} に pia がありません"
    install -m 755 "$tmp/pia-${PIA_VERSION}-${target}/pia" "$root/bin/pia"
    ;;
esac
"$root/bin/pia" --version >/dev/null || die "インストールした pia が起動しません: $root/bin/pia"
printf '%s\n' "$key" >"$root/.pia-installed"
log "pia をインストールしました（${key}）: $("$root/bin/pia" --version)"
