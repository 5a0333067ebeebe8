"""What every OCR format reader gives and every writer takes: words with boxes, and the page text.

A reader walks the file once and builds the page text the plain-text pipeline expects: words
of a line joined by a space (or by nothing, where the engine's word boxes touch, see
`JOIN_GAP`), lines by a line break, blocks (paragraphs, regions) by a blank line, in reading
order. Each `Word` knows its span in that text, so a `Correction` of the text maps back onto
the file's elements: `plan_changes` turns the edits into changes of words (new text, a word
rejoined across lines, words merged, a word split), which the format's writer applies.
"""

from __future__ import annotations

import difflib
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..types import Correction, Edit, apply_edits

__all__ = [
    "JOIN_GAP",
    "Change",
    "Out",
    "TextBuilder",
    "Word",
    "divide_box",
    "plan_changes",
    "union_box",
]

JOIN_GAP = 0.4
"""Two words of a line closer than this fraction of the line's height are read as one word
(no space between them). Tesseract's Korean model boxes syllables of one word separately
(`행` `정` `절차법`) and leaves the space out of its own text output where the gap is small:
on the ten benchmark pages this rule agrees with tesseract's text on 90 % of the gaps. Give
`join_gap=0` to `read` for engines whose words are words."""

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True, slots=True)
class Word:
    """One word element of the file and where its text stands in the document's `.text`.

    `confidence` is the engine's word confidence scaled to [0, 1] (hOCR `x_wconf` / 100, ALTO
    `WC`, PAGE `@conf`), None where the file gives none. `ordinal` numbers the word elements
    of the file in document order (the writer finds them again by it).
    """

    id: str | None
    start: int
    end: int
    bbox: Box | None
    confidence: float | None
    line_id: str | None
    line: int
    ordinal: int
    hyphen: int = 0  # 1 or 2: the input already marks it as the first/second part of a word


@dataclass(slots=True)
class TextBuilder:
    """Accumulates the page text: words, with the strongest break asked for since the last."""

    join_gap: float = JOIN_GAP
    parts: list[str] = field(default_factory=list)
    length: int = 0
    words: list[Word] = field(default_factory=list)
    _pending: int = 0  # 0 nothing, 1 line break, 2 blank line
    _line: int = -1
    _line_id: str | None = None
    _line_height: float | None = None
    _glue_next: bool = False

    def new_line(self, line_id: str | None, height: float | None) -> None:
        self._pending = max(self._pending, 1)
        self._line_id = line_id
        self._line_height = height
        self._line += 1

    def new_block(self) -> None:
        self._pending = 2

    def glue_next(self) -> None:
        """The next word continues the last one across the line break (a marked hyphenation)."""
        self._glue_next = True

    def add_text(self, text: str) -> None:
        """Text that belongs to no word element (an ALTO HYP), right after the last word."""
        self.parts.append(text)
        self.length += len(text)

    def add_word(
        self, text: str, *, id: str | None, bbox: Box | None, confidence: float | None,
        ordinal: int, hyphen: int = 0, spaced: bool | None = None,
    ) -> None:  # fmt: skip
        """`spaced` says whether a space precedes the word on its line (None: by the gap)."""
        if self.words:
            if self._glue_next:
                sep = ""
            elif self._pending:
                sep = "\n\n" if self._pending == 2 else "\n"
            elif spaced is not None:
                sep = " " if spaced else ""
            else:
                sep = " " if self._spaced(bbox) else ""
            self.parts.append(sep)
            self.length += len(sep)
        self._pending = 0
        self._glue_next = False
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        self.words.append(
            Word(id, start, self.length, bbox, confidence, self._line_id, self._line, ordinal,
                 hyphen)
        )  # fmt: skip

    def _spaced(self, bbox: Box | None) -> bool:
        last = self.words[-1]
        if self.join_gap <= 0 or bbox is None or last.bbox is None or not self._line_height:
            return True
        return bbox[0] - last.bbox[2] >= self.join_gap * self._line_height

    @property
    def text(self) -> str:
        return "".join(self.parts)


