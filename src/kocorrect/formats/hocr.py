"""hOCR (tesseract's XHTML): `ocr_page` / `ocr_carea` / `ocr_par` / `ocr_line` / `ocrx_word`,
`bbox` and `x_wconf` in `title`.

Read by streaming (lxml `iterparse`), written by patching the original bytes (`xmlpatch`). A
word rejoined across a line break keeps both `ocrx_word`s and their boxes; the first part
ends in a soft hyphen (U+00AD), which the hOCR 1.2 specification names as the character that
marks end-of-line processing inside an `ocr_line` ("Examples of such special characters are a
soft hyphen ... ", section `hardbreak`); reading such a file joins the parts again. Merged
words become one `ocrx_word` with the union box, a split word several dividing its box. The
processing is recorded in a `<meta name="kocorrect">` in the head.
"""

from __future__ import annotations

import html
import re

from lxml import etree

from ..errors import InputError
from ..types import Correction
from .alto import syntax_error
from .document import Document, ElementStyle, element_patches, file_sha256, wanted_ordinals
from .model import JOIN_GAP, Box, Out, TextBuilder
from .xmlpatch import (
    Located,
    Patch,
    attr_values,
    escape_text,
    locate,
    open_bytes,
    set_attrs,
    write_patched,
)

__all__ = ["LINE_CLASSES", "read", "write"]

SOFT_HYPHEN = "\u00ad"
LINE_CLASSES = frozenset(
    {"ocr_line", "ocrx_line", "ocr_header", "ocr_footer", "ocr_caption", "ocr_textfloat"}
)
BLOCK_CLASSES = frozenset({"ocr_page", "ocr_carea", "ocrx_block", "ocr_par"})
_BBOX = re.compile(r"\bbbox\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)")
_WCONF = re.compile(r"\bx_wconf\s+(-?[\d.]+)")


def _bbox(title: str) -> Box | None:
    m = _BBOX.search(title)
    return tuple(float(g) for g in m.groups()) if m else None  # type: ignore[return-value]


def read(path: str, *, join_gap: float = JOIN_GAP) -> Document:
    builder = TextBuilder(join_gap=join_gap)
    ordinal = -1
    seen_root = False
    last_hyphen = False
    try:
        context = etree.iterparse(
            path, events=("start", "end"), resolve_entities=False, no_network=True,
            huge_tree=True, remove_comments=True, load_dtd=False,
        )  # fmt: skip
        for event, el in context:
            if not seen_root:
                seen_root = True
                if etree.QName(el).localname != "html":
                    raise InputError(
                        f"{path}:{el.sourceline}: not hOCR (root element "
                        f"<{etree.QName(el).localname}>, not <html>); give --format or a file "
                        "in a supported format"
                    )
            classes = (el.get("class") or "").split()
            if not classes:
                continue
            if event == "start":
                if BLOCK_CLASSES.intersection(classes):
                    builder.new_block()
                elif LINE_CLASSES.intersection(classes):
                    box = _bbox(el.get("title") or "")
                    builder.new_line(el.get("id"), box[3] - box[1] if box else None)
                    if last_hyphen:
                        builder.glue_next()
                elif "ocrx_word" in classes:
                    ordinal += 1
                continue
            if "ocrx_word" in classes:
                title = el.get("title") or ""
                text = "".join(el.itertext()).strip()
                hyphen = text.endswith(SOFT_HYPHEN)
                text = text.rstrip(SOFT_HYPHEN)
                if not text:
                    continue
                conf = _WCONF.search(title)
                builder.add_word(
                    text, id=el.get("id"), bbox=_bbox(title),
                    confidence=float(conf.group(1)) / 100 if conf else None,
                    ordinal=ordinal, hyphen=1 if hyphen else (2 if last_hyphen else 0),
                )  # fmt: skip
                last_hyphen = hyphen
            elif LINE_CLASSES.intersection(classes):
                el.clear(keep_tail=True)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path, exc) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc}); check the path") from None
    if not seen_root:
        raise InputError(f"{path}: empty file; give an hOCR page")
    return Document(
        path=path, format="hocr", text=builder.text, words=builder.words,
        sha256=file_sha256(path), version=None, namespace=None,
    )  # fmt: skip


# --------------------------------------------------------------------------- writing ----


def _is_word(name: bytes, attrs: bytes) -> bool:
    if b"ocrx_word" not in attrs:
        return False
    return b"ocrx_word" in attr_values(attrs).get(b"class", b"").split()


def _title(element: Located, box: Box | None) -> dict[bytes, str]:
    raw = attr_values(element.attrs).get(b"title")
    if raw is None or box is None:
        return {}
    title = html.unescape(raw.decode("utf-8"))
    bbox = " ".join(str(round(v)) for v in box)
    return {b"title": _BBOX.sub(f"bbox {bbox}", title, count=1)}


def _content(out: Out) -> bytes:
    hyphen = SOFT_HYPHEN if out.hyphen is not None and out.hyphen[0] == 1 else ""
    return escape_text(out.text + hyphen)


def _retag(element: Located, out: Out, box: Box | None, moved: bool) -> bytes:
    tag = set_attrs(element.tag, _title(element, box) if moved else {})
    if element.end == element.tag_end:  # <span .../>: give it content
        tag = re.sub(rb"\s*/>$", b">", tag)
        return tag + _content(out) + b"</" + element.name + b">"
    return tag + _content(out)


def _insert(element: Located, out: Out, box: Box | None, n: int, before: Box | None) -> bytes:
    values = _title(element, box)
    raw_id = attr_values(element.attrs).get(b"id")
    if raw_id is not None:
        values[b"id"] = raw_id.decode("utf-8") + f"_{n}"
    tag = re.sub(rb"\s*/>$", b">", set_attrs(element.tag, values))
    return b" " + tag + _content(out) + b"</" + element.name + b">"


STYLE = ElementStyle(retag=_retag, insert=_insert, replaces_content=True)


def write(document: Document, correction: Correction, path: str) -> None:
    from .. import __version__

    changes = document.changes(correction)
    data, close = open_bytes(document.path)
    try:
        located, marks = locate(
            data, _is_word, wanted_ordinals(document, changes), marks=(b"head",),
            source=document.path,
        )  # fmt: skip
        patches = element_patches(document, changes, located, STYLE)
        if correction.edits and b"head" in marks:
            note = (
                f"kocorrect {__version__}: OCR post-correction, {len(correction.edits)} edits "
                f"applied, {len(correction.suggestions)} suggestions and "
                f"{len(correction.flags)} flags in the edit log"
            )
            meta = b'<meta name="kocorrect" content="' + html.escape(note).encode() + b'"/>\n '
            patches.append(Patch(marks[b"head"], marks[b"head"], meta))
        write_patched(data, patches, path)
    finally:
        close()
