"""The result types every stage speaks: edits, flags and the correction they make up.

Offsets are half-open code-point offsets into the text a stage was given; the pipeline maps
them back to the caller's input before a `Correction` leaves the library, so a user only ever
sees offsets into their own input.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

__all__ = [
    "EDIT_KINDS",
    "Correction",
    "Edit",
    "Flag",
    "SpanMap",
    "apply_edits",
    "common_ends",
    "compose_edits",
    "join_kinds",
    "lift_proposals",
    "map_span",
    "restore_original",
]


EDIT_KINDS = ("normalize", "rejoin", "paragraph", "ocr-misread", "real-word", "review")
"""Every kind of edit, in pipeline order: `normalize` (Unicode and look-alike characters),
`rejoin` (a line or column break closed, or made a space), `paragraph` (breaks made one
paragraph break), `ocr-misread` (a misread non-word repaired, or the period the scan lost
after a sentence's final 다, restored by the layout stage), `real-word` (a misread that formed
another word repaired), `review` (a replacement typed in `kocorrect review`)."""

_KIND_ORDER = {kind: position for position, kind in enumerate(EDIT_KINDS)}


def join_kinds(*kinds: str) -> str:
    """The kind of an edit merged from edits of `kinds`: each part once, in pipeline order.

    >>> join_kinds("ocr-misread", "rejoin"), join_kinds("rejoin+ocr-misread")
    ('rejoin+ocr-misread', 'rejoin+ocr-misread')
    """
    parts = {part for kind in kinds for part in kind.split("+") if part}
    last = len(_KIND_ORDER)
    return "+".join(sorted(parts, key=lambda part: (_KIND_ORDER.get(part, last), part)))


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to the text: `original` at [start, end) of the input becomes `replacement`.

    `kind` names the stage that made it (one of `EDIT_KINDS`; merged edits join them with "+",
    in pipeline order, see `join_kinds`); `confidence` is in [0, 1]; `reason` is for a
    proofreader.
    """

    start: int
    end: int
    original: str
    replacement: str
    kind: str
    confidence: float
    reason: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"edit span [{self.start}, {self.end}) is not a valid half-open span")
        if len(self.original) != self.end - self.start:
            raise ValueError(
                f"edit original {self.original!r} does not fit span [{self.start}, {self.end})"
            )
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"edit confidence {self.confidence} is outside [0, 1]")


@dataclass(frozen=True, slots=True)
class Flag:
    """A span a human must check (an unverified person name, say); never applied."""

    start: int
    end: int
    kind: str
    message: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Correction:
    """What `Corrector.correct` returns: the corrected text and everything that explains it.

    `edits` were applied to `source` to give `text`; `suggestions` were not (their confidence was
    under the threshold) and are expressed, like edits, against `source`.
    """

    source: str
    text: str
    edits: tuple[Edit, ...] = ()
    suggestions: tuple[Edit, ...] = ()
    flags: tuple[Flag, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.edits)


