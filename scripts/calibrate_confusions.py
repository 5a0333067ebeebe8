"""Derive the OCR confusion table (dictionaries/confusions.tsv) from aligned OCR/gold pages.

Usage: python scripts/calibrate_confusions.py --shared ../shared [--out dictionaries/confusions.tsv]

Only the training pages are read (`bench/train`); the dev sets stay for measuring. Every
syllable the OCR read in place of a different gold syllable is split into jamo, and each
position (initial, medial, final) that differs counts one confusion. The cost of reading
`read` where `intended` was printed is -ln P(read | intended), with a small pseudo-count for the
look-alike pairs the design names, so a plausible confusion the training pages happen not to
show still has a (high) cost instead of being impossible. Only jamo counts are kept: no word
of the training text reaches the table.
"""

from __future__ import annotations

import argparse
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from kocorrect.hangul import INITIALS, decompose, is_hangul_syllable

POSITIONS = ("initial", "medial", "final")
LINE_END = "medial-at-line-end"
# A line-end confusion seen fewer times than this is left to the ordinary medial row.
MIN_LINE_END_COUNT = 2

# Glyph look-alikes named in the design, space-separated pairs (one jamo: a final dropped or
# added); seen or not in training, they get a pseudo-count.
LOOKALIKES = {
    "initial": (
        "ㄷㅌ ㅁㅂ ㅁㅇ ㅂㅇ ㄱㅋ ㅈㅊ ㅅㅈ ㅎㅇ ㄴㄷ ㄹㄷ ㅍㅎ ㅊㅎ ㅅㅆ ㄱㄲ ㄷㄸ ㅈㅉ ㅂㅃ ㅌㄹ"
    ),
    "medial": (
        "ㅓㅕ ㅏㅑ ㅗㅛ ㅜㅠ ㅡㅜ ㅡㅗ ㅣㅏ ㅣㅓ ㅝㅟ ㅐㅔ "
        "ㅚㅢ ㅘㅚ ㅔㅖ ㅐㅒ ㅏㅓ ㅗㅜ ㅘㅝ ㅙㅞ ㅟㅢ ㅚㅟ"
    ),
    "final": (
        "ㅁㅂ ㅁㅇ ㅂㅇ ㄴㄹ ㄱㄴ ㄴ ㄹ ㅇ ㅁ ㅅㅆ "
        "ㄷㅅ ㅅㅊ ㄹㄻ ㄹㄺ ㄹㄼ ㄹㅀ ㅂㅄ ㄴㄶ ㄴㄵ ㄱㄲ ㅌㄷ"
    ),
}
# A thin vowel stroke lost in the scan leaves a loose consonant (ㅇ read for 이, ㅅ for 서);
# the training pages show few, so these get the same pseudo-count.
LOST_VOWELS = "ㅣㅏㅓㅡㅗㅜㅐㅔ"
PSEUDO_COUNT = 2.0


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _line_ends(text: str) -> set[int]:
    """Indexes, in `_normalise(text)`, of the characters that end a line of the OCR text."""
    ends: set[int] = set()
    index = -1
    text = unicodedata.normalize("NFC", text)
    for i, char in enumerate(text):
        if char.isspace():
            continue
        index += 1
        if text[i + 1 : i + 2] == "\n":
            ends.add(index)
    return ends


