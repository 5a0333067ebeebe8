"""OCR formats: hOCR, ALTO and PAGE XML read into page text and written back with corrections.

Fixtures: tesseract 5.3's hOCR and ALTO of one benchmark page (`fixtures/formats/dev-page005.*`)
and its PAGE XML made by `scripts/alto_to_page.py`. The ten pages of
`../shared/bench/ocr-formats` and the ALTO schemas of `../shared/schemas` are used where present.
"""

from __future__ import annotations

import difflib
import filecmp
import json
import os
import random
import re
from pathlib import Path

import pytest

from kocorrect import Config, Correction, Corrector, Edit, apply_edits
from kocorrect.errors import InputError
from kocorrect.formats import detect, edit_log, read

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCH = SHARED / "bench" / "ocr-formats"
SCHEMAS = SHARED / "schemas" / "alto"
ROOT = Path(__file__).resolve().parents[1]
EXTS = {"hocr": ".hocr", "alto": ".xml", "page": ".page.xml"}
ALL_OFF = Config(normalize=False, layout=False, names=False, correct=False)


def fixture(fmt: str) -> Path:
    return FIXTURES / f"dev-page005{EXTS[fmt]}"


def norm(text: str) -> str:
    """Whitespace runs as one space: a file keeps its lines where the pipeline rebuilt a
    paragraph, so a line break in the file stands for the pipeline's space."""
    return re.sub(r"\s+", " ", text).strip()


def correction(text: str, edits: list[Edit]) -> Correction:
    edits = sorted(edits, key=lambda e: e.start)
    return Correction(text, apply_edits(text, edits), tuple(edits))


def edit_at(text: str, key: str, start: int, end: int, replacement: str) -> Edit:
    i = text.index(key)
    return Edit(i + start, i + end, text[i + start : i + end], replacement, "test", 1.0, "test")


def changed_lines(before: Path, after: Path) -> list[str]:
    """The lines that differ, stripped, leaving out the processing record (it has a date)."""
    old = before.read_text(encoding="utf-8").splitlines()
    new = after.read_text(encoding="utf-8").splitlines()
    skip = (
        "processingDateTime",
        "LastChange",
        "MetadataItem",
        'name="kocorrect"',
        "OCRProcessing>",
    )
    lines = []
    for line in difflib.unified_diff(old, new, lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")) or any(s in line for s in skip):
            continue
        lines.append(line[0] + line[1:].strip())
    return lines


def bench_pages() -> list[str]:
    if not BENCH.is_dir():
        return []
    return sorted(p.name[: -len(".hocr")] for p in BENCH.glob("*.hocr"))


needs_bench = pytest.mark.skipif(not BENCH.is_dir(), reason=f"{BENCH} absent (../shared)")


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory: pytest.TempPathFactory, load_script) -> Path:
    """The ten bench pages as PAGE XML, converted by scripts/alto_to_page.py."""
    if not BENCH.is_dir():
        pytest.skip(f"{BENCH} absent (../shared)")
    out = tmp_path_factory.mktemp("page")
    converter = load_script("scripts/alto_to_page.py")
    for name in bench_pages():
        (out / f"{name}.page.xml").write_bytes(converter.convert(str(BENCH / f"{name}.xml")))
    return out


def bench_file(name: str, fmt: str, page_dir: Path | None = None) -> Path:
    if fmt == "page":
        assert page_dir is not None
        return page_dir / f"{name}.page.xml"
    return BENCH / f"{name}{EXTS[fmt]}"


# ----------------------------------------------------------------------------- schemas ----


