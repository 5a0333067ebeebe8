"""Fit the layout-repair weights on the training pages and write dictionaries/layout_weights.json.

Labels come from aligning each training page's OCR to its gold text with whitespace removed:
a gap of the OCR whose two neighbouring characters are aligned to adjacent gold characters is
"join" when the gold has no whitespace between them and "space" when it has; other gaps (next
to misread characters) are left out. Features are computed by `kocorrect.breaks` exactly as at
run time (raw context, nothing joined yet). Two logistic models are fitted, one for line and
column breaks and one for spaces inside a line, and for each a threshold is chosen as the
lowest probability at which training precision still reaches the target. The file names the
features (`breaks.FEATURE_NAMES`, in order) beside the weights, and `LayoutModel.load` refuses a
file whose names differ from the code's: rerun this script whenever a feature changes.

Reads bench/train and bench/train-mixed (`--benches` picks among them; a dev bench is refused).

Example: python scripts/calibrate_layout.py --shared ../shared
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from kocorrect.analysis import LanguageModel
from kocorrect.breaks import (
    FEATURE_NAMES,
    GapKind,
    PageForms,
    analyse,
    gap_features,
    has_evidence,
    join_variants,
    read_page,
    variant_texts,
)
from kocorrect.io import write_text_atomic
from kocorrect.layout import LayoutModel
from kocorrect.lexicon import Lexicon

# The benches the weights may be fitted on: law text (train) and mixed prose, fonts and
# layouts (train-mixed). The dev benches measure the result and are never read here.
TRAINING_BENCHES = ("train", "train-mixed")


def gap_labels(ocr: str, gold: str) -> dict[int, bool | None]:
    """Map gap index of `ocr` -> True (gold joins it), False (gold keeps a space) or None
    (a neighbouring character is misread, so no whitespace-only edit there can be right)."""
    page = read_page(ocr)
    o_chars: list[str] = []
    o_gap_after: dict[int, int] = {}  # position in stripped ocr -> gap index that follows it
    for w, word in enumerate(page.words):
        o_chars.extend(word)
        if w < len(page.gaps):
            o_gap_after[len(o_chars) - 1] = w
    g_chars: list[str] = []
    g_space_before: list[bool] = []
    pending = False
    for ch in gold:
        if ch.isspace():
            pending = True
            continue
        g_chars.append(ch)
        g_space_before.append(pending)
        pending = False
    o_str, g_str = "".join(o_chars), "".join(g_chars)
    mapping: dict[int, int] = {}
    for op in Levenshtein.opcodes(o_str, g_str):
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                mapping[op.src_start + k] = op.dest_start + k
    labels: dict[int, bool] = {}
    for pos, gap in o_gap_after.items():
        a, b = mapping.get(pos), mapping.get(pos + 1)
        if a is not None and b is not None and b == a + 1:
            labels[gap] = not g_space_before[b]
        else:
            labels[gap] = None
    return labels


def page_rows(
    ocr: str, gold: str, lm: LanguageModel, lexicon: Lexicon
) -> list[tuple[str, list[float], bool]]:
    """Feature rows of the gaps the model decides (those with some evidence for joining).

    A gap next to a misread counts as a negative: joining it cannot give a correct edit."""
    page = read_page(ocr)
    labels = gap_labels(ocr, gold)
    closed = [False] * len(page.gaps)
    variants = {i: join_variants(page.words, closed, i) for i in labels}
    analyses = analyse(lm, variant_texts(variants.values()))
    forms = PageForms.of(page)
    rows = []
    for i, label in labels.items():
        gap, v = page.gaps[i], variants[i]
        full = gap.kind != GapKind.INTRA and page.line_is_full(gap.left_line)
        feats = gap_features(
            v,
            analyses[v.joined],
            analyses[v.spaced],
            kind=gap.kind,
            left_full=full,
            word_joined=analyses[v.word_joined],
            word_spaced=analyses[v.word_spaced],
            lexicon=lexicon,
            forms=forms,
        )
        if has_evidence(feats):
            rows.append((gap.kind, feats, bool(label)))
    return rows


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1e-3, steps: int = 3000
) -> np.ndarray:
    """Plain batch gradient descent with a small L2 penalty (no scikit-learn needed)."""
    w = np.zeros(x.shape[1])
    lr = 0.5
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(y) + l2 * w
        w -= lr * grad
    return w


def threshold_for(p: np.ndarray, y: np.ndarray, precision: float) -> float:
    """Lowest probability whose cut-off keeps precision >= `precision` on the training rows."""
    order = np.argsort(-p)
    tp = np.cumsum(y[order])
    n = np.arange(1, len(order) + 1)
    prec = tp / n
    ok = np.where(prec >= precision)[0]
    if len(ok) == 0:
        return 1.0
    # the deepest cut whose running precision still holds
    return float(p[order][ok[-1]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared folder (bench/)")
    parser.add_argument("--out", type=Path, default=Path("dictionaries/layout_weights.json"))
    parser.add_argument("--break-precision", type=float, default=0.955)
    parser.add_argument("--intra-precision", type=float, default=0.97)
    parser.add_argument(
        "--benches",
        nargs="+",
        default=list(TRAINING_BENCHES),
        help="training benches under SHARED/bench (never a dev bench)",
    )
    args = parser.parse_args()
    for name in args.benches:
        if name not in TRAINING_BENCHES:
            parser.error(f"{name!r} is not a training bench ({', '.join(TRAINING_BENCHES)})")

    lm = LanguageModel()
    lexicon = Lexicon.load()
    rows: list[tuple[str, list[float], bool]] = []
    for name in args.benches:
        found = 0
        for ocr_path in sorted((args.shared / "bench" / name).glob("*.ocr.txt")):
            gold_path = ocr_path.with_name(ocr_path.name.replace(".ocr.", ".gold."))
            page = page_rows(ocr_path.read_text(), gold_path.read_text(), lm, lexicon)
            rows.extend(page)
            found += len(page)
        print(f"{name}: {found} gaps with evidence")

    result: dict[str, object] = {"features": list(FEATURE_NAMES)}
    for name, kinds, target in (
        ("break", {GapKind.LINE, GapKind.BLANK}, args.break_precision),
        ("intra", {GapKind.INTRA}, args.intra_precision),
    ):
        x = np.array([f for k, f, _ in rows if k in kinds])
        y = np.array([float(lab) for k, _, lab in rows if k in kinds])
        w = fit_logistic(x, y)
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        cut = threshold_for(p, y, target)
        chosen = p >= cut
        print(
            f"{name}: {len(y)} gaps, {int(y.sum())} joins; threshold {cut:.3f}: "
            f"{int(chosen.sum())} joined, precision {y[chosen].mean():.3f}, "
            f"recall {y[chosen].sum() / max(1, y.sum()):.3f}"
        )
        result[name] = {
            "weights": [round(float(v), 4) for v in w],
            "threshold": round(cut, 4),
            "training_gaps": len(y),
            "training_joins": int(y.sum()),
        }
    # The feature names go with the weights: LayoutModel.load checks them against the code.
    write_text_atomic(args.out, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    LayoutModel.load(path=args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
