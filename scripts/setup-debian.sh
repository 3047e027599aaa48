#!/usr/bin/env bash
# Installs what pia needs on Debian/Ubuntu: Japanese fonts for `pia render`, and poppler-utils
# (pdftotext, pdftoppm, pdfinfo) and qpdf (the structure tree and outline as JSON) used by the tests to read
# the rendered PDF, jq and git used by the CI recipe
# scripts and their test. Idempotent.
set -euo pipefail
packages=(fonts-morisawa-bizud-gothic fonts-morisawa-bizud-mincho fonts-ipaexfont-gothic poppler-utils qpdf fontconfig jq git)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
