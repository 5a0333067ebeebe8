"""Variants of a piece: what may have been printed where the OCR read it.

One or two jamo of the piece are replaced by what the confusion table
(dictionaries/confusions.tsv, calibrated on the training pages) says was likely printed, cheapest
first and bounded (MAX_VARIANTS_TRIED); a variant survives only if the changed syllables fall in a
lexicon word, or a word plus a particle or ending (`covering_word`), or, for the pieces where Kiwi
reads a verb, in a conjugated verb form Kiwi's analysis of the variant bears out
(`conjugated_forms`: the lexicon knows the stem 훔치, not 훔쳤다).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..analysis import OOV_MORPHEME_MAX_ID, LanguageModel
from ..distance import ConfusionTable
from ..hangul import COMMON_SYLLABLES
from ..lexicon import Lexicon
from .gate import SUSPICIOUS_MORPHEME_SCORE, VERBAL_TAGS, Piece

__all__ = [
    "ALONE_VARIANTS",
    "CUT_VARIANTS",
    "MAX_CHANNEL_COST",
    "MAX_SUBSTITUTIONS",
    "QUIET_PIECE_MAX_COST",
    "QUIET_VARIANTS",
    "Variant",
    "confusion_table",
    "conjugated_forms",
    "covering_word",
    "jamo_variants",
    "piece_variants",
    "searched_variants",
    "tried",
]

# The channel cost (sum of -ln P(read | printed)) and the jamo changed that a repair of a
# suspicious piece may pay: higher reaches rarer misreads at more candidates per piece.
MAX_CHANNEL_COST = 16.0
MAX_SUBSTITUTIONS = 2
# The same bound for a piece without a trace of damage (one jamo only): a real word is rarely a
# misread, so only its commonest look-alikes are worth the language model's work.
QUIET_PIECE_MAX_COST = 7.5
# Of a piece's variants, only the cheapest (by channel cost) this many are scored alone for the
# shortlist: a piece of many syllables has hundreds of two-jamo variants, and the right one is
# nearly always among the cheap ones. More finds rarer repairs at proportionally more work.
ALONE_VARIANTS = 16
# A piece without a trace of damage (a real word that may be a misread of another) keeps its
# cheapest this many word-forming variants, scored in context without the alone pass: its
# variants are one-jamo look-alikes, few, and only context can tell them from the original.
QUIET_VARIANTS = 16
# A piece cut from a longer Hangul run (text whose spaces the OCR lost, read in pieces of at
# most MAX_PIECE_SYLLABLES) keeps its cheapest this many: each variant of such a piece is scored
# alone in a window as long as the shortlist allows, where a printed word is a few characters,
# and the work per character must stay near that of printed text (tests/test_bounds.py).
CUT_VARIANTS = 10

# Two-jamo variants combine, per syllable, only its cheapest this many one-jamo alternatives:
# the pairs grow with the square of it. More reaches rarer double misreads at more work.
PAIR_ALTERNATIVES = 6
# A piece's variants are tried cheapest first until ALONE_VARIANTS of them form lexicon words,
# or this many were tried: the bound on lexicon searches per piece.
MAX_VARIANTS_TRIED = 150
# Whether a variant may only write syllables of common use (`hangul.COMMON_SYLLABLES`, the 2,350
# of KS X 1001). A jamo change often makes a syllable no text uses (했 -> 헀, 니 -> 냬); those
# variants can form no word, yet they took places among the MAX_VARIANTS_TRIED of a long piece
# before its real alternatives (기뼈했습니다 never reached 기뻐했습니다).
COMMON_SYLLABLES_ONLY = True


@lru_cache(maxsize=4)
def confusion_table(path: Path | None) -> ConfusionTable:
    """The confusion table at `path` (None: the shipped dictionaries/confusions.tsv), loaded
    once."""
    return ConfusionTable.load(path)


@dataclass(frozen=True, slots=True)
class Variant:
    """A piece with one or two jamo replaced: what may have been printed."""

    text: str
    """The piece as it would read."""
    cost: float
    """Channel cost of the replacements (sum of -ln P(read | printed))."""
    changed: tuple[int, ...]
    """Indexes in the piece of the syllables replaced, in order."""
    confusions: tuple[str, ...]
    """Each replacement as the confusion table names it, for the reason a proofreader reads."""

    @property
    def lo(self) -> int:
        """Index of the first syllable changed."""
        return self.changed[0]

    @property
    def hi(self) -> int:
        """Index just past the last syllable changed."""
        return self.changed[-1] + 1


def jamo_variants(
    piece: str,
    table: ConfusionTable,
    *,
    max_cost: float,
    max_jamo: int,
    line_ends: Sequence[int] = (),
    focus: Sequence[int] | None = None,
) -> list[Variant]:
    """The variants of `piece` with at most `max_jamo` jamo changed, cheapest first, and at
    most MAX_VARIANTS_TRIED of them; the syllables at `line_ends` (indexes in the piece) ended a
    printed line; only the syllables at `focus` are changed (None: any)."""
    per_syllable, plans = _plans(
        piece, table, max_cost=max_cost, max_jamo=max_jamo, line_ends=line_ends, focus=focus
    )
    return [_variant(piece, per_syllable, plan) for plan in plans]


# Each syllable's alternatives (`ConfusionTable.syllable_alternatives`), and a variant's plan:
# (cost, first index, its alternative, second index or -1, its alternative).
_Alternatives = list[tuple[tuple[str, float, int, str], ...]]
_Plan = tuple[float, int, int, int, int]


def _plans(
    piece: str,
    table: ConfusionTable,
    *,
    max_cost: float,
    max_jamo: int,
    line_ends: Sequence[int] = (),
    focus: Sequence[int] | None = None,
) -> tuple[_Alternatives, list[_Plan]]:
    """The alternatives of each syllable of `piece`, and the plans of `jamo_variants`, in its
    order: a variant is built from its plan only when it is asked for (`tried` stops at the one
    that makes enough words, and about one variant in six is never looked at)."""
    per_syllable: _Alternatives = []
    costs: list[list[float]] = []
    singles: list[list[tuple[float, int]]] = []
    for index, syllable in enumerate(piece):
        if focus is None or index in focus:
            alternatives, syllable_costs, cheapest = _syllable_plan(
                table, syllable, index in line_ends, max_cost, max_jamo
            )
        else:
            alternatives, syllable_costs, cheapest = (), [], []
        per_syllable.append(alternatives)
        costs.append(syllable_costs)
        singles.append(cheapest)
    # Each syllable's alternatives are cheapest first, so the cheapest MAX_VARIANTS_TRIED of
    # them all cost at most `limit`, and no plan dearer than that can be among those kept: a
    # suspicious syllable has a few hundred alternatives, and only a few are planned. (Those
    # cheapest are among the first MAX_VARIANTS_TRIED of each syllable: only these are sorted.)
    every_cost = sorted(
        chain.from_iterable(syllable_costs[:MAX_VARIANTS_TRIED] for syllable_costs in costs)
    )  # (runs already sorted: merged in one pass)
    limit = math.inf
    if len(every_cost) >= MAX_VARIANTS_TRIED:
        limit = every_cost[MAX_VARIANTS_TRIED - 1]
    # (cost, first index, its alternative, second index or -1, its alternative)
    plans: list[tuple[float, int, int, int, int]] = [
        (cost, index, k, -1, -1)
        for index, syllable_costs in enumerate(costs)
        for k, cost in enumerate(syllable_costs[: bisect_right(syllable_costs, limit)])
    ]
    if max_jamo >= 2:
        pair_limit = min(max_cost, limit)
        for i in range(len(piece)):
            for j in range(i + 1, len(piece)):
                for a_cost, a in singles[i]:
                    for b_cost, b in singles[j]:
                        if a_cost + b_cost > pair_limit:
                            break
                        plans.append((a_cost + b_cost, i, a, j, b))
    plans.sort()
    return per_syllable, plans[:MAX_VARIANTS_TRIED]


def _variant(piece: str, per_syllable: _Alternatives, plan: _Plan) -> Variant:
    """The variant of `piece` that `plan` makes."""
    cost, i, a, j, b = plan
    a_syl, _, _, a_why = per_syllable[i][a]
    if j < 0:
        return Variant(piece[:i] + a_syl + piece[i + 1 :], cost, (i,), (a_why,))
    b_syl, _, _, b_why = per_syllable[j][b]
    text = piece[:i] + a_syl + piece[i + 1 : j] + b_syl + piece[j + 1 :]
    return Variant(text, cost, (i, j), (a_why, b_why))


# The syllables whose alternatives, costs and cheapest one-jamo alternatives are remembered
# (`_syllable_plan`): the pages' syllables with and without a line end, and the two cost bounds
# (a few thousand in all). An entry adds a list of its costs, a few kB, to the alternatives the
# table remembers itself: this bounds it at some tens of MB.
_SYLLABLE_PLAN_LIMIT = 20_000
_syllable_plans: dict[
    tuple[ConfusionTable, str, bool, float, int],
    tuple[tuple[tuple[str, float, int, str], ...], list[float], list[tuple[float, int]]],
] = {}


def _syllable_plan(
    table: ConfusionTable, syllable: str, at_line_end: bool, max_cost: float, max_jamo: int
) -> tuple[tuple[tuple[str, float, int, str], ...], list[float], list[tuple[float, int]]]:
    """What `_plans` reads of a syllable, the same in every piece: its alternatives of up to
    `max_jamo` jamo changed, cheapest first; their costs; the (cost, index) of its cheapest
    PAIR_ALTERNATIVES one-jamo ones where two-jamo variants are made (`max_jamo` 2), which they
    combine. Remembered (the lists are never changed)."""
    key = (table, syllable, at_line_end, max_cost, max_jamo)
    found = _syllable_plans.get(key)
    if found is None:
        alternatives = table.syllable_alternatives(
            syllable, at_line_end=at_line_end, max_cost=max_cost
        )
        if max_jamo < 2:  # (alternatives change one jamo or two: only here are any left out)
            alternatives = tuple(alt for alt in alternatives if alt[2] <= max_jamo)
        if COMMON_SYLLABLES_ONLY:
            alternatives = tuple(alt for alt in alternatives if alt[0] in COMMON_SYLLABLES)
        # The alternatives are cheapest first (ties in table order), so the first one-jamo
        # ones are the cheapest, in (cost, index) order.
        cheapest: list[tuple[float, int]] = []
        if max_jamo >= 2:
            for k, alt in enumerate(alternatives):
                if alt[2] == 1:
                    cheapest.append((alt[1], k))
                    if len(cheapest) == PAIR_ALTERNATIVES:
                        break
        if len(_syllable_plans) >= _SYLLABLE_PLAN_LIMIT:
            _syllable_plans.clear()
        found = _syllable_plans[key] = (
            alternatives,
            list(map(itemgetter(1), alternatives)),
            cheapest,
        )
    return found


def tried(
    variants: list[Variant],
    lexicon: Lexicon,
    wanted: int,
) -> list[Variant]:
    """The cheapest variants of a piece, up to the one that makes `wanted` distinct variants
    forming lexicon words (cheapest first: the shortlist keeps no more)."""
    words: set[str] = set()
    for n, v in enumerate(variants):
        text, changed = v.text, v.changed  # (v.lo and v.hi, without their calls: a hot loop)
        if text not in words and covering_word(text, changed[0], changed[-1] + 1, lexicon):
            words.add(text)
            if len(words) >= wanted:
                return variants[: n + 1]
    return variants


def _tried_of_piece(
    piece: str, per_syllable: _Alternatives, plans: list[_Plan], lexicon: Lexicon, wanted: int
) -> list[Variant]:
    """`tried` for the variants of `piece` that `plans` make, each built only when it is
    reached, and searched for its covering word with what is the same for all of them worked
    out once (`_PieceWords`): the search `covering_word` makes, remembered in its memo."""
    words: set[str] = set()
    out: list[Variant] = []
    cache = lexicon.cover_cache
    facts = _PieceWords(piece, lexicon) if len(piece) >= 2 else None
    for plan in plans:
        v = _variant(piece, per_syllable, plan)
        out.append(v)
        text = v.text
        if text in words:
            continue
        lo, hi = v.changed[0], v.changed[-1] + 1
        key = (text, lo, hi)
        word = cache.get(key, _UNSEEN)
        if word is _UNSEEN:
            if len(cache) >= _COVER_CACHE_LIMIT:
                cache.clear()
            word = cache[key] = (
                facts.covering_word(text, lo, hi) if facts else _one_syllable_word(text, lexicon)
            )
        if word:
            words.add(text)
            if len(words) >= wanted:
                break
    return out


class _PieceWords:
    """The covering-word search (`covering_word`) of a piece and of its variants (each differs
    from it only at the syllables in [lo, hi)), with what it reads of the piece found once for
    them all: the syllable pairs in a row that some word holds, the beginnings that are words
    and the ends that are particles or endings. Most of a variant's search is read off these
    (a piece has up to MAX_VARIANTS_TRIED variants, and a third of the misread search was spent
    looking for their words)."""

    __slots__ = ("last_unpaired", "lexicon", "next_unpaired", "paired", "stems", "tails")

    def __init__(self, piece: str, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        size = len(piece)
        pairs = lexicon.syllable_pairs
        self.paired = [piece[m : m + 2] in pairs for m in range(size - 1)]
        """Whether the syllables at m and m+1 are two in a row of some word, for each m."""
        self.last_unpaired = []
        """For each m, the last m' <= m whose syllables are no word's pair (-1: none)."""
        last = -1
        for m, paired in enumerate(self.paired):
            if not paired:
                last = m
            self.last_unpaired.append(last)
        self.next_unpaired = [size - 1] * (size - 1)
        """For each m, the first m' >= m whose syllables are no word's pair (size-1: none)."""
        following = size - 1
        for m in range(size - 2, -1, -1):
            if not self.paired[m]:
                following = m
            self.next_unpaired[m] = following
        known = lexicon.tags
        self.stems = [k for k in range(1, size) if piece[:k] in known]
        """The k where piece[:k] is a word."""
        self.tails = [k for k in range(1, size) if lexicon.is_tail(piece[k:])]
        """The k where piece[k:] is a particle or ending (or two)."""

    def covering_word(self, text: str, lo: int, hi: int) -> str | None:
        """`covering_word(text, lo, hi)` for a variant `text` of the piece (the piece itself
        included) that differs from it only within [lo, hi) (0 <= lo < hi <= its length): the
        longest lexicon word of two or more syllables covering [lo, hi), else `text` itself
        where it is a word and its particles or endings (때+에, 내용+을: OCR misreads
        particles as often as words), else None."""
        pairs = self.lexicon.syllable_pairs
        right = text[lo : lo + 2] in pairs  # (False where lo is the last syllable)
        left = lo > 0 and text[lo - 1 : lo + 1] in pairs
        lexicon = self.lexicon
        known = lexicon.tags
        size = len(text)
        best: str | None = None
        # A word text[a:b] (b - a >= 2) holds each pair of syllables in a row within it, and
        # one covering [lo, hi) holds those at lo-1 .. hi-1 at least: no pair
        # missing from every word may lie within [a, b). The pairs that touch [lo, hi) are the
        # variant's own; the others are the piece's.
        if right or left:
            # The least a: just past the last missing pair before lo.
            start = (self.last_unpaired[lo - 2] + 1 if lo >= 2 else 0) if left else lo
            end = size  # the largest b: up to the first missing pair from lo on
            if not right:
                end = lo + 1
            else:
                for m in range(lo + 1, min(hi, size - 1)):
                    if text[m : m + 2] not in pairs:
                        end = m + 1
                        break
                else:
                    if hi < size - 1:
                        end = self.next_unpaired[hi] + 1
            longest = lexicon.longest
            # (longest first from each start a; only a word longer than the best so far counts)
            for a in range(max(hi - longest, start), lo + 1):
                floor = max(hi, a + (len(best) + 1 if best else 2))
                for b in range(min(end, a + longest), floor - 1, -1):
                    word = text[a:b]
                    if word in known:
                        best = word
                        break
        if best is None and text[-1] in lexicon.tail_lasts:
            # The whole text as a word and its particles or endings: where the word ends by lo,
            # it is the piece's; where the ending starts at hi or later, it is the piece's.
            is_tail = lexicon.is_tail
            firsts = lexicon.tail_firsts  # (a tail starts with one of these: `is_tail`'s test)
            for k in self.stems:
                if k > lo:
                    break
                if text[k] in firsts and is_tail(text[k:]):
                    return text
            # A word text[:k] ending past lo holds the pairs before lo and, from lo on, those
            # up to k-2: none of them may be missing from every word.
            if lo == 0 or (left and (lo < 2 or self.last_unpaired[lo - 2] < 0)):
                top = size if right else lo + 2  # (the k below it)
                for k in range(lo + 1, min(hi, top)):
                    if text[:k] in known and is_tail(text[k:]):
                        return text
                for k in self.tails:
                    if k >= top:
                        break
                    if k >= hi and text[:k] in known:
                        return text
        return best


_COVER_CACHE_LIMIT = 500_000
# What a memo's `get` returns for a key it does not hold (None is a found value: no word).
_UNSEEN: Any = object()


def covering_word(text: str, lo: int, hi: int, lexicon: Lexicon) -> str | None:
    """The longest lexicon word of `text` covering positions [lo, hi) (lo < hi: the syllables a
    repair changed; 2+ syllables unless the text is one syllable), or `text` itself where it is
    a word and its particles or endings; None when there is none. Cached: the same pieces and
    variants recur across pages."""
    cache = lexicon.cover_cache
    key = (text, lo, hi)
    found = cache.get(key, _UNSEEN)
    if found is _UNSEEN:
        if len(cache) >= _COVER_CACHE_LIMIT:
            cache.clear()
        found = cache[key] = (
            _PieceWords(text, lexicon).covering_word(text, lo, hi)
            if len(text) >= 2
            else _one_syllable_word(text, lexicon)
        )
    return found


def _one_syllable_word(text: str, lexicon: Lexicon) -> str | None:
    """The word covering a one-syllable text: itself, if a lexicon word."""
    return text if text in lexicon.tags else None


# Pieces whose searched variants are remembered (per lexicon): the rounds near a repair search
# the same pieces again, and common words recur across pages. A piece keeps at most
# MAX_VARIANTS_TRIED variants (~250 bytes each), so this bounds the memo at about 75 MB.
_VARIANT_CACHE_LIMIT = 2_000


def searched_variants(
    piece: str,
    suspicious: bool,
    table: ConfusionTable,
    lexicon: Lexicon,
    line_ends: Sequence[int] = (),
    focus: Sequence[int] | None = None,
    wanted: int | None = None,
) -> list[Variant]:
    """The variants the candidate search tries for a piece: `piece_variants` up to the one that
    makes `wanted` lexicon words (`tried`; by default ALONE_VARIANTS, for a quiet piece
    QUIET_VARIANTS). Cached."""
    if wanted is None:
        wanted = ALONE_VARIANTS if suspicious else QUIET_VARIANTS
    cache = lexicon.variant_cache
    key = (
        table,
        piece,
        suspicious,
        tuple(line_ends),
        None if focus is None else tuple(focus),
        wanted,
    )
    found = cache.get(key)
    if found is None:
        if len(cache) >= _VARIANT_CACHE_LIMIT:
            cache.clear()
        per_syllable, plans = _piece_plans(piece, suspicious, table, line_ends, focus)
        found = cache[key] = tuple(_tried_of_piece(piece, per_syllable, plans, lexicon, wanted))
    return list(found)


def piece_variants(
    piece: str,
    suspicious: bool,
    table: ConfusionTable,
    line_ends: Sequence[int] = (),
    focus: Sequence[int] | None = None,
) -> list[Variant]:
    """The variants tried for a piece. A piece Kiwi reads without a trace of damage may still
    be a real-word misread; only the commonest single confusions are tried there, and only at
    the syllables of `focus` (the gate's), to keep the language model's work small."""
    per_syllable, plans = _piece_plans(piece, suspicious, table, line_ends, focus)
    return [_variant(piece, per_syllable, plan) for plan in plans]


def _piece_plans(
    piece: str,
    suspicious: bool,
    table: ConfusionTable,
    line_ends: Sequence[int] = (),
    focus: Sequence[int] | None = None,
) -> tuple[_Alternatives, list[_Plan]]:
    """The alternatives and plans (`_plans`) of `piece_variants`."""
    if suspicious:
        return _plans(
            piece, table, max_cost=MAX_CHANNEL_COST, max_jamo=MAX_SUBSTITUTIONS, line_ends=line_ends
        )
    return _plans(
        piece, table, max_cost=QUIET_PIECE_MAX_COST, max_jamo=1, line_ends=line_ends, focus=focus
    )


# What a conjugated form may be made of around the repair: a verb or adjective and its endings.
_CONJUGATED_TAGS = ("VV", "VA", "VX", "XSV", "XSA", "EP", "EF", "EC", "ETM", "ETN")
# The variants of one piece checked as conjugated forms (each costs a Kiwi analysis of the
# variant): more finds rarer verb repairs at proportionally more work.
VERB_CHECKS_PER_PIECE = 12
_CONJUGATION_CACHE_LIMIT = 200_000


def conjugated_forms(
    pieces: list[Piece],
    variants_of: list[list[Variant]],
    lm: LanguageModel,
    lexicon: Lexicon,
    checks_per_piece: int = VERB_CHECKS_PER_PIECE,
) -> dict[tuple[str, int, int], str]:
    """Variants the lexicon cannot cover because they are conjugated (홈쳤다 -> 훔쳤다: the
    lexicon knows the stem 훔치, not 훔쳤다), checked by Kiwi's analysis of the variant alone:
    the repaired syllables must fall in a known verb or adjective and its endings, and no
    morpheme may look damaged by the test that flags pieces (거둿다 reads as 거두+엇+다 with an
    unlikely 거두: rejected). Only the cheapest few variants of pieces where Kiwi reads a verb,
    and where a verb stem can start at the repair, are checked (`checks_per_piece` of them: the
    check costs an analysis each). Maps (variant, lo, hi) to the verb that covers the repair."""
    queued: dict[tuple[str, int, int], None] = {}
    prefixes = lexicon.verb_prefixes
    for piece, variants in zip(pieces, variants_of):
        if not piece.verbal:
            continue
        failing = []
        for v in variants:
            variant, changed = v.text, v.changed  # (v.lo and v.hi, without their calls)
            lo, hi = changed[0], changed[-1] + 1
            # The stem starts the piece (an eojeol is a stem and its endings), and reaches the
            # repair or stops just before a contracted last syllable (훔쳤다, 별렀다).
            stem_start = variant[:hi] in prefixes or (lo > 0 and variant[:lo] in prefixes)
            if stem_start and covering_word(variant, lo, hi, lexicon) is None:
                failing.append((v.cost, variant, lo, hi))
        failing.sort()
        for _cost, variant, lo, hi in failing[:checks_per_piece]:
            queued[(variant, lo, hi)] = None
    cache = lexicon.conjugation_cache
    if len(cache) >= _CONJUGATION_CACHE_LIMIT:  # bounded, like the cover cache: archives are long
        cache.clear()
    unknown = list(dict.fromkeys(v for v, _lo, _hi in queued if v not in cache))
    for variant, (tokens, _score) in zip(unknown, lm.analyze_many(unknown)):
        cache[variant] = [
            (
                t.start,
                t.start + t.len,
                str(t.tag),
                t.form,
                t.id >= OOV_MORPHEME_MAX_ID and t.score >= SUSPICIOUS_MORPHEME_SCORE,
            )
            for t in tokens
        ]
    out: dict[tuple[str, int, int], str] = {}
    for variant, lo, hi in queued:
        analysis = cache[variant]
        if not all(known for *_rest, known in analysis):
            continue
        covering = [a for a in analysis if a[0] < hi and a[1] > lo]
        stems = [a for a in covering if a[2].startswith(VERBAL_TAGS)]
        if covering and stems and all(a[2].startswith(_CONJUGATED_TAGS) for a in covering):
            out[(variant, lo, hi)] = stems[0][3] + "다"
    return out
