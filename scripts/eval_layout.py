"""Measure layout repair alone on the dev, news-dev and dev-mixed benchmarks with the scorer.

Runs `Corrector(config=Config(correct=False, names=False))` (normalisation and layout only) on
every page, writes OUT/SET/NAME.ocr.txt, runs `tools/score.py --json` and prints the totals.

Example: python scripts/eval_layout.py --shared ../shared --out /tmp/layout-eval
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from kocorrect import Config
from kocorrect.pipeline import Corrector


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, required=True, help="the shared folder (bench/, tools/)"
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for outputs")
    parser.add_argument("--sets", nargs="+", default=["dev", "news-dev", "dev-mixed"])
    args = parser.parse_args()

    corrector = Corrector(config=Config(correct=False, names=False))
    corrector.warm_up()
    for name in args.sets:
        bench = args.shared / "bench" / name
        out = args.out / name
        out.mkdir(parents=True, exist_ok=True)
        chars = 0
        started = time.perf_counter()
        for page in sorted(bench.glob("*.ocr.txt")):
            text = page.read_text(encoding="utf-8")
            chars += len(text)
            (out / page.name).write_text(corrector.correct(text).text, encoding="utf-8")
        seconds = time.perf_counter() - started
        scored = subprocess.run(
            [
                sys.executable,
                str(args.shared / "tools" / "score.py"),
                "--ocr-dir",
                str(bench),
                "--out-dir",
                str(out),
                "--json",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        totals = json.loads(scored.stdout)
        totals = totals.get("totals", totals)
        keys = ("CER_in", "CER_out", "improvement", "space_P", "space_R", "char_P", "char_R")
        shown = ", ".join(f"{k}={totals[k]:.4f}" for k in keys if k in totals)
        print(f"{name}: {shown}; {chars / seconds:,.0f} chars/s")


if __name__ == "__main__":
    main()