def alto_schema(version: str, tmp: Path):
    """The official ALTO schema of `version`; its XLink import mapped to the XLink schema
    xmlschema ships, plus the `simpleLink` group the Library of Congress copy names."""
    xmlschema = pytest.importorskip("xmlschema")
    name = {"3.0": "alto-3-0.xsd", "3.1": "alto-3-1.xsd", "4.4": "alto-4-4.xsd"}.get(version)
    if not SCHEMAS.is_dir():
        pytest.skip(f"{SCHEMAS} absent (../shared/schemas)")
    assert name, f"no schema for ALTO {version}"
    shipped = Path(xmlschema.__file__).parent / "schemas" / "XLINK" / "xlink.xsd"
    shim = tmp / "xlink-loc.xsd"
    shim.write_text(
        '<?xml version="1.0"?>\n'
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'targetNamespace="http://www.w3.org/1999/xlink" attributeFormDefault="qualified">\n'
        f'  <xs:include schemaLocation="{shipped.as_uri()}"/>\n'
        '  <xs:attributeGroup name="simpleLink"><xs:attributeGroup ref="xlink:simpleAttrs"/>'
        "</xs:attributeGroup>\n</xs:schema>\n",
        encoding="utf-8",
    )
    return xmlschema.XMLSchema(
        str(SCHEMAS / name), locations={"http://www.w3.org/1999/xlink": shim.as_uri()}
    )


# PRImA's PAGE 2019-07-15 schema (Apache License 2.0), as OCR-D ships it in
# ocrd_validators/page.xsd of the `ocrd` 3.13.3 wheel on PyPI; see tests/fixtures/formats/README.md.
PAGE_XSD = FIXTURES / "pagecontent-2019-07-15.xsd"


def page_schema():
    """The PAGE 2019 schema (the copy in tests/fixtures)."""
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(PAGE_XSD))


def assert_valid(path: Path, fmt: str, version: str | None, tmp: Path) -> None:
    if fmt == "alto":
        schema = alto_schema(version or "3.0", tmp)
    elif fmt == "page":
        schema = page_schema()
    else:
        return
    errors = [str(e).splitlines()[0] for e in schema.iter_errors(str(path))]
    assert not errors, errors[:3]


# ---------------------------------------------------------------------------- reading ----


def test_detect_by_extension_and_namespace(tmp_path: Path) -> None:
    assert detect(fixture("hocr")) == "hocr"
    assert detect(fixture("alto")) == "alto"
    assert detect(fixture("page")) == "page"
    plain = tmp_path / "page.txt"
    plain.write_text("국가", encoding="utf-8")
    assert detect(plain) is None
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?>\n<root xmlns="urn:other"/>\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"other\.xml.*neither ALTO nor PAGE"):
        detect(other)


@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_words_know_their_text_box_confidence_and_line(fmt: str) -> None:
    doc = read(fixture(fmt))
    assert doc.format == fmt
    assert len(doc.words) > 150
    ids = [w.id for w in doc.words]
    assert len(set(ids)) == len(ids)
    for w in doc.words:
        assert doc.text[w.start : w.end].strip() == doc.text[w.start : w.end] != ""
        assert w.bbox is not None and w.bbox[0] <= w.bbox[2] and w.bbox[1] <= w.bbox[3]
        assert w.confidence is not None and 0.0 <= w.confidence <= 1.0
        assert w.line_id
    # words cover all the text but the whitespace between them
    covered = "".join(doc.text[w.start : w.end] for w in doc.words)
    assert covered == re.sub(r"\s", "", doc.text)


@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_text_has_the_lines_and_characters_of_tesseracts_own_text(fmt: str) -> None:
    doc = read(fixture(fmt))
    own = (FIXTURES / "dev-page005.txt").read_text(encoding="utf-8")
    ours = [re.sub(r"\s", "", line) for line in doc.text.split("\n") if line.strip()]
    theirs = [re.sub(r"\s", "", line) for line in own.split("\n") if line.strip()]
    assert ours == theirs
    # blank lines between blocks, as in tesseract's text
    assert doc.text.count("\n\n") == own.rstrip("\n").count("\n\n")


@needs_bench
@pytest.mark.parametrize("name", bench_pages())
def test_bench_pages_read_like_tesseracts_text(name: str) -> None:
    own = (BENCH / f"{name}.txt").read_text(encoding="utf-8")
    theirs = [re.sub(r"\s", "", line) for line in own.split("\n") if line.strip()]
    for fmt in ("hocr", "alto"):
        doc = read(bench_file(name, fmt))
        assert [re.sub(r"\s", "", ln) for ln in doc.text.split("\n") if ln.strip()] == theirs


def test_alto_and_hocr_and_page_of_one_page_read_the_same() -> None:
    texts = {fmt: read(fixture(fmt)).text for fmt in EXTS}
    assert texts["hocr"] == texts["alto"] == texts["page"]


