"""What a person or a program reads: the edit log (JSONL), the whole result (JSON), the word diff.

Pure functions returning `str`; the command line only prints them, so every view can be tested
without a terminal. Offsets everywhere are half-open code-point offsets into the input page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .types import Correction, Edit, Flag, apply_edits

__all__ = [
    "EditLog",
    "correction_json",
    "edit_log",
    "edit_records",
    "output_fingerprint",
    "page_record",
    "parse_edit_log",
    "word_diff",
]

NEWLINE_MARK = "↵"
"""How a line break inside a change is shown, so the line structure of the page stays readable."""

_RESET = "\x1b[m"
_COLORS = {
    "removed": "\x1b[31m",
    "added": "\x1b[32m",
    "suggestion": "\x1b[33m",
    "name": "\x1b[36m",
    "flag": "\x1b[35m",
    "note": "\x1b[2m",
    "header": "\x1b[1m",
}


# ----------------------------------------------------------------------------- edit log ----


def page_record(
    *, path: str, sha256: str, length: int, version: str, **extra: Any
) -> dict[str, Any]:
    """The first record of an edit log: which input (and which kocorrect) the offsets refer to.

    `extra` fields (an edit log's `encoding`, `output_sha256`, `output_length`) follow.
    """
    record = {"type": "page", "path": path, "sha256": sha256, "length": length}
    record["kocorrect"] = version
    record.update(extra)
    return record


def output_fingerprint(text: str) -> dict[str, Any]:
    """What an edit log records of the corrected text, so a damaged output is noticed later:
    the SHA-256 of its UTF-8 bytes (as written) and its length in code points.

    >>> output_fingerprint("")["output_length"]
    0
    """
    return {
        "output_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "output_length": len(text),
    }


def _edit_record(record_type: str, edit: Edit) -> dict[str, Any]:
    return {
        "type": record_type,
        "start": edit.start,
        "end": edit.end,
        "original": edit.original,
        "replacement": edit.replacement,
        "kind": edit.kind,
        "confidence": edit.confidence,
        "reason": edit.reason,
    }


def _flag_record(flag: Flag, source: str) -> dict[str, Any]:
    return {
        "type": "flag",
        "start": flag.start,
        "end": flag.end,
        "original": source[flag.start : flag.end],
        "replacement": None,
        "kind": flag.kind,
        "confidence": None,
        "reason": flag.message,
        "suggestions": list(flag.suggestions),
    }


_TYPE_ORDER = {"edit": 0, "suggestion": 1, "flag": 2}


def edit_records(correction: Correction) -> list[dict[str, Any]]:
    """One record per edit, suggestion and flag, in page order (ties: edit, suggestion, flag)."""
    records = [_edit_record("edit", e) for e in correction.edits]
    records += [_edit_record("suggestion", s) for s in correction.suggestions]
    records += [_flag_record(f, correction.source) for f in correction.flags]
    records.sort(key=lambda r: (r["start"], r["end"], _TYPE_ORDER[r["type"]]))
    return records


def _jsonl(records: Iterable[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def edit_log(
    correction: Correction, *, path: str, sha256: str, version: str, encoding: str | None = None
) -> str:
    """The JSONL edit log: a page record, then `edit_records`.

    The page record also holds the input's `encoding` (when known) and the `output_fingerprint`
    of the corrected text.

    >>> from kocorrect import Correction, Edit
    >>> e = Edit(3, 4, "탠", "댐", "ocr-misread", 0.9, "ㅌ read for ㄷ")
    >>> c = Correction("데이터탠", "데이터댐", (e,))
    >>> log = edit_log(c, path="p.txt", sha256="ab", version="0")
    >>> head = json.loads(log.splitlines()[0])
    >>> head["type"], head["path"], head["length"], head["output_length"]
    ('page', 'p.txt', 4, 4)
    >>> json.loads(log.splitlines()[1])["replacement"]
    '댐'
    """
    extra = {} if encoding is None else {"encoding": encoding}
    extra.update(output_fingerprint(correction.text))
    head = page_record(
        path=path, sha256=sha256, length=len(correction.source), version=version, **extra
    )
    return _jsonl([head, *edit_records(correction)])


def correction_json(correction: Correction, *, path: str, sha256: str, version: str) -> str:
    """The whole result as one JSON document (for `kocorrect fix --json`)."""
    records = edit_records(correction)
    document = {
        "page": page_record(
            path=path, sha256=sha256, length=len(correction.source), version=version
        ),
        "text": correction.text,
        "changed": correction.changed,
        "edits": [r for r in records if r["type"] == "edit"],
        "suggestions": [r for r in records if r["type"] == "suggestion"],
        "flags": [r for r in records if r["type"] == "flag"],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True, slots=True)
class EditLog:
    """An edit log read back: its page record and the records as library objects."""

    page: Mapping[str, Any]
    edits: tuple[Edit, ...]
    suggestions: tuple[Edit, ...]
    flags: tuple[Flag, ...]

    def correction(self, source: str) -> Correction:
        """The `Correction` this log describes for `source` (which must be the logged input)."""
        return Correction(
            source=source,
            text=apply_edits(source, self.edits),
            edits=self.edits,
            suggestions=self.suggestions,
            flags=self.flags,
        )


def _record_to_edit(record: Mapping[str, Any]) -> Edit:
    return Edit(
        int(record["start"]),
        int(record["end"]),
        str(record["original"]),
        str(record["replacement"]),
        str(record["kind"]),
        float(record["confidence"]),
        str(record["reason"]),
    )


def _record_to_flag(record: Mapping[str, Any]) -> Flag:
    return Flag(
        int(record["start"]),
        int(record["end"]),
        str(record["kind"]),
        str(record["reason"]),
        tuple(record.get("suggestions") or ()),
    )


def read_log_records(
    text: str, *, source: str, what: str, hint: str, handle: Callable[[int, Any], None]
) -> None:
    """Feed every JSONL record of a kocorrect log to `handle(line_number, record)`; a line that
    is not JSON, or that `handle` rejects (ValueError, KeyError, TypeError), becomes an
    `InputError` naming `source`, the line and `what` the log should have been, with `hint`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            handle(number, json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{source}:{number}: not a kocorrect {what} ({exc}); {hint}") from None


def parse_edit_log(text: str, *, source: str = "<edit log>") -> EditLog:
    """Read an edit log written by `edit_log`; `InputError` (naming `source`) if it is not one."""
    page: dict[str, Any] | None = None
    edits: list[Edit] = []
    suggestions: list[Edit] = []
    flags: list[Flag] = []
    hint = "give a log written by `kocorrect fix --edits`"

    def handle(number: int, record: Any) -> None:
        nonlocal page
        kind = record["type"]
        if number == 1 and kind != "page":
            raise ValueError("the first record must be the page record")
        if kind == "page":
            page = record
        elif kind == "edit":
            edits.append(_record_to_edit(record))
        elif kind == "suggestion":
            suggestions.append(_record_to_edit(record))
        elif kind == "flag":
            flags.append(_record_to_flag(record))
        else:
            raise ValueError(f"unknown record type {kind!r}")

    read_log_records(text, source=source, what="edit log", hint=hint, handle=handle)
    if page is None:
        raise InputError(f"{source}: empty edit log; {hint}")
    edits.sort(key=lambda e: (e.start, e.end))
    return EditLog(page, tuple(edits), tuple(suggestions), tuple(flags))


# ---------------------------------------------------------------------------- word diff ----


@dataclass(frozen=True, slots=True)
class _Note:
    """One numbered item of the diff view: an applied edit, a suggestion or a flag."""

    number: int
    category: str  # "edit" | "suggestion" | "flag"
    start: int
    end: int
    original: str
    replacement: str | None
    kind: str
    confidence: float | None
    reason: str
    extra: tuple[str, ...] = ()


def _notes(correction: Correction) -> list[_Note]:
    raw: list[tuple[int, int, int, Edit | Flag]] = []
    raw += [(e.start, e.end, 0, e) for e in correction.edits]
    raw += [(s.start, s.end, 1, s) for s in correction.suggestions]
    raw += [(f.start, f.end, 2, f) for f in correction.flags]
    raw.sort(key=lambda item: item[:3])
    notes = []
    for number, (start, end, order, item) in enumerate(raw, start=1):
        if isinstance(item, Flag):
            notes.append(
                _Note(
                    number, "flag", start, end, correction.source[start:end], None,
                    item.kind, None, item.message, item.suggestions,
                )
            )  # fmt: skip
        else:
            category = "edit" if order == 0 else "suggestion"
            notes.append(
                _Note(
                    number, category, start, end, item.original, item.replacement,
                    item.kind, item.confidence, item.reason,
                )
            )  # fmt: skip
    return notes


def _is_name(kind: str) -> bool:
    return "name" in kind.lower()


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_COLORS[style]}{text}{_RESET}" if color and text else text


def _visible(text: str) -> str:
    return text.replace("\r\n", NEWLINE_MARK).replace("\n", NEWLINE_MARK)


def _shown(text: str) -> str:
    """Footnote form of a change side: line breaks as ↵ and, when only blanks, spaces as ␣."""
    visible = _visible(text)
    return visible.replace(" ", "␣") if not visible.strip() else visible


def _inline(note: _Note, color: bool) -> str:
    """The inline markup of one note, git `--word-diff=plain` style for applied edits."""
    old, new = _visible(note.original), _visible(note.replacement or "")
    if note.category == "edit":
        body = ""
        if old:
            body += _paint(f"[-{old}-]", "removed", color)
        if new:
            body += _paint(f"{{+{new}+}}", "added", color)
    elif note.category == "suggestion":
        body = _paint(f"{{?{old}→{new}?}}", "suggestion", color)
    elif _is_name(note.kind):
        body = _paint(f"{{@{old}@}}", "name", color)
    else:
        body = _paint(f"{{!{old}!}}", "flag", color)
    return body + _marker(note.number, color)


def _marker(number: int, color: bool) -> str:
    return _paint(f"‹{number}›", "note", color)


def _footnote(note: _Note) -> str:
    if note.category == "flag":
        label = "name" if _is_name(note.kind) else "flag"
        line = f"‹{note.number}› {label} {note.kind}: {_shown(note.original)} — {note.reason}"
        if note.extra:
            line += f" (maybe: {', '.join(note.extra)})"
        return line
    confidence = f"{note.confidence:.2f}" if note.confidence is not None else "-"
    change = f"{_shown(note.original)}→{_shown(note.replacement or '')}"
    return f"‹{note.number}› {note.category} {note.kind} {confidence}: {change} — {note.reason}"


@dataclass(slots=True)
class _Line:
    source_line: int  # 1-based number of the input line this view line starts on
    text: str
    numbers: list[int]


def _view_lines(source: str, notes: Sequence[_Note], color: bool) -> list[_Line]:
    """The page with every note marked inline, split into lines as the input's lines."""
    lines = [_Line(1, "", [])]
    source_line = 1

    def add_plain(chunk: str) -> None:
        nonlocal source_line
        parts = chunk.split("\n")
        lines[-1].text += parts[0]
        for part in parts[1:]:
            source_line += 1
            lines.append(_Line(source_line, part, []))

    cursor = 0
    for note in notes:
        if note.start < cursor:  # overlaps a change already shown: mark it, explain below
            lines[-1].text += _marker(note.number, color)
        else:
            add_plain(source[cursor : note.start])
            lines[-1].text += _inline(note, color)
            source_line += note.original.count("\n")
            cursor = note.end
        lines[-1].numbers.append(note.number)
    add_plain(source[cursor:])
    if len(lines) > 1 and lines[-1].text == "" and not lines[-1].numbers:
        lines.pop()  # the page's final newline
    return lines


def _hunks(lines: Sequence[_Line], context: int | None) -> list[list[_Line]]:
    if context is None or context < 0:
        return [list(lines)]
    changed = [i for i, line in enumerate(lines) if line.numbers]
    hunks: list[list[int]] = []
    for i in changed:
        lo, hi = max(0, i - context), min(len(lines) - 1, i + context)
        if hunks and lo <= hunks[-1][1] + 1:
            hunks[-1][1] = max(hunks[-1][1], hi)
        else:
            hunks.append([lo, hi])
    return [list(lines[lo : hi + 1]) for lo, hi in hunks]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def word_diff(
    correction: Correction, *, path: str = "<input>", context: int | None = 3, color: bool = False
) -> str:
    """The proofreader's view of a page: changes inline as a git-style word diff, numbered.

    Applied edits read `[-old-]{+new+}`; suggestions (not applied) `{?old→new?}`; person names
    to check `{@name@}`; other flags `{!text!}`. Each carries a number `‹n›` explained in the
    notes under its hunk (kind, confidence, reason). A line break inside a change shows as ↵.
    `context` is the number of unchanged lines kept around changes; None shows the whole page.

    >>> from kocorrect import Correction, Edit
    >>> e = Edit(3, 4, "탠", "댐", "ocr-misread", 0.9, "ㅌ read for ㄷ")
    >>> print(word_diff(Correction("데이터탠 구축", "데이터댐 구축", (e,)), path="p.txt"))
    --- p.txt
    +++ p.txt (corrected)
    # 1 edit, 0 suggestions, 0 flags
    @@ line 1 @@
    데이터[-탠-]{+댐+}‹1› 구축
      ‹1› edit ocr-misread 0.90: 탠→댐 — ㅌ read for ㄷ
    """
    notes = _notes(correction)
    by_number = {note.number: note for note in notes}
    counts = ", ".join(
        [
            _count(len(correction.edits), "edit"),
            _count(len(correction.suggestions), "suggestion"),
            _count(len(correction.flags), "flag"),
        ]
    )
    out = [
        _paint(f"--- {path}", "header", color),
        _paint(f"+++ {path} (corrected)", "header", color),
        f"# {counts}",
    ]
    if not notes:
        return "\n".join(out)
    lines = _view_lines(correction.source, notes, color)
    for hunk in _hunks(lines, context):
        first, last = hunk[0].source_line, hunk[-1].source_line
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        out.append(_paint(f"@@ {where} @@", "note", color))
        out.extend(line.text for line in hunk)
        out.extend("  " + _footnote(by_number[n]) for line in hunk for n in line.numbers)
    return "\n".join(out)
