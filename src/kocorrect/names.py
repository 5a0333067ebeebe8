"""Person names: detect mentions, protect them, flag the unverified (work in progress)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .context import LanguageModel
from .types import Flag

__all__ = ["NameChecker", "NameMention"]


@dataclass(frozen=True, slots=True)
class NameMention:
    start: int
    end: int
    name: str


class NameChecker:
    def __init__(self, *, registry: Path | None = None, date: dt.date | None = None) -> None:
        self.registry = registry
        self.date = date

    def check(self, text: str, lm: LanguageModel) -> tuple[list[NameMention], list[Flag]]:
        return [], []
