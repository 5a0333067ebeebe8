"""Real-word misreads on a benchmark: precision of the real-word repairs, recall of the units.

Usage: python scripts/measure_real_words.py BENCH_DIR [BENCH_DIR ...] [--threshold T]
       [--show N]

A real-word misread is one where the OCR form is itself a word: the syllables the OCR got
wrong fall in a lexicon word of the OCR text there (the test the candidate builder applies,
`misreads.variants.covering_word`), like 법인 read for 범인. For every page the OCR and the
gold are aligned with whitespace removed; each run of wrongly read Hangul syllables inside one
Hangul piece of the OCR (syllable for syllable) is a unit, and a real-word unit when its OCR
form is a word there.

- recall: the share of real-word units the corrected text reads as the gold does;
- precision: the share of applied repairs of kind `real-word` (the original was a lexicon
  word) whose replacement is what the gold has there.

Real-word suggestions are counted apart (how many, how many right). Only counts
and, with --show, the misses and wrong repairs are printed: nothing is written. Measure on any
bench; tune on the training benches only.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from pathlib import Path

from kocorrect import Config, Corrector, Edit
from kocorrect.evaluate import aligned_positions
from kocorrect.hangul import is_hangul_syllable
from kocorrect.misreads.gate import PIECE
from kocorrect.misreads.variants import covering_word


def _bare(text: str) -> tuple[str, list[int]]:
    """`text` without whitespace, and the offset in `text` of each character kept."""
    offsets = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in offsets), offsets


def units(ocr: str, gold: str, lexicon) -> list[dict]:
    """The misread units of a page: runs of Hangul syllables read for other Hangul syllables,
    one Hangul piece of the OCR each, with whether the OCR form is a word there."""
    bare_ocr, ocr_at = _bare(ocr)
    bare_gold, _gold_at = _bare(gold)
    to_gold = aligned_positions(bare_ocr, bare_gold)
    wrong = {
        i
        for i, g in to_gold.items()
        if bare_ocr[i] != bare_gold[g]
        and is_hangul_syllable(bare_ocr[i])
        and is_hangul_syllable(bare_gold[g])
    }
    out = []
    position = {offset: i for i, offset in enumerate(ocr_at)}
    for match in PIECE.finditer(ocr):
        inside = [k for k in range(match.start(), match.end()) if position[k] in wrong]
        if not inside:
            continue
        # Consecutive wrong syllables form one unit; a right one between cuts it.
        groups: list[list[int]] = [[inside[0]]]
        for k in inside[1:]:
            if k == groups[-1][-1] + 1:
                groups[-1].append(k)
            else:
                groups.append([k])
        piece = match.group()
        for group in groups:
            lo, hi = group[0] - match.start(), group[-1] + 1 - match.start()
            gold_index = [to_gold[position[k]] for k in group]
            out.append(
                {
                    "piece": piece,
                    "lo": lo,
                    "hi": hi,
                    "gold": "".join(bare_gold[g] for g in gold_index),
                    "gold_index": gold_index,
                    "real_word": covering_word(piece, lo, hi, lexicon) is not None,
                }
            )
    return out


def _right(
    edit: Edit, src_index: dict[int, int], src_to_gold: dict[int, int], bare_gold: str
) -> bool:
    """Whether the gold has exactly the edit's replacement where the edit is."""
    inner = [src_index[i] for i in range(edit.start, edit.end) if i in src_index]
    if not inner or any(i not in src_to_gold for i in inner):
        return False
    first, last = src_to_gold[inner[0]], src_to_gold[inner[-1]]
    return bare_gold[first : last + 1] == re.sub(r"\s+", "", edit.replacement)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def measure(corrector: Corrector, bench: Path, show: int) -> dict[str, int]:
    counts = dict.fromkeys(
        (
            "units",
            "real_units",
            "real_fixed",
            "repairs",
            "repairs_right",
            "suggested",
            "suggested_right",
        ),
        0,
    )
    misses: list[str] = []
    wrong: list[str] = []
    for page in sorted(bench.glob("*.ocr.txt")):
        source = _norm(page.read_text("utf-8"))
        gold = _norm(page.with_name(page.name.replace(".ocr.", ".gold.")).read_text("utf-8"))
        result = corrector.correct(source)
        bare_gold, _ = _bare(gold)
        bare_out, _ = _bare(result.text)
        out_of_gold = {g: o for o, g in aligned_positions(bare_out, bare_gold).items()}
        bare_src, src_at = _bare(source)
        src_index = {offset: i for i, offset in enumerate(src_at)}
        src_to_gold = aligned_positions(bare_src, bare_gold)
        judge = (src_index, src_to_gold, bare_gold)
        for unit in units(source, gold, corrector.lexicon):
            counts["units"] += 1
            if not unit["real_word"]:
                continue
            counts["real_units"] += 1
            fixed = all(
                g in out_of_gold and bare_out[out_of_gold[g]] == bare_gold[g]
                for g in unit["gold_index"]
            )
            counts["real_fixed"] += fixed
            if not fixed:
                misses.append(f"{page.name}: {unit['piece']} (gold {unit['gold']})")
        for edit in result.suggestions:
            if edit.kind.startswith("real-word"):
                counts["suggested"] += 1
                counts["suggested_right"] += _right(edit, *judge)
        for edit in result.edits:
            if not edit.kind.startswith("real-word"):
                continue
            counts["repairs"] += 1
            good = _right(edit, *judge)
            counts["repairs_right"] += good
            if not good:
                wrong.append(
                    f"{page.name}: {edit.original} -> {edit.replacement} ({edit.confidence})"
                )
    for line in misses[:show]:
        print("  missed", line)
    for line in wrong[:show]:
        print("  wrong ", line)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benches", type=Path, nargs="+")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--show", type=int, default=0, help="print this many misses and wrongs")
    args = parser.parse_args()
    corrector = Corrector(
        config=Config(threshold=args.threshold, suggest_threshold=min(0.2, args.threshold))
    )
    corrector.warm_up()
    for bench in args.benches:
        c = measure(corrector, bench, args.show)
        report = {
            "bench": bench.name,
            **c,
            "real_word_P": round(c["repairs_right"] / c["repairs"], 3) if c["repairs"] else None,
            "real_word_R": round(c["real_fixed"] / c["real_units"], 3) if c["real_units"] else None,
        }
        print(json.dumps(report))


if __name__ == "__main__":
    main()
