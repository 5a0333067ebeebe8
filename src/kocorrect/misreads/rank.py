"""Ranking: the language model's verdict on each candidate, in context windows.

Every window is short and local (`window`: a few words of context, cut to a few characters a
word where the OCR lost the spaces), and each distinct window is scored once, in batches
(`LanguageModel.score`). A candidate's gain is its window's score against the original's
(`gains`; a compound only the domain or user lexicons know is also read as one noun). The same
repair reached through different jamo changes keeps its cheapest explanation
(`cheapest_paths`); a cheap pass scores each variant's word alone and keeps a shortlist per
piece (`shortlist`); the shortlist is scored with one word of context (CONTEXT_TOKENS), the
finalists again with three (`rescore_finalists`); `with_leads` sets how far each candidate
leads the best rival repair of its piece.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence

from ..analysis import LanguageModel, NounSpan
from ..types import common_ends
from .candidates import Candidate
from .variants import ALONE_VARIANTS, QUIET_VARIANTS

__all__ = [
    "CONTEXT_TOKENS",
    "FINAL_CONTEXT_TOKENS",
    "Window",
    "candidate_window",
    "changed_span",
    "cheapest_paths",
    "gains",
    "in_window",
    "rescore_finalists",
    "shortlist",
    "window",
    "with_leads",
]

# Words of context on each side of a candidate's first scoring in context.
CONTEXT_TOKENS = 1
# The best repairs of each piece (by gain minus cost) scored again with FINAL_CONTEXT_TOKENS
# words of context each side: more and wider decide better at more Kiwi work per piece.
FINALISTS = 2
FINAL_CONTEXT_TOKENS = 3
# Variants of a piece kept by the cheap pass that scores each word alone (more: more candidates
# scored in context), and how much each unit of channel cost counts against a variant there.
SHORTLIST_SIZE = 3
SHORTLIST_COST_WEIGHT = 0.6
# A variant whose word alone reads this much worse than the original (score difference minus
# its weighted channel cost) is not scored in context at all. Measured on the training pages
# (the floor was -12 before): -8 changed no output; -6 dropped two wrong repairs of train
# (hangul P 0.932 -> 0.941; one other unit lost, 52.97 -> 52.92 %) and gained one unit on
# train-mixed, for 11 % less Kiwi work; -4 lost right repairs (train-mixed 67.4 -> 67.3 %).
# Higher skips more variants and loses the repairs that only the context bears out.
ALONE_MERIT_FLOOR = -6.0
# A window of N words of context reaches at most N * WINDOW_CHARS_PER_WORD characters beyond
# the span it is about on each side (a word alone: ALONE_SIDE_CHARS): where the OCR lost the
# spaces a "word" can be a whole line, and its windows would be whole lines. A printed Korean
# word and its space take about 4 characters; wider sees more context at more Kiwi work. 10
# instead of 4 scored the same edits on train and dev (one unit more on train-mixed and on
# dev-mixed) for 6 % more Kiwi work on printed pages and 21 % more on unspaced ones.
WINDOW_CHARS_PER_WORD = 4
ALONE_SIDE_CHARS = 6


Window = tuple[str, str, NounSpan | None]
"""(the text with a repair made, the same text as it stands, the span read as one noun in the
repaired text or None): what the language model compares."""


def candidate_window(text: str, piece_window: tuple[int, int], c: Candidate) -> Window:
    """The window of candidate `c`: its piece's window (`piece_window`), widened to a joined
    span that reaches past it."""
    w_start = min(piece_window[0], c.start)
    w_end = max(piece_window[1], c.end)
    return (
        text[w_start : c.start] + c.replacement + text[c.end : w_end],
        text[w_start:w_end],
        in_window(c.noun_span, w_start, w_end),
    )


def gains(lm: LanguageModel, windows: Sequence[Window]) -> list[float]:
    """Language-model gain of each (variant, original, noun span) window: the variant in its
    better reading (as it stands, or with the span read as one noun) against the original."""
    texts: list[str] = []
    nouns: list[NounSpan | None] = []
    for variant, original, span in windows:
        texts += [variant, original]
        nouns += [None, None]
        if span is not None:
            texts.append(variant)
            nouns.append(span)
    scores = iter(lm.score(texts, nouns=nouns))
    out = []
    for _variant, _original, span in windows:
        variant_score, original_score = next(scores), next(scores)
        if span is not None:
            variant_score = max(variant_score, next(scores))
        out.append(variant_score - original_score)
    return out


def window(
    tokens: list[tuple[int, int]], token_starts: list[int], start: int, end: int, context: int
) -> tuple[int, int]:
    """The span [start, end) with `context` whitespace tokens on each side, cut to at most
    `context` * WINDOW_CHARS_PER_WORD (alone: ALONE_SIDE_CHARS) characters on either side."""
    first = bisect_right(token_starts, start) - 1
    last = bisect_right(token_starts, max(start, end - 1)) - 1
    w_start = tokens[max(0, first - context)][0]
    w_end = tokens[min(len(tokens) - 1, last + context)][1]
    side = context * WINDOW_CHARS_PER_WORD if context else ALONE_SIDE_CHARS
    return max(w_start, start - side), min(w_end, end + side)


def changed_span(c: Candidate) -> tuple[int, int, str]:
    """(start, end, replacement) of what `c` changes, its unchanged head and tail left out:
    the word alone is scored around the changed syllables, so that a piece cut from a run
    whose spaces the OCR lost costs what a printed word costs, not the whole piece's width in
    every variant.

    >>> from kocorrect.misreads.candidates import Candidate
    >>> c = Candidate(10, 15, "국무층리는", "국무총리는", 1.0, 1, 0.0, True, False, "국무총리", ())
    >>> changed_span(c)
    (12, 13, '총')
    """
    head, tail = common_ends(c.original, c.replacement)
    return c.start + head, c.end - tail, c.replacement[head : len(c.replacement) - tail]


def in_window(span: NounSpan | None, w_start: int, w_end: int) -> NounSpan | None:
    """`span` (text offsets) relative to the window [w_start, w_end), if it lies inside."""
    if span is None or span[0] < w_start or span[1] > w_end:
        return None
    return (span[0] - w_start, span[1] - w_start, span[2])


def rescore_finalists(
    candidates: list[Candidate],
    text: str,
    tokens: list[tuple[int, int]],
    token_starts: list[int],
    lm: LanguageModel,
    context: int = FINAL_CONTEXT_TOKENS,
) -> list[Candidate]:
    """Score the best repairs of each piece again with a wider context (`context` words each
    side): one word of context ranks well enough to shortlist, the decision between the
    finalists and the original deserves the sentence."""
    by_piece: dict[int, list[int]] = {}
    for index, c in enumerate(candidates):
        by_piece.setdefault(c.piece_start, []).append(index)
    finalists: list[int] = []
    for indexes in by_piece.values():
        indexes.sort(key=lambda i: candidates[i].channel_cost - candidates[i].lm_gain)
        finalists.extend(indexes[:FINALISTS])
    windows: dict[int, Window] = {}
    for index in finalists:
        c = candidates[index]
        w_start, w_end = window(tokens, token_starts, c.start, c.end, context)
        variant = text[w_start : c.start] + c.replacement + text[c.end : w_end]
        windows[index] = (variant, text[w_start:w_end], in_window(c.noun_span, w_start, w_end))
    out = list(candidates)
    for index, gain in zip(windows, gains(lm, list(windows.values()))):
        out[index] = out[index].evolve(lm_gain=gain)
    return out


def cheapest_paths(
    candidates: list[Candidate], windows: list[Window]
) -> tuple[list[Candidate], list[Window]]:
    """One candidate per repair: the same replacement reached through different jamo changes
    keeps its cheapest explanation (otherwise it would count as its own rival)."""
    best: dict[tuple[int, int, str], int] = {}
    for index, c in enumerate(candidates):
        key = (c.start, c.end, c.replacement)
        if key not in best or c.channel_cost < candidates[best[key]].channel_cost:
            best[key] = index
    keep = sorted(best.values())
    return [candidates[i] for i in keep], [windows[i] for i in keep]


def shortlist(
    candidates: list[Candidate],
    text: str,
    tokens: list[tuple[int, int]],
    token_starts: list[int],
    lm: LanguageModel,
    alone_variants: int = ALONE_VARIANTS,
    quiet_variants: int = QUIET_VARIANTS,
) -> list[int]:
    """Indexes of the few repairs of each piece whose word alone reads best (a cheap pass):
    of each piece's `alone_variants` cheapest variants (a quiet piece: `quiet_variants`).

    Scoring a candidate alone (its whitespace token, a few characters) costs a fraction of
    scoring it in its sentence; the sentence-level score is spent only on the shortlist.
    """
    cheapest: dict[int, dict[str, float]] = {}
    limit: dict[int, int] = {}
    for c in candidates:
        costs = cheapest.setdefault(c.piece_start, {})
        costs[c.variant] = min(c.channel_cost, costs.get(c.variant, math.inf))
        limit[c.piece_start] = alone_variants if c.suspicious else quiet_variants
    tried = {
        (piece, variant)
        for piece, costs in cheapest.items()
        for variant in sorted(costs, key=costs.__getitem__)[: limit[piece]]
    }
    counts = {piece: min(len(costs), limit[piece]) for piece, costs in cheapest.items()}
    if all(len(costs) <= SHORTLIST_SIZE for costs in cheapest.values()):
        return list(range(len(candidates)))
    kept = [
        (i, c)
        for i, c in enumerate(candidates)
        if (c.piece_start, c.variant) in tried or c.noun_span is not None
    ]
    indexes = [i for i, _ in kept]
    candidates = [c for _, c in kept]
    alone: list[tuple[str, str]] = []
    for c in candidates:
        if counts[c.piece_start] <= SHORTLIST_SIZE or c.noun_span is not None:
            # Kept whatever it scores: not worth scoring alone, or (a compound with its
            # neighbour) not to be judged without the neighbour.
            alone.append(("", ""))
            continue
        # Around the changed syllables (a word rejoined across a space: around the whole span).
        lo, hi, middle = (c.start, c.end, c.replacement) if c.joined else changed_span(c)
        first, last = window(tokens, token_starts, lo, hi, 0)
        first, last = min(first, lo), max(last, hi)
        alone.append((text[first:lo] + middle + text[hi:last], text[first:last]))
    unique = list(dict.fromkeys(s for pair in alone for s in pair if s))
    score = dict(zip(unique, lm.score(unique)))
    score[""] = 0.0
    # A variant's merit is that of its best form (joined or not); the shortlist keeps the best
    # variants of each piece with all their forms, so the context decides between the forms.
    merits: dict[tuple[int, str], float] = {}
    for c, (variant, original) in zip(candidates, alone):
        merit = score[variant] - score[original] - c.channel_cost * SHORTLIST_COST_WEIGHT
        if c.noun_span is not None:
            merit = math.inf
        key = (c.piece_start, c.variant)
        merits[key] = max(merit, merits.get(key, -math.inf))
    by_piece: dict[int, list[tuple[float, str]]] = {}
    for (piece, variant), merit in merits.items():
        by_piece.setdefault(piece, []).append((merit, variant))
    kept_variants = set()
    for piece, ranked in by_piece.items():
        ranked.sort(reverse=True)
        kept_variants.update(
            (piece, variant)
            for merit, variant in ranked[:SHORTLIST_SIZE]
            if merit >= ALONE_MERIT_FLOOR
        )
    return [i for i, c in zip(indexes, candidates) if (c.piece_start, c.variant) in kept_variants]


def with_leads(candidates: list[Candidate]) -> list[Candidate]:
    """Set each candidate's lead over the best other repair of its piece (ambiguity evidence)."""
    by_piece: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_piece.setdefault(c.piece_start, []).append(c)
    out = []
    for group in by_piece.values():
        best: dict[str, float] = {}
        for c in group:
            best[c.variant] = max(c.lm_gain - c.channel_cost, best.get(c.variant, -math.inf))
        for c in group:
            rivals = [merit for variant, merit in best.items() if variant != c.variant]
            lead = c.lm_gain - c.channel_cost - max(rivals) if rivals else 10.0
            out.append(c.evolve(lead=lead))
    return out
