"""Candidates: the repairs proposed for a piece, with the evidence a decision weighs.

Each variant that forms a word (see `variants`) becomes a `Candidate`: the repair as it stands,
and joined with a neighbour across one space where the OCR also split the word there (출발히 는
-> 출발하는). A candidate records what is known of it: whether the join is borne out by the
lexicon (bridged), whether it stands beside a split-off fragment, whether it only swaps one
particle for another, whether with its neighbour it completes a compound only the domain or
user lexicons know (데이터 탠 -> 데이터 댐: 데이터댐; `noun_span` lets the context scores read it as
one noun). `Candidate.features()` is the decision model's input, named by FEATURE_NAMES in the
same order. The language-model gain and the lead over rival repairs are filled in by `rank`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, NamedTuple

from ..analysis import NounSpan
from ..hangul import decompose, is_hangul_syllable
from ..lexicon import Lexicon
from ..wordlists import load_words
from .gate import LOOSE_CONSONANT, PIECE, TOKEN, Piece
from .variants import Variant, covering_word

__all__ = [
    "FEATURE_NAMES",
    "PAGE_SPELLING_REPEATS",
    "Candidate",
    "beside_fragment",
    "completes_compound",
    "compound_noun",
    "debris_touches",
    "disharmonic",
    "page_spelling",
    "piece_candidates",
    "token_debris",
]

# How many times a page must print a form, identically, for it to count as the page's own
# spelling of a name or title (see `page_spelling`).
PAGE_SPELLING_REPEATS = 2

_OPENING = re.compile("[\"'‘“(\\[「『<《〈]*")


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
    page_spelling: bool = False
    """Whether the repair rewrites a form the page prints the same way more than once into a
    word the lexicon knows only as a proper noun and the page never prints: the page's own
    spelling of a name or title, not a misread (see `page_spelling`)."""

    def evolve(self, **changes: Any) -> Candidate:
        """A copy with `changes` made: `dataclasses.replace`, at a quarter of its cost (the
        ranking sets the gain and the lead of every candidate, several times)."""
        new = object.__new__(Candidate)
        for name in _CANDIDATE_FIELDS:
            object.__setattr__(new, name, changes[name] if name in changes else getattr(self, name))
        return new

    def features(self) -> list[float]:
        """The decision model's input: one number per name of FEATURE_NAMES, in that order."""
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


_CANDIDATE_FIELDS = tuple(f.name for f in fields(Candidate))


# The names of `Candidate.features()`, in order: the weight file names its weights by them, and
# `decide.load_misread_model` refuses a file fitted for other features.
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


class _SpanFacts(NamedTuple):
    """A span a repair of a piece may replace, with what is the same for every variant."""

    start: int
    end: int
    before: str
    """What precedes the repaired piece in the replacement (a neighbour joined before it)."""
    after: str
    """What follows it there (a neighbour joined after it)."""
    join_at: int
    """The index in the replacement where the space was (0: nothing joined)."""
    original: str
    beside_fragment: bool
    """A split-off fragment stands beside the span (debris inside the token aside)."""
    debris: tuple[int, ...]
    """Offsets of OCR debris in the token (`token_debris`)."""
    line_break: bool
    """The join closes a printed line break."""


