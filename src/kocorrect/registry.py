"""The name registry: the people a newsroom can vouch for, by role, organisation and period.

No lexicon can say whether 인전혁 is a real person; a newsroom's own staff list and its list of
officials can. The registry is a TSV file with a header row::

    name	role	organisation	valid_from	valid_to	source
    박진표	기자	광주일보			staff list

Dates are ISO (YYYY-MM-DD); an empty date leaves that end of the period open. Lines starting
with `#` and blank lines are ignored. Parsing is strict: a malformed row raises
`DataFileError` naming the file and line, because a registry that silently drops a row would
let a misspelt name pass as verified.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .distance import jamo_distance
from .errors import DataFileError

__all__ = ["REGISTRY_COLUMNS", "Registry", "RegistryEntry", "jamo_distance", "load_registry"]

REGISTRY_COLUMNS = ("name", "role", "organisation", "valid_from", "valid_to", "source")


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """One person in one role at one organisation for one period (open ends are `None`)."""

    name: str
    role: str = ""
    organisation: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: str = ""

    def valid_on(self, date: dt.date | None) -> bool:
        """Whether the entry holds on `date`; with no date every entry holds."""
        if date is None:
            return True
        if self.valid_from is not None and date < self.valid_from:
            return False
        return not (self.valid_to is not None and date > self.valid_to)

    def describe(self) -> str:
        """`role, organisation` as a proofreader reads it (either may be missing)."""
        return ", ".join(part for part in (self.role, self.organisation) if part) or "no role"


class Registry:
    """Entries indexed by name; look-ups take the page's publication date into account."""

    def __init__(self, entries: Iterable[RegistryEntry], *, path: Path | None = None) -> None:
        self.entries = tuple(entries)
        self.path = path
        self._by_name: dict[str, list[RegistryEntry]] = {}
        for entry in self.entries:
            self._by_name.setdefault(entry.name, []).append(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, name: str, date: dt.date | None = None) -> list[RegistryEntry]:
        """Entries for exactly `name` that are valid on `date`."""
        return [e for e in self._by_name.get(name, ()) if e.valid_on(date)]

    def near(
        self, name: str, date: dt.date | None = None, *, max_distance: int = 2
    ) -> list[tuple[int, RegistryEntry]]:
        """Valid entries whose name is within `max_distance` jamo of `name`, closest first.

        Names of another length in syllables are skipped: OCR damages glyphs, it rarely adds or
        drops a whole syllable of a name.
        """
        found: list[tuple[int, RegistryEntry]] = []
        for other, entries in self._by_name.items():
            if other == name or len(other) != len(name):
                continue
            distance = jamo_distance(name, other)
            if distance > max_distance:
                continue
            found.extend((distance, e) for e in entries if e.valid_on(date))
        found.sort(key=lambda item: (item[0], item[1].name))
        return found


def _parse_date(value: str, column: str, path: Path, line: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataFileError(
            path,
            f"{column} {value!r} is not an ISO date (YYYY-MM-DD); leave it empty if open",
            line,
        ) from None


def _parse_row(fields: list[str], path: Path, line: int) -> RegistryEntry:
    if len(fields) != len(REGISTRY_COLUMNS):
        raise DataFileError(
            path,
            f"expected {len(REGISTRY_COLUMNS)} tab-separated fields "
            f"({', '.join(REGISTRY_COLUMNS)}), found {len(fields)}",
            line,
        )
    name, role, organisation, start, end, source = (f.strip() for f in fields)
    if not name:
        raise DataFileError(path, "the name field is empty", line)
    if any(ch.isspace() for ch in name):
        raise DataFileError(path, f"name {name!r} contains whitespace; write it solid", line)
    valid_from = _parse_date(start, "valid_from", path, line)
    valid_to = _parse_date(end, "valid_to", path, line)
    if valid_from and valid_to and valid_from > valid_to:
        raise DataFileError(path, f"valid_from {start} is after valid_to {end}", line)
    return RegistryEntry(name, role, organisation, valid_from, valid_to, source)


def load_registry(path: Path | str) -> Registry:
    """Read a registry TSV (format in the module docstring), strictly.

    Raises `DataFileError` for a missing file, a wrong header or a malformed row.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, "name registry not found: check Config.registry") from None
    except UnicodeDecodeError:
        raise DataFileError(path, "name registry is not UTF-8 text: save it as UTF-8") from None
    entries: list[RegistryEntry] = []
    header_seen = False
    for number, text in enumerate(raw.splitlines(), start=1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        fields = text.split("\t")
        if not header_seen:
            if tuple(f.strip() for f in fields) != REGISTRY_COLUMNS:
                raise DataFileError(
                    path,
                    "the first row must be the header " + "\\t".join(REGISTRY_COLUMNS),
                    number,
                )
            header_seen = True
            continue
        entries.append(_parse_row(fields, path, number))
    if not header_seen:
        raise DataFileError(path, "the registry is empty: it needs at least the header row")
    return Registry(entries, path=path)
