"""How far Kiwi's own typo search could stand in for kocorrect's candidate search (issue 12's lead).

    python benchmarks/typo_pass.py ../shared/bench/dev ../shared/bench/news-dev \
        ../shared/bench/dev-mixed --scorer ../shared/tools/score.py --pages 10

For each page: the reference scorer's Hangul misread units (OCR against gold, after its own
normalisation), Kiwi's typo-aware `tokenize` of the same normalised OCR text with kocorrect's
confusions (`analysis.typo_model`) at each threshold, and a bare `Kiwi.analyze` of it, timed
interleaved. Printed per threshold:

- cost: CPU of the typo pass against the bare analysis of the same text;
- reach: the share of gold Hangul units a typo reading overlaps (a candidate source that misses
  a unit can never repair it), and the share whose span Kiwi rewrites to the gold text exactly;
- noise: typo readings that overlap no gold unit (each would need the decision model to reject
  it), per 1,000 characters;
- overlap: of the units Kiwi rewrites exactly, how many kocorrect repairs right too, and how
  many it misses (what the typo pass would add).

Beside it, the bar, measured in the same run: kocorrect's share of the same gold Hangul units
repaired right (the scorer's `tp_gold_hangul`) and its CPU against the bare analysis. A candidate
source that reaches fewer units than kocorrect repairs cannot replace the search, only narrow it.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from kocorrect import Corrector
from kocorrect.analysis import TYPO_COST_SCALE, segments, shared_kiwi, typo_model
from kocorrect.misreads import confusion_table

# Kiwi's typo cost thresholds tried (its units: kocorrect's channel cost / TYPO_COST_SCALE).
THRESHOLDS = (2.0, 3.0, 4.0)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, help="bench folders (OCR + gold pairs)")
    parser.add_argument("--scorer", type=Path, required=True, help="score.py of the shared folder")
    parser.add_argument("--pages", type=int, default=10, help="pages per folder (10)")
    return parser.parse_args(argv)


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_units(score: ModuleType, ocr: str, gold: str) -> list[tuple[int, int, str]]:
    """(start, end, gold text) of each Hangul misread unit of the normalised OCR text."""
    units = []
    for s, e, eds in score.units(ocr, score.char_edits(ocr, gold)):
        if score.space_only(ocr, eds) or not score.hangul_only(ocr, eds):
            continue
        units.append((s, e, score.splice(ocr, s, e, eds)))
    return units


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    score = load_scorer(args.scorer)
    kiwi = shared_kiwi(1)
    typos = typo_model(confusion_table(None).confusions)
    bare_cpu = 0.0
    typo_cpu = dict.fromkeys(THRESHOLDS, 0.0)
    reached = dict.fromkeys(THRESHOLDS, 0)
    exact = dict.fromkeys(THRESHOLDS, 0)
    noise = dict.fromkeys(THRESHOLDS, 0)
    both = dict.fromkeys(THRESHOLDS, 0)
    n_units = n_chars = n_pages = 0
    corrector = Corrector()
    corrector.warm_up()
    ours_cpu = 0.0
    ours_right = ours_units = 0
    for folder in args.folders:
        pages = sorted(folder.glob("*.ocr.txt"))[: args.pages]
        for ocr_path in pages:
            gold_path = ocr_path.with_name(ocr_path.name.replace(".ocr.", ".gold."))
            raw = ocr_path.read_text(encoding="utf-8")
            raw_gold = gold_path.read_text(encoding="utf-8")
            corrector.lm.clear_cache()
            start = time.process_time()
            out = corrector.correct(raw).text
            ours_cpu += time.process_time() - start
            row = score.score_texts(raw, raw_gold, out, keep_clusters=True)
            right_spans = [c["span"] for c in row["char_clusters"] if c["correct"]]
            ours_right += row["tp_gold_hangul"]
            ours_units += row["gold_hangul"]
            ocr, gold = score.normalize(raw), score.normalize(raw_gold)
            units = gold_units(score, ocr, gold)
            ours = [any(a <= us and ue <= b for a, b in right_spans) for us, ue, _g in units]
            n_units += len(units)
            n_chars += len(ocr)
            n_pages += 1
            parts = segments(ocr)  # the sentences, as the page analysis reads them
            start = time.process_time()
            for _offset, part in parts:
                kiwi.analyze(part, top_n=1)
            bare_cpu += time.process_time() - start
            for threshold in THRESHOLDS:
                start = time.process_time()
                spans = []
                for offset, part in parts:
                    for token in kiwi.tokenize(part, typos=typos, typo_cost_threshold=threshold):
                        if token.typo_cost > 0:
                            spans.append((offset + token.start, offset + token.end, token.form))
                typo_cpu[threshold] += time.process_time() - start
                hit = [False] * len(units)
                for s, e, form in spans:
                    touched = [i for i, (us, ue, _g) in enumerate(units) if s < ue and us < e]
                    if not touched:
                        noise[threshold] += 1
                    for i in touched:
                        if not hit[i]:
                            hit[i] = True
                            us, ue, g = units[i]
                            # Kiwi's form is the morpheme; for a noun or a whole syllable span
                            # it is the surface text, which is what can be compared.
                            if ocr[:s] + form + ocr[e:] == ocr[:us] + g + ocr[ue:]:
                                exact[threshold] += 1
                                both[threshold] += ours[i]
                reached[threshold] += sum(hit)
    print(
        f"{n_pages} pages, {n_chars:,} chars, {n_units} gold Hangul units; bare analysis "
        f"{bare_cpu:.2f} CPU s; typo costs are kocorrect's channel cost / {TYPO_COST_SCALE:g}"
    )
    print(
        f"kocorrect: repairs {ours_right / max(1, ours_units):.2f} of the gold Hangul units right "
        f"({ours_right} of {ours_units}) in {ours_cpu:.2f} CPU s "
        f"({ours_cpu / bare_cpu:.1f}x the bare analysis)"
    )
    for threshold in THRESHOLDS:
        print(
            f"threshold {threshold:g}: typo pass {typo_cpu[threshold]:.2f} CPU s "
            f"({typo_cpu[threshold] / bare_cpu:.1f}x the bare analysis); reaches "
            f"{reached[threshold] / max(1, n_units):.2f} of the gold Hangul units "
            f"({exact[threshold] / max(1, n_units):.2f} rewritten exactly); "
            f"{1000 * noise[threshold] / max(1, n_chars):.1f} readings per 1,000 chars "
            f"overlap no gold unit; of the {exact[threshold]} exact, kocorrect repairs "
            f"{both[threshold]} right too and misses {exact[threshold] - both[threshold]}"
        )


if __name__ == "__main__":
    sys.exit(main())
