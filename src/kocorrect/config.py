"""One frozen configuration object, passed keyword-only, as black passes its `Mode`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

__all__ = ["Config"]


@dataclass(frozen=True, slots=True)
class Config:
    """How a `Corrector` behaves. Hashable, so results can be cached per configuration."""

    threshold: float = 0.5
    """Confidence at or above which a correction is applied; below it (and above
    `suggest_threshold`) it is only suggested. Raise it for fewer, surer changes."""

    suggest_threshold: float = 0.2
    """Confidence under which a candidate is dropped instead of suggested."""

    lexicons: tuple[Path, ...] = ()
    """User lexicons (TSV, format in dictionaries/README.md), added to the shipped ones."""

    confusions: Path | None = None
    """An OCR confusion table to use instead of the shipped, calibrated one."""

    registry: Path | None = None
    """A name registry (TSV) of people the paper knows; without one every name is flagged."""

    date: dt.date | None = None
    """Publication date of the page: only registry entries valid on that day count."""

    normalize: bool = True
    """Stage switch: Unicode normalisation (NFC, loose jamo, lone surrogates)."""

    layout: bool = True
    """Stage switch: rejoin words broken across lines and columns, rebuild paragraphs."""

    keep_lines: bool = False
    """Keep the page's line breaks instead of one paragraph per line."""

    names: bool = True
    """Stage switch: detect person names, protect them from correction and flag them."""

    correct: bool = True
    """Stage switch: repair OCR misreads (non-words and real-word errors)."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"threshold must be between 0 and 1, got {self.threshold}")
        if not 0.0 <= self.suggest_threshold <= self.threshold:
            raise ConfigError(
                "suggest_threshold must be between 0 and threshold "
                f"({self.threshold}), got {self.suggest_threshold}"
            )
        object.__setattr__(self, "lexicons", tuple(Path(p) for p in self.lexicons))
        if self.confusions is not None:
            object.__setattr__(self, "confusions", Path(self.confusions))
        if self.registry is not None:
            object.__setattr__(self, "registry", Path(self.registry))
