"""Scoring corrected pages against gold, with the definitions of the project's reference scorer.

Same normalisation and metrics as the reference scorer (its `--help` is the definition):

* Texts are NFC-normalised, every whitespace run becomes one space, ends are stripped.
* CER = Levenshtein(text, gold) / len(gold); WER the same over space-separated tokens;
  totals are micro-averages (summed distances over summed lengths).
* Edits are maximal runs of non-equal Levenshtein opcodes from the OCR text to the gold and to
  the output. Per unit ("char": the edit span; "word": widened to whole OCR tokens) the edits of
  one side that overlap or touch merge into units; gold and system units merge again into
  clusters, and a cluster is correct when it has both kinds and both rewrite the OCR span to
  the same string. P = correct system units / system units, R = correct gold units / gold
  units, F0.5 = 1.25PR / (0.25P + R), with P = 1 without system units and R = 1 without gold.
* Char units are classed "space" (whitespace-only change) or "misread" (characters changed),
  and misreads that read and write only Hangul and spaces are also "hangul".

>>> page = score_page("국가 데이터 탠 구축", "국가 데이터 댐 구축", "국가 데이터 댐 구축")
>>> page.metrics()["char_F05"], page.metrics()["CER_out"]
(1.0, 0.0)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from .io import read_text

__all__ = [
    "PageScore",
    "ScoreCounts",
    "aligned_positions",
    "find_pairs",
    "normalize_for_scoring",
    "score_dirs",
    "score_page",
    "total",
]

_WHITESPACE = re.compile(r"\s+")
_HANGUL_OR_SPACE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3 ]*")
CLASSES = ("space", "misread", "hangul")

Span = tuple[int, int, str]  # (start, end, replacement) on the OCR text


def normalize_for_scoring(text: str) -> str:
    """NFC, whitespace runs to one space, stripped: what every metric compares.

    >>> normalize_for_scoring("육\\n\\n성해  x\\t")
    '육 성해 x'
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def aligned_positions(source: str, target: str) -> dict[int, int]:
    """Index in `source` -> index in `target`, wherever the Levenshtein alignment pairs the
    characters one to one (equal runs, and replaced runs of the same length).

    >>> aligned_positions("국가데이터", "국가 데이터")
    {0: 0, 1: 1, 2: 3, 3: 4, 4: 5}
    """
    mapping: dict[int, int] = {}
    for op in Levenshtein.opcodes(source, target):
        if op.tag in ("equal", "replace") and (
            op.src_end - op.src_start == op.dest_end - op.dest_start
        ):
            for k in range(op.src_end - op.src_start):
                mapping[op.src_start + k] = op.dest_start + k
    return mapping


def opcode_edits(source: str, target: str) -> list[Span]:
    """Maximal runs of non-equal Levenshtein opcodes, each as (start, end, replacement)."""
    edits: list[list[Any]] = []
    open_run = False
    for op in Levenshtein.opcodes(source, target):
        if op.tag == "equal":
            open_run = False
            continue
        piece = target[op.dest_start : op.dest_end]
        if open_run:
            edits[-1][1] = op.src_end
            edits[-1][2] += piece
        else:
            edits.append([op.src_start, op.src_end, piece])
            open_run = True
    return [(s, e, r) for s, e, r in edits]


def _widen_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return start, end


def _merge_touching(items: Iterable[tuple[int, int, Any]]) -> list[tuple[int, int, list[Any]]]:
    """Merge closed intervals that overlap or touch; each group keeps its members' payloads."""
    groups: list[list[Any]] = []
    for start, end, payload in sorted(items, key=lambda item: (item[0], item[1])):
        if groups and start <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], end)
            groups[-1][2].append(payload)
        else:
            groups.append([start, end, [payload]])
    return [(s, e, members) for s, e, members in groups]


def _units(text: str, edits: Sequence[Span], unit: str) -> list[tuple[int, int, list[Span]]]:
    items = []
    for edit in edits:
        start, end = edit[0], edit[1]
        if unit == "word":
            start, end = _widen_to_tokens(text, start, end)
        items.append((start, end, edit))
    return _merge_touching(items)


def _splice(text: str, start: int, end: int, edits: Iterable[Span]) -> str:
    pieces, cursor = [], start
    for s, e, replacement in sorted(edits):
        pieces += [text[cursor:s], replacement]
        cursor = e
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _classes(text: str, edits: Sequence[Span]) -> tuple[str, ...]:
    if all(text[s:e].replace(" ", "") == r.replace(" ", "") for s, e, r in edits):
        return ("space",)
    hangul = all(
        _HANGUL_OR_SPACE.fullmatch(text[s:e]) and _HANGUL_OR_SPACE.fullmatch(r) for s, e, r in edits
    )
    return ("misread", "hangul") if hangul else ("misread",)


