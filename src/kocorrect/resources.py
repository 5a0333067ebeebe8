"""Access to the files in `dictionaries/`, wherever the package was installed from.

In a wheel the folder is force-included as `kocorrect/dictionaries`; in a source checkout
(editable install) it is the top-level `dictionaries/` beside `src/`. Files are opened lazily.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["data_path"]


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
