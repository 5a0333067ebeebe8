"""The whitespace gaps of a page and the evidence for closing each one.

Layout repair decides, at every run of whitespace between two words, whether the run is a real
word boundary or an artefact of the page (a line or column break inside a word, a space the OCR
engine put inside a word). This module finds those gaps, classifies the lines around them and
computes the features a tiny logistic model weighs: the language model's preference for the
joined over the spaced variant, whether the joined analysis has a morpheme straddling the
boundary, whether the right half starts with a particle or ending, fragment lengths and the
character classes at the boundary, whether the lexicon knows the noun compound the gap cuts
(Kiwi reads one it has no entry for as its parts) and how the page itself writes the pair
elsewhere (solid or spaced). `calibrate_layout.py` fits the weights on the training pages
(bench/train and bench/train-mixed) with exactly these features, so calibration and run time
cannot drift apart.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .analysis import OOV_MORPHEME_MAX_ID, LanguageModel
from .lexicon import Lexicon
from .wordlists import load_words

__all__ = [
    "ANALYSIS_FEATURE_RANGES",
    "FEATURE_NAMES",
    "LEFT_GROUP_FEATURES",
    "RIGHT_GROUP_FEATURES",
    "Gap",
    "GapKind",
    "Page",
    "PageForms",
    "Variant",
    "analysis_free_bound",
    "gap_features",
    "has_evidence",
    "join_variants",
    "read_page",
    "text_features",
    "variant_features",
    "variant_texts",
]

_WORD = re.compile(r"\S+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_TERMINAL = ".?!。"
_OPENING = "([{「『“‘<'\""
_QUOTE_PARTICLE = re.compile(r"^[)\]」』”’'\"]+[\uac00-\ud7a3]")
_JAMO = re.compile(r"[\u3131-\u318e]")
# Characters a clean news or law text rarely has inside a word: what is left of a misread.
_ODD = re.compile(r"[^\uac00-\ud7a3A-Za-z0-9.,()「」『』“”‘’'\"·%~-]")
_CLOSING = ")]}>,.:;?!%·」』”’\"'"
# First syllables of the auxiliary 지다 (지, 져, 졌, 진, 질, 집, 짐): -어 지다 is one word.
_JIDA = "지져졌진질집짐"
_CLOSING_BRACKETS = ")]」』”’\"'"
# Tags of morphemes that cannot start a word: particles, endings, suffixes, the copula.
_DEPENDENT_TAG_PREFIXES = ("J", "E", "XS", "VCP")


class GapKind:
    """What the whitespace run is on the page (plain strings, so features stay JSON-friendly)."""

    INTRA = "intra"  # spaces inside one line
    LINE = "line"  # one line break
    BLANK = "blank"  # a break with blank lines: a column or region boundary, or a paragraph


@dataclass(frozen=True, slots=True)
class Gap:
    """The whitespace run between word `index` and word `index + 1` of a page."""

    index: int
    start: int
    end: int
    kind: str
    left_line: int  # line number of the word before the gap
    right_line: int  # line number of the word after the gap


@dataclass(frozen=True, slots=True)
class Page:
    """A page cut into words (maximal non-whitespace runs), the gaps between them and its lines."""

    text: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    gaps: tuple[Gap, ...]
    lines: tuple[str, ...]
    wrap_width: float | None
    """Typical printed line length when the page is hard-wrapped (narrow columns), else None."""

    def line_is_full(self, number: int) -> bool:
        """Whether a line reaches the column width, so a break after it is a wrap, not an end."""
        if self.wrap_width is None:
            return False
        return len(self.lines[number].strip()) >= 0.72 * self.wrap_width


def read_page(text: str) -> Page:
    """Cut `text` into words and gaps; estimate whether its lines are hard-wrapped.

    >>> page = read_page("교정하\\n기 힘든")
    >>> [g.kind for g in page.gaps], page.words
    (['line', 'intra'], ('교정하', '기', '힘든'))
    """
    spans = tuple((m.start(), m.end()) for m in _WORD.finditer(text))
    words = tuple(text[s:e] for s, e in spans)
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    gaps: list[Gap] = []
    line = 0
    for i in range(len(spans) - 1):
        start, end = spans[i][1], spans[i + 1][0]
        while line + 1 < len(line_starts) and line_starts[line + 1] <= spans[i][0]:
            line += 1
        newlines = text.count("\n", start, end)
        kind = GapKind.INTRA if newlines == 0 else GapKind.LINE if newlines == 1 else GapKind.BLANK
        right_line = line + newlines
        gaps.append(Gap(i, start, end, kind, line, right_line))
    lines = tuple(text.split("\n"))
    return Page(text, words, spans, tuple(gaps), lines, _wrap_width(lines))


def _wrap_width(lines: Sequence[str]) -> float | None:
    """The column width of a hard-wrapped page, or None for a page of long paragraph lines.

    Hard-wrapped pages (narrow justified columns) have many lines of nearly equal length; a page
    whose OCR kept paragraphs as long lines has no such width, and a break there is never a wrap.
    """
    lengths = [len(line.strip()) for line in lines if line.strip()]
    if len(lengths) < 6:
        return None
    width = statistics.quantiles(lengths, n=4)[2] if len(lengths) > 1 else lengths[0]
    if width > 40:
        return None
    near = sum(1 for n in lengths if abs(n - width) <= 0.3 * width)
    return width if near >= 0.6 * len(lengths) else None


@dataclass(frozen=True, slots=True)
class Variant:
    """The two readings of one gap in a little context: closed (`joined`) and open (`spaced`)."""

    joined: str
    spaced: str
    joined_at: int  # offset in `joined` where the right half starts
    spaced_at: int  # offset in `spaced` where the right half starts
    left: str  # the word (after any joins already made) left of the gap
    right: str  # the word right of the gap

    @property
    def word_joined(self) -> str:
        """The two halves alone, closed (no context): Kiwi's reading of the word by itself."""
        return self.left + self.right

    @property
    def word_spaced(self) -> str:
        return f"{self.left} {self.right}"