def piece_candidates(
    text: str,
    tokens: list[tuple[int, int]],
    token_starts: list[int],
    piece: Piece,
    variants: Sequence[Variant],
    *,
    conjugated: Mapping[tuple[str, int, int], str],
    lexicon: Lexicon,
    bound: set[int],
    particles: set[int],
    line_ends: Collection[int],
) -> list[Candidate]:
    """The candidates of one piece of `text`: each of its `variants` that forms a word (in the
    lexicon, or a verb form of `conjugated`), as it stands and joined with a neighbour, in the
    order of `variants`. `tokens` are the whitespace tokens of `text` (`token_starts` their
    starts); `bound` and `particles` are the gate's offsets of split-off particles or endings
    and of case particles; `line_ends` the offsets of characters that ended a printed line. The
    language-model gain is 0 until the candidate is scored in context."""
    start, end, oov, suspicious = piece.start, piece.end, piece.oov, piece.suspicious
    t_index = bisect_right(token_starts, start) - 1
    # A compound is a word and its neighbour across one space: not where the "word" is a
    # run longer than any lexicon word (text whose spaces were lost).
    compound_reach = tokens[t_index][1] - tokens[t_index][0] <= lexicon.longest
    original = text[start:end]
    # A loose consonant standing alone is itself a fragment of a split word (ㅇ 니한다):
    # only a repair that rejoins it may be applied.
    lone = tokens[t_index] == (start, end) and LOOSE_CONSONANT.fullmatch(original) is not None
    case_particles = load_words("case_particles")
    token = tokens[t_index]
    # What is the same for every variant of the piece, worked out once: whether the original
    # covers the changed syllables with a word, whether a span stands beside a fragment, the
    # token's neighbours for compounds.
    known_at: dict[tuple[int, int], bool] = {}
    spans: list[_SpanFacts] | None = None
    sides: list[_Side] = []
    probes: list[tuple[str, str, range]] = []
    original_made: dict[int, bool] = {}
    found: list[Candidate] = []
    tags_of = lexicon.tags.get
    for v in variants:
        # (v.lo and v.hi without their calls: most variants form no word and stop here)
        variant, changed = v.text, v.changed
        key = (variant, changed[0], changed[-1] + 1)
        word = covering_word(*key, lexicon)  # (remembered: the search made it for each)
        if not word:
            if not conjugated:
                continue
            word = conjugated.get(key)
            if word is None:
                continue
        if word == variant and disharmonic(variant, lexicon):
            continue
        lo, hi = key[1], key[2]
        cost, why = v.cost, v.confusions
        if spans is None:  # the first variant that forms a word
            spans = [
                _SpanFacts(
                    span_start,
                    span_end,
                    before,
                    after,
                    join_at,
                    text[span_start:span_end],
                    _split_beside(text, span_start, span_end, bound) or (lone and not join_at),
                    token_debris(text, span_start, span_end),
                    join_at > 0 and span_start + join_at - 1 in line_ends,
                )
                for span_start, span_end, before, after, join_at in _spans(
                    text, tokens, t_index, (start, end), bound
                )
            ]
            if compound_reach:
                sides = _compound_sides(text, tokens, t_index, lexicon)
                probes = _compound_probes(sides, text, token, (start, end), end - start, lexicon)
        known = known_at.get((lo, hi))
        if known is None:
            known = known_at[lo, hi] = covering_word(original, lo, hi, lexicon) is not None
        # (`page_spelling`'s first test, made here: it refuses nearly every word)
        spelled = tags_of(word) == _PROPER_NOUN_ONLY and page_spelling(
            text, original, variant, lo, hi, word, lexicon
        )
        # One particle for another (배상은 -> 배상을) is a choice of grammar the language
        # model makes no better than the writer: a suggestion at most.
        particle_swap = (
            known
            and all(start + i in particles for i in range(lo, hi))
            and variant[lo:] in case_particles
        )
        noun = (
            _noun_of(sides, original_made, text, token, (start, end), variant, start + hi, lexicon)
            if suspicious and compound_reach
            else (None, "")
        )
        for (
            span_start,
            span_end,
            before,
            after,
            join_at,
            span_text,
            fragment,
            debris,
            broken,
        ) in spans:
            joined = join_at > 0
            replacement = before + variant + after
            found.append(
                Candidate(
                    start=span_start,
                    end=span_end,
                    original=span_text,
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
                    and _bridged(replacement, join_at, span_start + join_at + 1, bound, lexicon),
                    piece_start=start,
                    beside_fragment=fragment
                    or (bool(debris) and debris_touches(text, debris, start + lo, start + hi)),
                    variant=variant,
                    particle_swap=particle_swap and not joined,
                    line_break=broken,
                    compound=not joined
                    and compound_reach
                    and _completes_with(probes, variant, lexicon),
                    noun_span=None if joined else noun[0],
                    compound_word="" if joined else noun[1],
                    page_spelling=spelled,
                )
            )
    return found


# Vowels after which a verb or adjective takes the endings in 아 (잡아, 얇아, 놓아); after every
# other vowel they are in 어 (먹어, 뻗어, 꿰어).
_BRIGHT_VOWELS = frozenset("ㅏㅑㅗ")
_VERB_TAGS = ("VV", "VA", "VX")
_BRIGHT_ENDINGS = "아았"
_DARK_ENDINGS = "어었"
_HARMONY_ENDINGS = frozenset(_BRIGHT_ENDINGS + _DARK_ENDINGS)