def _check_sorted(edits: Sequence[Edit], text_len: int) -> None:
    previous_end = 0
    for edit in edits:
        if edit.start < previous_end:
            raise ValueError(f"edits overlap or are unsorted at offset {edit.start}")
        previous_end = edit.end
    if previous_end > text_len:
        raise ValueError(f"edit ends at {previous_end}, past the end of the text ({text_len})")


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Replay `edits` (sorted, non-overlapping, offsets into `text`) on `text`.

    >>> e = Edit(3, 4, "탠", "댐", "ocr-misread", 0.9, "ㅌ read for ㄷ")
    >>> apply_edits("데이터탠 구축", [e])
    '데이터댐 구축'
    """
    ordered = list(edits)
    _check_sorted(ordered, len(text))
    pieces: list[str] = []
    cursor = 0
    for edit in ordered:
        if text[edit.start : edit.end] != edit.original:
            raise ValueError(
                f"edit at [{edit.start}, {edit.end}) expects {edit.original!r} "
                f"but the text has {text[edit.start : edit.end]!r}"
            )
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def common_ends(original: str, replacement: str, keep: int = 0) -> tuple[int, int]:
    """(head, tail): how many characters `original` and `replacement` share at their start
    and, after that, at their end, leaving at least `keep` characters of the shorter between
    them (an edit trimmed to what it changes).

    >>> common_ends("국무층리는", "국무총리는"), common_ends("가가", "가", keep=1)
    ((2, 2), (0, 0))
    """
    limit = min(len(original), len(replacement))
    head = 0
    while head < limit - keep and original[head] == replacement[head]:
        head += 1
    tail = 0
    while tail < limit - head - keep and original[-1 - tail] == replacement[-1 - tail]:
        tail += 1
    return head, tail


def restore_original(text: str, edits: Iterable[Edit]) -> str:
    """Recover the input from a corrected `text` and the edits that produced it.

    >>> e = Edit(3, 4, "탠", "댐", "ocr-misread", 0.9, "ㅌ read for ㄷ")
    >>> restore_original("데이터댐 구축", [e])
    '데이터탠 구축'
    """
    pieces: list[str] = []
    cursor = 0  # position in `text`
    shift = 0  # len(output) - len(input) so far
    for edit in sorted(edits, key=lambda e: e.start):
        out_start = edit.start + shift
        out_end = out_start + len(edit.replacement)
        if text[out_start:out_end] != edit.replacement:
            raise ValueError(f"text does not carry edit {edit.replacement!r} at {out_start}")
        pieces.append(text[cursor:out_start])
        pieces.append(edit.original)
        cursor = out_end
        shift += len(edit.replacement) - (edit.end - edit.start)
    pieces.append(text[cursor:])
    return "".join(pieces)


def _join_fields(a: str, b: str, sep: str) -> str:
    parts: list[str] = []
    for chunk in (a, b):
        for part in chunk.split(sep):
            if part and part not in parts:
                parts.append(part)
    return sep.join(parts)


class SpanMap:
    """Maps spans between the text before sorted `edits` and the text after, in O(log n) per
    span."""

    def __init__(self, edits: Sequence[Edit]) -> None:
        self._edits = list(edits)
        self._in_starts = [edit.start for edit in self._edits]
        self._out_starts: list[int] = []
        self._out_ends: list[int] = []
        self._shifts: list[int] = []  # len(after) - len(before) accumulated before each edit
        shift = 0
        for edit in self._edits:
            out_start = edit.start + shift
            self._out_starts.append(out_start)
            self._out_ends.append(out_start + len(edit.replacement))
            self._shifts.append(shift)
            shift += len(edit.replacement) - (edit.end - edit.start)
        self._total = shift

    @property
    def output_spans(self) -> list[tuple[int, int]]:
        """Where each edit's replacement stands in the text after the edits."""
        return list(zip(self._out_starts, self._out_ends, strict=True))

    def _shift_after(self, index: int) -> int:
        """Length change of the edits up to and including edit `index` (-1: none)."""
        if index < 0:
            return 0
        edit = self._edits[index]
        return self._shifts[index] + len(edit.replacement) - (edit.end - edit.start)

    def to_input(self, start: int, end: int) -> int | None:
        """Where span [start, end) of the text after the edits begins in the text before, or
        None when it meets an edit's replacement."""
        j = bisect_right(self._out_starts, end - 1) - 1  # the last edit starting before `end`
        if j >= 0 and self._out_ends[j] > start:
            return None
        return start - self._shift_after(j)

    def to_output(self, start: int, end: int) -> tuple[int, int] | None:
        """Where span [start, end) of the text before the edits ends up after them: an edit
        exactly on it maps to its replacement, an untouched span moves with the edits before
        it, a span that meets an edit otherwise is None."""
        j = bisect_right(self._in_starts, end - 1) - 1
        if j >= 0:
            edit = self._edits[j]
            if edit.start == start and edit.end == end:
                return self._out_starts[j], self._out_ends[j]
            if edit.end > start:
                return None
        shift = self._shift_after(j)
        return start + shift, end + shift

    def map(self, start: int, end: int) -> tuple[int, int]:
        """The smallest span before the edits that covers [start, end) after them.

        A boundary that falls inside an edit's replacement widens to cover that edit's original.
        """
        i = bisect_right(self._out_ends, start)
        if i < len(self._edits):
            inside = self._out_starts[i] <= start
            new_start = self._edits[i].start if inside else start - self._shifts[i]
        else:
            new_start = start - self._total
        j = bisect_left(self._out_ends, end)
        if j < len(self._edits):
            before = end <= self._out_starts[j]
            new_end = end - self._shifts[j] if before else self._edits[j].end
        else:
            new_end = end - self._total
        return new_start, max(new_start, new_end)