def variant_texts(variants: Iterable[Variant]) -> list[str]:
    """Every text `gap_features` needs analysed for `variants` (for one batched `analyse`)."""
    return [t for v in variants for t in (v.joined, v.spaced, v.word_joined, v.word_spaced)]


def join_variants(words: Sequence[str], closed: Sequence[bool], index: int) -> Variant:
    """Variants of gap `index` given which gaps are already closed (`closed[i]` for gap i).

    The context is the whole word on each side (words already joined count as one) and one
    more word beyond each, enough for the language model to see the particle or the noun the
    fragment belongs to, and short enough to be cached across pages.
    """
    lo = index
    while lo > 0 and closed[lo - 1]:
        lo -= 1
    hi = index + 1
    while hi < len(closed) and closed[hi]:
        hi += 1
    left = "".join(words[lo : index + 1])
    right = "".join(words[index + 1 : hi + 1])
    before = _neighbour(words, closed, lo - 1, step=-1)
    after = _neighbour(words, closed, hi + 1, step=1)
    prefix = f"{before} " if before else ""
    suffix = f" {after}" if after else ""
    joined = f"{prefix}{left}{right}{suffix}"
    spaced = f"{prefix}{left} {right}{suffix}"
    return Variant(
        joined, spaced, len(prefix) + len(left), len(prefix) + len(left) + 1, left, right
    )


def _neighbour(words: Sequence[str], closed: Sequence[bool], edge: int, *, step: int) -> str:
    """The whole (possibly already joined) word whose last (step=-1) or first word is `edge`."""
    if edge < 0 or edge >= len(words):
        return ""
    lo = hi = edge
    if step < 0:
        while lo > 0 and closed[lo - 1]:
            lo -= 1
    else:
        while hi < len(closed) and closed[hi]:
            hi += 1
    return "".join(words[lo : hi + 1])


