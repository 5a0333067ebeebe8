"""Derive the OCR confusion table (dictionaries/confusions.tsv) from aligned OCR/gold pages.

Usage: python scripts/calibrate_confusions.py --shared ../shared [--bench train --bench train-mixed]
       [--out dictionaries/confusions.tsv] [--compare-families]

Only the training pages are read (by default both training benches, `bench/train` and
`bench/train-mixed`); the dev sets stay for measuring. Every
syllable the OCR read in place of a different gold syllable is split into jamo, and each
position (initial, medial, final) that differs counts one confusion. The cost of reading
`read` where `intended` was printed is -ln P(read | intended), with a small pseudo-count for the
look-alike pairs the design names, so a plausible confusion the training pages happen not to
show still has a (high) cost instead of being impossible. Only jamo counts are kept: no word
of the training text reaches the table.

`--compare-families` writes nothing: it counts the confusions of the classic-font pages
(Nanum/Un/Baekmuk) and of the Noto CJK pages apart (the font named in each bench's
manifest.jsonl) and prints how far the two distributions are apart, beside the distance between
two random halves of the same pages (what sampling alone makes of it).
"""

from __future__ import annotations

import argparse
import json
import math
import random
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
# added); seen or not in training, they get a pseudo-count. ㅇㅎ is a pair in both places (a
# final ㅎ read as ㅇ is seen 13 times; without the pair a final ㅇ read as ㅎ, 좋이 for 종이,
# could not be repaired at all). A double final is paired with each of its two parts (굵 read
# as 국, 몫 as 목): before, only the first part of ㄺ ㄻ ㄼ ㅀ ㄶ ㄵ ㅄ was, and ㄳ with neither.
LOOKALIKES = {
    "initial": (
        "ㄷㅌ ㅁㅂ ㅁㅇ ㅂㅇ ㄱㅋ ㅈㅊ ㅅㅈ ㅎㅇ ㄴㄷ ㄹㄷ ㅍㅎ ㅊㅎ ㅅㅆ ㄱㄲ ㄷㄸ ㅈㅉ ㅂㅃ ㅌㄹ"
    ),
    "medial": (
        "ㅓㅕ ㅏㅑ ㅗㅛ ㅜㅠ ㅡㅜ ㅡㅗ ㅣㅏ ㅣㅓ ㅝㅟ ㅐㅔ "
        "ㅚㅢ ㅘㅚ ㅔㅖ ㅐㅒ ㅏㅓ ㅗㅜ ㅘㅝ ㅙㅞ ㅟㅢ ㅚㅟ"
    ),
    "final": (
        "ㅁㅂ ㅁㅇ ㅂㅇ ㄴㄹ ㄱㄴ ㅁㄴ ㄴ ㄹ ㅇ ㅁ ㅅㅆ "
        "ㅇㅎ ㄷㅅ ㅅㅊ ㄹㄻ ㄹㄺ ㄹㄼ ㄹㅀ ㅂㅄ ㄴㄶ ㄴㄵ ㄱㄲ ㅌㄷ "
        "ㄱㄳ ㅅㄳ ㅈㄵ ㅎㄶ ㄱㄺ ㅁㄻ ㅂㄼ ㅎㅀ ㅅㅄ"
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


TRAINING_BENCHES = ("train", "train-mixed")


def font_family(font: str) -> str:
    """'noto' for the Noto CJK KR faces, 'classic' for the others (Nanum, Un, Baekmuk)."""
    return "noto" if font.lower().startswith("noto") else "classic"


def read_pages(shared: Path, benches: list[str]) -> list[tuple[str, str, set[int], str]]:
    """(ocr, gold, OCR line ends, font family) of every page of the named training benches."""
    pages = []
    for bench in benches:
        folder = shared / "bench" / bench
        fonts: dict[str, str] = {}
        manifest = folder / "manifest.jsonl"
        if manifest.is_file():
            for line in manifest.read_text("utf-8").splitlines():
                if line.strip():
                    entry = json.loads(line)
                    fonts[entry["name"]] = entry.get("layout", {}).get("font", "")
        found = sorted(folder.glob("*.ocr.txt"))
        if not found:
            raise SystemExit(f"no *.ocr.txt pages under {folder}: pass the shared folder")
        for ocr_path in found:
            gold_path = ocr_path.with_name(ocr_path.name.replace(".ocr.txt", ".gold.txt"))
            ocr_text = ocr_path.read_text("utf-8")
            family = font_family(fonts.get(ocr_path.name.removesuffix(".ocr.txt"), ""))
            pages.append(
                (
                    _normalise(ocr_text),
                    _normalise(gold_path.read_text("utf-8")),
                    _line_ends(ocr_text),
                    family,
                )
            )
    return pages


def _distribution(confusions: Counter) -> dict:
    """The observed confusions (line-end rows left out) as a distribution over (pos, i, r)."""
    kept = {k: n for k, n in confusions.items() if k[0] != LINE_END}
    total = sum(kept.values()) or 1
    return {k: n / total for k, n in kept.items()}


def _rates(confusions: Counter, totals: Counter) -> dict:
    """P(read | intended) of every observed confusion (line-end rows left out)."""
    return {k: n / max(totals[(k[0], k[1])], 1) for k, n in confusions.items() if k[0] != LINE_END}


def distances(a: tuple[Counter, Counter], b: tuple[Counter, Counter]) -> dict[str, float]:
    """How far two sets of counts are apart: total variation and Jensen-Shannon divergence
    (nats) of the confusion distributions, and the mean absolute difference of -ln P(read |
    intended) over the confusions both saw at least 3 times."""
    pa, pb = _distribution(a[0]), _distribution(b[0])
    keys = set(pa) | set(pb)
    tv = 0.5 * sum(abs(pa.get(k, 0) - pb.get(k, 0)) for k in keys)
    js = 0.0
    for k in keys:
        x, y = pa.get(k, 0.0), pb.get(k, 0.0)
        m = (x + y) / 2
        js += 0.5 * (x * math.log(x / m) if x else 0) + 0.5 * (y * math.log(y / m) if y else 0)
    ra, rb = _rates(*a), _rates(*b)
    both = [k for k in ra if k in rb and a[0][k] >= 3 and b[0][k] >= 3]
    cost_diff = (
        sum(abs(math.log(ra[k]) - math.log(rb[k])) for k in both) / len(both) if both else 0.0
    )
    return {"tv": tv, "js": js, "cost_diff": cost_diff, "shared_pairs": len(both)}


def compare_families(pages: list[tuple[str, str, set[int], str]], top: int = 12) -> None:
    by_family: dict[str, list] = {}
    for page in pages:
        by_family.setdefault(page[3], []).append(page)

    def counts(group: list) -> tuple[Counter, Counter]:
        return count_confusions([(o, g) for o, g, _e, _f in group], [e for _o, _g, e, _f in group])

    summary = {}
    for family, group in sorted(by_family.items()):
        confusions, totals = counts(group)
        observed = sum(n for k, n in confusions.items() if k[0] != LINE_END)
        jamo = sum(n for (pos, _j), n in totals.items() if pos == "initial")
        summary[family] = (confusions, totals)
        print(
            f"{family}: {len(group)} pages, {jamo} gold syllables, {observed} jamo confusions "
            f"({1000 * observed / max(jamo, 1):.1f} per 1000 syllables)"
        )
        dist = _distribution(confusions)
        for (pos, intended, read), share in sorted(dist.items(), key=lambda kv: -kv[1])[:top]:
            rate = confusions[(pos, intended, read)] / max(totals[(pos, intended)], 1)
            print(
                f"  {pos:8} {intended or '-'}->{read or '-'}  "
                f"n={confusions[(pos, intended, read)]:4}  share {share:.3f}  P {rate:.4f}"
            )
    if len(summary) != 2:
        print("only one font family in these benches: nothing to compare")
        return
    a, b = summary.values()
    d = distances(a, b)
    print(
        f"classic vs noto: TV {d['tv']:.3f}, JS {d['js']:.3f} nats, mean |cost difference| "
        f"{d['cost_diff']:.2f} over {d['shared_pairs']} confusions both saw >= 3 times"
    )
    # What sampling alone gives: the pooled pages dealt at random into two groups of the
    # families' sizes (a permutation test: the share of deals at least as far apart is the
    # p-value of "the families differ"), and random halves within each family.
    rng = random.Random(0)
    sizes = [len(group) for group in by_family.values()]
    observed_tv = d["tv"]
    tvs, jss, costs = [], [], []
    for _ in range(100):
        shuffled = list(pages)
        rng.shuffle(shuffled)
        d = distances(counts(shuffled[: sizes[0]]), counts(shuffled[sizes[0] :]))
        tvs.append(d["tv"])
        jss.append(d["js"])
        costs.append(d["cost_diff"])
    print(
        f"random deals of all {len(pages)} pages into {sizes[0]} + {sizes[1]}: TV "
        f"{sum(tvs) / len(tvs):.3f} (max {max(tvs):.3f}), JS {sum(jss) / len(jss):.3f} "
        f"(max {max(jss):.3f}), mean |cost difference| {sum(costs) / len(costs):.2f} "
        f"(max {max(costs):.2f}); deals at least as far apart (TV) as the families: "
        f"{sum(t >= observed_tv for t in tvs)}/{len(tvs)}"
    )
    for name, group in sorted(by_family.items()):
        tvs = []
        for _ in range(20):
            shuffled = list(group)
            rng.shuffle(shuffled)
            half = len(shuffled) // 2
            tvs.append(distances(counts(shuffled[:half]), counts(shuffled[half:]))["tv"])
        print(f"random halves of the {name} pages: TV {sum(tvs) / len(tvs):.3f}")
    # Where they differ most: the confusions whose rate P(read | intended) differs most,
    # with counts both sides (a rate seen a handful of times is noise).
    (ca, ta), (cb, tb) = a, b
    rows = []
    for key in set(ca) | set(cb):
        if key[0] == LINE_END or ca[key] + cb[key] < 8:
            continue
        ra = (ca[key] + 0.5) / (ta[(key[0], key[1])] + 1)
        rb = (cb[key] + 0.5) / (tb[(key[0], key[1])] + 1)
        rows.append((abs(math.log(ra / rb)), key, ca[key], cb[key], ra, rb))
    names = list(by_family)
    print(f"largest rate ratios (seen >= 8 times in all), {names[0]} vs {names[1]}:")
    for diff, (pos, i, r), na, nb, ra, rb in sorted(rows, reverse=True)[:top]:
        print(
            f"  {pos:8} {i or '-'}->{r or '-'}  n {na:3} vs {nb:3}  "
            f"P {ra:.4f} vs {rb:.4f}  |ln ratio| {diff:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared folder (../shared)")
    parser.add_argument(
        "--bench",
        action="append",
        default=None,
        help="a training bench under shared/bench (repeatable; default: train and train-mixed)",
    )
    parser.add_argument("--out", type=Path, default=Path("dictionaries/confusions.tsv"))
    parser.add_argument(
        "--compare-families",
        action="store_true",
        help="print how the classic and Noto font pages' confusions differ; write nothing",
    )
    args = parser.parse_args()
    benches = args.bench or list(TRAINING_BENCHES)
    if any(not bench.startswith("train") for bench in benches):
        raise SystemExit("calibrate on training benches only: the dev sets are for measuring")
    pages = read_pages(args.shared, benches)
    if args.compare_families:
        compare_families(pages)
        return
    pairs = [(ocr, gold) for ocr, gold, _ends, _family in pages]
    line_ends = [ends for _ocr, _gold, ends, _family in pages]
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
            f"# from {len(pairs)} training pages ({', '.join(benches)}), {observed} observed "
            "jamo confusions; "
            f"look-alike pseudo-count {PSEUDO_COUNT}\n"
        )
        out.write("position\tintended\tread\tcount\tcost\n")
        for pos, intended, read, count, cost in rows:
            out.write(f"{pos}\t{intended}\t{read}\t{count:g}\t{cost:.3f}\n")
    print(f"wrote {len(rows)} confusions from {observed} observations to {args.out}")


if __name__ == "__main__":
    main()
