"""Repair of OCR misreads: jamo-level candidates from the confusion table, decided in context.

Why this shape: a dictionary speller changes every unknown word into the nearest known one
(precision 0.02 on our pages); a language model alone cannot tell 탭 from 댐. A repair here needs
three things at once: a plausible OCR channel, a known word, and a sentence that reads better.

1. Pieces: runs of Hangul syllables. Kiwi's analysis of each line marks a piece "suspicious"
   (an out-of-vocabulary or very unlikely morpheme, an unexpected proper noun, a word shattered
   into one-syllable nouns); other pieces are tried only with the commonest single confusions.
2. Variants: one or two jamo replaced by what was likely printed (dictionaries/confusions.tsv,
   calibrated on the training pages); a variant survives only if the changed syllables fall in
   a lexicon word (or a word plus a particle or ending). A variant may also rejoin a word the
   OCR split beside it (출발히 는 -> 출발하는).
3. Scoring: a cheap pass scores each variant's word alone and keeps a shortlist per piece; the
   shortlist is scored with one word of context, the two best again with three. A repair that
   completes, with its neighbour across the space, a compound only the domain or user lexicons
   know (데이터 탠 -> 데이터 댐: 데이터댐) is scored with the compound read as one noun: Kiwi has
   no entry for it and would score 데이터 댐 no likelier than 데이터 랜.
4. Decision: a logistic model (dictionaries/misread_weights.json, fitted by
   scripts/calibrate_misreads.py) turns language-model gain, channel cost and what is known
   of the original into a confidence. At or above the threshold the repair is applied, above
   the suggestion threshold it is proposed; a repair beside a split fragment is never more
   than a suggestion: precision first.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from .analysis import OOV_MORPHEME_MAX_ID, LanguageModel, Morph, NounSpan, PageAnalysis, typo_model
from .distance import ConfusionTable
from .errors import DataFileError
from .lexicon import Lexicon
from .resources import check_feature_names, data_path
from .types import Edit, SpanMap, apply_edits

__all__ = [
    "FEATURE_NAMES",
    "Candidate",
    "correct_misreads",
    "find_candidates",
    "load_misread_model",
    "misread_model",
]

# Hangul syllables, and loose consonants among them: a consonant alone is a syllable whose
# vowel the scan lost (`한일전ㅇ` for 한일전이). Two loose consonants in a row are text (ㅋㅋ).
_PIECE = re.compile(r"(?:[가-힣]|[ㄱ-ㅎ](?![ㄱ-ㅎ]))+")
_LOOSE_CONSONANT = re.compile(r"[ㄱ-ㅎ]")
_TOKEN = re.compile(r"\S+")
_CONJOINING = re.compile("[\u1160-\u11ff]")
_OPENING = re.compile("[\"'‘“(\\[「『<《〈]*")
MAX_CHANNEL_COST = 16.0
MAX_SUBSTITUTIONS = 2
CONTEXT_TOKENS = 1
# Rounds of re-deciding the pieces near the latest repairs (each round only runs when the one
# before repaired something; chains longer than this are pathological).
MAX_EXTRA_ROUNDS = 4
QUIET_PIECE_MAX_COST = 7.5
FRAGMENT_CONFIDENCE_CAP = 0.45
CHUNK_CHARS = 20_000
FINALISTS = 2
FINAL_CONTEXT_TOKENS = 3
SHORTLIST_SIZE = 3
SHORTLIST_COST_WEIGHT = 0.6
# A piece whose best repair has less than this confidence with one word of context is not
# scored again with the sentence (most pieces: their word is right). Lower rescues a few
# repairs that only the wider context bears out, at the cost of scoring every piece twice.
FINALIST_MIN_CONFIDENCE = 0.05
# A piece without a trace of damage is searched only when one of its morphemes scores below
# this in Kiwi's analysis of the page (a real word that fits its context poorly: 13충으로 has
# 충 at -13.6, 697건 법인 검거 has 법인 at -13.0; ordinary words score -1 to -9), or when it
# is a one-syllable token (a fragment of a split word: 비 포하고). Lower skips more pieces and
# finds fewer real-word misreads.
QUIET_GATE_SCORE = -9.0
# Whether a piece without a trace of damage is searched only where Kiwi's typo search reads it
# better through a look-alike (else: every such piece, with the commonest confusions only).
# Measured on news-dev: the typo gate lost real-word repairs Kiwi reads as fine (13충으로, Hangul
# recall 0.39 -> 0.31, CER improvement 56.3 % -> 54.7 %) for about a third less work; off.
QUIET_PIECES_NEED_TYPO = False
# A window of N words of context reaches at most N * WINDOW_CHARS_PER_WORD characters beyond
# the span it is about on each side (a word alone: ALONE_SIDE_CHARS): where the OCR lost the
# spaces a "word" can be a whole line, and its windows would be whole lines. A printed Korean
# word and its space take about 4 characters; wider sees more context at more Kiwi work.
WINDOW_CHARS_PER_WORD = 10
ALONE_SIDE_CHARS = 6
# Of a piece's variants, only the cheapest (by channel cost) this many are scored alone for the
# shortlist: a piece of many syllables has hundreds of two-jamo variants, and the right one is
# nearly always among the cheap ones. More finds rarer repairs at proportionally more work.
ALONE_VARIANTS = 16
# A piece without a trace of damage (a real word that may be a misread of another) keeps its
# cheapest this many word-forming variants, scored in context without the alone pass: its
# variants are one-jamo look-alikes, few, and only context can tell them from the original.
QUIET_VARIANTS = 16


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed repair of a piece, with the evidence its confidence is computed from."""

    start: int
    end: int
    original: str
    replacement: str
    channel_cost: float
    substitutions: int
    lm_gain: float
    original_oov: bool
    original_known: bool
    replacement_word: str
    confusions: tuple[str, ...]
    suspicious: bool = True
    """Whether Kiwi's analysis of the line showed a trace of damage in this piece."""
    joined: bool = False
    """Whether the repair also removes the space to a neighbour (피해지 들과 -> 피해자들과)."""
    piece_start: int = -1
    """Start of the piece this candidate repairs (a joined candidate's span is wider)."""
    beside_fragment: bool = False
    """Whether the repaired span stands next to a one-syllable or non-Hangul fragment across a
    space: the word is likely split there too, and repairing only one side leaves it wrong."""
    lead: float = 0.0
    """How far this candidate's gain-minus-cost leads the best rival repair of the same piece."""
    bridged: bool = False
    """Whether a joined repair is borne out by the lexicon across the join: a word spans it
    (지 택에서 -> 자택에서) or what follows is a particle or ending split off (문저 로)."""
    particle_swap: bool = False
    """Whether the repair only swaps one particle for another (배상은 -> 배상을)."""
    compound: bool = False
    """Whether the repaired word and its neighbour across the space make a lexicon compound of
    three or more syllables that the original did not (데이터 탠 -> 데이터 댐: 데이터댐)."""
    line_break: bool = False
    """Whether a joined repair closes what was a line break in the OCR: narrow columns break
    words at any syllable, so a join there is far likelier than across a space in a line."""
    variant: str = ""
    """The piece as this candidate repairs it (the joined and unjoined forms of one repair share
    it, so they are not each other's rivals)."""
    noun_span: NounSpan | None = None
    """Where the repaired word and its neighbour across the space make a compound only the
    domain or user lexicons know (데이터 댐: 데이터댐), its span in the text and tag: the context
    scores read it as one noun, since Kiwi scores it as unrelated parts."""
    compound_word: str = ""
    """That compound, for the reason a proofreader reads."""

    def features(self) -> list[float]:
        return [
            1.0,
            max(-20.0, min(40.0, self.lm_gain)),
            self.channel_cost,
            float(self.substitutions),
            float(self.original_oov),
            float(self.original_known),
            float(len(self.original)),
            float(len(self.replacement_word)),
            max(-10.0, min(10.0, self.lead)),
            float(self.suspicious),
            float(self.joined),
            float(self.joined) * max(-20.0, min(40.0, self.lm_gain)),
            float(self.beside_fragment),
            float(self.replacement_word == self.replacement.replace(" ", "")),
            float(self.bridged),
            float(self.joined and self.line_break),
            float(self.compound),
        ]


