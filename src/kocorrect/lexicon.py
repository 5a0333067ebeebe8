"""Lexicon layers: general (from Kiwi's morpheme inventory), domain, and the user's (in progress)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["Lexicon"]


class Lexicon:
    def __init__(self, words: dict[str, str]) -> None:
        self.words = words

    @classmethod
    def load(cls, *, user_lexicons: Iterable[Path] = ()) -> Lexicon:
        return cls({})

    def __contains__(self, word: object) -> bool:
        return word in self.words
