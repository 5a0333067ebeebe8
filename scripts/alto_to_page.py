"""Convert ALTO pages to PAGE XML 2019-07-15 (regions, lines, words, their text and confidence).

Used to make the PAGE versions of the benchmark's tesseract pages (`../shared/bench/ocr-formats`)
for the PAGE reader and writer: each ALTO TextBlock becomes a TextRegion, each TextLine a
TextLine, each String a Word with its box as Coords and WC as TextEquiv/@conf; lines and regions
get their TextEquiv from kocorrect's ALTO reader (so the spacing is the reader's).

    python scripts/alto_to_page.py IN.xml OUT.page.xml
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from lxml import etree

from kocorrect.formats import alto

PAGE = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _points(el: etree._Element) -> str:
    x, y = float(el.get("HPOS", 0)), float(el.get("VPOS", 0))
    w, h = float(el.get("WIDTH", 0)), float(el.get("HEIGHT", 0))
    x0, y0, x1, y1 = (round(v) for v in (x, y, x + w, y + h))
    return f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}"


def convert(source: str) -> bytes:
    doc = alto.read(source)
    line_text: dict[str, str] = {}
    by_line: dict[str, list] = {}
    for w in doc.words:
        by_line.setdefault(w.line_id or "", []).append(w)
    for line_id, ws in by_line.items():
        line_text[line_id] = doc.text[ws[0].start : ws[-1].end]
    tree = etree.parse(source)
    ns = "{" + (doc.namespace or "") + "}"
    p = "{" + PAGE + "}"
    root = etree.Element(p + "PcGts", nsmap={None: PAGE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{PAGE} {PAGE}/pagecontent.xsd")
    meta = etree.SubElement(root, p + "Metadata")
    etree.SubElement(meta, p + "Creator").text = "kocorrect scripts/alto_to_page.py"
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    etree.SubElement(meta, p + "Created").text = now
    etree.SubElement(meta, p + "LastChange").text = now
    alto_page = tree.find(f".//{ns}Page")
    file_name = tree.findtext(f".//{ns}fileName") or ""
    page = etree.SubElement(root, p + "Page", imageFilename=file_name,
                            imageWidth=alto_page.get("WIDTH", "0"),
                            imageHeight=alto_page.get("HEIGHT", "0"))  # fmt: skip
    blocks = [b for b in tree.iter(ns + "TextBlock") if b.find(ns + "TextLine") is not None]
    order = etree.SubElement(etree.SubElement(page, p + "ReadingOrder"), p + "OrderedGroup",
                             id="reading_order")  # fmt: skip
    for n, block in enumerate(blocks):
        etree.SubElement(order, p + "RegionRefIndexed", index=str(n), regionRef=block.get("ID"))
    for block in blocks:
        region = etree.SubElement(page, p + "TextRegion", id=block.get("ID"), type="paragraph")
        etree.SubElement(region, p + "Coords", points=_points(block))
        texts = []
        for line in block.iter(ns + "TextLine"):
            tl = etree.SubElement(region, p + "TextLine", id=line.get("ID"))
            etree.SubElement(tl, p + "Coords", points=_points(line))
            for string in line.iter(ns + "String"):
                word = etree.SubElement(tl, p + "Word", id=string.get("ID"))
                etree.SubElement(word, p + "Coords", points=_points(string))
                equiv = etree.SubElement(word, p + "TextEquiv")
                if string.get("WC") is not None:
                    equiv.set("conf", string.get("WC"))
                etree.SubElement(equiv, p + "Unicode").text = string.get("CONTENT")
            text = line_text.get(line.get("ID") or "", "")
            etree.SubElement(etree.SubElement(tl, p + "TextEquiv"), p + "Unicode").text = text
            texts.append(text)
        etree.SubElement(etree.SubElement(region, p + "TextEquiv"), p + "Unicode").text = "\n".join(
            texts
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    args = parser.parse_args(argv)
    data = convert(args.source)
    with open(args.target, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
