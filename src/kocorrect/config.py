"""One frozen configuration object, passed keyword-only, as black passes its `Mode`.

Every setting is checked when the object is made, with a message that says what to pass:

>>> Config(threshold="high")
Traceback (most recent call last):
...
kocorrect.errors.ConfigError: threshold must be a number (a float such as 0.8), got 'high'
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .misreads.effort import EFFORTS
from .spacing import require_spacing_model

__all__ = ["MIN_THRESHOLD", "Config"]

MIN_THRESHOLD = 0.3
"""The lowest threshold the misread model is calibrated for: scripts/calibrate_misreads.py
measures precision on the training pages from 0.3 up; below it the model's confidences were never
checked against right and wrong repairs (at 0 every candidate is applied: 기자 -> 피자)."""

_SWITCHES = ("normalize", "layout", "keep_lines", "names", "correct", "spacing_model")


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{name} must be a number (a float such as 0.8), got {value!r}")
    return float(value)


def _path(name: str, value: Any) -> Path:
    if isinstance(value, str | os.PathLike):
        return Path(value)
    raise ConfigError(f"{name} must be a path (str or pathlib.Path), got {value!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """How a `Corrector` behaves. Hashable, so results can be cached per configuration.

    Keyword-only: `Config(threshold=0.8)`, never `Config(0.8)`.
    """

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

    spacing_model: bool = False
    """Ask the optional neural spacing model (quickspacer; `pip install 'kocorrect[spacing]'`)
    about the line breaks the layout model hesitates over: more compounds and verb chains
    rejoined, at a lower precision for those joins and about 5 s and 680 MB more per process."""

    effort: str = "thorough"
    """How much search the misread stage spends on each page: "thorough", or "fast" for
    archives (fewer real words searched, fewer variants per word: about 1.6 times the pages per
    CPU-second, for fewer repairs; `kocorrect.misreads.effort` says what each costs)."""

    @property
    def uses_models(self) -> bool:
        """Whether a stage that needs the language model or the lexicons is switched on
        (layout, names, correction): otherwise nothing loads them."""
        return self.layout or self.names or self.correct

    def __post_init__(self) -> None:
        set_ = _setter(self)
        threshold = _number("threshold", self.threshold)
        suggest = _number("suggest_threshold", self.suggest_threshold)
        if not MIN_THRESHOLD <= threshold <= 1.0:
            raise ConfigError(
                f"threshold must be between {MIN_THRESHOLD} and 1 (the range the misread model "
                f"is calibrated on), got {self.threshold}"
            )
        if not 0.0 <= suggest <= threshold:
            raise ConfigError(
                "suggest_threshold must be between 0 and threshold "
                f"({self.threshold}), got {self.suggest_threshold}"
            )
        set_("threshold", threshold)
        set_("suggest_threshold", suggest)
        lexicons = self.lexicons
        if isinstance(lexicons, str | os.PathLike):
            raise ConfigError(
                f"lexicons must be a list or tuple of paths, got the "
                f"{'string' if isinstance(lexicons, str) else 'path'} {os.fspath(lexicons)!r}; "
                f"write lexicons=({os.fspath(lexicons)!r},)"
            )
        try:
            items = tuple(lexicons)
        except TypeError:
            raise ConfigError(
                f"lexicons must be a list or tuple of paths, got {lexicons!r}"
            ) from None
        set_("lexicons", tuple(_path("each of lexicons", p) for p in items))
        for name in ("confusions", "registry"):
            value = getattr(self, name)
            if value is not None:
                set_(name, _path(name, value))
        if self.date is not None:
            if isinstance(self.date, dt.datetime):
                set_("date", self.date.date())
            elif not isinstance(self.date, dt.date):
                raise ConfigError(
                    f"date must be a datetime.date (e.g. datetime.date(2021, 12, 1)), "
                    f"got {self.date!r}"
                )
        for name in _SWITCHES:
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.effort not in EFFORTS:
            raise ConfigError(
                f"effort must be one of {', '.join(map(repr, EFFORTS))}, got {self.effort!r}"
            )
        if self.spacing_model:
            require_spacing_model()


def _setter(config: Config) -> Any:
    """A setter for the frozen `config`'s fields, for `__post_init__`'s normalising."""
    names = {f.name for f in fields(config)}

    def set_(name: str, value: Any) -> None:
        assert name in names
        object.__setattr__(config, name, value)

    return set_
