"""The gate: which Hangul pieces of a page are worth a candidate search.

A piece is a run of Hangul syllables (loose consonants among them), cut at the analysis's morpheme
boundaries into at most MAX_PIECE_SYLLABLES. Kiwi's analysis of each line (`analysis.PageAnalysis`,
the one analysis every stage reads) marks a piece "suspicious": an out-of-vocabulary or very
unlikely morpheme, an unexpected proper noun, a word shattered into one-syllable nouns, a loose
consonant. A piece without such a trace is searched only when one of its morphemes fits its
context poorly or it ended an OCR line; other pieces are left alone. The gate also says which
offsets are particles or endings split off their word (`bound`) and which Kiwi reads as case
particles: the candidate builder reads both.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ..analysis import OOV_MORPHEME_MAX_ID, Morph, PageAnalysis
from ..lexicon import CONTENT_TAG_PREFIXES, Lexicon

__all__ = [
    "FOCUS_REACH",
    "LOOSE_CONSONANT",
    "MAX_PIECE_SYLLABLES",
    "NEAR_REPAIR_GATE_SCORE",
    "PIECE",
    "QUIET_GATE_SCORE",
    "QUIET_PIECES_NEED_TYPO",
    "SUSPICIOUS_MORPHEME_SCORE",
    "TOKEN",
    "VERBAL_TAGS",
    "Piece",
    "find_pieces",
]

# Hangul syllables, and loose consonants among them: a consonant alone is a syllable whose
# vowel the scan lost (`한일전ㅇ` for 한일전이). Two loose consonants in a row are text (ㅋㅋ).
PIECE = re.compile(r"(?:[가-힣]|[ㄱ-ㅎ](?![ㄱ-ㅎ]))+")
LOOSE_CONSONANT = re.compile(r"[ㄱ-ㅎ]")
# Whitespace tokens: the words a window of context counts.
TOKEN = re.compile(r"\S+")
_CONJOINING = re.compile("[\u1160-\u11ff]")

# A piece is worth repairing when Kiwi's own analysis of its line shows a trace of damage:
# an out-of-vocabulary morpheme, a morpheme scored as very unlikely, an unexpected proper noun,
# or a word broken into several one-syllable nouns (읍+주+운전). On the training pages this
# gate keeps ~6 % of the pieces and ~60 % of the misread ones.
SUSPICIOUS_MORPHEME_SCORE = -14.0

# A piece without a trace of damage is searched only when one of its morphemes scores below
# this in Kiwi's analysis of the page (a real word that fits its context poorly: 13충으로 has
# 충 at -13.6, 697건 법인 검거 has 법인 at -13.0; ordinary words score -1 to -9), or when its
# last syllable ended an OCR line. Lower skips more pieces and finds fewer real-word misreads.
# A one-syllable token is not searched for being one: on the training pages the 2,300 that
# Kiwi reads without a low score (수, 것, 더) gave no repair, and a fragment of a split word
# (비 포하고) is rejoined by the candidates of its neighbour, whose analysis shows the damage.
QUIET_GATE_SCORE = -9.0
# Near a repair just made (`near_repairs`: the rounds that decide its neighbours again in the
# repaired text) a quiet piece is searched when a morpheme scores below this: the repair changed
# its context (이유외 번호인의: 이유외 reads at -8.5 beside 변호인의, and 이유와 wins only then).
# On the training pages the rounds' 2,000 quiet pieces above -9 gave no repair; the 1,500 of
# them above -7 are no longer searched.
NEAR_REPAIR_GATE_SCORE = -7.0
# In a quiet piece only the syllables where the analysis finds the poor fit are varied: those
# of its morphemes below the gate's score, this many syllables either side of them (a misread
# can make its neighbour read badly: 이유외 beside 번호인의), and the last syllable where it ended
# an OCR line (the clipped one). Against varying every syllable, on the training pages 1
# changed one page each of train and train-mixed (train 52.99 -> 52.97 %, train-mixed 67.41
# -> 67.42 %) for 7 % less Kiwi work; 0 lost 0.2 points on both.
FOCUS_REACH = 1
# Whether a piece without a trace of damage is searched only where Kiwi's typo search reads it
# better through a look-alike (else: every such piece, with the commonest confusions only).
# Measured on news-dev: the typo gate lost real-word repairs Kiwi reads as fine (13충으로, Hangul
# recall 0.39 -> 0.31, CER improvement 56.3 % -> 54.7 %) for about a third less work; off.
QUIET_PIECES_NEED_TYPO = False

# The longest Hangul run searched as one piece: a longer run (text whose spaces the OCR lost)
# is cut at the analysis's morpheme boundaries into pieces of at most this many syllables
# before any candidate search, so the work per character is the same as for spaced text. A
# word longer than this is searched in parts (a repair then cannot span the cut).
MAX_PIECE_SYLLABLES = 10


# What only follows a word (particles, endings, the copula, noun suffixes): a word-initial piece
# that starts with one was split off the word before it.
_BOUND_TAGS = ("J", "E", "VCP", "XSN")
# Particles with a grammatical alternative in the same place (은/을, 이/가, 에/의 ...); not the
# vocative 아/야, which Kiwi finds in damaged text (놓친 적아 있다).
_CASE_PARTICLE_TAGS = frozenset({"JKS", "JKC", "JKG", "JKO", "JKB", "JX"})
# Verbs and adjectives (and their suffixes): a piece holding one may be a conjugated form.
VERBAL_TAGS = ("VV", "VA", "VX", "XSV", "XSA")


@dataclass(frozen=True, slots=True)
class Piece:
    """A Hangul piece of the text the gate lets through to the candidate search."""

    start: int
    end: int
    oov: bool
    """Whether Kiwi does not know a morpheme of it."""
    suspicious: bool
    """Whether Kiwi's analysis shows a trace of damage in it (else: a quiet piece, searched
    with the commonest single confusions only)."""
    verbal: bool
    """Whether Kiwi reads a verb or adjective in it (its variants may be conjugated forms)."""
    focus: tuple[int, ...] | None = None
    """A quiet piece: the indexes (in the piece) of the syllables its variants may change,
    where the analysis finds the poor fit; None: any syllable (a suspicious piece)."""
    cut: bool = False
    """Whether the piece was cut from a longer Hangul run (text whose spaces the OCR lost)."""


def find_pieces(
    text: str,
    analysis: PageAnalysis,
    lexicon: Lexicon,
    protected: Sequence[tuple[int, int]],
    *,
    line_ends: Collection[int] = (),
    near_repairs: bool = False,
    quiet_gate_score: float = QUIET_GATE_SCORE,
) -> tuple[list[Piece], set[int], set[int]]:
    """Every unprotected Hangul piece worth a candidate search; the offsets of the words
    that cannot stand alone: a particle, ending or suffix split off its word (`로` in `문저 로`,
    `들과` in `피해지 들과`; `된` or `전` stand alone); and the offsets Kiwi reads as particles.

    A piece is searched when Kiwi's analysis shows a trace of damage in it (suspicious), or when
    one of its morphemes scores below `quiet_gate_score` (QUIET_GATE_SCORE unless the search's
    `Effort` says otherwise) or its last syllable ended an OCR line
    (offsets in `line_ends`: the column edge clips vowel strokes there) — a quiet piece that
    may be a misread of a real word; with QUIET_PIECES_NEED_TYPO, only where Kiwi's own typo
    search reads it better through a look-alike jamo. With `near_repairs` (the rounds near a
    repair: the repair changed their context) the quiet pieces below the looser
    NEAR_REPAIR_GATE_SCORE are searched. Other pieces are left alone."""
    gate_score = NEAR_REPAIR_GATE_SCORE if near_repairs else quiet_gate_score
    spans = sorted(protected)
    span_starts = [s for s, _ in spans]

    def is_protected(start: int, end: int) -> bool:
        i = bisect_right(span_starts, end - 1) - 1  # the last span starting before `end`
        return any(spans[k][1] > start for k in range(max(0, i - 1), i + 1) if k >= 0)

    out: list[Piece] = []
    bound: set[int] = set()
    particles: set[int] = set()
    for (offset, line), tokens, typos in zip(analysis.lines, analysis.morphs, analysis.typos):
        token_ends = [t.end for t in tokens]
        typo_starts = [t.start for t in typos]
        for t in tokens:
            if t.tag in _CASE_PARTICLE_TAGS:
                particles.update(range(t.start, t.end))
        for match in PIECE.finditer(line):
            run_start, run_end = offset + match.start(), offset + match.end()
            covering_run = _overlapping(tokens, token_ends, run_start, run_end)
            word_initial = match.start() == 0 or line[match.start() - 1].isspace()
            if (
                covering_run
                and word_initial
                and _is_bound(text[run_start:run_end], covering_run[0], lexicon)
            ):
                bound.add(run_start)
            if _CONJOINING.match(text, run_end):
                # A conjoining vowel or final follows (감ᆨ, left by NFC as it stands): a repair
                # to a syllable without a final would compose with it on the next run.
                continue
            for start, end, covering in _cut(run_start, run_end, covering_run):
                if spans and is_protected(start, end):
                    continue
                oov = any(t.oov for t in covering)
                unlikely = any(t.score < SUSPICIOUS_MORPHEME_SCORE for t in covering)
                proper = any(t.tag == "NNP" for t in covering)
                fragments = sum(
                    1 for t in covering if t.len == 1 and t.tag in ("NNG", "NNP", "NNB")
                )
                loose = LOOSE_CONSONANT.search(text, start, end) is not None
                suspicious = oov or unlikely or proper or fragments >= 2 or loose
                if (
                    not suspicious
                    and end - 1 not in line_ends
                    and min((t.score for t in covering), default=0.0) > gate_score
                ):
                    continue  # every morpheme fits its context: a real word, likely right
                if not suspicious and analysis.typo_searched:
                    i = bisect_right(typo_starts, end - 1) - 1
                    if i < 0 or typos[i].end <= start:
                        continue  # Kiwi finds nothing likelier through a look-alike here
                verbal = any(t.tag.startswith(VERBAL_TAGS) for t in covering)
                focus = None if suspicious else _focus(start, end, covering, gate_score, line_ends)
                cut = run_end - run_start > MAX_PIECE_SYLLABLES
                out.append(Piece(start, end, oov, suspicious, verbal, focus, cut))
    return out, bound, particles


def _focus(
    start: int, end: int, covering: Sequence[Morph], gate_score: float, line_ends: Collection[int]
) -> tuple[int, ...]:
    """The syllables of a quiet piece worth varying: those of its morphemes that fit their
    context poorly (below `gate_score`) and their neighbours (FOCUS_REACH), and its last one
    where it ended an OCR line."""
    at: set[int] = set()
    for t in covering:
        if t.score <= gate_score:
            lo, hi = max(start, t.start - FOCUS_REACH), min(end, t.end + FOCUS_REACH)
            at.update(range(lo - start, hi - start))
    if end - 1 in line_ends:
        at.add(end - 1 - start)
    return tuple(sorted(at))


def _cut(start: int, end: int, covering: list[Morph]) -> list[tuple[int, int, list[Morph]]]:
    """A Hangul run as pieces of at most MAX_PIECE_SYLLABLES, cut where a morpheme of the
    analysis starts (hard inside a longer morpheme), each with the morphemes it overlaps."""
    if end - start <= MAX_PIECE_SYLLABLES:
        return [(start, end, covering)]
    cuts = sorted({t.start for t in covering if start < t.start < end})
    out = []
    lo = start
    while end - lo > MAX_PIECE_SYLLABLES:
        limit = lo + MAX_PIECE_SYLLABLES
        i = bisect_right(cuts, limit) - 1
        hi = cuts[i] if i >= 0 and cuts[i] > lo else limit
        out.append(hi)
        lo = hi
    bounds = [start, *out, end]
    ends = [t.end for t in covering]
    pieces = []
    for lo, hi in pairwise(bounds):
        pieces.append((lo, hi, _overlapping(covering, ends, lo, hi)))
    return pieces


def _overlapping(morphs: Sequence[Morph], ends: list[int], lo: int, hi: int) -> list[Morph]:
    """The morphemes (in order, `ends` their end offsets) that overlap [lo, hi)."""
    inside = []
    for t in morphs[bisect_right(ends, lo) :]:
        if t.start >= hi:
            break
        inside.append(t)
    return inside


def _is_bound(piece: str, head: Morph, lexicon: Lexicon) -> bool:
    """Whether a word-initial Hangul piece starts with what only follows a word: Kiwi reads its
    first morpheme as a particle, ending, copula or suffix, or (one syllable) cannot place it, or
    it is a particle or ending Kiwi has read as something else (`는` as 늘+ㄴ)."""
    tag = head.tag
    if tag.startswith(_BOUND_TAGS):
        return True
    if len(piece) > 1:
        # 하여야, 한다 after a space, read by Kiwi as the suffix of the word before (제시 하여야).
        # Not 되 (화제가 되고 reads as 화+제기+되) nor a one-syllable 된 or 한: too often they
        # stand alone where Kiwi reads a suffix.
        return tag.startswith(("XSV", "XSA")) and head.form == "하"
    if head.id < OOV_MORPHEME_MAX_ID:
        return True
    return lexicon.is_tail(piece) and (
        piece not in lexicon or not tag.startswith(CONTENT_TAG_PREFIXES)
    )
