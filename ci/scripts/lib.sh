# shellcheck shell=bash
# Helpers shared by the pia CI scripts (sourced, not run). The scripts run at the top of the
# assessments repository, with assessment paths relative to it, as the workflows call them.

# The pia binary: `pia` on PATH unless PIA names another.
PIA="${PIA:-pia}"

# First line of the pull-request / merge-request comment: how the comment is found again and
# updated instead of posting a second one.
# shellcheck disable=SC2034 # used by the scripts that source this file
PIA_MARKER='<!-- pia-diff -->'

log() {
  printf 'pia-ci: %s\n' "$*" >&2
}

die() {
  log "エラー: $*"
  exit 2
}

# need <command>…: fail clearly when a tool the script uses is missing.
need() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "コマンド「${c}」が見つかりません（インストールしてください）"
  done
}

# since_rev <base>: the revision a pull request is compared with — the merge base of <base> and
# HEAD (the point the branch started from), named as <base> when that is the same commit.
since_rev() {
  local base="$1" mb tip
  git rev-parse --verify --quiet "${base}^{commit}" >/dev/null ||
    die "比較元のリビジョン「${base}」がありません（actions/checkout に fetch-depth: 0、GitLab では GIT_DEPTH: 0 を指定してください）"
  mb="$(git merge-base "$base" HEAD)" ||
    die "比較元「${base}」と HEAD に共通の祖先がありません（履歴が浅い clone では fetch-depth: 0 が必要です）"
  tip="$(git rev-parse "${base}^{commit}")"
  if [ "$mb" = "$tip" ]; then
    printf '%s\n' "$base"
  else
    printf '%s\n' "$mb"
  fi
}

# existed_at <rev> <assessment dir>: whether the assessment's assessment.toml is in <rev>.
existed_at() {
  git cat-file -e "${1}:./${2%/}/assessment.toml" 2>/dev/null
}

# base_loads <rev> <assessment dir>: whether pia can read the assessment as it was at <rev> (a
# copy of the directory taken out of git and checked). A pull request that repairs an assessment
# the base branch cannot read has nothing to compare with, like a new one.
base_loads() {
  local rev="$1" d="${2%/}" tmp rc=0
  tmp="$(mktemp -d)"
  if ! git archive --format=tar "$rev" -- "$d" | tar -x -C "$tmp"; then
    rm -rf "$tmp"
    return 1
  fi
  "$PIA" check --format json "$tmp/$d" >/dev/null 2>&1 || rc=$?
  rm -rf "$tmp"
  [ "$rc" -ne 2 ]
}

# worst <a> <b>: the worse of two pia exit codes (2 unreadable > 1 findings > 0); any other
# code (a crash, a missing binary) counts as 2.
worst() {
  local a="$1" b="$2"
  case "$a" in 0 | 1 | 2) ;; *) a=2 ;; esac
  case "$b" in 0 | 1 | 2) ;; *) b=2 ;; esac
  if [ "$a" -gt "$b" ]; then printf '%s\n' "$a"; else printf '%s\n' "$b"; fi
}