def lift_proposals(source: str, applied: Sequence[Edit], proposals: Sequence[Edit]) -> list[Edit]:
    """Express proposals made on the text `applied` produced as edits of `source`, each one
    on its own (they are alternatives, not a sequence), in O(log n) per proposal.

    A proposal that overlaps applied edits takes them in: applying it means replacing them.
    """
    span_map = SpanMap(applied)
    middle = apply_edits(source, applied)
    out_starts, out_ends = span_map._out_starts, span_map._out_ends
    lifted: list[Edit] = []
    for proposal in proposals:
        lo, hi = proposal.start, proposal.end
        first = bisect_left(out_ends, lo)  # edits ending at or after the proposal's start
        last = bisect_right(out_starts, hi)  # edits starting at or before its end
        touched = [
            i
            for i in range(first, last)
            if (out_starts[i] < hi and out_ends[i] > lo) or out_starts[i] == out_ends[i]
        ]
        if touched:
            lo = min(lo, out_starts[touched[0]])
            hi = max(hi, out_ends[touched[-1]])
        src_lo, src_hi = span_map.map(lo, hi)
        if touched:
            src_lo = min(src_lo, applied[touched[0]].start)
            src_hi = max(src_hi, applied[touched[-1]].end)
        replacement = middle[lo : proposal.start] + proposal.replacement + middle[proposal.end : hi]
        original = source[src_lo:src_hi]
        if original != replacement:
            lifted.append(
                Edit(
                    src_lo,
                    src_hi,
                    original,
                    replacement,
                    proposal.kind,
                    proposal.confidence,
                    proposal.reason,
                )
            )
    return lifted


def map_span(start: int, end: int, edits: Sequence[Edit]) -> tuple[int, int]:
    """Map a span of the text *after* `edits` to the smallest covering span of the text before.

    A boundary that falls inside an edit's replacement widens to cover that edit's original.
    For many spans over the same edits, build one `SpanMap` instead.

    >>> e = Edit(1, 2, "\\n", "", "rejoin", 1.0, "broken word")
    >>> map_span(0, 2, [e])
    (0, 3)
    """
    return SpanMap(edits).map(start, end)


def compose_edits(source: str, first: Sequence[Edit], second: Sequence[Edit]) -> list[Edit]:
    """Express `second` (edits on the text `first` produced) as edits on `source`.

    Where edits of the two stages overlap they become one edit whose kind joins both kinds,
    whose confidence is the lower and whose reason keeps both, as the public contract says.
    """
    middle = apply_edits(source, first)
    # Spans of both stages in `middle` coordinates.
    spans: list[tuple[int, int, int, Edit]] = []  # (start, end, stage, edit)
    shift = 0
    for edit in first:
        s = edit.start + shift
        spans.append((s, s + len(edit.replacement), 0, edit))
        shift += len(edit.replacement) - (edit.end - edit.start)
    for edit in second:
        spans.append((edit.start, edit.end, 1, edit))
    spans.sort(key=lambda item: (item[0], item[1]))

    # Overlapping spans merge; so do an empty span (an insertion or deletion point) and a span
    # that touches it, since both then claim the same place of the text.
    groups: list[list[tuple[int, int, int, Edit]]] = []
    group_end = -1
    ends_empty = False
    for item in spans:
        s, e = item[0], item[1]
        touches = s == group_end and (s == e or ends_empty)
        if groups and (s < group_end or touches):
            groups[-1].append(item)
            if e >= group_end:
                ends_empty = s == e
            group_end = max(group_end, e)
        else:
            groups.append([item])
            group_end = e
            ends_empty = s == e

    span_map = SpanMap(first)
    result: list[Edit] = []
    for group in groups:
        if len(group) == 1 and group[0][2] == 0:
            # An edit of the first stage that no edit of the second touches (most of them, the
            # pipeline composing each stage's edits with all before): its span maps back to its
            # own, so it is itself an edit of `source`, built again below only to be equal.
            edit = group[0][3]
            if edit.original != edit.replacement:
                kind = join_kinds(edit.kind)
                result.append(edit if kind == edit.kind else replace(edit, kind=kind))
            continue
        firsts = [item[3] for item in group if item[2] == 0]
        seconds = [item[3] for item in group if item[2] == 1]
        lo = min(item[0] for item in group)
        hi = max(item[1] for item in group)
        src_lo, src_hi = span_map.map(lo, hi)
        if firsts:
            src_lo = min(src_lo, min(e.start for e in firsts))
            src_hi = max(src_hi, max(e.end for e in firsts))
        piece = middle[lo:hi]
        local = [
            Edit(
                e.start - lo, e.end - lo, e.original, e.replacement, e.kind, e.confidence, e.reason
            )
            for e in seconds
        ]
        replacement = apply_edits(piece, local)
        original = source[src_lo:src_hi]
        if original == replacement:
            continue
        members = firsts + seconds
        kind = join_kinds(*(e.kind for e in members))
        reason = members[0].reason
        for other in members[1:]:
            reason = _join_fields(reason, other.reason, "; ")
        confidence = min(e.confidence for e in members)
        result.append(Edit(src_lo, src_hi, original, replacement, kind, confidence, reason))
    return result