@dataclass(frozen=True, slots=True)
class ScoreCounts:
    """The integer counts every metric is a ratio of; they add up over pages (micro-average)."""

    len_gold: int = 0
    tok_gold: int = 0
    dist_in: int = 0
    dist_out: int = 0
    wdist_in: int = 0
    wdist_out: int = 0
    char_gold_edits: int = 0
    char_sys_edits: int = 0
    char_tp_gold: int = 0
    char_tp_sys: int = 0
    word_gold_edits: int = 0
    word_sys_edits: int = 0
    word_tp_gold: int = 0
    word_tp_sys: int = 0
    gold_space: int = 0
    gold_misread: int = 0
    gold_hangul: int = 0
    sys_space: int = 0
    sys_misread: int = 0
    sys_hangul: int = 0
    tp_gold_space: int = 0
    tp_gold_misread: int = 0
    tp_gold_hangul: int = 0
    tp_sys_space: int = 0
    tp_sys_misread: int = 0
    tp_sys_hangul: int = 0

    def __add__(self, other: ScoreCounts) -> ScoreCounts:
        return ScoreCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def metrics(self) -> dict[str, float]:
        """CER/WER in and out, improvement, and P/R/F0.5 per unit and per class."""
        gold_len, gold_tokens = max(self.len_gold, 1), max(self.tok_gold, 1)
        if self.dist_in:
            improvement = (self.dist_in - self.dist_out) / self.dist_in
        else:
            improvement = 0.0 if self.dist_out == 0 else float("-inf")
        out = {
            "CER_in": self.dist_in / gold_len,
            "CER_out": self.dist_out / gold_len,
            "improvement": improvement,
            "WER_in": self.wdist_in / gold_tokens,
            "WER_out": self.wdist_out / gold_tokens,
        }
        for unit in ("char", "word"):
            c = self.as_dict()
            p, r, f = _prf(
                c[f"{unit}_tp_sys"], c[f"{unit}_sys_edits"],
                c[f"{unit}_tp_gold"], c[f"{unit}_gold_edits"],
            )  # fmt: skip
            out |= {f"{unit}_P": p, f"{unit}_R": r, f"{unit}_F05": f}
        for cls in CLASSES:
            c = self.as_dict()
            p, r, f = _prf(
                c[f"tp_sys_{cls}"], c[f"sys_{cls}"], c[f"tp_gold_{cls}"], c[f"gold_{cls}"]
            )
            out |= {f"{cls}_P": p, f"{cls}_R": r, f"{cls}_F05": f}
        return out


