#!/usr/bin/env python3
"""Share of the published 評価書's sentences found verbatim in a rendered PDF (issue 11: >= 98 %).

Usage: scripts/seed-coverage.py SEED.txt RENDER.pdf [--missing] [--min PERCENT]

SEED.txt is the text extracted from the published PDF (seed 002 for assessments/kanto-it-kenpo),
RENDER.pdf the render of the reference (`pia render assessments/kanto-it-kenpo`).

The rule:
  1. The seed is split into fragments at every 「。」 (kept with its sentence), every line end (the
     published PDF's visual wraps and cell boundaries) and every run of whitespace (the extraction
     separates cells and columns by spaces: the three columns of 別添２ come out on one line, a
     choice and its ＜選択肢＞ too).
  2. Each fragment and the PDF's text (`pdftotext -raw`: content order, one table cell's text
     contiguous) are normalised: Unicode NFKC (full-width letters, digits and punctuation become their
     ASCII forms, half-width katakana full-width), then every whitespace character removed (the
     seed's wraps and the render's wraps are in different places).
  3. Fragments shorter than 8 characters after normalisation are dropped (page numbers, 「[ ]」,
     single labels that match anywhere); duplicates count once.
  4. A fragment is found when it is a substring of the normalised PDF text.
The figure is found / kept fragments. Exit status 1 when it is below --min (default 0).
"""

import subprocess
import sys
import unicodedata

MIN_LEN = 8


def normalise(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return "".join(c for c in s if not c.isspace())


def fragments(seed: str) -> list[str]:
    out, seen = [], set()
    for line in seed.split():
        pieces = line.split("。")
        for i, part in enumerate(pieces):
            text = part + ("。" if i < len(pieces) - 1 else "")
            n = normalise(text)
            if len(n) >= MIN_LEN and n not in seen:
                seen.add(n)
                out.append(n)
    return out


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_missing = "--missing" in sys.argv
    minimum = 0.0
    if "--min" in sys.argv:
        minimum = float(sys.argv[sys.argv.index("--min") + 1])
        args = [a for a in args if a != sys.argv[sys.argv.index("--min") + 1]]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    seed_path, pdf_path = args
    with open(seed_path, encoding="utf-8") as f:
        seed = f.read()
    text = subprocess.run(
        ["pdftotext", "-raw", pdf_path, "-"], check=True, capture_output=True, text=True
    ).stdout
    haystack = normalise(text)
    frags = fragments(seed)
    missing = [f for f in frags if f not in haystack]
    found = len(frags) - len(missing)
    share = 100.0 * found / len(frags) if frags else 0.0
    print(f"{found} of {len(frags)} fragments found verbatim: {share:.1f} %")
    if show_missing:
        for m in missing:
            print(f"  missing: {m}")
    return 1 if share < minimum else 0


if __name__ == "__main__":
    sys.exit(main())
