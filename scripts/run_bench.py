"""Correct every page of a benchmark folder and score it with the reference scorer.

Usage: python scripts/run_bench.py BENCH_DIR OUT_DIR [--scorer ../shared/tools/score.py]
       [--by-family] [--threshold T] [--no-normalize] [--no-layout] [--no-correct] [--no-names]
       [--spacing-model]

--by-family also scores the pages of each font family apart, as the bench's manifest.jsonl
names them (`layout.font`: Noto CJK faces, or the classic Nanum/Un/Baekmuk ones). The manifest
is read only for this report; the corrector never sees it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kocorrect import Config, Corrector


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scorer", type=Path, default=None, help="score.py of the shared folder")
    parser.add_argument("--by-family", action="store_true", help="score each font family apart")
    parser.add_argument("--threshold", type=float, default=0.5)
    for stage in ("normalize", "layout", "correct", "names"):
        parser.add_argument(f"--no-{stage}", action="store_true")
    parser.add_argument(
        "--spacing-model", action="store_true", help="with the optional spacing model"
    )
    parser.add_argument(
        "--effort", default="thorough", help="the misread search's budget (thorough, fast)"
    )
    args = parser.parse_args()
    config = Config(
        threshold=args.threshold,
        suggest_threshold=min(0.2, args.threshold),
        normalize=not args.no_normalize,
        layout=not args.no_layout,
        correct=not args.no_correct,
        names=not args.no_names,
        spacing_model=args.spacing_model,
        effort=args.effort,
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
        if args.by_family:
            score_by_family(args.scorer, args.bench, args.out)


def font_families(bench: Path) -> dict[str, list[str]]:
    """Page names by font family, from the bench's manifest.jsonl (empty if it has none)."""
    families: dict[str, list[str]] = {}
    manifest = bench / "manifest.jsonl"
    if not manifest.exists():
        return families
    for line in manifest.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        page = json.loads(line)
        font = str(page.get("layout", {}).get("font", ""))
        family = "Noto CJK KR" if font.startswith("Noto") else "classic (Nanum/Un/Baekmuk)"
        families.setdefault(family, []).append(page["name"])
    return families


def score_by_family(scorer: Path, bench: Path, out: Path) -> None:
    """Score each font family's pages apart (links to its pages in a temporary folder)."""
    families = font_families(bench)
    if not families:
        print(f"{bench}/manifest.jsonl names no fonts: no family report", file=sys.stderr)
        return
    keys = (
        "CER_in",
        "CER_out",
        "improvement",
        "char_P",
        "char_R",
        "space_P",
        "space_R",
        "misread_P",
        "misread_R",
        "hangul_P",
        "hangul_R",
    )
    for family, names in sorted(families.items()):
        with tempfile.TemporaryDirectory() as folder:
            for name in names:
                for kind in ("ocr", "gold"):
                    source = (bench / f"{name}.{kind}.txt").resolve()
                    (Path(folder) / source.name).symlink_to(source)
            result = subprocess.run(
                [sys.executable, str(scorer), "--ocr-dir", folder, "--out-dir", str(out), "--json"],
                check=True,
                capture_output=True,
                text=True,
            )
        totals = json.loads(result.stdout)["totals"]
        print(f"{family}: {len(names)} pages " + " ".join(f"{k} {totals[k]:.4f}" for k in keys))


if __name__ == "__main__":
    main()