# --------------------------------------------------------------------- round trip off ----


@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_every_stage_off_writes_the_input_bytes(fmt: str, tmp_path: Path) -> None:
    doc = read(fixture(fmt))
    result = Corrector(config=ALL_OFF).correct(doc.text)
    assert not result.edits
    out = tmp_path / fixture(fmt).name
    doc.write(result, out)
    assert filecmp.cmp(fixture(fmt), out, shallow=False)


@needs_bench
@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_bench_pages_round_trip_byte_identical(fmt: str, tmp_path: Path, page_dir: Path) -> None:
    corrector = Corrector(config=ALL_OFF)
    for name in bench_pages():
        source = bench_file(name, fmt, page_dir)
        doc = read(source)
        out = tmp_path / source.name
        doc.write(corrector.correct(doc.text), out)
        assert filecmp.cmp(source, out, shallow=False), name


# ------------------------------------------------------------------------ golden edits ----

# Each: the edit (in the page text) and the lines of the written file that change.
GOLDEN = {
    ("alto", "rejoin"): [
        '-<String ID="string_69" HPOS="268" VPOS="224" WIDTH="36" HEIGHT="18" WC="0.97" '
        'CONTENT="하여"/>',
        '+<String ID="string_69" HPOS="268" VPOS="224" WIDTH="36" HEIGHT="18" WC="0.97" '
        'CONTENT="하여" SUBS_TYPE="HypPart1" SUBS_CONTENT="하여야"/>',
        '-<String ID="string_70" HPOS="50" VPOS="251" WIDTH="18" HEIGHT="18" WC="0.93" '
        'CONTENT="야"/><SP WIDTH="11" VPOS="251" HPOS="68"/>',
        '+<String ID="string_70" HPOS="50" VPOS="251" WIDTH="18" HEIGHT="18" WC="0.93" '
        'CONTENT="야" SUBS_TYPE="HypPart2" SUBS_CONTENT="하여야"/><SP WIDTH="11" VPOS="251" '
        'HPOS="68"/>',
    ],
    ("alto", "merge"): [
        '-<String ID="string_7" HPOS="230" VPOS="51" WIDTH="14" HEIGHT="18" WC="0.92" '
        'CONTENT="단"/><SP WIDTH="11" VPOS="51" HPOS="244"/>',
        '-<String ID="string_8" HPOS="255" VPOS="51" WIDTH="9" HEIGHT="18" WC="0.91" '
        'CONTENT="계"/><SP WIDTH="8" VPOS="51" HPOS="264"/>',
        '+<String ID="string_7" HPOS="230" VPOS="51" WIDTH="34" HEIGHT="18" WC="0.92" '
        'CONTENT="단계"/><SP WIDTH="8" VPOS="51" HPOS="264"/>',
    ],
    ("alto", "split"): [
        '-<String ID="string_26" HPOS="80" VPOS="109" WIDTH="40" HEIGHT="16" WC="0.93" '
        'CONTENT="또는"/><SP WIDTH="13" VPOS="109" HPOS="120"/>',
        '+<String ID="string_26" HPOS="80" VPOS="109" WIDTH="13" HEIGHT="16" WC="0.93" '
        'CONTENT="또"/><SP WIDTH="14" VPOS="109" HPOS="93"/><String ID="string_26_1" '
        'HPOS="107" VPOS="109" WIDTH="13" HEIGHT="16" WC="0.93" CONTENT="는"/><SP WIDTH="13" '
        'VPOS="109" HPOS="120"/>',
    ],
    ("hocr", "rejoin"): [
        "-<span class='ocrx_word' id='word_1_70' title='bbox 268 224 304 242; x_wconf 97'>"
        "하여</span>",
        "+<span class='ocrx_word' id='word_1_70' title='bbox 268 224 304 242; x_wconf 97'>"
        "하여\u00ad</span>",
    ],
    ("hocr", "merge"): [
        "-<span class='ocrx_word' id='word_1_8' title='bbox 230 51 244 69; x_wconf 92'>단</span>",
        "-<span class='ocrx_word' id='word_1_9' title='bbox 255 51 264 69; x_wconf 91'>계</span>",
        "+<span class='ocrx_word' id='word_1_8' title='bbox 230 51 264 69; x_wconf 92'>단계</span>",
    ],
    ("hocr", "split"): [
        "-<span class='ocrx_word' id='word_1_27' title='bbox 80 109 120 125; x_wconf 93'>또는"
        "</span>",
        "+<span class='ocrx_word' id='word_1_27' title='bbox 80 109 93 125; x_wconf 93'>또</span>"
        " <span class='ocrx_word' id='word_1_27_1' title='bbox 107 109 120 125; x_wconf 93'>"
        "는</span>",
    ],
    ("page", "rejoin"): [
        '-<Word id="string_69">',
        '+<Word id="string_69" custom="hyphen {part:1; whole:하여야;}">',
        '-<Word id="string_70">',
        '+<Word id="string_70" custom="hyphen {part:2; whole:하여야;}">',
    ],
    ("page", "merge"): [
        '-<Coords points="230,51 244,51 244,69 230,69"/>',
        '-<TextEquiv conf="0.92">',
        "-<Unicode>단</Unicode>",
        "-</TextEquiv>",
        "-</Word>",
        '-<Word id="string_8">',
        '-<Coords points="255,51 264,51 264,69 255,69"/>',
        '-<TextEquiv conf="0.91">',
        "-<Unicode>계</Unicode>",
        '+<Coords points="230,51 264,51 264,69 230,69"/>',
        '+<TextEquiv conf="0.92">',
        "+<Unicode>단계</Unicode>",
        "-<Unicode>제46조의3(협의 단 계) 0)</Unicode>",
        "+<Unicode>제46조의3(협의 단계) 0)</Unicode>",
        "-<Unicode>제46조의3(협의 단 계) 0)",
        "+<Unicode>제46조의3(협의 단계) 0)",
    ],
    ("page", "split"): [
        '-<Coords points="80,109 120,109 120,125 80,125"/>',
        '-<TextEquiv conf="0.93">',
        "-<Unicode>또는</Unicode>",
        '+<Coords points="80,109 93,109 93,125 80,125"/>',
        '+<TextEquiv conf="0.93">',
        "+<Unicode>또</Unicode>",
        "+</TextEquiv>",
        "+</Word>",
        '+<Word id="string_26_1">',
        '+<Coords points="107,109 120,109 120,125 107,125"/>',
        '+<TextEquiv conf="0.93">',
        "+<Unicode>는</Unicode>",
        "-<Unicode>. .행 또는 변경 이 필요하다고</Unicode>",
        "+<Unicode>. .행 또 는 변경 이 필요하다고</Unicode>",
        "-<Unicode>. .행 또는 변경 이 필요하다고</Unicode>",
        "+<Unicode>. .행 또 는 변경 이 필요하다고</Unicode>",
    ],
}
CASES = {
    "rejoin": ("노력하여\n야", 4, 5, ""),  # a word broken across two lines
    "merge": ("단 계", 1, 2, ""),  # two words of a line made one
    "split": ("또는", 1, 1, " "),  # one word made two
}


