"""Language-model context: Kiwi's analysis score of a piece of text, batched and cached.

Kiwi's best-path analysis score is a log-probability of the text under its morpheme language
model; the difference between two variants of the same sentence is the context evidence every
decision in kocorrect uses (is `육성해` better than `육 성해`, `댐` better than `탠`?). Scoring
is the expensive step, so callers batch their variants and the model caches repeated ones.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiwipiepy import Kiwi, Token

__all__ = ["OOV_MORPHEME_MAX_ID", "LanguageModel"]

# Kiwi numbers its placeholder morphemes (one per tag, form '') first; a token whose id is one
# of these is a form Kiwi does not know (an out-of-vocabulary guess), whatever tag it was given.
OOV_MORPHEME_MAX_ID = 64


class LanguageModel:
    """Lazily loaded Kiwi with a bounded score cache. Safe to share between threads for reads."""

    def __init__(self, *, cache_size: int = 200_000, num_workers: int = 1) -> None:
        self._kiwi: Kiwi | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, float] = OrderedDict()
        self._cache_size = cache_size
        self._num_workers = num_workers

    @property
    def kiwi(self) -> Kiwi:
        if self._kiwi is None:
            with self._lock:
                if self._kiwi is None:
                    from kiwipiepy import Kiwi

                    kiwi = Kiwi(num_workers=self._num_workers)
                    kiwi.tokenize("")  # finish Kiwi's own lazy initialisation now
                    self._kiwi = kiwi
        return self._kiwi

    def analyze(self, text: str) -> tuple[list[Token], float]:
        """Best analysis of `text`: its tokens and score."""
        tokens, score = self.kiwi.analyze(text, top_n=1)[0]
        return tokens, score

    def analyze_many(self, texts: Sequence[str]) -> list[tuple[list[Token], float]]:
        """Best analysis of each text, batched through Kiwi's worker threads."""
        if not texts:
            return []
        return [
            (result[0][0], float(result[0][1]))
            for result in self.kiwi.analyze(list(texts), top_n=1)
        ]

    def clear_cache(self) -> None:
        """Forget cached scores (benchmarks use it so every run does the full work)."""
        with self._lock:
            self._cache.clear()

    def score(self, texts: Sequence[str]) -> list[float]:
        """Analysis score of each text (higher is more probable), batched through Kiwi."""
        out: list[float | None] = []
        missing: list[str] = []
        with self._lock:
            for text in texts:
                cached = self._cache.get(text)
                out.append(cached)
                if cached is None:
                    missing.append(text)
        if missing:
            unique = list(dict.fromkeys(missing))
            results: list[Any] = list(self.kiwi.analyze(unique, top_n=1))
            scored = {text: float(result[0][1]) for text, result in zip(unique, results)}
            with self._lock:
                for text, value in scored.items():
                    self._cache[text] = value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            out = [scored[t] if v is None else v for t, v in zip(texts, out)]
        return [float(v) for v in out]  # type: ignore[arg-type]
