#!/usr/bin/env bash
# Regenerates the reference images of the visual regression test (tests/visual.rs, tests/visual/*.png):
# selected pages of the reference renders at 40 dpi in grey. Run it after an intended change of the
# printed layout, look at the images (git diff shows them side by side on most forges), and commit them.
set -euo pipefail
cd "$(dirname "$0")/.."
PIA_UPDATE_VISUAL=1 cargo test --test visual pages_look_like_their_references -- --exact
ls -l tests/visual/*.png
# Keep them small: at 40 dpi in 16 grey levels a page is 10–25 KB.
for f in tests/visual/*.png; do
  size=$(stat -c %s "$f")
  if [ "$size" -gt 40960 ]; then echo "warning: $f is $size bytes (over 40 KB)" >&2; fi
done
