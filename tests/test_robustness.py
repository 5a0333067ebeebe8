"""Bad input and no data loss: whatever users feed kocorrect, it must not crash, lose a
character, touch an input file, or fail without saying which file and why.

Library: every kind of odd text goes through the whole pipeline and the invariants hold.
Files: the encodings archives use are read; broken files give a message naming the file and
the cause, a non-zero exit and no partial output; inputs are byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kocorrect import Config, Corrector, InputError, apply_edits, restore_original
from kocorrect.cli import main
from kocorrect.io import read_text
from kocorrect.types import Correction

SEED_PAGE = Path(__file__).resolve().parents[1] / "corpus" / "seed_page.ocr.txt"
FAST = ["--no-layout", "--no-names", "--no-correct"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


@pytest.fixture(scope="module")
def corrector() -> Corrector:
    return Corrector()


def check_invariants(corrector: Corrector, source: str) -> Correction:
    result = corrector.correct(source)
    previous_end = 0
    for edit in result.edits:
        assert previous_end <= edit.start <= edit.end <= len(source)
        assert source[edit.start : edit.end] == edit.original
        previous_end = edit.end
    assert apply_edits(source, result.edits) == result.text
    assert restore_original(result.text, result.edits) == source
    result.text.encode("utf-8")
    assert corrector.correct(result.text).edits == (), "a second pass changed the text"
    return result


# ------------------------------------------------------------------------- library ----

ODD_TEXTS = [
    pytest.param("", id="empty"),
    pytest.param(" \t\n\n  \r\n", id="whitespace only"),
    pytest.param("\x00\x01\x02\x1b[0m\x7f 국가\x00데이터", id="NUL and control characters"),
    pytest.param("국가\ud800데이터 \udc00", id="lone surrogates"),
    pytest.param("ㅇㅏㄴㄴㅕㅇㅎㅏㅅㅔㅇㅛ 여러분", id="loose jamo spelling syllables"),
    pytest.param("ㅋㅋㅋ 재밌다 ㅠㅠ\nㄱ. 첫째 항목\nㄴ. 둘째 항목", id="standalone jamo as text"),
    pytest.param(unicodedata.normalize("NFD", "정부는 데이터 댐 사업을 추진한다."), id="NFD"),
    pytest.param("ᄒᆞᆫ글 ᄀᆞᄅᆞᆷ ᄆᆞᆯᄊᆞᆷ ᄒᆞᆫㆍ자", id="old Hangul"),
    pytest.param("경제ㆍ사회ㆍ문화 분야", id="araea between words"),
    pytest.param("ㄺ 닭ㄺ 값ㅄ이 ㄳ", id="loose jamo that cannot start a syllable"),
    pytest.param("가\r\nᆨ 국가\nᅡ", id="conjoining jamo starting a line"),
    pytest.param("(감ᆨ 국강ᆨ", id="conjoining final after a syllable that has one"),
    pytest.param("걷(걷(걷", id="a chain of repairs, each changing the next one's context"),
    pytest.param("ＡＢＣ１２３ 「국가」 ～ ：", id="fullwidth forms"),
    pytest.param("오늘 😀 좋은 날 👍🏽 🇰🇷", id="emoji"),
    pytest.param("豈 樂 (compatibility hanja) 漢字", id="hanja"),
    pytest.param("\ufeff국가\u200b데이터\u00a0구축", id="BOM, zero-width and no-break spaces"),
]


@pytest.mark.slow
@pytest.mark.parametrize("source", ODD_TEXTS)
def test_odd_text_keeps_the_invariants(corrector: Corrector, source: str) -> None:
    check_invariants(corrector, source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", ""),
        ("   \n\n", "   \n\n"),
        ("국가\ud800데이터", "국가\ufffd데이터"),
        ("ㅇㅏㄴㄴㅕㅇ", "안녕"),
        ("ㅋㅋㅋ ㅠㅠ ㅎㅎ", "ㅋㅋㅋ ㅠㅠ ㅎㅎ"),
        ("ㄱ. 항목\nㄴ. 항목", "ㄱ. 항목\nㄴ. 항목"),
        (unicodedata.normalize("NFD", "한국어"), "한국어"),
        ("경제ㆍ사회", "경제·사회"),
        ("보전ㆍ\n국가", "보전·국가"),
        ("시장 ㆍ군수", "시장 ㆍ군수"),  # after a space: as often the letter ㆍ printed as such
        ("시장ㆍ 군수", "시장·군수"),
        ("1차 ㆍ 부검", "1차 ㆍ 부검"),
        ("성매매:성폭력", "성매매·성폭력"),
        ("교수:학습의 실천", "교수·학습의 실천"),  # a word after it, with its particle
        ("책 「구글 해킹:이나 다른", "책 「구글 해킹:이나 다른"),  # only particles: a lost 』
        ("라:에서도 마찬가지", "라:에서도 마찬가지"),  # 에서 + 도
        ("그 '위기:이라고 했다", "그 '위기:이라고 했다"),  # the quotative particle 이라고
        ("'협력:으로서 나섰다", "'협력:으로서 나섰다"),
        ("가:" + "이" * 3000, "가·" + "이" * 3000),  # a run of thousands: a word, not particles
        ("가:" + "에서" * 4, "가:" + "에서" * 4),  # particles in a row, up to PARTICLE_RUN_MAX
        ("가:" + "에서" * 5, "가·" + "에서" * 5),  # longer: read as a word
        ("참고: 별표", "참고: 별표"),
        ("10:30 기준", "10:30 기준"),  # spaces on both sides: as often a speck as a dot
        ("ᄒᆞᆫㆍ자", "ᄒᆞᆫㆍ자"),
        ("ＡＢＣ１２３「」", "ABC123「」"),
        ("국무위원*행정각부의 장", "국무위원·행정각부의 장"),  # * for a middle dot
        ("해킹*이나 주석* 참고", "해킹*이나 주석* 참고"),  # before particles, after a word: kept
        ("가르치기ㅡ체코 월경설ㅡ을", "가르치기—체코 월경설—을"),  # ㅡ for a dash
        ("ㅡㅡ 정말", "ㅡㅡ 정말"),
        ("ＬＧ전자와 ＳＫ", "LG전자와 SK"),
        ("협력해 11Ｌ 가르치기", "협력해 11Ｌ 가르치기"),  # mixed widths: a Latin word misread
        ("‘1Ｌ0경제연구원", "‘1Ｌ0경제연구원"),
        ("😀\x00", "😀\x00"),
    ],
)
def test_normalization_table(source: str, expected: str) -> None:
    """What the normalize stage alone does to each kind of input (other stages off)."""
    corrector = Corrector(config=Config(layout=False, names=False, correct=False))
    result = corrector.correct(source)
    assert result.text == expected
    assert all(e.kind == "normalize" and e.reason for e in result.edits)
    assert restore_original(result.text, result.edits) == source


@pytest.mark.parametrize("data", [b"\xea\xb5\xad\xea\xb0\x80", bytearray(b"abc")])
def test_bytes_are_refused_with_a_hint_to_decode(data: bytes) -> None:
    corrector = Corrector(config=Config(layout=False, names=False, correct=False))
    with pytest.raises(InputError, match="decode"):
        corrector.correct(data)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, 12, ["국가"]])
def test_non_text_is_refused_naming_its_type(value: object) -> None:
    corrector = Corrector(config=Config(layout=False, names=False, correct=False))
    with pytest.raises(InputError, match=type(value).__name__):
        corrector.correct(value)  # type: ignore[arg-type]


def test_a_one_megabyte_line_passes_the_normalize_stage() -> None:
    line = ("국가 데이터ㆍ댐 ㅇㅏㄴ " * 80_000)[:1_000_000]
    corrector = Corrector(config=Config(layout=False, names=False, correct=False))
    result = corrector.correct(line)
    assert len(result.edits) > 10_000
    assert restore_original(result.text, result.edits) == line


def test_correct_iter_pulls_one_page_at_a_time() -> None:
    """The streaming entry yields each result before it reads the next page."""
    pulled: list[int] = []

    def pages() -> Iterator[str]:
        for number in range(3):
            pulled.append(number)
            yield f"ㅇㅏㄴ {number}"

    corrector = Corrector(config=Config(layout=False, names=False, correct=False))
    results = corrector.correct_iter(pages())
    first = next(results)
    assert first.text == "안 0" and pulled == [0]
    assert [r.text for r in results] == ["안 1", "안 2"]
    assert pulled == [0, 1, 2]


# --------------------------------------------------------------------------- files ----

PAGE = "국가 데이터 댐 구축 사업\n뷁 똠방각하 (CP949 only syllables)\n"


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
        pytest.param(lambda t: t.encode("utf-8-sig"), id="utf-8 with BOM"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16 with BOM"),
        pytest.param(lambda t: b"\xfe\xff" + t.encode("utf-16-be"), id="utf-16-be with BOM"),
        pytest.param(lambda t: t.encode("cp949"), id="cp949"),
    ],
)
def test_archive_encodings_are_read(tmp_path: Path, encode: object) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(encode(PAGE))  # type: ignore[operator]
    assert read_text(path) == PAGE


def test_euc_kr_is_read(tmp_path: Path) -> None:
    text = "국가 데이터 댐 구축"  # EUC-KR is the KS X 1001 subset of CP949
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode("euc-kr"))
    assert read_text(path) == text


def test_empty_file_gives_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_text(path) == ""


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (PNG, "PNG"),
        (PDF, "PDF"),
        (b"\x80\x81\xff\xfe\xfd garbage", "undecodable"),
        (b"abc\x00def", "NUL"),
    ],
)
def test_broken_file_names_file_and_cause(tmp_path: Path, data: bytes, cause: str) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert str(path) in str(info.value) and cause in str(info.value)


def test_directory_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("국가", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission"):
            read_text(path)
    finally:
        path.chmod(0o644)


# ----------------------------------------------------------------------------- CLI ----


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_inputs(folder: Path) -> None:
    folder.mkdir()
    (folder / "utf8.txt").write_text(PAGE, encoding="utf-8")
    (folder / "cp949.txt").write_bytes(PAGE.encode("cp949"))
    (folder / "utf16.txt").write_bytes(PAGE.encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nfd.txt").write_text(unicodedata.normalize("NFD", PAGE), encoding="utf-8")
    (folder / "image.txt").write_bytes(PNG)
    (folder / "scan.txt").write_bytes(PDF)


@pytest.mark.slow
def test_fix_leaves_its_input_byte_identical(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    page = inputs / "page.txt"
    page.write_bytes(SEED_PAGE.read_bytes())
    before = checksums(inputs)
    out = tmp_path / "page.out.txt"
    result = CliRunner().invoke(
        main, ["fix", str(page), "-o", str(out), "--edits", str(out) + ".jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert checksums(inputs) == before
    assert out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("utf8.txt", PAGE), ("cp949.txt", PAGE), ("utf16.txt", PAGE), ("empty.txt", "")],
)
def test_fix_reads_each_encoding_and_writes_utf8(tmp_path: Path, name: str, expected: str) -> None:
    make_inputs(tmp_path / "in")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(main, ["fix", str(tmp_path / "in" / name), "-o", str(out), *FAST])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize(
    ("name", "cause"),
    [("image.txt", "PNG"), ("scan.txt", "PDF"), ("missing.txt", "no such file"), ("", "directory")],
)
def test_fix_on_a_broken_input_names_it_and_writes_nothing(
    tmp_path: Path, name: str, cause: str
) -> None:
    make_inputs(tmp_path / "in")
    before = checksums(tmp_path / "in")
    target = tmp_path / "in" / name if name else tmp_path / "in"
    (tmp_path / "out").mkdir()  # output files go into folders that exist
    out = tmp_path / "out" / "page.txt"
    result = CliRunner().invoke(main, ["fix", str(target), "-o", str(out), *FAST])
    assert result.exit_code == 3
    assert str(target) in result.output and cause in result.output
    assert list((tmp_path / "out").iterdir()) == []
    assert checksums(tmp_path / "in") == before


def test_fix_into_an_unwritable_place_names_it_and_leaves_nothing(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in")
    before = checksums(tmp_path / "in")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    out = blocker / "page.txt"
    result = CliRunner().invoke(
        main, ["fix", str(tmp_path / "in" / "utf8.txt"), "-o", str(out), *FAST]
    )
    assert result.exit_code == 3
    assert str(out) in result.output
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"
    assert checksums(tmp_path / "in") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "in"]


def test_batch_reports_broken_pages_and_leaves_inputs_byte_identical(tmp_path: Path) -> None:
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs)
    outputs.mkdir()  # batch writes only into a folder that exists
    before = checksums(inputs)
    result = CliRunner().invoke(main, ["batch", str(inputs), str(outputs), "--jobs", "1", *FAST])
    assert result.exit_code == 3, result.output
    assert checksums(inputs) == before
    written = {p.name for p in outputs.iterdir()}
    for good in ("utf8.txt", "cp949.txt", "utf16.txt", "empty.txt", "nfd.txt"):
        assert good in written
    assert "image.txt" not in written and "scan.txt" not in written
    assert not [p for p in outputs.rglob("*") if p.name.endswith(".tmp")], "partial output left"
    summary = (outputs / "summary.json").read_text(encoding="utf-8")
    assert "image.txt" in summary and "PNG" in summary and "PDF" in summary
    assert (outputs / "nfd.txt").read_text(encoding="utf-8") == PAGE
    assert (outputs / "empty.txt").read_bytes() == b""


def test_batch_into_an_unwritable_place_fails_with_a_message(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    make_inputs(inputs)
    before = checksums(inputs)
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["batch", str(inputs), str(blocker / "out"), "--jobs", "1", *FAST]
    )
    assert result.exit_code != 0
    assert "blocker" in result.output
    assert checksums(inputs) == before


@pytest.mark.parametrize(
    ("text", "expected", "why"),
    [
        ("경찰청-서울지방경찰청·종로경찰서", "경찰청·서울지방경찰청·종로경찰서", "a - in a ·-list"),
        ("보통:평등·직접·비밀선거", "보통·평등·직접·비밀선거", "a : in a ·-list"),
        ("서울-부산-대전 노선", "서울-부산-대전 노선", "no middle dot: a list of its own"),
        ("예산조치 : 국회 동의", "예산조치 : 국회 동의", "a spaced colon is a colon"),
        (
            "성매매:성폭력 범죄",
            "성매매·성폭력 범죄",
            "a colon between two syllables, no list needed",
        ),
        ("한:미 정상회담", "한·미 정상회담", "one-syllable words are listed too"),
        ("경우:는 그러하지 아니한다", "경우:는 그러하지 아니한다", "a lone particle: a lost 에"),
    ],
)
def test_list_separators_become_uniform(text: str, expected: str, why: str) -> None:
    from kocorrect.normalize import uniform_list_separators

    edits = uniform_list_separators(text)
    assert apply_edits(text, edits) == expected, why
    assert uniform_list_separators(expected) == []
