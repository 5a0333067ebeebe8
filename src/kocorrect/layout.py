"""Layout repair: rejoin words broken across lines and columns (work in progress)."""

from __future__ import annotations

from .context import LanguageModel
from .types import Edit

__all__ = ["rejoin_broken_words"]


def rejoin_broken_words(text: str, lm: LanguageModel, *, keep_lines: bool = False) -> list[Edit]:
    """Edits (kind "rejoin", ...) that rejoin broken words and rebuild paragraphs."""
    return []