FEATURE_NAMES = (
    "bias",
    "lm_gain",
    "channel_cost",
    "substitutions",
    "original_oov",
    "original_known",
    "piece_length",
    "word_length",
    "lead",
    "suspicious",
    "joined",
    "joined_lm_gain",
    "beside_fragment",
    "whole_word",
    "bridged",
    "joined_line_break",
    "compound",
)


@dataclass(frozen=True, slots=True)
class MisreadModel:
    weights: tuple[float, ...]

    def confidence(self, candidate: Candidate) -> float:
        z = sum(w * x for w, x in zip(self.weights, candidate.features(), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@lru_cache(maxsize=1)
def misread_model() -> MisreadModel:
    """The shipped decision model (dictionaries/misread_weights.json), loaded once."""
    return load_misread_model()


def load_misread_model(path: Path | None = None) -> MisreadModel:
    """A decision model from a weight file; its feature names must be FEATURE_NAMES, in order
    (`DataFileError` otherwise: weights fitted for other features would weigh the wrong
    evidence silently)."""
    path = path or data_path("misread_weights.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        named = data["weights"]
        check_feature_names(
            path,
            list(named),
            FEATURE_NAMES,
            code="kocorrect.misreads.FEATURE_NAMES",
            refit="rerun scripts/calibrate_misreads.py --write",
        )
        weights = tuple(float(named[name]) for name in FEATURE_NAMES)
        if not all(math.isfinite(w) for w in weights):
            raise ValueError("a weight is not a finite number")
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise DataFileError(
            path, f"malformed misread weights ({err!r}); rerun scripts/calibrate_misreads.py"
        ) from err
    return MisreadModel(weights)


@lru_cache(maxsize=4)
def confusion_table(path: Path | None) -> ConfusionTable:
    return ConfusionTable.load(path)


# Two-jamo variants combine, per syllable, only its cheapest this many one-jamo alternatives:
# the pairs grow with the square of it. More reaches rarer double misreads at more work.
PAIR_ALTERNATIVES = 6
# A piece's variants are tried cheapest first until ALONE_VARIANTS of them form lexicon words,
# or this many were tried: the bound on lexicon searches per piece.
MAX_VARIANTS_TRIED = 150


def _variants(
    piece: str,
    table: ConfusionTable,
    *,
    max_cost: float,
    max_jamo: int,
    line_ends: Sequence[int] = (),
) -> list[tuple[str, float, tuple[int, ...], tuple[str, ...]]]:
    """(variant, cost, changed syllable indexes, confusions), cheapest first, at most
    `max_jamo` jamo changed and at most MAX_VARIANTS_TRIED of them; the syllables at
    `line_ends` (indexes in the piece) ended a printed line."""
    per_syllable = [
        [
            alt
            for alt in table.syllable_alternatives(syllable, at_line_end=index in line_ends)
            if alt[1] <= max_cost
        ]
        for index, syllable in enumerate(piece)
    ]
    # (cost, first index, its alternative, second index or -1, its alternative)
    plans: list[tuple[float, int, int, int, int]] = [
        (alt[1], index, k, -1, -1)
        for index, alternatives in enumerate(per_syllable)
        for k, alt in enumerate(alternatives)
        if alt[2] <= max_jamo
    ]
    if max_jamo >= 2:
        singles = [
            sorted(
                (alt[1], k) for k, alt in enumerate(alternatives) if alt[2] == 1
            )[:PAIR_ALTERNATIVES]
            for alternatives in per_syllable
        ]
        for i in range(len(piece)):
            for j in range(i + 1, len(piece)):
                for a_cost, a in singles[i]:
                    for b_cost, b in singles[j]:
                        if a_cost + b_cost > max_cost:
                            break
                        plans.append((a_cost + b_cost, i, a, j, b))
    plans.sort()
    out = []
    for cost, i, a, j, b in plans[:MAX_VARIANTS_TRIED]:
        a_syl, _, _, a_why = per_syllable[i][a]
        if j < 0:
            out.append((piece[:i] + a_syl + piece[i + 1 :], cost, (i,), (a_why,)))
        else:
            b_syl, _, _, b_why = per_syllable[j][b]
            variant = piece[:i] + a_syl + piece[i + 1 : j] + b_syl + piece[j + 1 :]
            out.append((variant, cost, (i, j), (a_why, b_why)))
    return out


def _tried(
    piece_variants: list[tuple[str, float, tuple[int, ...], tuple[str, ...]]],
    lexicon: Lexicon,
    wanted: int,
) -> list[tuple[str, float, tuple[int, ...], tuple[str, ...]]]:
    """The cheapest variants of a piece, up to the one that makes `wanted` distinct variants
    forming lexicon words (cheapest first: the shortlist keeps no more)."""
    words: set[str] = set()
    for n, (variant, _cost, changed, _why) in enumerate(piece_variants):
        if variant not in words and _covering_word(variant, changed[0], changed[-1] + 1, lexicon):
            words.add(variant)
            if len(words) >= wanted:
                return piece_variants[: n + 1]
    return piece_variants


_COVER_CACHE_LIMIT = 500_000


def _covering_word(text: str, lo: int, hi: int, lexicon: Lexicon) -> str | None:
    """Cached `_find_covering_word`: the same pieces and variants recur across pages."""
    cache = lexicon.cover_cache
    key = (text, lo, hi)
    if key in cache:
        return cache[key]
    if len(cache) >= _COVER_CACHE_LIMIT:
        cache.clear()
    found = cache[key] = _find_covering_word(text, lo, hi, lexicon)
    return found


def _find_covering_word(text: str, lo: int, hi: int, lexicon: Lexicon) -> str | None:
    """The longest lexicon word of `text` covering positions [lo, hi) (2+ syllables unless the
    text is one syllable), or a word followed by a particle or ending that covers them
    (때+에, 내용+을): OCR misreads particles as often as words."""
    best: str | None = None
    shortest = 1 if len(text) == 1 else 2
    for a in range(max(0, hi - lexicon.longest), lo + 1):
        for b in range(min(len(text), a + lexicon.longest), max(hi, a + shortest) - 1, -1):
            word = text[a:b]
            if word in lexicon and (best is None or len(word) > len(best)):
                best = word
                break
    if best is None:
        # The whole piece as a word and its particles or endings (층+으로, 사건+을): the change
        # may fall in either part, and a one-syllable noun counts here.
        for k in range(len(text) - 1, 0, -1):
            if text[:k] in lexicon and lexicon.is_tail(text[k:]):
                return text
    return best


# A piece is worth repairing when Kiwi's own analysis of its line shows a trace of damage:
# an out-of-vocabulary morpheme, a morpheme scored as very unlikely, an unexpected proper noun,
# or a word broken into several one-syllable nouns (읍+주+운전). On the training pages this
# gate keeps ~6 % of the pieces and ~60 % of the misread ones.
SUSPICIOUS_MORPHEME_SCORE = -14.0


_BOUND_TAGS = ("J", "E", "VCP", "XSN")
# Particles with a grammatical alternative in the same place (은/을, 이/가, 에/의 ...); not the
# vocative 아/야, which Kiwi finds in damaged text (놓친 적아 있다).
_CASE_PARTICLE_TAGS = frozenset({"JKS", "JKC", "JKG", "JKO", "JKB", "JX"})
# Their forms (a closed class of the grammar): what a swapped-in particle must be.
_CASE_PARTICLES = frozenset(
    [
        "이",
        "가",
        "께서",
        "에서",
        "을",
        "를",
        "의",
        "에",
        "에게",
        "께",
        "한테",
        "로",
        "으로",
        "와",
        "과",
        "은",
        "는",
        "도",
        "만",
        "까지",
        "부터",
        "보다",
        "처럼",
        "마다",
        "조차",
        "밖에",
        "이나",
        "나",
        "이며",
        "며",
        "이라",
        "라",
        "하고",
        "랑",
        "이랑",
    ]
)
_VERBAL_TAGS = ("VV", "VA", "VX", "XSV", "XSA")
_CONJUGATED_TAGS = ("VV", "VA", "VX", "XSV", "XSA", "EP", "EF", "EC", "ETM", "ETN")
VERB_CHECKS_PER_PIECE = 12
_CONTENT_TAGS = ("NN", "NP", "NR", "VV", "VA", "VX", "MA", "MM", "IC", "XR")


# The longest Hangul run searched as one piece: a longer run (text whose spaces the OCR lost)
# is cut at the analysis's morpheme boundaries into pieces of at most this many syllables
# before any candidate search, so the work per character is the same as for spaced text. A
# word longer than this is searched in parts (a repair then cannot span the cut).
MAX_PIECE_SYLLABLES = 10


def _pieces(
    text: str, analysis: PageAnalysis, lexicon: Lexicon, protected: Sequence[tuple[int, int]]
) -> tuple[list[tuple[int, int, bool, bool, bool]], set[int], set[int]]:
    """(start, end, has_oov, suspicious, verbal) of every unprotected Hangul piece worth a
    candidate search (verbal: Kiwi reads a verb or adjective in it); the offsets of the words
    that cannot stand alone: a particle, ending or suffix split off its word (`로` in `문저 로`,
    `들과` in `피해지 들과`; `된` or `전` stand alone); and the offsets Kiwi reads as particles.

    A piece is searched when Kiwi's analysis shows a trace of damage in it (suspicious) or when
    Kiwi's own typo search reads it better through a look-alike jamo (a quiet piece that may be
    a misread of a real word); other pieces are left alone."""
    spans = sorted(protected)
    span_starts = [s for s, _ in spans]

    def is_protected(start: int, end: int) -> bool:
        i = bisect_right(span_starts, end - 1) - 1  # the last span starting before `end`
        return any(spans[k][1] > start for k in range(max(0, i - 1), i + 1) if k >= 0)

    out = []
    bound: set[int] = set()
    particles: set[int] = set()
    for (offset, line), tokens, typos in zip(analysis.lines, analysis.morphs, analysis.typos):
        token_ends = [t.end for t in tokens]
        typo_starts = [t.start for t in typos]
        for t in tokens:
            if t.tag in _CASE_PARTICLE_TAGS:
                particles.update(range(t.start, t.end))
        for match in _PIECE.finditer(line):
            run_start, run_end = offset + match.start(), offset + match.end()
            first = bisect_right(token_ends, run_start)
            covering_run = []
            for t in tokens[first:]:
                if t.start >= run_end:
                    break
                covering_run.append(t)
            word_initial = match.start() == 0 or line[match.start() - 1].isspace()
            if covering_run and word_initial and _is_bound(
                text[run_start:run_end], covering_run[0], lexicon
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
                loose = _LOOSE_CONSONANT.search(text, start, end) is not None
                suspicious = oov or unlikely or proper or fragments >= 2 or loose
                fragment = end - start == 1 and _alone(line, start - offset, end - offset)
                if (
                    not suspicious
                    and not fragment
                    and min((t.score for t in covering), default=0.0) > QUIET_GATE_SCORE
                ):
                    continue  # every morpheme fits its context: a real word, likely right
                if not suspicious and analysis.typo_searched:
                    i = bisect_right(typo_starts, end - 1) - 1
                    if i < 0 or typos[i].end <= start:
                        continue  # Kiwi finds nothing likelier through a look-alike here
                verbal = any(t.tag.startswith(_VERBAL_TAGS) for t in covering)
                out.append((start, end, oov, suspicious, verbal))
    return out, bound, particles


def _alone(line: str, start: int, end: int) -> bool:
    """Whether line[start:end] is a whole whitespace token (a one-syllable one may be a
    fragment of a word the OCR split: 비 포하고 for 배포하고)."""
    return (start == 0 or line[start - 1].isspace()) and (end == len(line) or line[end].isspace())


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
        first = bisect_right(ends, lo)
        inside = []
        for t in covering[first:]:
            if t.start >= hi:
                break
            inside.append(t)
        pieces.append((lo, hi, inside))
    return pieces


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
    return lexicon.is_tail(piece) and (piece not in lexicon or not tag.startswith(_CONTENT_TAGS))


def find_candidates(
    text: str,
    *,
    lm: LanguageModel,
    lexicon: Lexicon,
    table: ConfusionTable,
    protected: Sequence[tuple[int, int]] = (),
    line_ends: Collection[int] = (),
) -> list[Candidate]:
    """Lexicon-supported repairs of the suspicious pieces of `text`, scored in context.

    `line_ends`: offsets of the characters that ended a printed line (the OCR's line breaks,
    before the layout stage joined them), where the column edge clips vowel strokes.
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    token_starts = [s for s, _ in tokens]
    found: list[Candidate] = []
    windows: list[tuple[str, str]] = []  # (candidate's sentence window, the original's)
    typos = typo_model(table.confusions) if QUIET_PIECES_NEED_TYPO else None
    analysis = PageAnalysis.of(text, lm, typos=typos)
    pieces, bound, particles = _pieces(text, analysis, lexicon, protected)
    ends = set(line_ends)
    variants_of = [
        _tried(
            _piece_variants(
                text[p[0] : p[1]], p[3], table, [i - p[0] for i in range(p[0], p[1]) if i in ends]
            ),
            lexicon,
            ALONE_VARIANTS if p[3] else QUIET_VARIANTS,
        )
        for p in pieces
    ]
    conjugated = _conjugated_forms(pieces, variants_of, lm, lexicon)
    for (start, end, oov, suspicious, _verbal), piece_variants in zip(pieces, variants_of):
        t_index = bisect_right(token_starts, start) - 1
        piece_window = _window(tokens, token_starts, start, end, CONTEXT_TOKENS)
        # A compound is a word and its neighbour across one space: not where the "word" is a
        # run longer than any lexicon word (text whose spaces were lost).
        compound_reach = tokens[t_index][1] - tokens[t_index][0] <= lexicon.longest
        piece = text[start:end]
        # A loose consonant standing alone is itself a fragment of a split word (ㅇ 니한다):
        # only a repair that rejoins it may be applied.
        lone = tokens[t_index] == (start, end) and _LOOSE_CONSONANT.fullmatch(piece) is not None
        for variant, cost, changed, why in piece_variants:
            lo, hi = changed[0], changed[-1] + 1
            word = _covering_word(variant, lo, hi, lexicon) or conjugated.get((variant, lo, hi))
            if word is None:
                continue
            known = _covering_word(piece, lo, hi, lexicon) is not None
            # One particle for another (배상은 -> 배상을) is a choice of grammar the language
            # model makes no better than the writer: a suggestion at most.
            particle_swap = (
                known
                and all(start + i in particles for i in range(lo, hi))
                and variant[lo:] in _CASE_PARTICLES
            )
            spans = _spans(text, tokens, t_index, (start, end, variant), bound)
            noun = (
                _compound_noun(text, tokens, t_index, (start, end), variant, start + hi, lexicon)
                if suspicious and compound_reach
                else (None, "")
            )
            for span_start, span_end, replacement, join_at in spans:
                joined = join_at > 0
                found.append(
                    Candidate(
                        start=span_start,
                        end=span_end,
                        original=text[span_start:span_end],
                        replacement=replacement,
                        channel_cost=cost,
                        substitutions=len(changed),
                        lm_gain=0.0,  # set once the shortlist is scored in context
                        original_oov=oov,
                        original_known=known,
                        replacement_word=word,
                        confusions=why,
                        suspicious=suspicious,
                        joined=joined,
                        bridged=joined
                        and _bridged(
                            replacement, join_at, span_start + join_at + 1, bound, lexicon
                        ),
                        piece_start=start,
                        beside_fragment=_beside_fragment(text, span_start, span_end, bound)
                        or (lone and not joined),
                        variant=variant,
                        particle_swap=particle_swap and not joined,
                        line_break=joined and span_start + join_at - 1 in ends,
                        compound=not joined
                        and compound_reach
                        and _completes_compound(
                            text, tokens, t_index, (start, end), variant, lexicon
                        ),
                        noun_span=None if joined else noun[0],
                        compound_word="" if joined else noun[1],
                    )
                )
                # The piece's window, widened to a joined span that reaches past it.
                w_start = min(piece_window[0], span_start)
                w_end = max(piece_window[1], span_end)
                windows.append(
                    (
                        text[w_start:span_start] + replacement + text[span_end:w_end],
                        text[w_start:w_end],
                        None if joined else _in_window(noun[0], w_start, w_end),
                    )
                )
    if not found:
        return []
    found, windows = _cheapest_paths(found, windows)
    kept = _shortlist(found, text, tokens, token_starts, lm)
    gains = _gains(lm, [windows[i] for i in kept])
    scored = _with_leads([replace(found[i], lm_gain=gain) for i, gain in zip(kept, gains)])
    # Pieces whose best repair is hopeless on one word of context are not scored again.
    model = misread_model()
    hopeful: dict[int, float] = {}
    for c in scored:
        hopeful[c.piece_start] = max(hopeful.get(c.piece_start, 0.0), model.confidence(c))
    scored = [c for c in scored if hopeful[c.piece_start] >= FINALIST_MIN_CONFIDENCE]
    return _with_leads(_rescore_finalists(scored, text, tokens, token_starts, lm))


def _gains(lm: LanguageModel, windows: Sequence[tuple[str, str, NounSpan | None]]) -> list[float]:
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
    gains = []
    for _variant, _original, span in windows:
        variant_score, original_score = next(scores), next(scores)
        if span is not None:
            variant_score = max(variant_score, next(scores))
        gains.append(variant_score - original_score)
    return gains


def _window(
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


def _in_window(span: NounSpan | None, w_start: int, w_end: int) -> NounSpan | None:
    """`span` (text offsets) relative to the window [w_start, w_end), if it lies inside."""
    if span is None or span[0] < w_start or span[1] > w_end:
        return None
    return (span[0] - w_start, span[1] - w_start, span[2])


def _piece_variants(
    piece: str, suspicious: bool, table: ConfusionTable, line_ends: Sequence[int] = ()
) -> list[tuple[str, float, tuple[int, ...], tuple[str, ...]]]:
    """The variants tried for a piece. A piece Kiwi reads without a trace of damage may still
    be a real-word misread; only the commonest single confusions are tried there, to keep the
    language model's work small."""
    if suspicious:
        return _variants(
            piece, table, max_cost=MAX_CHANNEL_COST, max_jamo=MAX_SUBSTITUTIONS, line_ends=line_ends
        )
    return _variants(piece, table, max_cost=QUIET_PIECE_MAX_COST, max_jamo=1, line_ends=line_ends)


_CONJUGATION_CACHE_LIMIT = 200_000


def _conjugated_forms(
    pieces: list[tuple[int, int, bool, bool, bool]],
    variants_of: list[list[tuple[str, float, tuple[int, ...], tuple[str, ...]]]],
    lm: LanguageModel,
    lexicon: Lexicon,
) -> dict[tuple[str, int, int], str]:
    """Variants the lexicon cannot cover because they are conjugated (홈쳤다 -> 훔쳤다: the
    lexicon knows the stem 훔치, not 훔쳤다), checked by Kiwi's analysis of the variant alone:
    the repaired syllables must fall in a known verb or adjective and its endings, and no
    morpheme may look damaged by the test that flags pieces (거둿다 reads as 거두+엇+다 with an
    unlikely 거두: rejected). Only the cheapest few variants of pieces where Kiwi reads a verb,
    and where a verb stem can start at the repair, are checked (the check costs an analysis
    each). Maps (variant, lo, hi) to the verb that covers the repair."""
    queued: dict[tuple[str, int, int], None] = {}
    prefixes = lexicon.verb_prefixes
    for (_start, _end, _oov, _suspicious, verbal), piece_variants in zip(pieces, variants_of):
        if not verbal:
            continue
        failing = []
        for variant, cost, changed, _why in piece_variants:
            lo, hi = changed[0], changed[-1] + 1
            # The stem starts the piece (an eojeol is a stem and its endings), and reaches the
            # repair or stops just before a contracted last syllable (훔쳤다, 별렀다).
            stem_start = variant[:hi] in prefixes or (lo > 0 and variant[:lo] in prefixes)
            if stem_start and _covering_word(variant, lo, hi, lexicon) is None:
                failing.append((cost, variant, lo, hi))
        failing.sort()
        for _cost, variant, lo, hi in failing[:VERB_CHECKS_PER_PIECE]:
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
        stems = [a for a in covering if a[2].startswith(_VERBAL_TAGS)]
        if covering and stems and all(a[2].startswith(_CONJUGATED_TAGS) for a in covering):
            out[(variant, lo, hi)] = stems[0][3] + "다"
    return out


def _rescore_finalists(
    candidates: list[Candidate],
    text: str,
    tokens: list[tuple[int, int]],
    token_starts: list[int],
    lm: LanguageModel,
) -> list[Candidate]:
    """Score the best repairs of each piece again with a wider context (FINAL_CONTEXT_TOKENS
    words each side): one word of context ranks well enough to shortlist, the decision between
    the finalists and the original deserves the sentence."""
    by_piece: dict[int, list[int]] = {}
    for index, c in enumerate(candidates):
        by_piece.setdefault(c.piece_start, []).append(index)
    finalists: list[int] = []
    for indexes in by_piece.values():
        indexes.sort(key=lambda i: candidates[i].channel_cost - candidates[i].lm_gain)
        finalists.extend(indexes[:FINALISTS])
    windows: dict[int, tuple[str, str, NounSpan | None]] = {}
    for index in finalists:
        c = candidates[index]
        w_start, w_end = _window(tokens, token_starts, c.start, c.end, FINAL_CONTEXT_TOKENS)
        variant = text[w_start : c.start] + c.replacement + text[c.end : w_end]
        windows[index] = (variant, text[w_start:w_end], _in_window(c.noun_span, w_start, w_end))
    out = list(candidates)
    for index, gain in zip(windows, _gains(lm, list(windows.values()))):
        out[index] = replace(out[index], lm_gain=gain)
    return out


_DEBRIS = frozenset("@#&|\\※")
_JAMO_TOKEN_LEFT = re.compile(r"(?:^|\s)\S*[ㄱ-ㅣ]\S* $")
_JAMO_TOKEN_RIGHT = re.compile(r"^ \S*[ㄱ-ㅣ]")


def _beside_fragment(text: str, start: int, end: int, bound: set[int]) -> bool:
    """Whether a particle or ending split off its word, or a token with loose jamo (OCR
    debris), stands one space away: the word is likely broken there too. Numbers, Latin and
    words that stand alone (`된`, `전`) are ordinary neighbours."""
    if start >= 2 and text[start - 1] == " " and (start - 2) in bound:
        left_start = start - 2
        if left_start == 0 or text[left_start - 1].isspace():  # a one-syllable token
            return True
    if end + 1 < len(text) and text[end] == " " and (end + 1) in bound:
        return True
    left = text[max(0, start - 12) : start]
    if _JAMO_TOKEN_LEFT.search(left) or _JAMO_TOKEN_RIGHT.match(text[end : end + 8]):
        return True
    # Debris inside the same token ((@깜사위원은: @ is tesseract's reading of a circled number):
    # the token is damaged beyond the syllable repaired (looked for within a word's reach).
    reach = max(0, start - 24)
    token_start = max(text.rfind(" ", reach, start), text.rfind("\n", reach, start), reach - 1) + 1
    token = _TOKEN.match(text, token_start, end + 24)
    return token is not None and any(char in _DEBRIS for char in token.group())


def _cheapest_paths(
    candidates: list[Candidate], windows: list[tuple[str, str]]
) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """One candidate per repair: the same replacement reached through different jamo changes
    keeps its cheapest explanation (otherwise it would count as its own rival)."""
    best: dict[tuple[int, int, str], int] = {}
    for index, c in enumerate(candidates):
        key = (c.start, c.end, c.replacement)
        if key not in best or c.channel_cost < candidates[best[key]].channel_cost:
            best[key] = index
    keep = sorted(best.values())
    return [candidates[i] for i in keep], [windows[i] for i in keep]


def _shortlist(
    candidates: list[Candidate],
    text: str,
    tokens: list[tuple[int, int]],
    token_starts: list[int],
    lm: LanguageModel,
) -> list[int]:
    """Indexes of the few repairs of each piece whose word alone reads best (a cheap pass).

    Scoring a candidate alone (its whitespace token, a few characters) costs a fraction of
    scoring it in its sentence; the sentence-level score is spent only on the shortlist.
    """
    cheapest: dict[int, dict[str, float]] = {}
    limit: dict[int, int] = {}
    for c in candidates:
        costs = cheapest.setdefault(c.piece_start, {})
        costs[c.variant] = min(c.channel_cost, costs.get(c.variant, math.inf))
        limit[c.piece_start] = ALONE_VARIANTS if c.suspicious else QUIET_VARIANTS
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
        first, last = _window(tokens, token_starts, c.start, c.end, 0)
        alone.append((text[first : c.start] + c.replacement + text[c.end : last], text[first:last]))
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
        kept_variants.update((piece, variant) for _merit, variant in ranked[:SHORTLIST_SIZE])
    return [i for i, c in zip(indexes, candidates) if (c.piece_start, c.variant) in kept_variants]


def _bridged(
    joined: str, join_at: int, right_start: int, bound: set[int], lexicon: Lexicon
) -> bool:
    """Whether the lexicon bears out the join at `join_at` of `joined`: a word (2+ syllables)
    spans it, or the right-hand part (at `right_start` in the text) is a particle or ending
    split off its word."""
    if right_start in bound:
        return True
    for a in range(max(0, join_at - lexicon.longest + 1), join_at):
        for b in range(join_at + 1, min(len(joined), a + lexicon.longest) + 1):
            if joined[a:b] in lexicon:
                return True
    return False


def _hangul_neighbours(
    text: str, tokens: list[tuple[int, int]], t_index: int
) -> Iterator[tuple[bool, int, str]]:
    """(whether it comes before, start, text) of each all-Hangul token one space away from
    token `t_index`: the words a compound written with a space may be made with."""
    t_start, t_end = tokens[t_index]
    for other in (t_index - 1, t_index + 1):
        if not 0 <= other < len(tokens):
            continue
        o_start, o_end = tokens[other]
        gap = (o_end, t_start) if other < t_index else (t_end, o_start)
        neighbour = text[o_start:o_end]
        if text[gap[0] : gap[1]] == " " and _PIECE.fullmatch(neighbour):
            yield other < t_index, o_start, neighbour


def _completes_compound(
    text: str,
    tokens: list[tuple[int, int]],
    t_index: int,
    piece: tuple[int, int],
    variant: str,
    lexicon: Lexicon,
) -> bool:
    """Whether the repaired token and a Hangul neighbour across one space hold a lexicon word of
    three or more syllables spanning the space and reaching into the repair, which the
    original tokens do not (compounds are written with or without the space: 데이터 댐)."""
    start, end = piece
    t_start, t_end = tokens[t_index]
    original = text[t_start:t_end]
    repaired = text[t_start:start] + variant + text[end:t_end]
    for is_before, _o_start, neighbour in _hangul_neighbours(text, tokens, t_index):
        before = len(neighbour) if is_before else 0  # what precedes the token in the pair
        repair_start = before + start - t_start
        if is_before:
            pair, old_pair, at, old_at = neighbour + repaired, neighbour + original, before, before
        else:
            pair, old_pair = repaired + neighbour, original + neighbour
            at, old_at = len(repaired), len(original)
        if _starts_with_word(pair, max(at, repair_start) + 1, lexicon) and not _starts_with_word(
            old_pair, old_at + 1, lexicon
        ):
            return True
    return False


def _compound_noun(
    text: str,
    tokens: list[tuple[int, int]],
    t_index: int,
    piece: tuple[int, int],
    variant: str,
    repair_end: int,
    lexicon: Lexicon,
) -> tuple[NounSpan | None, str]:
    """(span and tag, word) of a noun compound that only the domain or user lexicons know and
    that the repaired token makes with a Hangul neighbour across one space: the neighbour and
    the token's word without its particles or endings (데이터 댐 -> 데이터댐, 교통정책 과장은 ->
    교통정책과장 + 은), reaching over the repaired syllables (up to `repair_end`), where the
    original token makes no compound of that shape. (None, "") when there is none."""
    t_start, t_end = tokens[t_index]
    repaired = text[t_start : piece[0]] + variant + text[piece[1] : t_end]
    original = text[t_start:t_end]
    for is_before, o_start, neighbour in _hangul_neighbours(text, tokens, t_index):
        if is_before:
            found = _compound_of(neighbour, repaired, lexicon, reach=repair_end - t_start)
            if found and not _compound_of(neighbour, original, lexicon, reach=0, any_layer=True):
                word, tag = found
                return (o_start, t_start + len(word) - len(neighbour), tag), word
        else:
            found = _compound_of(repaired, neighbour, lexicon, reach=0)
            if found and not _compound_of(original, neighbour, lexicon, reach=0, any_layer=True):
                word, tag = found
                return (t_start, o_start + len(word) - len(repaired), tag), word
    return None, ""


def _compound_of(
    head: str, token: str, lexicon: Lexicon, *, reach: int, any_layer: bool = False
) -> tuple[str, str] | None:
    """(word, tag) when `head` and the word of `token` (its particles and endings stripped,
    keeping at least `reach` characters) make one noun of the domain or user lexicons (of
    any lexicon with `any_layer`)."""
    known = lexicon.tags if any_layer else lexicon.unknown_to_kiwi
    for k in range(len(token), max(reach, 1) - 1, -1):
        tail = token[k:]
        if tail and not lexicon.is_tail(tail):
            continue
        word = head + token[:k]
        if word in known:
            nouns = sorted(t for t in lexicon.tags[word] if t.startswith("NN"))
            if nouns:
                return word, nouns[0]
    return None


def _starts_with_word(text: str, shortest: int, lexicon: Lexicon) -> bool:
    """Whether `text` starts with a lexicon word of at least `shortest` (and 3) syllables: a
    compound starts where its first word does, not in the middle of a token."""
    return any(
        text[:b] in lexicon for b in range(max(shortest, 3), min(len(text), lexicon.longest) + 1)
    )


def _spans(
    text: str,
    tokens: list[tuple[int, int]],
    t_index: int,
    piece: tuple[int, int, str],
    bound: set[int],
) -> list[tuple[int, int, str, int]]:
    """The repair as it stands, and joined with a Hangul neighbour across one space (with the
    index in the replacement where the space was; 0 when nothing is joined).

    Tesseract often both misreads a syllable and splits the word there (`출발히 는`); fixing
    only the syllable leaves a wrong word behind, so the joined form competes too. Joins are
    tried with a one-syllable side, or with what Kiwi reads as a suffix, particle or ending
    split off (피해지 들과, 제시 하여야). Joining longer neighbours where a lexicon word spans
    the join (감시 원에 -> 감사원에) was measured and brought wrong joins (다이니 믹듀오 ->
    다이내믹듀오) but no right one on the news pages.
    """
    start, end, variant = piece
    out = [(start, end, variant, 0)]
    t_start, t_end = tokens[t_index]
    if start == t_start and t_index > 0:
        p_start, p_end = tokens[t_index - 1]
        # An opening quote or bracket belongs to the word, not to the fragment ('잔 흑한).
        p_start = _OPENING.match(text, p_start, p_end).end()
        single = p_end - p_start == 1 or end - start == 1
        if (
            single
            and p_end == t_start - 1
            and text[p_end] == " "
            and _PIECE.fullmatch(text[p_start:p_end])
        ):
            out.append((p_start, end, text[p_start:p_end] + variant, p_end - p_start))
    if end == t_end and t_index + 1 < len(tokens):
        n_start, n_end = tokens[t_index + 1]
        head = _PIECE.match(text, n_start, n_end)
        if (
            head
            and (len(head.group()) == 1 or end - start == 1 or n_start in bound)
            and n_start == t_end + 1
            and text[t_end] == " "
        ):
            out.append((start, head.end(), variant + head.group(), end - start))
    return out


def _with_leads(candidates: list[Candidate]) -> list[Candidate]:
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
            out.append(replace(c, lead=lead))
    return out


def _edit(candidate: Candidate, confidence: float) -> Edit:
    kind = "real-word" if candidate.original_known else "ocr-misread"
    if candidate.joined:
        kind += "+rejoin"
    reason = (
        f"OCR look-alike {', '.join(candidate.confusions)}; "
        f"{candidate.replacement_word!r} is in the lexicon"
        + ("" if candidate.original_known else f", {candidate.original!r} is not")
        + f"; context favours it by {candidate.lm_gain:+.1f} (log-prob)"
        + ("; the word split around it is rejoined" if candidate.joined else "")
        + (
            f"; with its neighbour it makes the lexicon compound {candidate.compound_word!r},"
            " scored as one word"
            if candidate.compound_word
            else ""
        )
        + ("; one particle for another: a proofreader decides" if candidate.particle_swap else "")
        + (
            "; the word looks split beside it too: a proofreader decides"
            if candidate.beside_fragment and not candidate.joined
            else ""
        )
    )
    return Edit(
        candidate.start,
        candidate.end,
        candidate.original,
        candidate.replacement,
        kind,
        round(confidence, 3),
        reason,
    )


def _chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Spans of `text` of about `size` characters, cut at line ends (or, inside a very long
    line, at a space), so that memory stays bounded whatever the page's size."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        spans.append((start, end))
        start = end
    return spans


def correct_misreads(
    text: str,
    *,
    lm: LanguageModel,
    lexicon: Lexicon,
    protected: Sequence[tuple[int, int]] = (),
    threshold: float = 0.5,
    suggest_threshold: float = 0.2,
    confusions: Path | None = None,
    line_ends: Collection[int] = (),
) -> tuple[list[Edit], list[Edit]]:
    """(applied edits, suggestions) on `text`; nothing inside a `protected` span is touched.

    `line_ends`: offsets in `text` of the characters that ended a line of the OCR output."""
    table = confusion_table(confusions)
    model = misread_model()
    ends = sorted(line_ends)
    edits: list[Edit] = []
    suggestions: list[Edit] = []
    for lo, hi in _chunks(text):
        chunk = text[lo:hi]
        local_protected = [(s - lo, e - lo) for s, e in protected if s < hi and lo < e]
        local_ends = [i - lo for i in ends[bisect_left(ends, lo) : bisect_left(ends, hi)]]
        candidates = find_candidates(
            chunk,
            lm=lm,
            lexicon=lexicon,
            table=table,
            protected=local_protected,
            line_ends=local_ends,
        )
        applied, proposed = _decide(candidates, model, threshold, suggest_threshold)
        # A repair changes its neighbours' context (이유외 변호인의 reads right only once 번호인의
        # is repaired): the pieces near the latest repairs are decided again, until nothing more
        # changes, so that the output is what a second run would leave as it is.
        latest = applied
        for _round in range(MAX_EXTRA_ROUNDS):
            if not latest:
                break
            latest = _decide(
                _candidates_near_repairs(
                    chunk, applied, latest, lm, lexicon, table, local_protected, local_ends
                ),
                model,
                threshold,
                suggest_threshold,
            )[0]
            proposed = [p for p in proposed if not any(_overlap(p, m) for m in latest)]
            applied = sorted(applied + latest, key=lambda e: e.start)
        edits.extend(replace(e, start=e.start + lo, end=e.end + lo) for e in applied)
        suggestions.extend(replace(e, start=e.start + lo, end=e.end + lo) for e in proposed)
    return edits, suggestions


def _overlap(a: Edit, b: Edit) -> bool:
    return a.start < b.end and b.start < a.end


def _candidates_near_repairs(
    chunk: str,
    applied: list[Edit],
    latest: list[Edit],
    lm: LanguageModel,
    lexicon: Lexicon,
    table: ConfusionTable,
    protected: Sequence[tuple[int, int]],
    line_ends: Sequence[int],
) -> list[Candidate]:
    """Candidates for the pieces within the decision context of the `latest` repairs, found in
    the text with all `applied` repairs made, with their offsets mapped back to `chunk` (no
    candidate overlaps a repair)."""
    span_map = SpanMap(applied)
    repaired = apply_edits(chunk, applied)
    fixed = span_map.output_spans
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(repaired)]
    token_starts = [s for s, _ in tokens]
    near: list[tuple[int, int]] = []
    newest = {id(e) for e in latest}
    for (start, end), edit in zip(fixed, applied):
        if id(edit) not in newest:
            continue
        first = max(0, bisect_right(token_starts, start) - 1 - FINAL_CONTEXT_TOKENS)
        last = min(
            len(tokens) - 1,
            bisect_right(token_starts, max(start, end - 1)) - 1 + FINAL_CONTEXT_TOKENS,
        )
        near.append((tokens[first][0], tokens[last][1]))
    moved = (span_map.to_output(s, e) for s, e in protected)
    shielded = fixed + [span for span in moved if span is not None]
    cursor = 0
    for start, end in sorted(near):
        if start > cursor:
            shielded.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < len(repaired):
        shielded.append((cursor, len(repaired)))
    candidates = find_candidates(
        repaired,
        lm=lm,
        lexicon=lexicon,
        table=table,
        protected=_merged(shielded),
        line_ends=[span[0] for i in line_ends if (span := span_map.to_output(i, i + 1))],
    )
    out = []
    for c in candidates:
        start = span_map.to_input(c.start, c.end)  # None: a joined one reaches into a repair
        if start is not None:
            shift = start - c.start
            noun = c.noun_span
            out.append(
                replace(
                    c,
                    start=start,
                    end=c.end + shift,
                    piece_start=c.piece_start + shift,
                    noun_span=None if noun is None else (noun[0] + shift, noun[1] + shift, noun[2]),
                )
            )
    return out


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _decide(
    candidates: list[Candidate], model: MisreadModel, threshold: float, suggest_threshold: float
) -> tuple[list[Edit], list[Edit]]:
    """The best repair of each piece: applied, suggested or dropped by its confidence."""
    best: dict[int, tuple[float, Candidate]] = {}
    for candidate in candidates:
        confidence = model.confidence(candidate)
        if (candidate.beside_fragment and not candidate.joined) or candidate.particle_swap:
            # The word is probably split next to the repair too (문저 로, 속히 는), and fixing
            # one half leaves it wrong; or one particle replaces another. A proofreader
            # decides: suggest, never apply.
            confidence = min(confidence, FRAGMENT_CONFIDENCE_CAP)
        key = candidate.piece_start
        if key not in best or confidence > best[key][0]:
            best[key] = (confidence, candidate)
    # Joined repairs of neighbouring pieces may overlap: the more confident one wins.
    taken: set[int] = set()
    edits: list[Edit] = []
    suggestions: list[Edit] = []
    for confidence, candidate in sorted(best.values(), key=lambda item: -item[0]):
        if any(i in taken for i in range(candidate.start, candidate.end)):
            continue
        if confidence >= threshold:
            edits.append(_edit(candidate, confidence))
        elif confidence >= suggest_threshold:
            suggestions.append(_edit(candidate, confidence))
        else:
            continue
        taken.update(range(candidate.start, candidate.end))
    edits.sort(key=lambda e: e.start)
    suggestions.sort(key=lambda e: e.start)
    return edits, suggestions
