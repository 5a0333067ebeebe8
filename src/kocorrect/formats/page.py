"""PAGE XML (2013 to 2019-07-15): `TextRegion` / `TextLine` / `Word` / `TextEquiv` / `@conf`.

A PAGE file holds one page, so it is parsed whole (lxml) and, when there is something to
change, written from the changed tree (without edits the output is the input's bytes). Regions
follow the `ReadingOrder` where there is one; a line's own `TextEquiv` decides where its words
are spaced (else the gap between their boxes, as for ALTO). A line without `Word`s is one word.

A word rejoined across a line break keeps both `Word`s and their `Coords`; PAGE has no element
for hyphenation, so each part records it in its `@custom` attribute the way Transkribus and
page2tei record their annotations there (`name {key:value;}`, see the PAGE `custom`
convention documented in dariok/page2tei#15): `hyphen {part:1; whole:육성해;}`. Lines and
regions whose words changed get their `TextEquiv` rebuilt; the processing is recorded in a
`MetadataItem` (`type="processingStep"`, PAGE 2018 and later) and in `LastChange`.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

from lxml import etree

from ..errors import InputError
from ..types import Correction
from .alto import syntax_error
from .document import Document, file_sha256, number
from .model import JOIN_GAP, Box, TextBuilder
from .xmlpatch import open_bytes, write_patched

__all__ = ["NAMESPACE_PREFIX", "read", "write"]

NAMESPACE_PREFIX = "http://schema.primaresearch.org/PAGE/gts/pagecontent/"
_POINT = re.compile(r"(-?[\d.]+),(-?[\d.]+)")


def _parse(path: str) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.parse(path, parser)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path, exc) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc}); check the path") from None


def _namespace(tree: etree._ElementTree, path: str) -> str:
    root = tree.getroot()
    qname = etree.QName(root)
    if qname.localname != "PcGts" or not (qname.namespace or "").startswith(NAMESPACE_PREFIX):
        raise InputError(
            f"{path}:{root.sourceline}: not PAGE XML (root element <{qname.localname}> in "
            f"namespace {qname.namespace!r}); give --format or a file in a supported format"
        )
    return qname.namespace or ""


def _coords_box(el: etree._Element, ns: str) -> Box | None:
    coords = el.find(ns + "Coords")
    if coords is None:
        return None
    points = [(float(x), float(y)) for x, y in _POINT.findall(coords.get("points") or "")]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _text_equiv(el: etree._Element, ns: str) -> etree._Element | None:
    equivs = el.findall(ns + "TextEquiv")
    if not equivs:
        return None
    return min(equivs, key=lambda e: int(e.get("index") or 0))


def _unicode(el: etree._Element, ns: str) -> str | None:
    equiv = _text_equiv(el, ns)
    if equiv is None:
        return None
    node = equiv.find(ns + "Unicode")
    return None if node is None else (node.text or "")


def _regions(tree: etree._ElementTree, ns: str) -> list[etree._Element]:
    """Text regions in reading order (the `ReadingOrder`'s, then the rest in file order)."""
    page = tree.getroot().find(ns + "Page")
    if page is None:
        return []
    regions = [r for r in page.iter(ns + "TextRegion")]
    by_id = {r.get("id"): r for r in regions}
    ordered: list[etree._Element] = []
    order = page.find(ns + "ReadingOrder")
    if order is not None:
        refs: list[tuple[int, int, str]] = []
        for n, ref in enumerate(order.iter(ns + "RegionRefIndexed", ns + "RegionRef")):
            index = ref.get("index")
            refs.append((int(index) if index is not None else n, n, ref.get("regionRef") or ""))
        for _, _, rid in sorted(refs):
            region = by_id.get(rid)
            if region is not None and region not in ordered:
                ordered.append(region)
    ordered += [r for r in regions if r not in ordered]
    return ordered


def _elements(tree: etree._ElementTree, ns: str) -> list[tuple[etree._Element, etree._Element]]:
    """(line, word element) in reading order; a line without Words is its own word."""
    found = []
    for region in _regions(tree, ns):
        for line in region.findall(ns + "TextLine"):
            words = line.findall(ns + "Word")
            found.extend((line, w) for w in words) if words else found.append((line, line))
    return found


def read(path: str, *, join_gap: float = JOIN_GAP) -> Document:
    tree = _parse(path)
    ns_uri = _namespace(tree, path)
    ns = "{" + ns_uri + "}"
    builder = TextBuilder(join_gap=join_gap)
    current_region = None
    current_line = None
    line_spaces: list[bool] | None = None
    for ordinal, (line, el) in enumerate(_elements(tree, ns)):
        region = line.getparent()
        if region is not current_region:
            builder.new_block()
            current_region = region
        text = _unicode(el, ns)
        if text is None:
            raise InputError(
                f"{path}:{el.sourceline}: <{etree.QName(el).localname} id="
                f"{el.get('id')!r}> has no TextEquiv/Unicode; every word needs its text"
            )
        if line is not current_line:
            current_line = line
            box = _coords_box(line, ns)
            builder.new_line(line.get("id"), box[3] - box[1] if box else None)
            line_spaces = _line_spaces(line, ns) if el is not line else None
            position = 0
        text = text.strip()
        if not text:
            continue
        equiv = _text_equiv(el, ns)
        conf = equiv.get("conf") if equiv is not None else None
        hyphen = _hyphen_part(el)
        if hyphen == 2 and builder.words and builder.words[-1].hyphen == 1:
            builder.glue_next()
        spaced = None
        if line_spaces is not None and 0 < position < len(line_spaces) + 1:
            spaced = line_spaces[position - 1]
        builder.add_word(
            text, id=el.get("id"), bbox=_coords_box(el, ns),
            confidence=float(conf) if conf else None, ordinal=ordinal, hyphen=hyphen,
            spaced=spaced,
        )  # fmt: skip
        position += 1
    version = ns_uri.rstrip("/").rsplit("/", 1)[-1]
    return Document(
        path=path, format="page", text=builder.text, words=builder.words,
        sha256=file_sha256(path), version=version, namespace=ns_uri,
    )  # fmt: skip


def _line_spaces(line: etree._Element, ns: str) -> list[bool] | None:
    """Whether a space precedes each word after the first, by the line's own TextEquiv."""
    own = _unicode(line, ns)
    words = [(_unicode(w, ns) or "").strip() for w in line.findall(ns + "Word")]
    words = [w for w in words if w]
    if own is None or "".join(own.split()) != "".join(words):
        return None
    spaces, cursor = [], 0
    for n, word in enumerate(words):
        at = own.index(word, cursor)
        if n:
            spaces.append(at > cursor)
        cursor = at + len(word)
    return spaces


def _hyphen_part(el: etree._Element) -> int:
    m = re.search(r"\bhyphen\s*\{[^}]*\bpart:\s*([12])", el.get("custom") or "")
    return int(m.group(1)) if m else 0


# --------------------------------------------------------------------------- writing ----


def _set_text(el: etree._Element, ns: str, text: str) -> None:
    equiv = _text_equiv(el, ns)
    if equiv is None:
        equiv = etree.SubElement(el, ns + "TextEquiv")
    node = equiv.find(ns + "Unicode")
    if node is None:
        node = etree.SubElement(equiv, ns + "Unicode")
    node.text = text


def _set_box(el: etree._Element, ns: str, box: Box | None) -> None:
    coords = el.find(ns + "Coords")
    if box is None or coords is None:
        return
    x0, y0, x1, y1 = (number(v, True) for v in box)
    coords.set("points", f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}")


def _escape_custom(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if c in "\\;{}:" else c for c in text)


def _set_hyphen(el: etree._Element, part: int, whole: str) -> None:
    custom = re.sub(r"\s*\bhyphen\s*\{[^}]*\}", "", el.get("custom") or "").strip()
    note = f"hyphen {{part:{part}; whole:{_escape_custom(whole)};}}"
    el.set("custom", f"{custom} {note}".strip())


def write(document: Document, correction: Correction, path: str) -> None:
    changes = document.changes(correction)
    if not correction.edits:
        data, close = open_bytes(document.path)
        try:
            write_patched(data, [], path)
        finally:
            close()
        return
    from .model import divide_box, union_box

    tree = _parse(document.path)
    ns = "{" + _namespace(tree, document.path) + "}"
    elements = _elements(tree, ns)
    words = document.words
    text = document.text
    span: dict[etree._Element, tuple[int, int]] = {}  # element -> (first, last) source word
    for i, w in enumerate(words):
        span[elements[w.ordinal][1]] = (i, i)
    touched_lines: list[etree._Element] = []
    for change in changes:
        firsts: dict[int, list] = {}
        for out in change.outs:
            firsts.setdefault(out.sources[0], []).append(out)
        for i in change.sources:
            line, el = elements[words[i].ordinal]
            if line not in touched_lines:
                touched_lines.append(line)
            if i not in firsts:
                if el is not line:
                    el.getparent().remove(el)
                else:
                    _set_text(el, ns, "")
                span.pop(el, None)
                continue
            anchor = el
            for n, out in enumerate(firsts[i]):
                box = union_box(words[j].bbox for j in out.sources)
                if out.share is not None:
                    box = divide_box(box, *out.share)
                target = el
                if n:
                    target = copy.deepcopy(el)
                    if el.get("id"):
                        target.set("id", f"{el.get('id')}_{n}")
                    anchor.addnext(target)
                    anchor = target
                _set_text(target, ns, out.text)
                if len(out.sources) > 1 or out.share is not None:
                    _set_box(target, ns, box)
                if out.hyphen is not None:
                    _set_hyphen(target, *out.hyphen)
                span[target] = (-1 if n else i, max(out.sources))  # -1: a split's later part
    regions: list[etree._Element] = []
    for line in touched_lines:
        members = line.findall(ns + "Word") or [line]
        pieces: list[str] = []
        previous: tuple[int, int] | None = None
        for el in members:
            own = (_unicode(el, ns) or "").strip()
            if not own:
                continue
            first, last = span.get(el, (-1, -1))
            if previous is not None:
                if first < 0:  # the second part of a split word
                    pieces.append(" ")
                else:
                    gap = text[words[previous[1]].end : words[first].start]
                    pieces.append(" " if "\n" in gap else gap)
            pieces.append(own)
            previous = (first, last)
        if members[0] is not line and _text_equiv(line, ns) is not None:
            _set_text(line, ns, "".join(pieces))
        region = line.getparent()
        if region not in regions:
            regions.append(region)
    for region in regions:
        if _text_equiv(region, ns) is not None:
            lines = [_unicode(line, ns) or "" for line in region.findall(ns + "TextLine")]
            _set_text(region, ns, "\n".join(lines))
    _record(tree, ns, document, correction)
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    write_patched(data + (b"\n" if not data.endswith(b"\n") else b""), [], path)


def _record(tree: etree._ElementTree, ns: str, document: Document, correction: Correction) -> None:
    from .. import __version__

    metadata = tree.getroot().find(ns + "Metadata")
    if metadata is None:
        return
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    last = metadata.find(ns + "LastChange")
    if last is not None:
        last.text = now
    if (document.version or "0") < "2018":
        return
    item = etree.SubElement(metadata, ns + "MetadataItem")
    previous = item.getprevious()
    if previous is not None:  # indent like its siblings
        before = previous.getprevious()
        item.tail, previous.tail = previous.tail, (before if before is not None else previous).tail
    item.set("type", "processingStep")
    item.set("name", "ocr-postcorrection")
    item.set(
        "value",
        f"kocorrect {__version__}: {len(correction.edits)} edits applied, "
        f"{len(correction.suggestions)} suggestions and {len(correction.flags)} flags in the "
        "edit log",
    )
    item.set("date", now)