def union_box(boxes: Iterable[Box | None]) -> Box | None:
    known = [b for b in boxes if b is not None]
    if not known:
        return None
    return (
        min(b[0] for b in known),
        min(b[1] for b in known),
        max(b[2] for b in known),
        max(b[3] for b in known),
    )


def divide_box(box: Box | None, lo: float, hi: float) -> Box | None:
    """The share [lo, hi) (fractions of the width) of a horizontal word box."""
    if box is None:
        return None
    x0, y0, x1, y1 = box
    width = x1 - x0
    return (x0 + width * lo, y0, x0 + width * hi, y1)


# ------------------------------------------------------------------------------ planning ----


@dataclass(frozen=True, slots=True)
class Out:
    """One word element of the written file made from `sources` (indices into `words`).

    Several sources: they are merged (the box is their union). `share`: the word is that
    fraction of its source's box (a split). `hyphen`: (1 or 2, the whole word) when it is a part
    of a word rejoined across a line break.
    """

    sources: tuple[int, ...]
    text: str
    share: tuple[float, float] | None = None
    hyphen: tuple[int, str] | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """Consecutive words `sources` (indices) that become `outs`."""

    sources: tuple[int, ...]
    outs: tuple[Out, ...]


def _tokens(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        spans.append((i, j))
        i = j
    return spans


class _Mapper:
    """Maps offsets of the region before its edits to offsets after them (monotone)."""

    def __init__(self, edits: Sequence[Edit]) -> None:
        self.edits = list(edits)
        self.starts = [e.start for e in self.edits]
        self.shifts: list[int] = []
        shift = 0
        for e in self.edits:
            self.shifts.append(shift)
            shift += len(e.replacement) - (e.end - e.start)
        self.total = shift

    def map(self, p: int, right: bool) -> int:
        i = bisect_right(self.starts, p) - 1
        while i >= 0:
            e = self.edits[i]
            base = e.start + self.shifts[i]
            if p < e.end or (p == e.end and e.start == e.end):
                if p == e.start and not right:
                    return base
                return base + self._inside(e, p - e.start, right)
            if p == e.end:
                return base + len(e.replacement)
            return p + self.shifts[i] + len(e.replacement) - (e.end - e.start)
        return p

    @staticmethod
    def _inside(e: Edit, k: int, right: bool) -> int:
        if k == 0:
            return len(e.replacement) if (right and not e.original) else 0
        matcher = difflib.SequenceMatcher(None, e.original, e.replacement, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if i1 <= k <= i2 and (k < i2 or tag == "equal" or i1 == i2):
                if tag == "equal":
                    return j1 + (k - i1)
                if i2 == i1:
                    return j2 if right else j1
                return j1 + round((k - i1) * (j2 - j1) / (i2 - i1))
        return len(e.replacement)


def _clusters(words: Sequence[Word], edits: Sequence[Edit]) -> list[tuple[int, int, list[Edit]]]:
    """Groups of edits with the words they touch: (first word, last word + 1, edits)."""
    starts = [w.start for w in words]
    ends = [w.end for w in words]
    groups: list[tuple[int, int, list[Edit]]] = []
    for edit in edits:
        lo = bisect_left(ends, edit.start)  # first word ending at or after the edit's start
        hi = bisect_right(starts, edit.end)  # words starting at or before its end
        if lo >= hi:  # inside the whitespace between two words
            if not edit.replacement.strip() or not words:
                continue  # a break opened or closed: the file keeps its lines
            lo = max(0, lo - 1)  # new text: it joins the word before (else the one after)
            hi = lo + 1
        if groups and lo < groups[-1][1]:
            first, _, members = groups[-1]
            groups[-1] = (first, max(hi, groups[-1][1]), [*members, edit])
        else:
            groups.append((lo, hi, [edit]))
    return groups


def plan_changes(words: Sequence[Word], text: str, correction: Correction) -> list[Change]:
    """The word changes that make the file's text carry `correction` (edits of `text`).

    An edit that only changes whitespace between two lines (a line break opened to a space,
    paragraphs rebuilt) changes no word: the file keeps its lines.
    """
    if correction.source != text:
        raise ValueError("the correction was not made on this document's text")
    changes: list[Change] = []
    for first, last, edits in _clusters(words, correction.edits):
        change = _plan_cluster(words, text, first, last, edits)
        if change is not None:
            changes.append(change)
    return changes


def _plan_cluster(
    words: Sequence[Word], text: str, first: int, last: int, edits: list[Edit]
) -> Change | None:
    region_start = min(words[first].start, edits[0].start)
    region_end = max(words[last - 1].end, max(e.end for e in edits))
    local = [
        Edit(e.start - region_start, e.end - region_start, e.original, e.replacement, e.kind,
             e.confidence, e.reason)
        for e in edits
    ]  # fmt: skip
    old = text[region_start:region_end]
    new = apply_edits(old, local)
    mapper = _Mapper(local)
    idx = list(range(first, last))
    spans: dict[int, tuple[int, int]] = {}
    previous_end: int | None = None
    for i in idx:
        w = words[i]
        s, e = w.start - region_start, w.end - region_start
        joined = i > first and words[i - 1].end == w.start
        new_s = previous_end if joined and previous_end is not None else mapper.map(s, False)
        new_e = max(new_s, mapper.map(e, True))
        spans[i] = (new_s, new_e)
        previous_end = new_e
    tokens = _tokens(new)

    def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
        return max(0, min(a[1], b[1]) - max(a[0], b[0]))

    # Each word joins the token it overlaps most; each token with no word joins the word
    # nearest to it. Connected groups then are 1 word -> n tokens, or n words -> 1 token.
    word_tokens: dict[int, set[int]] = {i: set() for i in idx}
    token_words: dict[int, set[int]] = {k: set() for k in range(len(tokens))}
    for i in idx:
        best = max(range(len(tokens)), key=lambda k: overlap(spans[i], tokens[k]), default=None)
        if best is None:
            continue
        if overlap(spans[i], tokens[best]) == 0:
            best = min(range(len(tokens)), key=lambda k: _distance(spans[i], tokens[k]))
        word_tokens[i].add(best)
        token_words[best].add(i)
    for k in range(len(tokens)):
        if token_words[k]:
            continue
        near = max(
            idx, key=lambda i: (overlap(spans[i], tokens[k]), -_distance(spans[i], tokens[k]))
        )
        word_tokens[near].add(k)
        token_words[k].add(near)

    outs: list[Out] = []
    seen_words: set[int] = set()
    for i in idx:
        if i in seen_words:
            continue
        # the connected component of word i
        comp_words: set[int] = set()
        comp_tokens: set[int] = set()
        stack_w = [i]
        while stack_w:
            wi = stack_w.pop()
            if wi in comp_words:
                continue
            comp_words.add(wi)
            for k in word_tokens[wi]:
                if k not in comp_tokens:
                    comp_tokens.add(k)
                    stack_w.extend(token_words[k])
        seen_words |= comp_words
        ws = sorted(comp_words)
        ks = [tokens[k] for k in sorted(comp_tokens)]
        outs.extend(_component(words, ws, ks, new, spans))
    if not outs:
        return Change(tuple(idx), ())  # every word of the region deleted
    unchanged = len(outs) == len(idx) and all(
        o.sources == (i,) and o.share is None and o.hyphen is None
        and o.text == text[words[i].start : words[i].end]
        for o, i in zip(outs, idx)
    )  # fmt: skip
    if unchanged:
        return None
    return Change(tuple(idx), tuple(outs))


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _component(
    words: Sequence[Word], ws: list[int], ks: list[tuple[int, int]], new: str,
    spans: dict[int, tuple[int, int]],
) -> list[Out]:  # fmt: skip
    if not ks:
        return []
    if len(ws) == 1 and len(ks) == 1:
        return [Out((ws[0],), new[ks[0][0] : ks[0][1]])]
    if len(ws) == 1:  # split: the box divided in proportion to the characters
        return [Out((ws[0],), new[s:e], share=share) for (s, e), share in _shares(ks)]
    if len(ks) == 1:
        return _one_token(words, ws, ks[0], new, spans)
    # Several words to several tokens (rare): per line, pair them in order when the counts
    # agree, else merge the line's words and divide their union among its tokens.
    outs = []
    lines = _line_groups(words, ws)
    for n, group in enumerate(lines):
        lo_pos = spans[group[0]][0] if n else -1
        hi_pos = spans[lines[n + 1][0]][0] if n + 1 < len(lines) else len(new) + 1
        mine = [t for t in ks if lo_pos <= t[0] < hi_pos]
        if not mine:
            continue
        if len(mine) == len(group):
            outs.extend(Out((i,), new[s:e]) for i, (s, e) in zip(group, mine))
            continue
        outs.extend(Out(tuple(group), new[s:e], share=sh) for (s, e), sh in _shares(mine))
    return outs


def _shares(tokens: list[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[float, float]]]:
    """Each token's share of a box divided in proportion to the characters, the spaces
    between the tokens included (so the parts of a split word stand a space apart)."""
    total = sum(e - s for s, e in tokens) + len(tokens) - 1
    shares, done = [], 0
    for s, e in tokens:
        shares.append(((s, e), (done / total, (done + e - s) / total)))
        done += e - s + 1
    return shares


def _line_groups(words: Sequence[Word], ws: list[int]) -> list[list[int]]:
    groups: list[list[int]] = []
    for i in ws:
        if groups and words[groups[-1][-1]].line == words[i].line:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _one_token(
    words: Sequence[Word], ws: list[int], token: tuple[int, int], new: str,
    spans: dict[int, tuple[int, int]],
) -> list[Out]:  # fmt: skip
    """Several words that are now one: rejoined across lines (hyphenation parts), merged
    within a line (one element, the union box), or, where the words already touched in the
    text (no space between), each keeps its element and its share of the new text."""
    t0, t1 = token
    whole = new[t0:t1]
    cuts: list[int] = []
    for i in ws[:-1]:
        cut = min(max(spans[i][1], t0), t1)
        cuts.append(max(cut, cuts[-1]) if cuts else cut)
    bounds = [t0, *cuts, t1]
    piece = {i: new[bounds[n] : bounds[n + 1]] for n, i in enumerate(ws)}
    groups = _line_groups(words, ws)
    line_outs: list[list[Out]] = []
    for group in groups:
        touching = all(words[a].end == words[b].start for a, b in itertools.pairwise(group))
        if touching:
            kept: list[Out] = []
            for i in group:
                if not piece[i] and kept:  # its text went: its box goes to the word before
                    last = kept[-1]
                    kept[-1] = Out((*last.sources, i), last.text)
                elif not piece[i]:
                    kept.append(Out((i,), ""))
                elif kept and not kept[-1].text:
                    last = kept[-1]
                    kept[-1] = Out((*last.sources, i), piece[i])
                else:
                    kept.append(Out((i,), piece[i]))
            line_outs.append(kept)
        else:
            line_outs.append([Out(tuple(group), "".join(piece[i] for i in group))])
    line_outs = [outs for outs in line_outs if any(o.text for o in outs)] or line_outs[:1]
    if len(line_outs) > 1:
        head, tail = line_outs[0][-1], line_outs[-1][0]
        line_outs[0][-1] = Out(head.sources, head.text, head.share, (1, whole))
        line_outs[-1][0] = Out(tail.sources, tail.text, tail.share, (2, whole))
    return [o for outs in line_outs for o in outs]