@pytest.mark.parametrize(("fmt", "case"), sorted(GOLDEN))
def test_golden_rejoin_merge_split(fmt: str, case: str, tmp_path: Path) -> None:
    doc = read(fixture(fmt))
    key, start, end, replacement = CASES[case]
    result = correction(doc.text, [edit_at(doc.text, key, start, end, replacement)])
    out = tmp_path / fixture(fmt).name
    doc.write(result, out)
    assert changed_lines(fixture(fmt), out) == GOLDEN[(fmt, case)]
    again = read(out)
    assert norm(again.text) == norm(result.text)
    assert_valid(out, fmt, doc.version, tmp_path)


@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_processing_is_recorded(fmt: str, tmp_path: Path) -> None:
    doc = read(fixture(fmt))
    result = correction(doc.text, [edit_at(doc.text, "또는", 0, 1, "도")])
    out = tmp_path / fixture(fmt).name
    doc.write(result, out)
    written = out.read_text(encoding="utf-8")
    marker = {
        "alto": "<postProcessingStep><processingDateTime>",
        "hocr": '<meta name="kocorrect" content="kocorrect',
        "page": '<MetadataItem type="processingStep" name="ocr-postcorrection"',
    }[fmt]
    assert written.count(marker) == 1
    assert "1 edits applied" in written
    assert_valid(out, fmt, doc.version, tmp_path)