# Word classes of the halves on each side of a gap (one feature per class and side).
_WORD_GROUPS = (
    "noun",
    "bound_noun",
    "number",
    "verb",
    "modifier",
    "dependent",
    "adnominal",
    "symbol",
)

# The word classes of the right half that have a feature of their own (an adnominal has none).
_RIGHT_WORD_GROUPS = ("noun", "bound_noun", "number", "verb", "modifier", "dependent", "symbol")

FEATURE_NAMES: tuple[str, ...] = (
    "bias",
    "lm_delta",
    "straddle",
    "joined_dependent",
    "spaced_dependent",
    "oov_gain",
    "left_one_syllable",
    "right_one_syllable",
    "left_short",
    "right_short",
    "both_hangul",
    "left_terminal",
    "right_closing",
    "digit_boundary",
    "latin_boundary",
    "kind_line",
    "kind_blank",
    "left_full",
    "lm_silent",
    "word_oov",
    "jamo_near",
    "odd_chars",
    "number_counter",
    "open_bracket_left",
    "quote_particle_right",
    "word_delta",
    "known_compound",
    "right_auxiliary",
    "left_prefix",
    "right_jida",
    "closing_particle",
    "page_joined",
    "page_spaced",
    *(f"left_{g}" for g in _WORD_GROUPS),
    *(f"right_{g}" for g in _RIGHT_WORD_GROUPS),
)


def has_evidence(features: Sequence[float]) -> bool:
    """Whether anything speaks for closing a gap: the language model prefers the joined text,
    a morpheme straddles the gap, or the right half starts with a particle or an ending.

    Without any of these (two whole words the model scores alike, `신축|공사장`), whether the
    pair is written solid is a matter of house style the page does not reveal: keep the space.
    """
    named = dict(zip(FEATURE_NAMES, features, strict=True))
    return (
        named["lm_delta"] > 0.005
        or named["straddle"] > 0
        or named["joined_dependent"] > 0
        or named["spaced_dependent"] > 0
        or named["number_counter"] > 0
        or named["open_bracket_left"] > 0
        or named["quote_particle_right"] > 0
        or named["word_delta"] > 0.005
        or named["known_compound"] > 0
        or named["right_auxiliary"] > 0
        or named["left_prefix"] > 0
        or named["right_jida"] > 0
        or named["closing_particle"] > 0
        or named["page_joined"] > 0
    )


