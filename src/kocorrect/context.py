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

__all__ = ["OOV_MORPHEME_MAX_ID", "LanguageModel", "NounSpan"]

# (start, end, tag): a span of a text that Kiwi is to read as one noun with that tag.
NounSpan = tuple[int, int, str]

# Kiwi numbers its placeholder morphemes (one per tag, form '') first; a token whose id is one
# of these is a form Kiwi does not know (an out-of-vocabulary guess), whatever tag it was given.
OOV_MORPHEME_MAX_ID = 64


class LanguageModel:
    """Lazily loaded Kiwi with a bounded score cache. Safe to share between threads for reads."""

    def __init__(self, *, cache_size: int = 200_000, num_workers: int = 1) -> None:
        self._kiwi: Kiwi | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str | tuple[str, NounSpan], float] = OrderedDict()
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

    def score(
        self, texts: Sequence[str], *, nouns: Sequence[NounSpan | None] | None = None
    ) -> list[float]:
        """Analysis score of each text (higher is more probable), batched through Kiwi.

        `nouns`, one per text: a span Kiwi must read as one noun of the given tag (a compound
        only kocorrect's lexicons know: Kiwi gives it the probability of a noun it has no
        statistics for, instead of the sum of its parts); None reads the text freely.
        """
        keys: list[str | tuple[str, NounSpan]] = [
            text if span is None else (text, span)
            for text, span in zip(texts, nouns or [None] * len(texts))
        ]
        out: list[float | None] = []
        missing: list[str | tuple[str, NounSpan]] = []
        with self._lock:
            for key in keys:
                cached = self._cache.get(key)
                out.append(cached)
                if cached is None:
                    missing.append(key)
        if missing:
            scored = self._analyze_scores(list(dict.fromkeys(missing)))
            with self._lock:
                for key, value in scored.items():
                    self._cache[key] = value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            out = [scored[k] if v is None else v for k, v in zip(keys, out)]
        return [float(v) for v in out]  # type: ignore[arg-type]

    def _analyze_scores(
        self, keys: list[str | tuple[str, NounSpan]]
    ) -> dict[str | tuple[str, NounSpan], float]:
        plain = [k for k in keys if isinstance(k, str)]
        results: list[Any] = list(self.kiwi.analyze(plain, top_n=1)) if plain else []
        scored: dict[str | tuple[str, NounSpan], float] = {
            text: float(result[0][1]) for text, result in zip(plain, results)
        }
        forced = [k for k in keys if not isinstance(k, str)]
        while forced:
            # One span per text in a batch (the callable looks the span up by its text).
            batch: dict[str, NounSpan] = {}
            rest = []
            for text, span in forced:
                if text in batch:
                    rest.append((text, span))
                else:
                    batch[text] = span
            texts = list(batch)
            results = list(
                self.kiwi.analyze(texts, top_n=1, pretokenized=lambda t, spans=batch: [spans[t]])
            )
            for text, result in zip(texts, results):
                scored[(text, batch[text])] = float(result[0][1])
            forced = rest
        return scored
