"""Measure person-name flags against the KLUE-NER news sentences (PS spans) in the shared folder.

    python scripts/measure_names.py --shared ../shared [--errors 30]

- precision: share of name flags that overlap a PS span;
- recall: share of PS spans that are Korean full names (2-4 Hangul syllables, first syllable a
  surname from dictionaries/surnames.txt) that some flag overlaps.

The data stays in the shared folder (CC BY-SA): nothing here is copied into the repository.
No registry is used, so every detected mention is flagged.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from kocorrect.analysis import LanguageModel
from kocorrect.names import NameChecker, load_surnames

DATA = Path("data/klue-ner-wikitree/sentences.jsonl")
FULL_NAME = re.compile(r"^[가-힣]{2,4}$")


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def is_korean_full_name(text: str, surnames: frozenset[str]) -> bool:
    return bool(FULL_NAME.match(text)) and text[0] in surnames


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared folder")
    parser.add_argument("--errors", type=int, default=0, help="print this many misses and FPs")
    parser.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    args = parser.parse_args(argv)

    path = args.shared / DATA
    if not path.is_file():
        print(f"{path} not found: pass the shared folder with --shared", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if args.limit:
        rows = rows[: args.limit]

    lm = LanguageModel()
    checker = NameChecker(registry=None)
    surnames = load_surnames()
    true_flags = all_flags = found = targets = 0
    false_positives: list[str] = []
    misses: list[str] = []
    started = time.perf_counter()
    for row in rows:
        text = row["text"]
        persons = [(e["start"], e["end"]) for e in row["entities"] if e["type"] == "PS"]
        _, flags = checker.check(text, lm)
        spans = [(f.start, f.end) for f in flags]
        for span in spans:
            all_flags += 1
            if any(overlaps(span, p) for p in persons):
                true_flags += 1
            else:
                message = next(f.message for f in flags if (f.start, f.end) == span)
                false_positives.append(f"{text[span[0] : span[1]]}\t{message[:60]}\t{text}")
        for entity in row["entities"]:
            if entity["type"] != "PS" or not is_korean_full_name(entity["text"], surnames):
                continue
            targets += 1
            if any(overlaps(span, (entity["start"], entity["end"])) for span in spans):
                found += 1
            else:
                misses.append(f"{entity['text']}\t{text}")
    elapsed = time.perf_counter() - started

    precision = true_flags / all_flags if all_flags else 0.0
    recall = found / targets if targets else 0.0
    print(f"sentences: {len(rows)}  flags: {all_flags}  Korean full-name PS spans: {targets}")
    print(f"precision: {precision:.3f}  ({true_flags}/{all_flags} flags overlap a PS span)")
    print(f"recall:    {recall:.3f}  ({found}/{targets} full-name PS spans flagged)")
    print(f"time: {elapsed:.1f} s")
    if args.errors:
        print("\n# false positives")
        print("\n".join(false_positives[: args.errors]))
        print("\n# misses")
        print("\n".join(misses[: args.errors]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
