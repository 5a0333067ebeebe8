"""Reading page files as text and writing results so that a crash never leaves half a file.

Old Korean archives come in more than one encoding. A page is decoded strictly, in a fixed
order: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, then
CP949 (a superset of EUC-KR). Bytes none of them decodes are an error for that page, never a
silent replacement character: a corrector that "fixes" mojibake would only hide the damage.

>>> decode_bytes("국가".encode("cp949"), source="page.txt")
'국가'
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

__all__ = [
    "DEFAULT_ENCODINGS",
    "PageFile",
    "decode_bytes",
    "read_bytes",
    "read_page",
    "read_text",
    "sha256_hex",
    "write_text_atomic",
]

DEFAULT_ENCODINGS = ("utf-8-sig", "utf-16", "cp949")
"""The decoding order tried when no encoding is given."""

TEMP_SUFFIX = ".kocorrect.tmp"
"""Suffix of the temporary files `write_text_atomic` writes before renaming them into place."""

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Signatures of files that are certainly not text (checked after the BOMs, before decoding:
# CP949 would otherwise happily decode many binary headers into Hangul and Hanja).
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
)


@dataclass(frozen=True, slots=True)
class PageFile:
    """A page as read from disk: its text, the SHA-256 of its bytes, and how it was decoded.

    The hash is of the bytes, not the text, so a resumed batch notices any change to the file.
    """

    path: str
    text: str
    sha256: str
    encoding: str


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of `data` (what edit logs record to tie a log to its input).

    >>> sha256_hex(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of `path`, or an `InputError` that names the file and says what to do."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(
            f"{name}: is a directory, not a page file; give one page, "
            "or use `kocorrect batch` for a folder"
        ) from None
    except PermissionError:
        raise InputError(
            f"{name}: permission denied; make the file readable (chmod +r) or run as its owner"
        ) from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data:
        return "binary data (it contains NUL bytes)"
    return None


def _decode_with(data: bytes, encoding: str, source: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(
            f"{source}: unknown encoding {encoding!r}; use a Python codec name such as "
            "utf-8, utf-16, cp949 or euc-kr"
        ) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid {encoding} (undecodable byte at offset {exc.start}); "
            "check the encoding, or leave it out to let kocorrect detect it"
        ) from None


def decode_bytes(data: bytes, *, source: str = "<input>", encoding: str | None = None) -> str:
    """Decode a page strictly: `encoding` if given, else UTF-8, UTF-16 (BOM), then CP949.

    >>> decode_bytes(b"\\xef\\xbb\\xbfabc")
    'abc'
    >>> decode_bytes("한글".encode("utf-16"))
    '한글'
    """
    return _decode(data, source=source, encoding=encoding)[0]


def _decode(data: bytes, *, source: str, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        return _decode_with(data, encoding, source), encoding
    if data.startswith(codecs.BOM_UTF8):
        return _decode_with(data, "utf-8-sig", source), "utf-8-sig"
    if data.startswith(_UTF16_BOMS):
        return _decode_with(data, "utf-16", source), "utf-16"
    kind = _binary_kind(data)
    if kind is not None:
        raise InputError(f"{source}: looks like {kind}, not a text page; give a .txt page file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        offset = exc.start
    try:
        return data.decode("cp949"), "cp949"
    except UnicodeDecodeError:
        pass
    raise InputError(
        f"{source}: not UTF-8, UTF-16 (with BOM) or CP949/EUC-KR text (undecodable byte at "
        f"offset {offset}); convert it to UTF-8, or give its encoding (--encoding)"
    )


def read_page(path: str | os.PathLike[str], encoding: str | None = None) -> PageFile:
    """Read and decode one page file, keeping the hash of its bytes for the edit log."""
    name = os.fspath(path)
    data = read_bytes(name)
    text, used = _decode(data, source=name, encoding=encoding)
    return PageFile(path=name, text=text, sha256=sha256_hex(data), encoding=used)


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """The text of a page file, decoded strictly (see the module docstring for the order).

    Raises `InputError` naming the file and the cause: missing, a directory, unreadable,
    binary (NUL bytes, an image or PDF signature) or undecodable.
    """
    return read_page(path, encoding).text


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(
    path: str | os.PathLike[str], text: str | Iterable[str], *, make_parents: bool = False
) -> None:
    """Write `text` as UTF-8 so that `path` is either its old self or complete, never half.

    `text` may also be an iterable of pieces, written as they come (a summary of a million
    pages is never one string in memory).

    The text goes to a temporary file in the same folder (so the rename stays on one file
    system), is flushed to disk, then renamed over `path` with `os.replace`. The folder must
    exist (`FileNotFoundError` otherwise) unless `make_parents`, which batch uses for the
    subfolders it mirrors under an existing OUTDIR.
    """
    target = Path(path)
    if make_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in [text] if isinstance(text, str) else text:
                f.write(piece.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
