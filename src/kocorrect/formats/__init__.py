"""OCR formats in and out: hOCR, ALTO (v2, v3, v4) and PAGE XML (2013-2019).

>>> from kocorrect import Corrector
>>> from kocorrect.formats import read
>>> doc = read("page.hocr")                                          # doctest: +SKIP
>>> result = Corrector().correct(doc.text)                           # doctest: +SKIP
>>> doc.write(result, "page.fixed.hocr")                             # doctest: +SKIP

`read` gives a `Document`: `.text` in reading order (line breaks between lines, blank lines
between blocks), `.words` (element ID, span in `.text`, box, confidence, line ID). `write`
writes the same format with the correction applied to the words and every other byte kept.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

from ..errors import InputError
from ..types import Correction
from . import alto, hocr, page
from .document import Document
from .model import JOIN_GAP, Word

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Document",
    "Word",
    "detect",
    "edit_log",
    "is_format_file",
    "output_fingerprint",
    "read",
]

FORMATS: dict[str, ModuleType] = {"hocr": hocr, "alto": alto, "page": page}
EXTENSIONS = (".hocr", ".xml", ".html", ".xhtml")
"""File names `detect` looks inside: .hocr is hOCR; .xml is ALTO or PAGE (by namespace);
.html/.xhtml are hOCR when they carry `ocr_page`."""

_SNIFF = 64 * 1024


def detect(path: str | os.PathLike[str]) -> str | None:
    """ "hocr", "alto", "page", or None for a file that is none of them (plain text)."""
    name = os.fspath(path)
    lower = name.lower()
    if not lower.endswith(EXTENSIONS):
        return None
    try:
        with open(name, "rb") as f:
            head = f.read(_SNIFF)
    except OSError:
        return None
    if b"http://www.loc.gov/standards/alto/" in head:
        return "alto"
    if b"http://schema.primaresearch.org/PAGE/gts/pagecontent/" in head:
        return "page"
    if lower.endswith(".hocr") or b"ocr_page" in head:
        return "hocr"
    if lower.endswith(".xml"):
        raise InputError(
            f"{name}: an .xml file that is neither ALTO nor PAGE XML (no known namespace in "
            "its first 64 KiB); give --format alto|page|hocr, or a plain-text page"
        )
    return None


def is_format_file(path: str | os.PathLike[str]) -> bool:
    try:
        return detect(path) is not None
    except InputError:
        return True  # an .xml we cannot place: reading it reports why


def read(
    path: str | os.PathLike[str], format: str | None = None, *, join_gap: float = JOIN_GAP
) -> Document:
    """Read an hOCR, ALTO or PAGE file (`format` forces one; default: `detect`)."""
    name = os.fspath(path)
    if not os.path.exists(name):
        raise InputError(f"{name}: no such file; check the path")
    if os.path.isdir(name):
        raise InputError(f"{name}: is a directory, not a page file")
    chosen = format or detect(name)
    if chosen is None:
        raise InputError(
            f"{name}: not an hOCR, ALTO or PAGE file (by its name and namespace); "
            "give --format, or read it as plain text"
        )
    if chosen not in FORMATS:
        raise InputError(f"unknown format {chosen!r}; use one of {', '.join(FORMATS)}")
    return FORMATS[chosen].read(name, join_gap=join_gap)


def output_fingerprint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """What the edit log of a written format page records of the file, so that a damaged
    output is noticed later (`batch --resume`): the SHA-256 of its bytes and their count."""
    from .document import file_sha256

    name = os.fspath(path)
    return {"output_sha256": file_sha256(name), "output_bytes": os.path.getsize(name)}


def edit_log(
    document: Document, correction: Correction, *, path: str, version: str,
    output: dict[str, Any] | None = None,
) -> str:  # fmt: skip
    """The JSONL edit log of a format page: the plain edit log's records, each with the
    `elements` (word IDs), `lines` and lowest `word_confidence` it concerns; the page record
    also names the format, and holds `output` (an `output_fingerprint`) when given."""
    import json

    from ..render import edit_records, page_record

    head: dict[str, Any] = page_record(
        path=path, sha256=document.sha256, length=len(correction.source), version=version
    )
    head["format"] = document.format
    if document.version:
        head["format_version"] = document.version
    if output:
        head.update(output)
    records = [head, *document.annotate(edit_records(correction))]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
