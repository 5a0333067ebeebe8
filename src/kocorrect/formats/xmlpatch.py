"""Writing a changed XML file as the original bytes with a few byte ranges replaced.

A writer that re-serialises a parsed tree changes bytes nobody asked it to (quote style,
`<x></x>` into `<x/>`, character references, attribute whitespace). Instead the word elements
to change are found again in the original bytes (the n-th word element in document order, as
the reader numbered them) and only their start tags, their text or the space around them is
replaced; every other byte is copied. The file is memory-mapped, not read into a string, and
the output is written to a temporary file renamed into place (never half a file).
"""

from __future__ import annotations

import contextlib
import itertools
import mmap
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..io import TEMP_SUFFIX

__all__ = ["Located", "Patch", "escape_attr", "escape_text", "locate", "set_attrs", "write_patched"]

# One markup token: comment, CDATA, processing instruction, doctype, or a start/end tag.
_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    rb"|<(/?)([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>",
    re.S,
)
_ATTR = re.compile(rb"([^\s=/>]+)(\s*=\s*)(\"[^\"]*\"|'[^']*')")


@dataclass(frozen=True, slots=True)
class Located:
    """Byte offsets of one element: its start tag [tag_start, tag_end), its content
    [tag_end, content_end) and its end [content_end, end) (empty for `<x/>`)."""

    tag_start: int
    tag_end: int
    content_end: int
    end: int
    name: bytes  # the qualified name as written
    attrs: bytes
    tag: bytes  # the start tag's bytes


@dataclass(frozen=True, slots=True)
class Patch:
    start: int
    end: int
    data: bytes


def local(name: bytes) -> bytes:
    return name.rsplit(b":", 1)[-1]


def locate(
    data: bytes | mmap.mmap,
    is_word: Callable[[bytes, bytes], bool],
    wanted: Iterable[int],
    *,
    marks: Sequence[bytes] = (),
    source: str,
) -> tuple[dict[int, Located], dict[bytes, int]]:
    """The word elements numbered `wanted` (document order among elements `is_word(qname,
    attrs)` accepts), and the offset of the last end tag of each local name in `marks`."""
    want = set(wanted)
    found: dict[int, Located] = {}
    mark_at: dict[bytes, int] = {}
    ordinal = -1
    open_word: tuple[int, bytes, bytes, int, int] | None = None  # ordinal, name, attrs, start, end
    depth = 0
    for m in _TOKEN.finditer(data):
        name = m.group(2)
        if name is None:
            continue
        closing, self_closing = m.group(1) == b"/", m.group(4) == b"/"
        if closing and marks and local(name) in marks:
            mark_at[local(name)] = m.start()
        if open_word is not None:
            if name == open_word[1]:
                if closing:
                    depth -= 1
                    if depth == 0:
                        k, qname, attrs, start, tag_end = open_word
                        tag = bytes(data[start:tag_end])
                        found[k] = Located(start, tag_end, m.start(), m.end(), qname, attrs, tag)
                        open_word = None
                elif not self_closing:
                    depth += 1
            continue
        if closing or not is_word(name, m.group(3)):
            continue
        ordinal += 1
        if ordinal not in want:
            continue
        if self_closing:
            found[ordinal] = Located(
                m.start(), m.end(), m.end(), m.end(), name, m.group(3), m.group(0)
            )
        else:
            open_word, depth = (ordinal, name, m.group(3), m.start(), m.end()), 1
    missing = want - set(found)
    if missing:
        raise InputError(
            f"{source}: cannot find word element {min(missing) + 1} again in the file's bytes "
            "(markup the writer does not follow); nothing was written"
        )
    return found, mark_at


def escape_text(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def escape_attr(text: str, quote: bytes = b'"') -> bytes:
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = out.replace("\n", "&#10;").replace("\t", "&#9;").replace("\r", "&#13;")
    out = out.replace('"', "&quot;") if quote == b'"' else out.replace("'", "&apos;")
    return out.encode("utf-8")


def attr_values(attrs: bytes) -> dict[bytes, bytes]:
    """Raw (still escaped) attribute values by qualified name."""
    return {m.group(1): m.group(3)[1:-1] for m in _ATTR.finditer(attrs)}


def set_attrs(tag: bytes, values: dict[bytes, str]) -> bytes:
    """`tag` (a whole start tag) with the attributes `values` set: existing ones replaced in
    place with their quotes kept, new ones appended before the tag's end."""
    todo = dict(values)

    def replace(m: re.Match[bytes]) -> bytes:
        name = m.group(1)
        if name not in todo:
            return m.group(0)
        quote = m.group(3)[:1]
        return name + m.group(2) + quote + escape_attr(todo.pop(name), quote) + quote

    head_end = re.match(rb"<[^\s/>]+", tag)
    assert head_end is not None
    body = _ATTR.sub(replace, tag[head_end.end() :])
    new = tag[: head_end.end()] + body
    if todo:
        closing = re.search(rb"\s*/?>$", new)
        assert closing is not None
        extra = b"".join(b" " + k + b'="' + escape_attr(v) + b'"' for k, v in todo.items())
        new = new[: closing.start()] + extra + new[closing.start() :]
    return new


def open_bytes(path: str) -> tuple[mmap.mmap | bytes, Callable[[], None]]:
    """The file's bytes, memory-mapped (not read into memory); and how to close them."""
    f = open(path, "rb")  # noqa: SIM115 (closed by the returned function)
    try:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except ValueError:  # an empty file cannot be mapped
        f.close()
        return b"", lambda: None

    def close() -> None:
        mapped.close()
        f.close()

    return mapped, close


def write_patched(
    data: bytes | mmap.mmap, patches: Sequence[Patch], path: str | os.PathLike[str]
) -> None:
    """Write `data` with `patches` applied to `path`, atomically (temporary file, rename).

    The folder must exist (`FileNotFoundError` otherwise): kocorrect never creates folders
    for an output file."""
    ordered = sorted(patches, key=lambda p: (p.start, p.end))
    for a, b in itertools.pairwise(ordered):
        if b.start < a.end:
            raise ValueError(
                f"overlapping patches at bytes {a.start}-{a.end} and {b.start}-{b.end}"
            )
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            cursor = 0
            for p in ordered:
                _copy(data, cursor, p.start, out)
                out.write(p.data)
                cursor = p.end
            _copy(data, cursor, len(data), out)
            out.flush()
            os.fsync(out.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _copy(data: bytes | mmap.mmap, start: int, end: int, out: object, chunk: int = 1 << 22) -> None:
    while start < end:
        stop = min(end, start + chunk)
        out.write(data[start:stop])  # type: ignore[attr-defined]
        start = stop
