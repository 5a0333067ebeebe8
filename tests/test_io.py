"""Reading pages in the encodings old Korean archives use; atomic writes."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from kocorrect.errors import InputError
from kocorrect.io import TEMP_SUFFIX, decode_bytes, read_page, read_text, write_text_atomic

TEXT = "광주시는 국가 데이터 댐을 구축한다.\n둘째 줄"


@pytest.mark.parametrize(
    ("data", "encoding_used"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # native order, with BOM
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp949"), "cp949"),
        (TEXT.encode("euc-kr"), "cp949"),  # EUC-KR is a subset of CP949
    ],
)
def test_recognised_encodings_decode_to_the_same_text(
    tmp_path: Path, data: bytes, encoding_used: str
) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    page = read_page(path)
    assert page.text == TEXT
    assert page.encoding == encoding_used
    assert read_text(path) == TEXT


def test_cp949_only_syllables_are_read() -> None:
    # 똠 and 햏 are outside EUC-KR's 2,350 syllables but inside CP949.
    assert decode_bytes("똠방각하 햏".encode("cp949")) == "똠방각하 햏"


def test_explicit_encoding_wins_and_is_strict(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes("데이터".encode("cp949"))
    assert read_text(path, encoding="euc-kr") == "데이터"
    with pytest.raises(InputError, match=r"page\.txt: not valid utf-8"):
        read_text(path, encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_text(path, encoding="klingon")


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"plain words\x00\x00 and NUL bytes", "NUL bytes"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        # valid neither as UTF-8 nor CP949: 0xff is never a CP949 lead byte
        (b"abc \xff\xfe\xfd", "not UTF-8, UTF-16 \\(with BOM\\) or CP949"),
    ],
)
def test_non_text_is_an_error_naming_file_and_cause(
    tmp_path: Path, data: bytes, cause: str
) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=rf"scan\.txt: .*{cause}"):
        read_text(path)


def test_undecodable_error_gives_the_byte_offset_and_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"ok \xff")
    with pytest.raises(InputError) as info:
        read_text(path)
    message = str(info.value)
    assert "offset 3" in message and "--encoding" in message


def test_missing_file_and_directory_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match=r"is a directory.*kocorrect batch"):
        read_text(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_permissions_are_named(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("비밀", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError, match=r"secret\.txt: permission denied"):
        read_text(path)


def test_page_hash_is_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes("데이터".encode("cp949"))
    import hashlib

    assert read_page(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_line_endings_are_kept_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"a\r\nb\n")
    assert read_text(path) == "a\r\nb\n"


def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    write_text_atomic(target, "첫 번째", make_parents=True)
    write_text_atomic(target, "두 번째 판")
    assert target.read_bytes() == "두 번째 판".encode()
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_atomic_write_never_creates_a_missing_folder_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.txt"
    with pytest.raises(FileNotFoundError):
        write_text_atomic(target, "내용")
    assert not (tmp_path / "missing").exists()


def test_failed_atomic_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text_atomic(target, "온전한 내용")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "broken \ud800 surrogate")
    assert target.read_text(encoding="utf-8") == "온전한 내용"
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))
