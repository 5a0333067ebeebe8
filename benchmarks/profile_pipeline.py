"""Profile the whole kocorrect pipeline on a few pages with pyinstrument; print where time goes.

    python benchmarks/profile_pipeline.py ../shared/bench/dev --pages 5 --html profile.html

Loading is excluded (a warmed-up Corrector, as a batch worker has); the language model's cache
starts empty, as on a new archive. Besides pyinstrument's call tree it prints the seconds spent
in Kiwi itself (analysis calls), which is the floor any Python-side optimisation leaves.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="a bench folder of NAME.ocr.txt pages")
    parser.add_argument("--pages", type=int, default=5, help="how many pages (5)")
    parser.add_argument("--html", type=Path, default=None, help="also write pyinstrument's HTML")
    parser.add_argument("--depth", type=int, default=None, help="hide frames below this share")
    return parser.parse_args(argv)


def kiwi_call_counter(kiwi: object) -> dict[str, float]:
    """Wrap `kiwi.analyze` so the time spent inside Kiwi is counted (calls, seconds, texts).
    While it is wrapped the corrector calls it instead of its direct path into Kiwi
    (`analysis.direct_analyze`), so the profile includes kiwipiepy's option handling (~6 µs a
    call) that a batch worker does not pay."""
    stats = {"calls": 0, "seconds": 0.0, "texts": 0}
    analyze = kiwi.analyze  # type: ignore[attr-defined]

    def counted(text, *args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = analyze(text, *args, **kwargs)
        if not isinstance(text, str):
            result = list(result)
            stats["texts"] += len(result)
        else:
            stats["texts"] += 1
        stats["calls"] += 1
        stats["seconds"] += time.perf_counter() - start
        return result

    kiwi.analyze = counted  # type: ignore[attr-defined]
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print(
            "error: pyinstrument is missing: pip install -r benchmarks/requirements.txt",
            file=sys.stderr,
        )
        return 2
    from kocorrect import Corrector
    from kocorrect.analysis import LanguageModel
    from kocorrect.io import read_text

    pages = sorted(args.folder.glob("*.ocr.txt"))[: args.pages]
    if not pages:
        print(f"error: no *.ocr.txt pages in {args.folder}", file=sys.stderr)
        return 2
    texts = [read_text(p) for p in pages]
    corrector = Corrector()
    corrector.warm_up()
    corrector.lm = LanguageModel()
    stats = kiwi_call_counter(corrector.lm.kiwi)
    corrector.correct("가")
    stats.update(calls=0, seconds=0.0, texts=0)

    profiler = Profiler(interval=0.001)
    start = time.perf_counter()
    profiler.start()
    for text in texts:
        corrector.correct(text)
    profiler.stop()
    elapsed = time.perf_counter() - start
    chars = sum(len(t) for t in texts)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(
        f"{len(texts)} pages, {chars:,} chars in {elapsed:.2f} s ({chars / elapsed:,.0f} chars/s); "
        f"Kiwi analyze: {stats['calls']} calls, {stats['texts']} texts, {stats['seconds']:.2f} s "
        f"({stats['seconds'] / elapsed:.0%} of the time, "
        f"{stats['texts'] / chars:.2f} texts per char)"
    )
    if args.html:
        args.html.write_text(profiler.output_html(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