def count_confusions(
    pairs: list[tuple[str, str]], line_ends: list[set[int]] | None = None
) -> tuple[Counter, Counter]:
    """(confusions[(pos, intended, read)], totals[(pos, intended)]) over (ocr, gold) pairs.

    With `line_ends` (per pair, the OCR indexes that end a printed line), the vowels of those
    syllables are counted a second time under LINE_END: the column edge clips right-hand
    strokes, so a line's last syllable loses the stroke of ㅏ (read ㅣ) far more often.
    """
    confusions: Counter = Counter()
    totals: Counter = Counter()
    for number, (ocr, gold) in enumerate(pairs):
        ends = line_ends[number] if line_ends is not None else set()
        for char in gold:
            if is_hangul_syllable(char):
                for pos, jamo in zip(POSITIONS, decompose(char)):
                    totals[(pos, jamo)] += 1
        for op in Levenshtein.opcodes(ocr, gold):
            if op.tag not in ("replace", "equal"):
                continue
            read, printed = ocr[op.src_start : op.src_end], gold[op.dest_start : op.dest_end]
            if len(read) != len(printed):
                continue
            for k, (r, p) in enumerate(zip(read, printed)):
                if op.src_start + k in ends and is_hangul_syllable(p):
                    vowel = decompose(p)[1]
                    totals[(LINE_END, vowel)] += 1
                    if r != p and is_hangul_syllable(r) and decompose(r)[1] != vowel:
                        confusions[(LINE_END, vowel, decompose(r)[1])] += 1
            if op.tag == "equal":
                continue
            for r, p in zip(read, printed):
                if r in INITIALS and is_hangul_syllable(p) and decompose(p)[0] == r:
                    _initial, medial, final = decompose(p)
                    confusions[("medial", medial, "")] += 1  # the vowel was lost
                    if final:
                        confusions[("final", final, "")] += 1
                    continue
                if not (is_hangul_syllable(r) and is_hangul_syllable(p)):
                    continue
                for pos, rj, pj in zip(POSITIONS, decompose(r), decompose(p)):
                    if rj != pj:
                        confusions[(pos, pj, rj)] += 1
    return confusions, totals


def add_lookalikes(confusions: Counter) -> None:
    for pos, pairs in LOOKALIKES.items():
        for pair in pairs.split():
            a, b = (pair[0], pair[1]) if len(pair) == 2 else (pair, "")
            for intended, read in ((a, b), (b, a)):
                confusions[(pos, intended, read)] += PSEUDO_COUNT
    for vowel in LOST_VOWELS:
        confusions[("medial", vowel, "")] += PSEUDO_COUNT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared folder (../shared)")
    parser.add_argument("--out", type=Path, default=Path("dictionaries/confusions.tsv"))
    args = parser.parse_args()
    train = args.shared / "bench" / "train"
    pairs = []
    line_ends = []
    for ocr_path in sorted(train.glob("*.ocr.txt")):
        gold_path = ocr_path.with_name(ocr_path.name.replace(".ocr.txt", ".gold.txt"))
        ocr_text = ocr_path.read_text("utf-8")
        pairs.append((_normalise(ocr_text), _normalise(gold_path.read_text("utf-8"))))
        line_ends.append(_line_ends(ocr_text))
    if not pairs:
        raise SystemExit(f"no *.ocr.txt pages under {train}: pass the shared folder with --shared")
    confusions, totals = count_confusions(pairs, line_ends)
    observed = sum(n for (pos, _i, _r), n in confusions.items() if pos != LINE_END)
    add_lookalikes(confusions)
    rows = []
    for (pos, intended, read), count in confusions.items():
        if pos == LINE_END and count < MIN_LINE_END_COUNT:
            continue
        total = max(totals[(pos, intended)], 1) + 1
        cost = -math.log(min(count / total, 0.5))
        rows.append((pos, intended or "-", read or "-", count, cost))
    order = (*POSITIONS, LINE_END)
    rows.sort(key=lambda r: (order.index(r[0]), r[4]))
    with args.out.open("w", encoding="utf-8") as out:
        out.write(
            "# OCR jamo confusions: -ln P(read | intended), calibrated by "
            "scripts/calibrate_confusions.py\n"
        )
        out.write(
            f"# from {len(pairs)} training pages, {observed} observed jamo confusions; "
            f"look-alike pseudo-count {PSEUDO_COUNT}\n"
        )
        out.write("position\tintended\tread\tcount\tcost\n")
        for pos, intended, read, count, cost in rows:
            out.write(f"{pos}\t{intended}\t{read}\t{count:g}\t{cost:.3f}\n")
    print(f"wrote {len(rows)} confusions from {observed} observations to {args.out}")


if __name__ == "__main__":
    main()