def disharmonic(form: str, lexicon: Lexicon) -> bool:
    """Whether `form`, read as a lexicon word and its endings, can only be a verb or adjective
    stem with an ending of the wrong vowel: 놓어야, 땋어요 (놓아야, 땋아요), 먹았다. Korean
    chooses 아 or 어 by the stem's last vowel, and a contracted or irregular form (가, 도와,
    고마워) changes the stem itself, so such a form is no word at all. False when any reading
    is well formed, when no reading is a stem and its endings, or when `form` is a lexicon word
    itself (보어)."""
    if _HARMONY_ENDINGS.isdisjoint(form[1:]) or form in lexicon.tags:
        return False  # (no ending in 아 or 어 at all: the common case, decided at once)
    readings = [
        (form[:k], form[k:])
        for k in range(len(form) - 1, 0, -1)
        if form[:k] in lexicon.tags and lexicon.is_tail(form[k:])
    ]
    if not readings:
        return False
    for stem, tail in readings:
        if not any(tag.startswith(_VERB_TAGS) for tag in lexicon.tags[stem]):
            return False
        if not is_hangul_syllable(stem[-1]):
            return False
        bright = decompose(stem[-1])[1] in _BRIGHT_VOWELS
        if tail[0] not in (_DARK_ENDINGS if bright else _BRIGHT_ENDINGS):
            return False
    return True


@lru_cache(maxsize=4)
def _without_spaces(text: str) -> str:
    """`text` with all whitespace removed: a word broken across a line or a column reads whole."""
    return _SPACE.sub("", text)


_SPACE = re.compile(r"\s+")
_PROPER_NOUN_ONLY = {"NNP"}


def page_spelling(
    text: str, original: str, variant: str, lo: int, hi: int, word: str, lexicon: Lexicon
) -> bool:
    """Whether repairing `original` into `variant` (syllables [lo, hi) changed) makes `word`, a
    form the lexicon knows only as a proper noun, out of a form `text` prints identically at
    least PAGE_SPELLING_REPEATS times (spaces and breaks aside), while `text` never prints
    `word` itself. A page that prints a name or a title the same way several times and never
    the lexicon's name is spelling its own word (a book title 초난감 is not the name 초난강):
    an OCR misread is rarely repeated with no right reading of the word anywhere on the page.
    Only a proper noun is judged so: a common word misread the same way each time (the same
    glyph in the same font) is a misread all the same."""
    if lexicon.tags.get(word) != _PROPER_NOUN_ONLY or len(word) < 2:
        return False  # (most words: decided by one look-up, for every variant of every piece)
    at = variant.find(word, max(0, hi - len(word)))
    if at < 0 or at > lo:
        return False
    if _times_printed(text, word):
        return False
    printed = original[at : at + len(word)]
    return _times_printed(text, printed) >= PAGE_SPELLING_REPEATS


def _times_printed(text: str, form: str) -> int:
    """How often `text` prints `form`, spaces and breaks aside; remembered per page, so a page
    that repeats one form (and so one candidate) thousands of times counts it once."""
    counts = _page_counts(text)
    found = counts.get(form)
    if found is None:
        found = counts[form] = _without_spaces(text).count(form)
    return found


@lru_cache(maxsize=4)
def _page_counts(text: str) -> dict[str, int]:
    return {}


_DEBRIS = frozenset("@#&|\\※")
_JAMO_TOKEN_LEFT = re.compile(r"(?:^|\s)\S*[ㄱ-ㅣ]\S* $")
_JAMO_TOKEN_RIGHT = re.compile(r"^ \S*[ㄱ-ㅣ]")


def beside_fragment(text: str, start: int, end: int, bound: set[int]) -> bool:
    """Whether a particle or ending split off its word, or a token with loose jamo (OCR
    debris), stands one space away: the word is likely broken there too. Numbers, Latin and
    words that stand alone (`된`, `전`) are ordinary neighbours. Debris inside the token
    (`token_debris`) counts too; the candidate search counts it only where it touches the
    repaired syllables (`debris_touches`)."""
    return _split_beside(text, start, end, bound) or bool(token_debris(text, start, end))


def _split_beside(text: str, start: int, end: int, bound: set[int]) -> bool:
    """`beside_fragment` without the debris inside the token."""
    if start >= 2 and text[start - 1] == " " and (start - 2) in bound:
        left_start = start - 2
        if left_start == 0 or text[left_start - 1].isspace():  # a one-syllable token
            return True
    if end + 1 < len(text) and text[end] == " " and (end + 1) in bound:
        return True
    left = text[max(0, start - 12) : start]
    return bool(_JAMO_TOKEN_LEFT.search(left) or _JAMO_TOKEN_RIGHT.match(text[end : end + 8]))


