"""Correct every page of a benchmark folder and score it with the reference scorer.

Usage: python scripts/run_bench.py BENCH_DIR OUT_DIR [--scorer ../shared/tools/score.py]
       [--threshold T] [--no-normalize] [--no-layout] [--no-correct] [--no-names]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from kocorrect import Config, Corrector


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scorer", type=Path, default=None, help="score.py of the shared folder")
    parser.add_argument("--threshold", type=float, default=0.5)
    for stage in ("normalize", "layout", "correct", "names"):
        parser.add_argument(f"--no-{stage}", action="store_true")
    args = parser.parse_args()
    config = Config(
        threshold=args.threshold,
        suggest_threshold=min(0.2, args.threshold),
        normalize=not args.no_normalize,
        layout=not args.no_layout,
        correct=not args.no_correct,
        names=not args.no_names,
    )
    corrector = Corrector(config=config)
    corrector.warm_up()
    args.out.mkdir(parents=True, exist_ok=True)
    chars, started = 0, time.perf_counter()
    for page in sorted(args.bench.glob("*.ocr.txt")):
        text = page.read_text("utf-8")
        chars += len(text)
        (args.out / page.name).write_text(corrector.correct(text).text, encoding="utf-8")
    elapsed = time.perf_counter() - started
    print(f"{chars} chars in {elapsed:.1f} s ({chars / elapsed:,.0f} chars/s)", file=sys.stderr)
    if args.scorer:
        subprocess.run(
            [
                sys.executable,
                str(args.scorer),
                "--ocr-dir",
                str(args.bench),
                "--out-dir",
                str(args.out),
                "--json",
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
