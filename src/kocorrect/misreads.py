"""Repair of OCR misreads: jamo-level candidates, language-model context (in progress)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .context import LanguageModel
from .lexicon import Lexicon
from .types import Edit

__all__ = ["correct_misreads"]


def correct_misreads(
    text: str,
    *,
    lm: LanguageModel,
    lexicon: Lexicon,
    protected: Sequence[tuple[int, int]] = (),
    threshold: float = 0.5,
    suggest_threshold: float = 0.2,
    confusions: Path | None = None,
) -> tuple[list[Edit], list[Edit]]:
    """(applied edits, suggestions) on `text`; nothing inside a `protected` span is touched."""
    return [], []
