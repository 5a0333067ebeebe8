"""Access to the files in `dictionaries/`, wherever the package was installed from.

In a wheel the folder is force-included as `kocorrect/dictionaries`; in a source checkout
(editable install) it is the top-level `dictionaries/` beside `src/`. Files are opened lazily.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from .errors import DataFileError

__all__ = ["check_feature_names", "data_path"]


def data_path(name: str) -> Path:
    """Path of a shipped data file, e.g. `data_path("confusions.tsv")`."""
    packaged = resources.files("kocorrect").joinpath("dictionaries", name)
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "dictionaries" / name
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(
        f"kocorrect data file {name!r} is missing from the installation; reinstall kocorrect"
    )


def check_feature_names(
    path: Path, found: Sequence[str], expected: Sequence[str], *, code: str, refit: str
) -> None:
    """Raise `DataFileError` unless a weight file's feature names are `expected`, in order.

    Weights fitted for other features (or the same ones in another order) would weigh the wrong
    evidence without any error, so a weight file names its features and they are checked at
    load. `code` names where the features are computed, `refit` how to rebuild the file.

    >>> check_feature_names(Path("w.json"), ["bias", "gain"], ["bias", "gain"], code="m", refit="")
    >>> try:
    ...     check_feature_names(Path("w.json"), ["gain"], ["bias", "gain"], code="m", refit="refit")
    ... except DataFileError as error:
    ...     print(error)
    w.json: its feature names do not match those of m: missing bias; refit
    """
    found, expected = tuple(found), tuple(expected)
    if found == expected:
        return
    missing = [f for f in expected if f not in found]
    extra = [f for f in found if f not in expected]
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if extra:
        parts.append(f"unknown {', '.join(extra)}")
    if not parts and len(found) != len(expected):
        parts.append(f"{len(found)} names for {len(expected)} features (a name is repeated)")
    if not parts:
        at = next(i for i, (a, b) in enumerate(zip(found, expected)) if a != b)
        parts.append(
            f"the same names in another order (at {at}: {found[at]!r}, not {expected[at]!r})"
        )
    raise DataFileError(
        path, f"its feature names do not match those of {code}: {'; '.join(parts)}; {refit}"
    )
