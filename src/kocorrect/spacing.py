"""An optional neural spacing model, asked about the line breaks the layout model leaves open.

The layout model (`layout`, `breaks`) decides a line break from Kiwi's readings of the two halves
and what the page and the lexicon know. Where it hesitates (it reads one word with a probability
between SPACER_MIN_PROBABILITY and its threshold) a spacing model trained on edited Korean prose
tells the compounds and verb chains that prose writes solid (지하|수면, 살펴|봅니다) from two
words. The model is quickspacer (https://github.com/psj8252/quickspacer, on PyPI; TensorFlow),
an optional dependency: `pip install 'kocorrect[spacing]'`, then `Config(spacing_model=True)` or
`kocorrect fix --spacing-model`. Nothing is downloaded at run time: the model ships inside the
package.

Measured, on the training pages (scripts/measure_spacing_model.py; labels from each page's gold,
breaks next to a misread left out): of the breaks the layout model leaves open with a probability
of one word of at least 0.3, quickspacer (level 3) closes 59 and the gold closes 51 of those
(0.86); below 0.3 it closes 201, of which the gold closes 87. Kiwi's own `space()` in the same
place: 31 right of 43 (0.72). End to end (scripts/run_bench.py --spacing-model), without -> with,
on the code of 2026-12-07: train-mixed 68.7 -> 69.1 % CER improvement, char P 0.965 -> 0.962, space
R 0.963 -> 0.971; dev-mixed 64.4 -> 64.6 %, char P 0.959 -> 0.958, space R 0.965 -> 0.972; news-dev
58.1 -> 58.2 %; dev 55.5 % either way. The joins it adds are less precise than the layout
model's own (a join beside a misread it cannot see, a verb chain the source writes apart), so it
is off by default. Costs:
TensorFlow takes 2.3 GB on disk, loading adds about 5 s and 680 MB per process, and each break
asked costs about 1.4 ms.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from functools import cache

from .errors import ConfigError

__all__ = [
    "SPACER_CONTEXT_WORDS",
    "SPACER_LEVEL",
    "SPACER_MIN_PROBABILITY",
    "SPACER_PRECISION",
    "SpacingModel",
    "load_spacing_model",
    "require_spacing_model",
]

# quickspacer ships three models (1: smallest); 3 separated best on the training pages (in a first
# run of the measurement, 0.88 of its joins in the band right, against 0.81 for level 1).
SPACER_LEVEL = 3
# The band of the layout model's probability of one word in which the spacing model is asked:
# below 0.3 its joins were right 87 of 201 times on the training pages (not worth asking).
SPACER_MIN_PROBABILITY = 0.3
# How sure a join the spacing model made is: its precision in the band on the training pages.
SPACER_PRECISION = 0.86
# Words on each side of the break the spacing model reads (the break's own words included).
SPACER_CONTEXT_WORDS = 3


class SpacingModel:
    """quickspacer, asked whether a line break closes: `joins(words, indexes)`."""

    def __init__(self, spacer: object) -> None:
        self._spacer = spacer

    def joins(self, words: Sequence[str], gaps: Sequence[int]) -> list[bool]:
        """For each gap index i (between words[i] and words[i + 1]): whether the model writes
        the two as one word, reading SPACER_CONTEXT_WORDS words on each side."""
        texts: list[str] = []
        junctions: list[int] = []
        for i in gaps:
            left = list(words[max(0, i - SPACER_CONTEXT_WORDS + 1) : i + 1])
            right = list(words[i + 1 : i + 1 + SPACER_CONTEXT_WORDS])
            texts.append(" ".join([*left[:-1], left[-1] + right[0], *right[1:]]))
            junctions.append(sum(len(w) for w in left))
        if not texts:
            return []
        spaced = self._spacer.space(texts)  # type: ignore[attr-defined]
        return [_closed_at(out, junction) for out, junction in zip(spaced, junctions, strict=True)]


def _closed_at(spaced: str, junction: int) -> bool:
    """Whether `spaced` has no space after its `junction`-th non-space character."""
    seen = 0
    for k, ch in enumerate(spaced):
        if ch == " ":
            continue
        seen += 1
        if seen == junction:
            return not (k + 1 < len(spaced) and spaced[k + 1] == " ")
    return False


_MISSING = (
    "spacing_model=True needs the optional spacing model: pip install 'kocorrect[spacing]' "
    "(quickspacer and TensorFlow, about 2.3 GB), or leave spacing_model off"
)


def require_spacing_model() -> None:
    """`ConfigError` unless quickspacer is installed (checked without importing TensorFlow)."""
    if importlib.util.find_spec("quickspacer") is None:
        raise ConfigError(_MISSING)


@cache
def load_spacing_model() -> SpacingModel:
    """The spacing model, loaded once per process (TensorFlow's load is slow)."""
    # TensorFlow logs its start-up to stderr unless told otherwise.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        from quickspacer import Spacer  # type: ignore[import-not-found]
    except ImportError:
        raise ConfigError(_MISSING) from None
    return SpacingModel(Spacer(level=SPACER_LEVEL))
