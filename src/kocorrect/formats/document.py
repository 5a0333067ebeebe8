"""`Document`: a page read from an OCR format, its text, its words, and writing it back."""

from __future__ import annotations

import hashlib
import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..types import Correction
from .model import Box, Change, Out, Word, divide_box, plan_changes, union_box
from .xmlpatch import Located, Patch

__all__ = ["Document", "element_patches", "file_sha256"]


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(slots=True)
class Document:
    """A page (or a book of pages) read from hOCR, ALTO or PAGE XML.

    `text` is what the corrector reads; `words[i]` spans `text[w.start:w.end]`. `write`
    writes the same format with a correction of `text` applied to the words.
    """

    path: str
    format: str  # "hocr", "alto" or "page"
    text: str
    words: list[Word]
    sha256: str
    version: str | None = None  # ALTO "2.0" ... "4.4", PAGE "2019-07-15"
    namespace: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    _starts: list[int] | None = field(default=None, repr=False)
    _ends: list[int] = field(default_factory=list, repr=False)

    def write(self, correction: Correction, path: str | os.PathLike[str]) -> None:
        """Write this page with `correction` (made on `.text`) applied, to `path` (atomically:
        nothing is left at `path` if writing fails; its folder must exist). Without edits the
        bytes are the input's."""
        if correction.source != self.text:
            raise InputError(
                f"{self.path}: this correction was made on another text than the page's; "
                "correct `document.text`"
            )
        if os.path.exists(path) and os.path.samefile(self.path, path):
            raise InputError(f"{path}: is the input file; kocorrect never writes over its input")
        from . import FORMATS

        FORMATS[self.format].write(self, correction, os.fspath(path))

    def changes(self, correction: Correction) -> list[Change]:
        return plan_changes(self.words, self.text, correction)

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words whose text overlaps [start, end) (for an empty span: the words it touches)."""
        if self._starts is None:
            self._starts = [w.start for w in self.words]
            self._ends = [w.end for w in self.words]
        lo = bisect_left(self._ends, start)  # words ending at or after `start`
        hi = bisect_right(self._starts, end)  # words starting at or before `end`
        if end > start:
            return [w for w in self.words[lo:hi] if w.start < end and w.end > start]
        return self.words[lo:hi]

    def annotate(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Edit-log records with the elements they concern: `elements` (IDs, in order),
        `lines` (line IDs) and `word_confidence` (the lowest OCR confidence among them). An
        edit of whitespace only concerns the words on either side of it."""
        out = []
        for record in records:
            words = self.words_in(record["start"], record["end"])
            if not words:  # whitespace only (a line break closed): the words either side
                words = self.words_in(record["start"], record["start"])
                words += self.words_in(record["end"], record["end"])
                words = list({id(w): w for w in words}.values())
            confidences = [w.confidence for w in words if w.confidence is not None]
            out.append(
                {
                    **record,
                    "elements": [w.id for w in words],
                    "lines": list(dict.fromkeys(w.line_id for w in words)),
                    "word_confidence": min(confidences) if confidences else None,
                }
            )
        return out


# ----------------------------------------------------------- patches for ALTO and hOCR ----


@dataclass(frozen=True, slots=True)
class ElementStyle:
    """How one patch-written format spells a word element."""

    retag: Callable[[Located, Out, Box | None, bool], bytes]  # new start tag (+ content)
    # an extra element after it: (element, out, its box, n, the box of the part before it)
    insert: Callable[[Located, Out, Box | None, int, Box | None], bytes]
    replaces_content: bool  # retag also replaces the content (hOCR) or only the start tag


def wanted_ordinals(document: Document, changes: list[Change]) -> set[int]:
    wanted: set[int] = set()
    n = len(document.words)
    for change in changes:
        for i in change.sources:
            for j in (i - 1, i, i + 1):
                if 0 <= j < n:
                    wanted.add(document.words[j].ordinal)
    return wanted


def element_patches(
    document: Document, changes: list[Change], located: dict[int, Located], style: ElementStyle
) -> list[Patch]:
    words = document.words
    patches: list[Patch] = []

    def loc(i: int) -> Located:
        return located[words[i].ordinal]

    for change in changes:
        firsts: dict[int, list[Out]] = {}
        for out in change.outs:
            firsts.setdefault(out.sources[0], []).append(out)
        deleted = [i for i in change.sources if i not in firsts]
        for i, outs in firsts.items():
            head = outs[0]
            element = loc(i)
            box = _out_box(words, head)
            moved = len(head.sources) > 1 or head.share is not None
            end = element.content_end if style.replaces_content else element.tag_end
            patches.append(Patch(element.tag_start, end, style.retag(element, head, box, moved)))
            if len(outs) > 1:
                last = loc(max(j for out in outs for j in out.sources))
                boxes = [_out_box(words, out) for out in outs]
                extra = b"".join(
                    style.insert(element, out, boxes[n], n, boxes[n - 1])
                    for n, out in enumerate(outs[1:], start=1)
                )
                patches.append(Patch(last.end, last.end, extra))
        for i in deleted:
            element = loc(i)
            line = words[i].line

            def same_line(j: int, line: int = line) -> bool:
                return 0 <= j < len(words) and words[j].line == line

            if same_line(i - 1):
                patches.append(Patch(loc(i - 1).end, element.end, b""))
            elif same_line(i + 1):
                patches.append(Patch(element.tag_start, loc(i + 1).tag_start, b""))
            else:
                patches.append(Patch(element.tag_start, element.end, b""))
    return _merge_deletions(patches)


def _merge_deletions(patches: list[Patch]) -> list[Patch]:
    """Adjacent or overlapping deletions become one (two deleted neighbours share a gap)."""
    patches.sort(key=lambda p: (p.start, p.end))
    merged: list[Patch] = []
    for p in patches:
        if merged and not p.data and not merged[-1].data and p.start < merged[-1].end:
            last = merged.pop()
            merged.append(Patch(last.start, max(last.end, p.end), b""))
        else:
            merged.append(p)
    return merged


def _out_box(words: list[Word], out: Out) -> Box | None:
    box = union_box(words[i].bbox for i in out.sources)
    if out.share is not None:
        box = divide_box(box, *out.share)
    return box


def number(value: float, as_int: bool) -> str:
    if as_int:
        return str(round(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"