def _tag_group(tag: str) -> str:
    """Coarse classes of Kiwi tags: what kind of morpheme meets the gap on each side."""
    if tag == "ETM":
        return "adnominal"
    if tag.startswith(_DEPENDENT_TAG_PREFIXES):
        return "dependent"
    if tag == "NNB":
        return "bound_noun"
    if tag in ("SN", "NR"):
        return "number"
    if tag.startswith("N"):
        return "noun"
    if tag.startswith("V"):
        return "verb"
    if tag.startswith(("MA", "MM", "IC")):
        return "modifier"
    return "symbol"


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the features need from one Kiwi analysis: score and (start, end, tag, oov) tokens."""

    score: float
    tokens: tuple[tuple[int, int, str, bool], ...]


def analyse(lm: LanguageModel, texts: Sequence[str]) -> dict[str, Analysis]:
    """Analyse all distinct `texts` in one batched Kiwi call."""
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}
    out: dict[str, Analysis] = {}
    for text, (tokens, score) in zip(unique, lm.analyze_many(unique), strict=True):
        out[text] = Analysis(
            float(score),
            tuple(
                (t.start, t.start + t.len, t.tag, t.id < OOV_MORPHEME_MAX_ID and bool(t.form))
                for t in tokens
            ),
        )
    return out


_TAIL = re.compile(r"[\uac00-\ud7a3]+$")
_HEAD = re.compile(r"^[\uac00-\ud7a3]+")


@dataclass(frozen=True, slots=True)
class PageForms:
    """How the page itself writes pairs of syllables: solid (inside one word) and spaced (one
    space inside a line), as counts of every 3- and 4-syllable stretch of its words and of
    every such stretch with one space inside its lines (built in one pass over the page)."""

    solid: Counter[str]
    spaced: Counter[str]

    @classmethod
    def of(cls, page: Page) -> PageForms:
        solid: Counter[str] = Counter()
        for word in page.words:
            for n in (3, 4):
                solid.update(word[i : i + n] for i in range(len(word) - n + 1))
        spaced: Counter[str] = Counter()
        for line in page.lines:
            words = line.split()
            for a, b in itertools.pairwise(words):
                for k in (1, 2):
                    for m in (1, 2):
                        if k + m >= 3 and len(a) >= k and len(b) >= m:
                            spaced[f"{a[-k:]} {b[:m]}"] += 1
        return cls(solid, spaced)


def page_pair(variant: Variant) -> tuple[str, str] | None:
    """The Hangul around the gap: the last two syllables of the left half and the first two of
    the right (`지속가능|발전을`: 가능, 발전), or None when that is under three syllables."""
    tail = _TAIL.search(variant.left)
    head = _HEAD.match(variant.right)
    if tail is None or head is None:
        return None
    left, right = tail.group()[-2:], head.group()[:2]
    return (left, right) if len(left) + len(right) >= 3 else None


def page_counts(forms: PageForms | None, variant: Variant, *, kind: str) -> tuple[int, int]:
    """How often the page writes the pair around the gap solid (inside one word) and spaced
    (with one space inside a line), this gap left out: the same compound split at a line end
    here is often written whole elsewhere on the page (지속가능|발전 beside 지속가능발전)."""
    pair = page_pair(variant) if forms is not None else None
    if forms is None or pair is None:
        return 0, 0
    joined = forms.solid[pair[0] + pair[1]]
    apart = forms.spaced[f"{pair[0]} {pair[1]}"]
    if kind == GapKind.INTRA:
        apart -= 1  # the gap itself
    return joined, max(0, apart)


# Tags of the parts a noun compound is made of (Kiwi reads an unknown compound as its parts).
_COMPOUND_PART_TAGS = ("NNG", "NNP", "XR", "XPN", "XSN", "SL")


def known_compound(lexicon: Lexicon | None, variant: Variant, spaced: Analysis) -> bool:
    """Whether the lexicon knows, as one noun, a run of noun parts that the gap cuts in two.

    The parts are Kiwi's morphemes of the spaced variant: a run of nouns ending the left
    word and a run starting the right word (`국회|도서관을`: 국회 + 도서관 is 국회도서관). Kiwi
    scores a compound it has no entry for as the sum of its parts, so only the lexicon tells
    that 국회도서관 is written as one word.
    """
    if lexicon is None:
        return False
    at = variant.spaced_at
    left_end = at - 1
    left_start = left_end - len(variant.left)
    right_end = at + len(variant.right)
    tokens = spaced.tokens
    before = [t for t in tokens if left_start <= t[0] and t[1] <= left_end]
    after = [t for t in tokens if at <= t[0] and t[1] <= right_end]
    if not before or not after or before[-1][1] != left_end or after[0][0] != at:
        return False
    starts: list[int] = []
    for s, _e, tag, _ in reversed(before):
        if not tag.startswith(_COMPOUND_PART_TAGS):
            break
        starts.append(s)
    ends: list[int] = []
    for _s, e, tag, _ in after:
        if not tag.startswith(_COMPOUND_PART_TAGS):
            break
        ends.append(e)
    text = variant.spaced
    for s in starts:
        for e in ends:
            tags = lexicon.tags.get(text[s:left_end] + text[at:e], ())
            if "NNG" in tags or "NNP" in tags:
                return True
    return False


def first_tags(variant: Variant, joined: Analysis, spaced: Analysis) -> tuple[str, str]:
    """The tags of the right half's first morpheme in the joined and in the spaced reading
    ('' where no morpheme starts there)."""
    return (
        next((tag for s, _, tag, _ in joined.tokens if s == variant.joined_at), ""),
        next((tag for s, _, tag, _ in spaced.tokens if s == variant.spaced_at), ""),
    )


def gap_features(
    variant: Variant,
    joined: Analysis,
    spaced: Analysis,
    *,
    kind: str,
    left_full: bool,
    word_joined: Analysis | None = None,
    word_spaced: Analysis | None = None,
    lexicon: Lexicon | None = None,
    forms: PageForms | None = None,
) -> list[float]:
    """The feature vector of one gap, in the order of `FEATURE_NAMES`.

    `word_joined` and `word_spaced` are the analyses of the two halves alone (`Variant.
    word_joined`, `.word_spaced`); `lexicon` tells known compounds. Without them those
    features are 0.
    """
    left, right = variant.left, variant.right
    at = variant.joined_at
    straddle = any(s < at < e for s, e, _, _ in joined.tokens)
    joined_first, spaced_first = first_tags(variant, joined, spaced)
    spaced_last = next(
        (
            tag
            for s, e, tag, _ in reversed(spaced.tokens)
            if s < variant.spaced_at - 1 and e <= variant.spaced_at - 1
        ),
        "",
    )
    left_group = _tag_group(spaced_last) if spaced_last else "symbol"
    right_group = _tag_group(spaced_first) if spaced_first else "symbol"
    word_start = at - len(left)
    word_end = at + len(right)
    word_oov = sum(1 for s, e, _, oov in joined.tokens if oov and s < word_end and e > word_start)
    oov_joined = sum(1 for *_, oov in joined.tokens if oov)
    oov_spaced = sum(1 for *_, oov in spaced.tokens if oov)
    left_syllables = len(_HANGUL.findall(left))
    right_syllables = len(_HANGUL.findall(right))
    delta = max(-20.0, min(20.0, joined.score - spaced.score))
    page_joined, page_spaced = page_counts(forms, variant, kind=kind)
    word_delta = 0.0
    if word_joined is not None and word_spaced is not None:
        word_delta = max(-20.0, min(20.0, word_joined.score - word_spaced.score))
    auxiliary = spaced_last == "EC" and (
        spaced_first.startswith("VX") or joined_first.startswith("VX")
    )
    return [
        1.0,
        delta / 10.0,
        float(straddle),
        float(joined_first.startswith(_DEPENDENT_TAG_PREFIXES)),
        float(spaced_first.startswith(_DEPENDENT_TAG_PREFIXES)),
        float(oov_spaced - oov_joined),
        float(left_syllables == 1 and len(left) == 1),
        float(right_syllables == 1 and len(right.rstrip(_CLOSING)) == 1),
        float(len(left) <= 2),
        float(len(right) <= 2),
        float(bool(_HANGUL.fullmatch(left[-1])) and bool(_HANGUL.fullmatch(right[0]))),
        float(left[-1] in _TERMINAL),
        float(right[0] in _CLOSING),
        float(left[-1].isdigit() or right[0].isdigit()),
        float(
            (left[-1].isascii() and left[-1].isalpha())
            or (right[0].isascii() and right[0].isalpha())
        ),
        float(kind == GapKind.LINE),
        float(kind == GapKind.BLANK),
        float(left_full),
        float(abs(joined.score - spaced.score) < 0.05),
        float(min(2, word_oov)),
        float(bool(_JAMO.search(left + right))),
        float(min(2, len(_ODD.findall(left + right)))),
        float(left[-1].isdigit() and right[0] in load_words("counter_starts")),
        float(left[-1] in _OPENING),
        float(bool(_QUOTE_PARTICLE.match(right))),
        word_delta / 10.0,
        float(known_compound(lexicon, variant, spaced)),
        float(auxiliary),
        float(spaced_last == "XPN"),
        float(auxiliary and right[0] in _JIDA),
        float(left[-1] in _CLOSING_BRACKETS and spaced_first.startswith("J")),
        float(min(2, page_joined)),
        float(min(2, page_spaced)),
        *(float(left_group == g) for g in _WORD_GROUPS),
        *(float(right_group == g) for g in _RIGHT_WORD_GROUPS),
    ]


# The features `gap_features` reads off Kiwi's analyses, each with the values it can take; every
# other feature is read off the text, the lexicon and the page. The word classes of the two
# halves are read off the analyses too: of the left ones exactly one is 1, of the right ones at
# most one. `oov_gain` (OOV morphemes of the spaced text less those of the joined) is bounded
# by the text's length (`analysis_free_bound`). tests/test_layout.py checks this against real
# analyses.
ANALYSIS_FEATURE_RANGES: dict[str, tuple[float, float]] = {
    "lm_delta": (-2.0, 2.0),
    "straddle": (0.0, 1.0),
    "joined_dependent": (0.0, 1.0),
    "spaced_dependent": (0.0, 1.0),
    "lm_silent": (0.0, 1.0),
    "word_oov": (0.0, 2.0),
    "word_delta": (-2.0, 2.0),
    "known_compound": (0.0, 1.0),
    "right_auxiliary": (0.0, 1.0),
    "left_prefix": (0.0, 1.0),
    "right_jida": (0.0, 1.0),
    "closing_particle": (0.0, 1.0),
}
LEFT_GROUP_FEATURES = tuple(f"left_{g}" for g in _WORD_GROUPS)
RIGHT_GROUP_FEATURES = tuple(f"right_{g}" for g in _RIGHT_WORD_GROUPS)

_READ_OFF_ANALYSES = frozenset(
    {*ANALYSIS_FEATURE_RANGES, "oov_gain", *LEFT_GROUP_FEATURES, *RIGHT_GROUP_FEATURES}
)
_NO_ANALYSIS = Analysis(0.0, ())


def variant_features(
    variant: Variant,
    analyses: Mapping[str, Analysis],
    *,
    kind: str,
    left_full: bool,
    lexicon: Lexicon | None = None,
    forms: PageForms | None = None,
) -> list[float]:
    """`gap_features` of `variant`, its analyses read from `analyses` (which holds those of
    its `variant_texts`)."""
    return gap_features(
        variant,
        analyses[variant.joined],
        analyses[variant.spaced],
        kind=kind,
        left_full=left_full,
        word_joined=analyses[variant.word_joined],
        word_spaced=analyses[variant.word_spaced],
        lexicon=lexicon,
        forms=forms,
    )


def text_features(
    variant: Variant,
    *,
    kind: str,
    left_full: bool,
    lexicon: Lexicon | None = None,
    forms: PageForms | None = None,
) -> list[float]:
    """`gap_features` without any analysis: the features read off the text are right, those
    of ANALYSIS_FEATURE_RANGES (and `oov_gain`, the word classes) are placeholders."""
    return gap_features(
        variant,
        _NO_ANALYSIS,
        _NO_ANALYSIS,
        kind=kind,
        left_full=left_full,
        word_joined=_NO_ANALYSIS,
        word_spaced=_NO_ANALYSIS,
        lexicon=lexicon,
        forms=forms,
    )


def analysis_free_bound(
    weights: Sequence[float], features: Sequence[float], text_chars: int
) -> float:
    """The highest logit a model of `weights` can give a gap whose text-read `features` are
    these (`text_features`), whatever Kiwi's analyses of its texts (at most `text_chars`
    characters each) say: each feature read off an analysis at its most favourable value."""
    named = dict(zip(FEATURE_NAMES, weights, strict=True))
    z = sum(
        w * f
        for name, w, f in zip(FEATURE_NAMES, weights, features, strict=True)
        if name not in _READ_OFF_ANALYSES
    )
    for name, (lo, hi) in ANALYSIS_FEATURE_RANGES.items():
        z += max(named[name] * lo, named[name] * hi)
    z += abs(named["oov_gain"]) * text_chars
    z += max(named[name] for name in LEFT_GROUP_FEATURES)
    z += max(0.0, *(named[name] for name in RIGHT_GROUP_FEATURES))
    return z
