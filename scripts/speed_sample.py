"""Load time and speed of the whole pipeline on the sample page (or any page).

Usage: python scripts/speed_sample.py [PAGE] [--repeat N]

Load time runs from `Corrector()` to the first corrected sentence, so lazy loading cannot hide
it; speed is chars/s of `correct()` on the page, after loading, over N fresh runs (the score
cache is cleared between runs so each run does the full work).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kocorrect import Corrector

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "seed_page.ocr.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = args.page.read_text(encoding="utf-8")

    started = time.perf_counter()
    corrector = Corrector()
    corrector.correct("국가 데이터 댐 구축")
    load = time.perf_counter() - started

    times = []
    for _ in range(args.repeat):
        corrector.lm.clear_cache()
        started = time.perf_counter()
        result = corrector.correct(text)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"page: {args.page.name}, {len(text):,} chars")
    print(f"load (Corrector() to first corrected sentence): {load:.2f} s")
    print(f"correct(): {median:.2f} s median of {args.repeat} -> {len(text) / median:,.0f} chars/s")
    print(
        f"edits {len(result.edits)}, suggestions {len(result.suggestions)}, "
        f"flags {len(result.flags)}"
    )


if __name__ == "__main__":
    main()
