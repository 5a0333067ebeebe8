"""Does the OCR engine's word confidence tell right corrections from wrong ones?

    python benchmarks/formats_confidence.py [../shared/bench/ocr-formats]

On the ten tesseract pages (ALTO: `WC` per word) every page is read with `kocorrect.formats`,
corrected by the default `Corrector` (which does not see the confidences), and each applied
edit that changes characters (not only whitespace) is checked against the page's gold: OCR and
gold (whitespace runs as one space) are aligned by Levenshtein opcodes, and the edit is right
when it brings its neighbourhood (6 characters either side, spaces ignored) closer to the gold
aligned with it. (The reference scorer's stricter rule, the whole region the edit shares with
the gold edits it touches rewritten exactly, is printed too: on these pages tesseract's reading
order and spacing differ from the gold's so much that it rejects most right repairs.) Each edit
gets the lowest confidence of the words it touches (what the edit log records as
`word_confidence`).

Printed: right and wrong edits by confidence band, the ROC AUC of "lower confidence -> the edit
is right", and what a gate would change that drops edits on words at or above a confidence
(edit precision and the pages' CER with and without it; `kocorrect.evaluate.score_page`).
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from kocorrect import Corrector, apply_edits
from kocorrect.evaluate import score_page, total
from kocorrect.formats import read

BANDS = (0.0, 0.6, 0.8, 0.9, 0.95, 1.01)
GATES = (0.99, 0.97, 0.95, 0.93, 0.9)
LOW_GATES = (0.2, 0.4, 0.6)


def _normalized(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs as one space (stripped), and where each offset lands."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for ch in text:
        where.append(len(out))
        if ch.isspace():
            space = bool(out)
            continue
        if space:
            out.append(" ")
            space = False
        out.append(ch)
    where.append(len(out))
    return "".join(out), where


def _gold_edits(src: str, gold: str) -> list[tuple[int, int, str]]:
    edits: list[list] = []
    for op in Levenshtein.opcodes(src, gold):
        if op.tag == "equal":
            continue
        if edits and edits[-1][1] == op.src_start and edits[-1][3] == op.dest_start:
            edits[-1][1], edits[-1][3] = op.src_end, op.dest_end
            edits[-1][2] += gold[op.dest_start : op.dest_end]
        else:
            edits.append([op.src_start, op.src_end, gold[op.dest_start : op.dest_end], op.dest_end])
    return [(s, e, r) for s, e, r, _ in edits]


def _splice(text: str, lo: int, hi: int, edits: list[tuple[int, int, str]]) -> str:
    out, cursor = [], lo
    for s, e, r in sorted(edits):
        out.append(text[cursor:s])
        out.append(r)
        cursor = e
    out.append(text[cursor:hi])
    return "".join(out)


def edit_is_right(
    src: str, gold_edits: list[tuple[int, int, str]], edit: tuple[int, int, str]
) -> bool:
    lo, hi = edit[0], edit[1]
    members: list[tuple[int, int, str]] = []
    grown = True
    while grown:  # gold edits that overlap or touch the region, transitively
        grown = False
        for g in gold_edits:
            if g not in members and g[0] <= hi and lo <= g[1]:
                members.append(g)
                lo, hi = min(lo, g[0]), max(hi, g[1])
                grown = True
    return bool(members) and _splice(src, lo, hi, members) == _splice(src, lo, hi, [edit])


def _gold_positions(src: str, gold: str) -> list[int]:
    """For each offset of `src`, the offset of `gold` the alignment puts there (monotone)."""
    where = [0] * (len(src) + 1)
    for op in Levenshtein.opcodes(src, gold):
        if op.tag == "equal":
            for i in range(op.src_start, op.src_end + 1):
                where[i] = op.dest_start + (i - op.src_start)
        else:
            where[op.src_start] = max(where[op.src_start], op.dest_start)
            for i in range(op.src_start + 1, op.src_end + 1):
                where[i] = op.dest_end
    return where


def edit_helps(src: str, gold: str, to_gold: list[int], edit: tuple[int, int, str]) -> int:
    """+1 when the edit brings its neighbourhood (6 characters either side, spaces ignored)
    closer to the aligned gold, -1 when it moves it away, 0 when neither."""
    s, e, replacement = edit
    lo, hi = max(0, s - 6), min(len(src), e + 6)
    target = gold[to_gold[lo] : to_gold[hi]].replace(" ", "")
    before = src[lo:hi].replace(" ", "")
    after = (src[lo:s] + replacement + src[e:hi]).replace(" ", "")
    d_before = Levenshtein.distance(before, target)
    d_after = Levenshtein.distance(after, target)
    return (d_after < d_before) - (d_after > d_before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "bench" / "ocr-formats"
    parser.add_argument("folder", nargs="?", default=str(default))
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    pages = sorted(folder.glob("*.xml"))
    if not pages:
        print(f"error: no ALTO pages (*.xml) in {folder}", file=sys.stderr)
        return 2
    corrector = Corrector()
    rows: list[tuple[float | None, bool]] = []  # (word confidence, right) per character edit
    strict: list[bool] = []  # the same edits under the scorer's whole-region rule
    per_page = []
    for path in pages:
        doc = read(path)
        gold_text = (folder / f"{path.stem}.gold.txt").read_text(encoding="utf-8")
        result = corrector.correct(doc.text)
        src, where = _normalized(doc.text)
        gold, _ = _normalized(gold_text)
        gold_edits = _gold_edits(src, gold)
        to_gold = _gold_positions(src, gold)
        annotated = doc.annotate([{"start": e.start, "end": e.end} for e in result.edits])
        page_rows = []
        for edit, note in zip(result.edits, annotated):
            if re.sub(r"\s", "", edit.original) == re.sub(r"\s", "", edit.replacement):
                continue  # whitespace only: layout, not a misread word
            span = (where[edit.start], where[edit.end], _normalized(edit.replacement)[0])
            strict.append(edit_is_right(src, gold_edits, span))
            right = edit_helps(src, gold, to_gold, span) > 0
            page_rows.append((edit, note["word_confidence"], right))
            rows.append((note["word_confidence"], right))
        per_page.append((path.stem, doc.text, gold_text, result, page_rows))

    right = [c for c, ok in rows if ok and c is not None]
    wrong = [c for c, ok in rows if not ok and c is not None]
    print(f"pages: {len(pages)}  character edits: {len(rows)}  right: {sum(ok for _, ok in rows)}"
          f"  not right: {sum(not ok for _, ok in rows)}  (right = closer to the gold near it; "
          f"under the scorer's whole-region rule {sum(strict)} right)")  # fmt: skip
    if right and wrong:
        print(f"mean word confidence: right edits {sum(right) / len(right):.3f}, "
              f"wrong edits {sum(wrong) / len(wrong):.3f}")  # fmt: skip
        pairs = sum((r < w) + 0.5 * (r == w) for r in right for w in wrong)
        print(f"ROC AUC (lower confidence -> right edit): {pairs / (len(right) * len(wrong)):.3f}")
    print("\nconfidence band   edits  right  precision")
    for lo, hi in itertools.pairwise(BANDS):
        band = [ok for c, ok in rows if c is not None and lo <= c < hi]
        if band:
            print(f"  [{lo:.2f}, {min(hi, 1.0):.2f})  {len(band):6d} {sum(band):6d}  "
                  f"{sum(band) / len(band):9.3f}")  # fmt: skip

    def gated(label: str, drop: Callable[[float], bool]) -> None:
        kept_rows = [(c, ok) for c, ok in rows if c is None or not drop(c)]
        scores = []
        for name, text, gold_text, result, page_rows in per_page:
            dropped = {id(e) for e, c, _ in page_rows if c is not None and drop(c)}
            kept = [e for e in result.edits if id(e) not in dropped]
            scores.append(score_page(text, gold_text, apply_edits(text, kept), name=name))
        m = total(scores).metrics()
        n_right = sum(ok for _, ok in kept_rows)
        precision = n_right / len(kept_rows) if kept_rows else 1.0
        print(f"  {label:>7} {len(kept_rows):6d} {n_right:6d} {len(kept_rows) - n_right:6d}"
              f"  {precision:9.3f}  {m['CER_out']:8.4f}  {m['char_P']:7.3f}  "
              f"{m['char_R']:7.3f}  {m['char_F05']:.3f}")  # fmt: skip
        scores_seen.append(scores)

    scores_seen: list = []
    print("\ngate: drop the character edits on words with confidence >= g (confident words kept)"
          " or < g (unreadable words left alone)")  # fmt: skip
    print("  gate      edits  right  wrong  precision   CER out   char P   char R  F0.5")
    gated("none", lambda c: False)
    for gate in GATES:
        gated(f">={gate:.2f}", lambda c, g=gate: c >= g)
    for gate in LOW_GATES:
        gated(f"<{gate:.2f}", lambda c, g=gate: c < g)
    scores = scores_seen[0]
    print(f"\nCER in (all pages): {total(scores).metrics()['CER_in']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