def test_alto_v4_gets_a_processing_element_and_stays_valid(tmp_path: Path) -> None:
    v3 = fixture("alto").read_text(encoding="utf-8")
    v4 = v3.replace("ns-v3#", "ns-v4#").replace("alto/v3/alto-3-0.xsd", "alto/v4/alto-4-4.xsd")
    source = tmp_path / "v4.xml"
    source.write_text(v4, encoding="utf-8")
    doc = read(source)
    assert doc.version == "4.4"
    result = correction(doc.text, [edit_at(doc.text, "노력하여\n야", 4, 5, "")])
    out = tmp_path / "v4.out.xml"
    doc.write(result, out)
    written = out.read_text(encoding="utf-8")
    assert '<Processing ID="kocorrect_1"><processingDateTime>' in written
    assert 'SUBS_TYPE="HypPart1" SUBS_CONTENT="하여야"' in written
    assert_valid(out, "alto", "4.4", tmp_path)


def test_edit_of_touching_words_spreads_over_their_elements(tmp_path: Path) -> None:
    """`노력하여` is three elements (노, 력, 하여) read as one word: an edit across two of them
    changes each element's text and keeps every box."""
    doc = read(fixture("alto"))
    result = correction(doc.text, [edit_at(doc.text, "노력하여", 1, 3, "럭허")])
    out = tmp_path / "touch.xml"
    doc.write(result, out)
    assert [ln for ln in changed_lines(fixture("alto"), out) if ln.startswith("+")] == [
        '+<String ID="string_68" HPOS="249" VPOS="224" WIDTH="14" HEIGHT="21" WC="0.93" '
        'CONTENT="럭"/><SP WIDTH="5" VPOS="224" HPOS="263"/>',
        '+<String ID="string_69" HPOS="268" VPOS="224" WIDTH="36" HEIGHT="18" WC="0.97" '
        'CONTENT="허여"/>',
    ]
    assert read(out).text == result.text


@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_random_edits_keep_every_character(fmt: str, tmp_path: Path) -> None:
    """Any edits at all (markup characters, line breaks, whole words deleted, text put between
    words): the file parses, and reads back with exactly the corrected text's characters.
    (Spaces may differ: a space put between two elements that touch is not written, the
    elements stay as they are and the reader joins them again.)"""
    from lxml import etree

    rng = random.Random(15)
    doc = read(fixture(fmt))
    text = doc.text
    alphabet = [*"가나다 \n<&\"'ㆍ·", ""]
    out = tmp_path / fixture(fmt).name
    for _ in range(40):
        edits, last = [], 0
        for p in sorted(rng.sample(range(len(text)), rng.randint(1, 6))):
            if p < last:
                continue
            end = min(len(text), p + rng.choice([0, 1, 1, 2, 3]))
            new = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
            if text[p:end] != new:
                edits.append(Edit(p, end, text[p:end], new, "test", 1.0, "test"))
                last = end + 1
        if not edits:
            continue
        result = correction(text, edits)
        doc.write(result, out)
        etree.parse(str(out))
        again = read(out)
        assert re.sub(r"\s", "", again.text) == re.sub(r"\s", "", result.text), edits


# ---------------------------------------------------------------------- the edit log ----


def test_edit_log_names_elements_lines_and_word_confidence() -> None:
    doc = read(fixture("alto"))
    result = correction(
        doc.text,
        [edit_at(doc.text, "노력하여\n야", 4, 5, ""), edit_at(doc.text, "변", 0, 1, "번")],
    )
    records = [json.loads(line) for line in edit_log(doc, result, path="p", version="0")
               .splitlines()]  # fmt: skip
    assert records[0]["format"] == "alto" and records[0]["format_version"] == "3.0"
    assert records[0]["sha256"] == doc.sha256
    misread, rejoin = records[1], records[2]  # in page order
    assert rejoin["elements"] == ["string_69", "string_70"]
    assert rejoin["lines"] == ["line_6", "line_7"]
    assert rejoin["word_confidence"] == 0.93
    assert misread["elements"] == ["string_27"] and misread["word_confidence"] == 0.57


