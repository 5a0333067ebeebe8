"""How well a spacing model decides the line breaks the layout model hesitates over.

    python scripts/measure_spacing_model.py ../shared --benches train train-mixed
    python scripts/measure_spacing_model.py ../shared --benches train train-mixed --kiwi

For every line or column break of each page whose gold says join or space (labels as in
scripts/calibrate_layout.py: a break next to a misread character is left out), the layout
model's decision and probability of one word (`layout.decide_gaps`, on the normalised page, as at
run time) and the spacing model's verdict (`spacing.SpacingModel.joins`, the same windows as at run
time). Printed: for the breaks the layout model leaves as spaces, by band of its probability, how
many the spacing model closes and how many of those the gold closes; that is where
`spacing.SPACER_MIN_PROBABILITY` comes from (pick it on the training benches only). The spacing
model is quickspacer (`pip install 'kocorrect[spacing]'`), or with --kiwi Kiwi's own `space()`.
End to end, the same pages with and without it: scripts/run_bench.py --spacing-model.
"""

from __future__ import annotations

import argparse
from collections import Counter
from itertools import pairwise
from pathlib import Path

from calibrate_layout import gap_labels

from kocorrect import normalize
from kocorrect.analysis import LanguageModel
from kocorrect.breaks import GapKind, read_page
from kocorrect.layout import Action, decide_gaps
from kocorrect.spacing import SpacingModel, load_spacing_model
from kocorrect.types import apply_edits

BANDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 1.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", type=Path, help="the shared folder (bench/)")
    parser.add_argument("--benches", nargs="+", default=["train", "train-mixed"])
    parser.add_argument("--kiwi", action="store_true", help="Kiwi's space() instead")
    args = parser.parse_args()
    if args.kiwi:
        from kiwipiepy import Kiwi

        spacer = SpacingModel(Kiwi())
    else:
        spacer = load_spacing_model()
    lm = LanguageModel()
    rows: list[tuple[bool, float, bool, bool]] = []  # ours join, p, spacer join, gold join
    for bench in args.benches:
        for path in sorted((args.shared / "bench" / bench).glob("*.ocr.txt")):
            source = path.read_text(encoding="utf-8")
            gold = path.with_name(path.name.replace(".ocr.", ".gold.")).read_text("utf-8")
            text = apply_edits(source, normalize.normalize_text(source))
            page = read_page(text)
            decisions = decide_gaps(page, lm)
            labels = gap_labels(text, gold)
            gaps = [
                g.index
                for g in page.gaps
                if g.kind != GapKind.INTRA and labels.get(g.index) is not None
            ]
            for i, joins in zip(gaps, spacer.joins(page.words, gaps), strict=True):
                d = decisions[i]
                p = d.probability if d.probability is not None else -1.0
                rows.append((d.action == Action.JOIN, p, joins, bool(labels[i])))
    counts = Counter((ours, theirs, gold) for ours, _, theirs, gold in rows)
    print(f"{len(rows)} labelled breaks on {', '.join(args.benches)}")
    print("layout joins / spacing model joins / gold joins: breaks")
    for key in sorted(counts):
        print(f"  {'/'.join('yes' if k else 'no' for k in key)}: {counts[key]}")
    print("breaks the layout model leaves open, by its probability of one word:")
    for lo, hi in pairwise(BANDS):
        band = [r for r in rows if not r[0] and lo <= r[1] < hi]
        closed = [r for r in band if r[2]]
        right = sum(r[3] for r in closed)
        print(
            f"  [{lo:.1f}, {min(hi, 1.0):.1f}): {len(band)} breaks, the spacing model closes "
            f"{len(closed)}, the gold closes {right} of those"
        )


if __name__ == "__main__":
    main()
