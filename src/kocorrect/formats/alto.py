"""ALTO v2, v3 and v4: `TextBlock` / `TextLine` / `String` (`CONTENT`, `WC`, boxes), `SP`, `HYP`.

Read by streaming (lxml `iterparse`, each line freed once read), written by patching the
original bytes (`xmlpatch`): a corrected word gets its new `CONTENT`; a word rejoined across a
line break keeps both `String`s and their boxes, marked `SUBS_TYPE="HypPart1"`/`"HypPart2"`
with the whole word in `SUBS_CONTENT` (ALTO's own markup for a hyphenated word, see the
`SUBS_TYPE` documentation in the ALTO schemas); merged words become one `String` with the union
box, a split word `String`s dividing its box in proportion to their characters, with an `SP`
between; the processing is recorded in the `Description` (v2/v3: a `postProcessingStep` of the
`OCRProcessing`; v4: a `Processing` element).
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from ..errors import InputError
from ..types import Correction
from .document import Document, ElementStyle, element_patches, file_sha256, number, wanted_ordinals
from .model import JOIN_GAP, Box, Out, TextBuilder
from .xmlpatch import (
    Located,
    Patch,
    attr_values,
    local,
    locate,
    open_bytes,
    set_attrs,
    write_patched,
)

__all__ = ["NAMESPACES", "read", "write"]

NAMESPACES = {
    "http://www.loc.gov/standards/alto/ns-v2#": "2",
    "http://www.loc.gov/standards/alto/ns-v3#": "3",
    "http://www.loc.gov/standards/alto/ns-v4#": "4",
}
_SCHEMA_FILE = re.compile(r"alto-?(\d)-(\d)\.xsd")


def syntax_error(path: str, exc: etree.XMLSyntaxError) -> InputError:
    line = exc.lineno if exc.lineno else "?"
    return InputError(
        f"{path}:{line}: not well-formed XML ({exc.msg}); fix the file or export it again"
    )


def _float(el: etree._Element, name: str, path: str) -> float | None:
    value = el.get(name)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise InputError(
            f"{path}:{el.sourceline}: {name}={value!r} on <{etree.QName(el).localname}> is not "
            "a number; fix the attribute"
        ) from None


def _box(el: etree._Element, path: str) -> Box | None:
    h, v, w, ht = (_float(el, n, path) for n in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    if h is None or v is None or w is None or ht is None:
        return None
    return (h, v, h + w, v + ht)


def _version(root: etree._Element, major: str) -> str:
    declared = root.get("SCHEMAVERSION")
    if declared:
        return declared
    location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") or ""
    m = _SCHEMA_FILE.search(location)
    if m and m.group(1) == major:
        return f"{m.group(1)}.{m.group(2)}"
    return f"{major}.0"


def read(path: str, *, join_gap: float = JOIN_GAP) -> Document:
    builder = TextBuilder(join_gap=join_gap)
    ns = ""
    version = None
    ordinal = -1
    pending_hyphen: int = 0
    try:
        context = etree.iterparse(
            path, events=("start", "end"), resolve_entities=False, no_network=True,
            huge_tree=True, remove_comments=True,
        )  # fmt: skip
        for event, el in context:
            if version is None:
                qname = etree.QName(el)
                if qname.localname != "alto" or qname.namespace not in NAMESPACES:
                    raise InputError(
                        f"{path}:{el.sourceline}: not ALTO v2, v3 or v4 (root element "
                        f"<{qname.localname}> in namespace {qname.namespace!r}); give "
                        "--format or a file in a supported format"
                    )
                ns = "{" + qname.namespace + "}"
                version = _version(el, NAMESPACES[qname.namespace])
            tag = el.tag
            if event == "start":
                if tag == ns + "TextBlock":
                    builder.new_block()
                elif tag == ns + "TextLine":
                    height = _float(el, "HEIGHT", path)
                    builder.new_line(el.get("ID"), height)
                elif tag == ns + "Page":
                    builder.new_block()
                continue
            if tag == ns + "String":
                ordinal += 1
                content = el.get("CONTENT")
                if content is None:
                    raise InputError(
                        f"{path}:{el.sourceline}: <String> without CONTENT; every String must "
                        "carry its text in CONTENT"
                    )
                if not content.strip():
                    continue
                wc = _float(el, "WC", path)
                subs = el.get("SUBS_TYPE")
                hyphen = 1 if subs == "HypPart1" else 2 if subs == "HypPart2" else 0
                if hyphen == 2 and pending_hyphen == 1:
                    builder.glue_next()
                builder.add_word(
                    content, id=el.get("ID"), bbox=_box(el, path), confidence=wc,
                    ordinal=ordinal, hyphen=hyphen,
                )  # fmt: skip
                pending_hyphen = hyphen
            elif tag == ns + "HYP":
                content = el.get("CONTENT") or ""
                if pending_hyphen == 1:
                    pending_hyphen = 3  # printed hyphen: the text keeps it and the break
                builder.add_text(content)
            elif tag in (ns + "TextLine", ns + "TextBlock", ns + "Page"):
                el.clear(keep_tail=True)  # read: free it and its read siblings
                while el.getprevious() is not None:
                    del el.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path, exc) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc}); check the path") from None
    return Document(
        path=path, format="alto", text=builder.text, words=builder.words,
        sha256=file_sha256(path), version=version, namespace=ns.strip("{}"),
    )  # fmt: skip


# --------------------------------------------------------------------------- writing ----


def _is_word(name: bytes, attrs: bytes) -> bool:
    return local(name) == b"String"


def _box_attrs(element: Located, box: Box | None) -> dict[bytes, str]:
    if box is None:
        return {}
    raw = attr_values(element.attrs)
    as_int = all(b"." not in raw.get(k, b"") for k in (b"HPOS", b"VPOS", b"WIDTH", b"HEIGHT"))
    x0, y0, x1, y1 = box
    return {
        b"HPOS": number(x0, as_int),
        b"VPOS": number(y0, as_int),
        b"WIDTH": number(x1 - x0, as_int),
        b"HEIGHT": number(y1 - y0, as_int),
    }


def _retag(element: Located, out: Out, box: Box | None, moved: bool) -> bytes:
    values: dict[bytes, str] = {b"CONTENT": out.text}
    if moved:
        values.update(_box_attrs(element, box))
    if out.hyphen is not None:
        values[b"SUBS_TYPE"] = f"HypPart{out.hyphen[0]}"
        values[b"SUBS_CONTENT"] = out.hyphen[1]
    return set_attrs(element.tag, values)


def _insert(element: Located, out: Out, box: Box | None, n: int, before: Box | None) -> bytes:
    """A further part of a split word: an `SP` over the gap, then a copy of the `String`."""
    prefix = element.name[: -len(b"String")]
    raw = attr_values(element.attrs)
    values = {b"CONTENT": out.text, **_box_attrs(element, box)}
    if b"ID" in raw:
        values[b"ID"] = raw[b"ID"].decode("utf-8") + f"_{n}"
    tag = set_attrs(element.tag, values)
    tag = re.sub(rb"\s*>$", b"/>", tag) if not tag.endswith(b"/>") else tag
    for attr in (b"SUBS_TYPE", b"SUBS_CONTENT"):
        tag = re.sub(rb"\s" + attr + rb"\s*=\s*(\"[^\"]*\"|'[^']*')", b"", tag)
    if box is None or before is None:
        return b"<" + prefix + b"SP/>" + tag
    gap = {
        b"WIDTH": str(round(box[0]) - round(before[2])),
        b"VPOS": number(before[1], True),
        b"HPOS": number(before[2], True),
    }
    space = (
        b"<"
        + prefix
        + b"SP"
        + b"".join(b" " + k + b'="' + v.encode() + b'"' for k, v in gap.items())
    )
    return space + b"/>" + tag


STYLE = ElementStyle(retag=_retag, insert=_insert, replaces_content=False)


def _processing(
    document: Document, correction: Correction, prefix: bytes, v4: bool, n: int
) -> bytes:
    from .. import __version__

    p = prefix
    when = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    described = (
        f"OCR post-correction: {len(correction.edits)} edits applied, "
        f"{len(correction.suggestions)} suggestions and {len(correction.flags)} flags "
        "in the edit log"
    )
    body = (
        b"<" + p + b"processingDateTime>" + when.encode() + b"</" + p + b"processingDateTime>"
        + b"<" + p + b"processingStepDescription>" + described.encode()
        + b"</" + p + b"processingStepDescription>"
        + b"<" + p + b"processingSoftware><" + p + b"softwareName>kocorrect</" + p
        + b"softwareName><" + p + b"softwareVersion>" + __version__.encode() + b"</" + p
        + b"softwareVersion></" + p + b"processingSoftware>"
    )  # fmt: skip
    if v4:
        return (
            b"<"
            + p
            + b'Processing ID="kocorrect_'
            + str(n).encode()
            + b'">'
            + body
            + b"</"
            + p
            + b"Processing>"
        )
    return b"<" + p + b"postProcessingStep>" + body + b"</" + p + b"postProcessingStep>"


def write(document: Document, correction: Correction, path: str) -> None:
    changes = document.changes(correction)
    data, close = open_bytes(document.path)
    try:
        located, marks = locate(
            data, _is_word, wanted_ordinals(document, changes),
            marks=(b"Description", b"OCRProcessing"), source=document.path,
        )  # fmt: skip
        patches = element_patches(document, changes, located, STYLE)
        if correction.edits:
            patches.append(_metadata_patch(document, correction, data, marks))
        write_patched(data, patches, path)
    finally:
        close()


def _metadata_patch(document: Document, correction: Correction, data, marks) -> Patch:  # type: ignore[no-untyped-def]
    v4 = (document.version or "").startswith("4")
    n = len(re.findall(rb"kocorrect_\d+", data)) + 1 if v4 else 0
    if "Description" not in {k.decode() for k in marks}:
        raise InputError(
            f"{document.path}: no <Description> element (ALTO requires one); nothing was written"
        )
    at = marks[b"Description"] if (v4 or b"OCRProcessing" not in marks) else marks[b"OCRProcessing"]
    prefix = _prefix_before(data, at)
    block = _processing(document, correction, prefix, v4, n)
    if not v4 and b"OCRProcessing" not in marks:
        p = prefix
        inner = block[len(b"<" + p + b"postProcessingStep>") : -len(b"</" + p + b"post") - 15]
        block = (
            b"<" + p + b'OCRProcessing ID="kocorrect_1"><' + p + b"ocrProcessingStep>"
            + inner + b"</" + p + b"ocrProcessingStep></" + p + b"OCRProcessing>"
        )  # fmt: skip
    return Patch(at, at, block)


def _prefix_before(data, at: int) -> bytes:  # type: ignore[no-untyped-def]
    tag = bytes(data[at : at + 200])
    m = re.match(rb"</([^\s>]*:)?", tag)
    return (m.group(1) or b"") if m else b""