# -------------------------------------------------------------------------- failures ----


def test_malformed_xml_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        '<?xml version="1.0"?>\n<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#">\n'
        '<Layout><String CONTENT="가">\n</Layout></alto>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"bad\.xml:4: not well-formed XML"):
        read(bad)


def test_string_without_content_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "nocontent.xml"
    bad.write_text(
        '<?xml version="1.0"?>\n<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#">\n'
        '<Layout><TextBlock><TextLine>\n<String ID="s1" CONTENT="가"/>\n<String ID="s2"/>\n'
        "</TextLine></TextBlock></Layout></alto>\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"nocontent\.xml:5: <String> without CONTENT"):
        read(bad)


def test_unknown_namespace_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "v1.xml"
    bad.write_text(
        '<?xml version="1.0"?>\n<alto xmlns="http://schema.ccs-gmbh.com/ALTO"/>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"v1\.xml:2: not ALTO v2, v3 or v4"):
        read(bad, "alto")


def test_no_partial_output_when_the_input_changed_under_the_writer(tmp_path: Path) -> None:
    source = tmp_path / "page.xml"
    source.write_bytes(fixture("alto").read_bytes())
    doc = read(source)
    result = correction(doc.text, [edit_at(doc.text, "노력하여\n야", 4, 5, "")])
    # the file loses its last lines after it was read: the words are no longer there
    data = source.read_bytes()
    source.write_bytes(data[: data.index(b'<String ID="string_60"')] + b"</TextLine></alto>")
    out = tmp_path / "out" / "page.xml"
    with pytest.raises(InputError, match="cannot find word element"):
        doc.write(result, out)
    assert not out.exists()
    assert not list(tmp_path.rglob("*.kocorrect.tmp"))


def test_write_refuses_the_input_path(tmp_path: Path) -> None:
    source = tmp_path / "page.hocr"
    source.write_bytes(fixture("hocr").read_bytes())
    doc = read(source)
    with pytest.raises(InputError, match="input file"):
        doc.write(Correction(doc.text, doc.text), source)


def test_a_large_alto_streams_and_round_trips(tmp_path: Path) -> None:
    """300 pages in one ALTO file: read in one pass, written back with one edit."""
    page = fixture("alto").read_text(encoding="utf-8")
    head, rest = page.split("<Layout>", 1)
    body, tail = rest.rsplit("</Layout>", 1)
    pages = [body.replace('ID="', f'ID="p{n}_') for n in range(300)]
    big = tmp_path / "book.xml"
    big.write_text(head + "<Layout>" + "".join(pages) + "</Layout>" + tail, encoding="utf-8")
    doc = read(big)
    assert len(doc.words) == 300 * len(read(fixture("alto")).words)
    assert doc.text.count("제46조의3") == 300
    last = doc.text.rindex("노력하여\n야")
    edit = Edit(last + 4, last + 5, "\n", "", "rejoin", 1.0, "test")
    result = correction(doc.text, [edit])
    out = tmp_path / "book.out.xml"
    doc.write(result, out)
    assert norm(read(out).text) == norm(result.text)
    assert out.read_bytes().count(b"HypPart1") == 1


# ------------------------------------------------------------------------ CLI and batch ----


def test_cli_fix_writes_the_same_format(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kocorrect.cli import main

    source = tmp_path / "page.hocr"
    source.write_bytes(fixture("hocr").read_bytes())
    out = tmp_path / "page.fixed.hocr"
    log = tmp_path / "page.edits.jsonl"
    run = CliRunner().invoke(
        main, ["fix", str(source), "-o", str(out), "--edits", str(log), "--no-layout",
               "--no-names", "--no-correct"],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    expected = Corrector(config=Config(layout=False, names=False, correct=False)).correct(
        read(source).text
    )
    assert expected.edits  # the normalisation of ㆍ merges and rejoins words
    assert norm(read(out).text) == norm(expected.text)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert records[0]["format"] == "hocr"
    assert records[0]["output_bytes"] == out.stat().st_size  # the log, written last, records it
    assert all(r["elements"] for r in records[1:])
    forced = CliRunner().invoke(main, ["fix", str(fixture("alto")), "--format", "page",
                                       "-o", str(tmp_path / "x.xml")])  # fmt: skip
    assert forced.exit_code == 3 and "not PAGE XML" in forced.output
    assert not (tmp_path / "x.xml").exists()


def test_batch_writes_format_pages_in_their_format(tmp_path: Path) -> None:
    from kocorrect.batch import run_batch

    indir = tmp_path / "in"
    indir.mkdir()
    for fmt in ("hocr", "alto"):
        (indir / fixture(fmt).name).write_bytes(fixture(fmt).read_bytes())
    (tmp_path / "out").mkdir()  # batch never creates OUTDIR
    summary = run_batch(indir, tmp_path / "out", config=ALL_OFF, pattern="*.*", jobs=1)
    assert summary.ok and summary.pages == 2
    for fmt in ("hocr", "alto"):
        name = fixture(fmt).name
        assert filecmp.cmp(indir / name, tmp_path / "out" / name, shallow=False)
        assert (tmp_path / "out" / f"{name}.edits.jsonl").is_file()


# ------------------------------------------------------------------- the whole pipeline ----


@pytest.fixture(scope="module")
def corrector() -> Corrector:
    return Corrector()


@pytest.mark.slow
@needs_bench
@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_bench_pages_corrected_carry_the_pipelines_text(
    fmt: str, tmp_path: Path, page_dir: Path, corrector: Corrector
) -> None:
    """With correction on: the written file reads as the pipeline's output on the reader's
    text, every word no edit touched keeps its element and box, ALTO and PAGE validate."""
    for name in bench_pages():
        source = bench_file(name, fmt, page_dir)
        doc = read(source)
        result = corrector.correct(doc.text)
        out = tmp_path / source.name
        doc.write(result, out)
        again = read(out)
        assert norm(again.text) == norm(result.text), name
        touched = {i for change in doc.changes(result) for i in change.sources}
        boxes = {w.id: w.bbox for w in again.words}
        for i, w in enumerate(doc.words):
            if i not in touched:
                assert boxes.get(w.id) == w.bbox, (name, w.id)
        assert_valid(out, fmt, doc.version, tmp_path)
        assert os.path.getsize(out) > 0


def test_batch_resume_checks_format_outputs_and_never_creates_folders(tmp_path: Path) -> None:
    """A format page's edit log records the file written (SHA-256, bytes): --resume keeps an
    intact page and redoes a damaged one; a missing OUTDIR or output folder is not created."""
    from kocorrect.batch import edit_log_path, run_batch

    indir, out = tmp_path / "in", tmp_path / "out"
    (indir / "sub").mkdir(parents=True)
    name = fixture("alto").name
    (indir / "sub" / name).write_bytes(fixture("alto").read_bytes())
    with pytest.raises(InputError, match="create it first"):
        run_batch(indir, out, config=ALL_OFF, pattern="*.xml", jobs=1)
    assert not out.exists()
    out.mkdir()
    first = run_batch(indir, out, config=ALL_OFF, pattern="*.xml", jobs=1)
    assert first.ok and first.corrected == 1
    written = out / "sub" / name
    head = json.loads(edit_log_path(written).read_text(encoding="utf-8").splitlines()[0])
    assert head["format"] == "alto" and head["output_bytes"] == written.stat().st_size
    again = run_batch(indir, out, config=ALL_OFF, pattern="*.xml", jobs=1, resume=True)
    assert again.resumed == 1 and again.corrected == 0
    written.write_bytes(written.read_bytes().replace(b"<String ", b"<String  ", 1))
    redone = run_batch(indir, out, config=ALL_OFF, pattern="*.xml", jobs=1, resume=True)
    assert redone.corrected == 1 and redone.resumed == 0
    assert filecmp.cmp(indir / "sub" / name, written, shallow=False)
    doc = read(fixture("hocr"))
    result = Corrector(config=ALL_OFF).correct(doc.text)
    with pytest.raises(FileNotFoundError):
        doc.write(result, tmp_path / "nowhere" / "page.hocr")
    assert not (tmp_path / "nowhere").exists()