def token_debris(text: str, start: int, end: int) -> tuple[int, ...]:
    """Offsets of OCR debris (@, #, &, |, \\, ※) in the token of text[start:end], looked for
    within a word's reach (@깜사위원은: @ is tesseract's reading of a circled number)."""
    reach = max(0, start - 24)
    token_start = max(text.rfind(" ", reach, start), text.rfind("\n", reach, start), reach - 1) + 1
    token = TOKEN.match(text, token_start, end + 24)
    if token is None:
        return ()
    return tuple(token.start() + i for i, char in enumerate(token.group()) if char in _DEBRIS)


def debris_touches(text: str, debris: Sequence[int], lo: int, hi: int) -> bool:
    """Whether debris at one of the offsets `debris` touches the syllables text[lo:hi] that a
    repair changes, with no Hangul syllable between: there the damage may reach into the
    syllable (@깜사위원은: the circled number and 깜 run together, and repairing 깜 alone
    leaves the token wrong). Debris beyond an intact syllable (@법륜이: 법 stands between) is
    a symbol of its own, and the repair beyond it is judged like any other."""
    for at in debris:
        between = text[at + 1 : lo] if at < lo else text[hi:at]
        if not any("가" <= char <= "힣" for char in between):
            return True
    return False


def _bridged(
    joined: str, join_at: int, right_start: int, bound: set[int], lexicon: Lexicon
) -> bool:
    """Whether the lexicon bears out the join at `join_at` of `joined`: a word (2+ syllables)
    spans it, or the right-hand part (at `right_start` in the text) is a particle or ending
    split off its word."""
    if right_start in bound:
        return True
    # Such a word holds the syllables on either side of the join: most joins are of two that no
    # word holds in a row.
    if joined[join_at - 1 : join_at + 1] not in lexicon.syllable_pairs:
        return False
    known = lexicon.tags
    for a in range(max(0, join_at - lexicon.longest + 1), join_at):
        for b in range(join_at + 1, min(len(joined), a + lexicon.longest) + 1):
            if joined[a:b] in known:
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
        if text[gap[0] : gap[1]] == " " and PIECE.fullmatch(neighbour):
            yield other < t_index, o_start, neighbour


