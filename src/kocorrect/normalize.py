"""Unicode clean-up before anything else: NFC, lone surrogates, loose jamo (work in progress)."""

from __future__ import annotations

from .types import Edit

__all__ = ["normalize_text"]


def normalize_text(text: str) -> list[Edit]:
    """Edits (kind "normalize") that put `text` into the form the later stages expect."""
    return []
