"""Lost spaces inside a line: how many the corrected text still lacks, and how often the analysis
reads one where the gold has none.

Usage: python scripts/measure_lost_spaces.py BENCH_DIR [BENCH_DIR ...] [--show N]

Issue 14 asks for lost spaces inside a line (two words run together) to be restored only where
the analysis and the lexicon both say so. This script measures the analysis's side on any
bench, so the decision rests on counts: every page is corrected as `kocorrect fix` corrects it,
the corrected text and the gold are aligned with whitespace removed, and

- `lost`: places where the gold has whitespace between two Hangul syllables that the corrected
  text prints side by side (what a lost-space repair could still gain);
- `read_as_two_words`: places inside one whitespace token of the corrected text where Kiwi's
  analysis ends a word and starts another, a particle or a final or connective ending directly
  followed by a content morpheme (noun, pronoun, numeral, verb, adjective, adverb, determiner,
  interjection, root, prefix), both sides Hangul syllables; `right`: those where the gold has
  whitespace. That is the strongest signal the analysis gives for a lost space, the candidate
  set any such repair would start from.

Only counts (and, with --show, examples) are printed: nothing is written. Measure on any
bench; tune on the training benches only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import unicodedata
from pathlib import Path

from kocorrect import Corrector
from kocorrect.analysis import PageAnalysis
from kocorrect.evaluate import aligned_positions
from kocorrect.hangul import is_hangul_syllable

# A morpheme that ends a word (a particle, a final or connective ending) and one that starts a
# word: the analysis's reading of two words run together.
WORD_END_TAGS = ("J", "EC", "EF")
WORD_START_TAGS = ("NN", "NP", "NR", "VV", "VA", "MAG", "MM", "IC", "XR", "XPN")


def gold_spaces(text: str, gold: str) -> dict[int, bool]:
    """For each offset i of `text` whose character and the next are both non-space: whether
    the gold has whitespace between the characters they align to (only pairs that align to
    neighbouring gold characters, or to two with only whitespace between, are judged)."""
    text_at = [i for i, ch in enumerate(text) if not ch.isspace()]
    gold_at = [i for i, ch in enumerate(gold) if not ch.isspace()]
    bare = aligned_positions("".join(text[i] for i in text_at), "".join(gold[i] for i in gold_at))
    judged = {}
    for k in range(len(text_at) - 1):
        a, b = text_at[k], text_at[k + 1]
        if b != a + 1 or k not in bare or k + 1 not in bare:
            continue
        g1, g2 = gold_at[bare[k]], gold_at[bare[k + 1]]
        if bare[k + 1] != bare[k] + 1:
            continue
        judged[a] = g2 > g1 + 1
    return judged


def measure(corrector: Corrector, bench: Path, show: int) -> dict[str, int]:
    counts = {"pages": 0, "lost": 0, "read_as_two_words": 0, "right": 0}
    examples: list[str] = []
    for ocr_path in sorted(bench.glob("*.ocr.txt")):
        gold_path = ocr_path.with_name(ocr_path.name.replace(".ocr.", ".gold."))
        gold = unicodedata.normalize("NFC", gold_path.read_text(encoding="utf-8"))
        text = corrector.correct(ocr_path.read_text(encoding="utf-8")).text
        counts["pages"] += 1
        spaced = gold_spaces(text, gold)
        counts["lost"] += sum(
            1
            for i, has_space in spaced.items()
            if has_space and is_hangul_syllable(text[i]) and is_hangul_syllable(text[i + 1])
        )
        morphs = PageAnalysis.of(text, corrector.lm).all_morphs()
        for left, right in itertools.pairwise(morphs):
            at = right.start
            if (
                left.end != at
                or not 0 < at < len(text)
                or not left.tag.startswith(WORD_END_TAGS)
                or not right.tag.startswith(WORD_START_TAGS)
                or not (is_hangul_syllable(text[at - 1]) and is_hangul_syllable(text[at]))
                or (at - 1) not in spaced
            ):
                continue
            counts["read_as_two_words"] += 1
            counts["right"] += spaced[at - 1]
            if len(examples) < show:
                start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
                end = re.compile(r"\s|$").search(text, at).start()
                mark = "space" if spaced[at - 1] else "none "
                examples.append(
                    f"  {mark} {ocr_path.name}: {text[start:at]}|{text[at:end]}"
                    f" ({left.form}/{left.tag} {right.form}/{right.tag})"
                )
    for line in examples:
        print(line)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benches", type=Path, nargs="+")
    parser.add_argument("--show", type=int, default=0, help="print this many candidates")
    args = parser.parse_args()
    corrector = Corrector()
    corrector.warm_up()
    for bench in args.benches:
        c = measure(corrector, bench, args.show)
        read = c["read_as_two_words"]
        precision = round(c["right"] / read, 3) if read else None
        print(json.dumps({"bench": bench.name, **c, "precision": precision}))


if __name__ == "__main__":
    main()