def _prf(tp_sys: int, n_sys: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    precision = tp_sys / n_sys if n_sys else 1.0
    recall = tp_gold / n_gold if n_gold else 1.0
    if precision + recall == 0:
        return precision, recall, 0.0
    return precision, recall, 1.25 * precision * recall / (0.25 * precision + recall)


def _edit_counts(
    ocr: str, gold_edits: Sequence[Span], sys_edits: Sequence[Span], unit: str
) -> dict[str, int]:
    gold_units = _units(ocr, gold_edits, unit)
    sys_units = _units(ocr, sys_edits, unit)
    items = [(s, e, ("gold", eds)) for s, e, eds in gold_units]
    items += [(s, e, ("sys", eds)) for s, e, eds in sys_units]
    counts = {f"{unit}_gold_edits": len(gold_units), f"{unit}_sys_edits": len(sys_units)}
    counts |= {f"{unit}_tp_gold": 0, f"{unit}_tp_sys": 0}
    by_class = {f"{p}_{c}": 0 for p in ("gold", "sys", "tp_gold", "tp_sys") for c in CLASSES}
    for start, end, members in _merge_touching(items):
        gold = [eds for side, eds in members if side == "gold"]
        system = [eds for side, eds in members if side == "sys"]
        gold_text = _splice(ocr, start, end, [e for eds in gold for e in eds])
        sys_text = _splice(ocr, start, end, [e for eds in system for e in eds])
        correct = bool(gold) and bool(system) and gold_text == sys_text
        if correct:
            counts[f"{unit}_tp_gold"] += len(gold)
            counts[f"{unit}_tp_sys"] += len(system)
        for side, side_units in (("gold", gold), ("sys", system)):
            for eds in side_units:
                for cls in _classes(ocr, eds):
                    by_class[f"{side}_{cls}"] += 1
                    by_class[f"tp_{side}_{cls}"] += int(correct)
    return counts | by_class if unit == "char" else counts


@dataclass(frozen=True, slots=True)
class PageScore:
    """The score of one page (or of a total, with `name` saying how many pages)."""

    name: str
    counts: ScoreCounts = field(default_factory=ScoreCounts)

    def metrics(self) -> dict[str, float]:
        return self.counts.metrics()

    def row(self) -> dict[str, Any]:
        """Counts and metrics under the reference scorer's key names."""
        return {"name": self.name, **self.counts.as_dict(), **self.metrics()}


def score_page(ocr: str, gold: str, out: str, *, name: str = "page") -> PageScore:
    """Score one page: the OCR text, its gold and the system's output."""
    ocr, gold, out = (normalize_for_scoring(t) for t in (ocr, gold, out))

    def tokens(text: str) -> list[str]:
        return text.split(" ") if text else []

    counts: dict[str, int] = {
        "len_gold": len(gold),
        "tok_gold": len(tokens(gold)),
        "dist_in": Levenshtein.distance(ocr, gold),
        "dist_out": Levenshtein.distance(out, gold),
        "wdist_in": Levenshtein.distance(tokens(ocr), tokens(gold)),
        "wdist_out": Levenshtein.distance(tokens(out), tokens(gold)),
    }
    gold_edits, sys_edits = opcode_edits(ocr, gold), opcode_edits(ocr, out)
    for unit in ("char", "word"):
        counts |= _edit_counts(ocr, gold_edits, sys_edits, unit)
    return PageScore(name, ScoreCounts(**counts))


def total(pages: Sequence[PageScore]) -> PageScore:
    """Micro-averaged total: counts summed over pages, then the ratios."""
    summed = sum((p.counts for p in pages), ScoreCounts())
    return PageScore(f"TOTAL ({len(pages)} pages)", summed)


def find_pairs(ocr_dir: str | Path) -> list[str]:
    """Names NAME having both NAME.ocr.txt and NAME.gold.txt in `ocr_dir`, sorted."""
    folder = Path(ocr_dir)
    names = [p.name[: -len(".gold.txt")] for p in folder.glob("*.gold.txt")]
    return sorted(n for n in names if (folder / f"{n}.ocr.txt").is_file())


def score_dirs(ocr_dir: str | Path, out_dir: str | Path) -> tuple[list[PageScore], list[str]]:
    """Score every NAME pair of `ocr_dir` against `out_dir`/NAME.ocr.txt.

    A page without an output is scored as unchanged OCR and listed as missing (second value).
    """
    folder, outputs = Path(ocr_dir), Path(out_dir)
    pages, missing = [], []
    for name in find_pairs(folder):
        ocr = read_text(folder / f"{name}.ocr.txt")
        gold = read_text(folder / f"{name}.gold.txt")
        out_path = outputs / f"{name}.ocr.txt"
        if out_path.is_file():
            out = read_text(out_path)
        else:
            out = ocr
            missing.append(name)
        pages.append(score_page(ocr, gold, out, name=name))
    return pages, missing


_TABLE = [
    ("page", "name", "{:<22.22}"),
    ("lenG", "len_gold", "{:>7}"),
    ("CERin", "CER_in", "{:>7.4f}"),
    ("CERout", "CER_out", "{:>7.4f}"),
    ("impr", "improvement", "{:>7.3f}"),
    ("WERin", "WER_in", "{:>7.4f}"),
    ("WERout", "WER_out", "{:>7.4f}"),
    ("cP", "char_P", "{:>6.3f}"),
    ("cR", "char_R", "{:>6.3f}"),
    ("cF.5", "char_F05", "{:>6.3f}"),
    ("wP", "word_P", "{:>6.3f}"),
    ("wR", "word_R", "{:>6.3f}"),
    ("wF.5", "word_F05", "{:>6.3f}"),
]


def format_table(pages: Sequence[PageScore], *, per_page: bool = True) -> str:
    """A plain-text table: one row per page (optional) and the total, then P/R/F0.5 by class."""
    widths = [max(len(h), len(fmt.format(0)) if key != "name" else 22) for h, key, fmt in _TABLE]
    header = " ".join(
        h.ljust(w) if i == 0 else h.rjust(w)
        for i, ((h, _, _), w) in enumerate(zip(_TABLE, widths, strict=True))
    )
    rows = [*pages] if per_page else []
    tot = total(pages)
    lines = [header]
    for page in [*rows, tot]:
        values = page.row()
        lines.append(" ".join(fmt.format(values[key]) for _, key, fmt in _TABLE))
    metrics = tot.metrics()
    lines.append("")
    lines.append("edits by class (char unit): class       P      R   F0.5    #gold  #system")
    for cls in CLASSES:
        counts = tot.counts.as_dict()
        lines.append(
            f"{'':28}{cls:<8}{metrics[f'{cls}_P']:>7.3f}{metrics[f'{cls}_R']:>7.3f}"
            f"{metrics[f'{cls}_F05']:>7.3f}{counts[f'gold_{cls}']:>9}{counts[f'sys_{cls}']:>9}"
        )
    return "\n".join(lines)


def scores_json(pages: Sequence[PageScore], missing: Sequence[str], *, per_page: bool) -> dict:
    """The `--json` document: totals (and pages) under the reference scorer's key names."""
    tot = total(pages)
    totals = {"pages": len(pages), **tot.counts.as_dict(), **tot.metrics()}
    document: dict[str, Any] = {"totals": totals, "missing": list(missing)}
    if per_page:
        document["pages"] = [p.row() for p in pages]
    return document
