"""Which pages a batch corrects, listed lazily: a directory walk or a list file, one path a line.

An archive can hold millions of pages, so neither listing builds a list: both are generators
yielding one relative POSIX path at a time (a walk holds one folder's sub-folder names per
level, a list file one line). The paths are checked for shape only (inside INDIR, not empty);
whether each file exists and reads is for the worker that corrects it to find out and report.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .errors import InputError

__all__ = ["check_page_list", "iter_pages", "read_page_list"]


def iter_pages(indir: str | os.PathLike[str], pattern: str = "*.txt") -> Iterator[str]:
    """Page files under `indir` (recursive) matching `pattern`, as relative POSIX paths.

    The same files as `kocorrect.batch.find_pages` (a name matches as in `Path.rglob`), in
    directory order rather than sorted, one at a time. Symbolic links to folders are not
    followed.
    """
    root = Path(indir)
    pending: list[str] = [""]  # relative folders still to walk, depth first
    while pending:
        folder = pending.pop()
        subfolders: list[str] = []
        with os.scandir(root / folder) as entries:
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(rel)
                elif entry.is_file() and PurePosixPath(rel).match(pattern):
                    yield rel
        pending.extend(sorted(subfolders, reverse=True))


def _relative(indir: Path, line: str) -> str | None:
    """`line` as a normalised path relative to `indir`, or None when it points outside it."""
    path = Path(line)
    if path.is_absolute():
        for base in (Path(os.path.abspath(indir)), indir.resolve()):
            try:
                path = path.relative_to(base)
                break
            except ValueError:
                continue
        else:
            return None
    rel = os.path.normpath(path).replace(os.sep, "/")
    if rel in (".", "") or rel == ".." or rel.startswith("../"):
        return None
    return rel


def _lines(listfile: Path) -> Iterator[tuple[int, str]]:
    try:
        with open(listfile, encoding="utf-8", newline="") as f:
            for number, raw in enumerate(f, start=1):
                line = raw.rstrip("\r\n")
                if line.strip():
                    yield number, line
    except UnicodeDecodeError as err:
        raise InputError(
            f"{listfile}: not UTF-8 ({err.reason} at byte {err.start}); "
            "write the page list as UTF-8, one path a line"
        ) from err
    except OSError as err:
        raise InputError(f"{listfile}: cannot read the page list ({err.strerror})") from err


def check_page_list(indir: str | os.PathLike[str], listfile: str | os.PathLike[str]) -> int:
    """Read the list once and check every line; the number of pages, or InputError naming the
    first bad line. Run it before a batch starts so a typo on line 90,000 stops nothing midway.
    """
    root, source = Path(indir), Path(listfile)
    count = 0
    for number, line in _lines(source):
        if _relative(root, line) is None:
            raise InputError(
                f"{source}:{number}: {line!r} is not a file inside {root}; list each page "
                "relative to INDIR or as an absolute path inside it"
            )
        count += 1
    return count


def read_page_list(
    indir: str | os.PathLike[str], listfile: str | os.PathLike[str]
) -> Iterator[str]:
    """The pages named in `listfile` (one path a line, relative to `indir` or absolute inside
    it; blank lines skipped), as relative POSIX paths, one at a time."""
    root, source = Path(indir), Path(listfile)
    for number, line in _lines(source):
        rel = _relative(root, line)
        if rel is None:
            raise InputError(f"{source}:{number}: {line!r} is not a file inside {root}")
        yield rel