def completes_compound(
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
    sides = _compound_sides(text, tokens, t_index, lexicon)
    probes = _compound_probes(sides, text, tokens[t_index], piece, len(variant), lexicon)
    return _completes_with(probes, variant, lexicon)


class _Side(NamedTuple):
    """A Hangul neighbour of a token: what a compound of the token's repairs is made with, the
    same for every repair of the token."""

    is_before: bool
    start: int
    text: str
    old_has_word: bool
    """Whether the original pair already starts with a word of the compound's shape."""


def _compound_sides(
    text: str, tokens: list[tuple[int, int]], t_index: int, lexicon: Lexicon
) -> list[_Side]:
    t_start, t_end = tokens[t_index]
    original = text[t_start:t_end]
    sides = []
    for is_before, o_start, neighbour in _hangul_neighbours(text, tokens, t_index):
        if is_before:
            old_pair, old_at = neighbour + original, len(neighbour)
        else:
            old_pair, old_at = original + neighbour, len(original)
        sides.append(
            _Side(is_before, o_start, neighbour, _starts_with_word(old_pair, old_at + 1, lexicon))
        )
    return sides


def _compound_probes(
    sides: list[_Side],
    text: str,
    token: tuple[int, int],
    piece: tuple[int, int],
    length: int,
    lexicon: Lexicon,
) -> list[tuple[str, str, range]]:
    """What `completes_compound` reads of each side of the token for a repair of `piece` that
    is `length` syllables long, the same for all such repairs: (what precedes the repaired
    piece in the pair, what follows it, the lengths of the words looked for at its start)."""
    start, end = piece
    t_start, t_end = token
    probes = []
    for is_before, _o_start, neighbour, old_has_word in sides:
        if old_has_word:
            continue
        if is_before:  # the word reaches past the piece's start
            head, tail = neighbour + text[t_start:start], text[end:t_end]
            shortest = len(head) + 1
        else:  # the word reaches into the neighbour
            head, tail = text[t_start:start], text[end:t_end] + neighbour
            shortest = (start - t_start) + length + (t_end - end) + 1
        size = len(head) + length + len(tail)
        lengths = range(max(shortest, 3), min(size, lexicon.longest) + 1)
        if lengths:
            probes.append((head, tail, lengths))
    return probes


def _completes_with(probes: list[tuple[str, str, range]], variant: str, lexicon: Lexicon) -> bool:
    """`completes_compound` of the repair `variant` of a piece, given `_compound_probes`."""
    known = lexicon.tags
    for head, tail, lengths in probes:
        pair = head + variant + tail
        for b in lengths:
            if pair[:b] in known:
                return True
    return False


def compound_noun(
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
    sides = _compound_sides(text, tokens, t_index, lexicon)
    return _noun_of(sides, {}, text, tokens[t_index], piece, variant, repair_end, lexicon)


def _noun_of(
    sides: list[_Side],
    original_made: dict[int, bool],
    text: str,
    token: tuple[int, int],
    piece: tuple[int, int],
    variant: str,
    repair_end: int,
    lexicon: Lexicon,
) -> tuple[NounSpan | None, str]:
    """`compound_noun` of one repair, given its token's `_compound_sides`; `original_made`
    remembers, per side, whether the original token makes a compound with it (the same for
    every repair of the token)."""
    t_start, t_end = token
    repaired = text[t_start : piece[0]] + variant + text[piece[1] : t_end]
    original = text[t_start:t_end]
    for side, (is_before, o_start, neighbour, _) in enumerate(sides):
        if is_before:
            found = _compound_of(neighbour, repaired, lexicon, reach=repair_end - t_start)
        else:
            found = _compound_of(repaired, neighbour, lexicon, reach=0)
        if not found:
            continue
        made = original_made.get(side)
        if made is None:
            pair = (neighbour, original) if is_before else (original, neighbour)
            made = original_made[side] = bool(_compound_of(*pair, lexicon, reach=0, any_layer=True))
        if not made:
            word, tag = found
            if is_before:
                return (o_start, t_start + len(word) - len(neighbour), tag), word
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
        word = head + token[:k]
        if word not in known:  # (asked first: the domain and user words are few)
            continue
        tail = token[k:]
        if not tail or lexicon.is_tail(tail):
            nouns = sorted(t for t in lexicon.tags[word] if t.startswith("NN"))
            if nouns:
                return word, nouns[0]
    return None


def _starts_with_word(text: str, shortest: int, lexicon: Lexicon) -> bool:
    """Whether `text` starts with a lexicon word of at least `shortest` (and 3) syllables: a
    compound starts where its first word does, not in the middle of a token."""
    known = lexicon.tags  # the forms themselves: this is the candidate search's hottest loop
    for b in range(max(shortest, 3), min(len(text), lexicon.longest) + 1):
        if text[:b] in known:
            return True
    return False


def _spans(
    text: str,
    tokens: list[tuple[int, int]],
    t_index: int,
    piece: tuple[int, int],
    bound: set[int],
) -> list[tuple[int, int, str, str, int]]:
    """Where a repair of `piece` goes: as it stands, and joined with a Hangul neighbour across
    one space. (start, end, what precedes and what follows the repaired piece in the
    replacement, the index in the replacement where the space was: 0 when nothing is joined);
    the same for every variant of the piece.

    Tesseract often both misreads a syllable and splits the word there (`출발히 는`); fixing
    only the syllable leaves a wrong word behind, so the joined form competes too. Joins are
    tried with a one-syllable side, or with what Kiwi reads as a suffix, particle or ending
    split off (피해지 들과, 제시 하여야). Joining longer neighbours where a lexicon word spans
    the join (감시 원에 -> 감사원에) was measured and brought wrong joins (다이니 믹듀오 ->
    다이내믹듀오) but no right one on the news pages.
    """
    start, end = piece
    out = [(start, end, "", "", 0)]
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
            and PIECE.fullmatch(text[p_start:p_end])
        ):
            out.append((p_start, end, text[p_start:p_end], "", p_end - p_start))
    if end == t_end and t_index + 1 < len(tokens):
        n_start, n_end = tokens[t_index + 1]
        head = PIECE.match(text, n_start, n_end)
        if (
            head
            and (len(head.group()) == 1 or end - start == 1 or n_start in bound)
            and n_start == t_end + 1
            and text[t_end] == " "
        ):
            out.append((start, head.end(), "", head.group(), end - start))
    return out
