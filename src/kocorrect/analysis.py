"""The one place kocorrect asks Kiwi anything: a page's analysis, shared by every stage, and the
cached, batched scoring of variant windows.

`PageAnalysis` is Kiwi's best analysis of every line of a page, made once, sentence by sentence
(sentences are cached: a repair re-analyses only the sentences it touched, every other one comes
from the cache). Names and the misread gate read the same analysis. Optionally (measured, off by
default: `misreads.gate.QUIET_PIECES_NEED_TYPO`) it also holds Kiwi's own typo search over the
same sentences with kocorrect's OCR confusions (`dictionaries/confusions.tsv` as Kiwi
`TypoDefinition`s): where Kiwi's lattice finds a likelier reading through a look-alike jamo.

Kiwi's best-path analysis score is a log-probability of the text under its morpheme language
model; the difference between two variants of the same sentence is the context evidence every
decision in kocorrect uses (is `육성해` better than `육 성해`, `댐` better than `탠`?). Scoring
is the expensive step, so callers batch their variants and the model caches repeated ones.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from kiwipiepy import Kiwi, TypoTransformer

__all__ = [
    "OOV_MORPHEME_MAX_ID",
    "LanguageModel",
    "Morph",
    "NounSpan",
    "PageAnalysis",
    "direct_analyze",
    "segments",
]

# (start, end, tag): a span of a text that Kiwi is to read as one noun with that tag.
NounSpan = tuple[int, int, str]

# Kiwi numbers its placeholder morphemes (one per tag, form '') first; a token whose id is one
# of these is a form Kiwi does not know (an out-of-vocabulary guess), whatever tag it was given.
OOV_MORPHEME_MAX_ID = 64

# Kiwi reads a line in segments of at most this many characters, cut after a space where there
# is one (else hard): one lattice over a 1 MB line without spaces would take gigabytes. A word
# cut at a hard edge is read as two (printed lines are far shorter than this, so it is rare).
SEGMENT_CHARS = 600
# Analysed sentences kept between calls: the rounds near repairs re-read a page whose other
# sentences are unchanged, and running heads repeat across pages. More costs memory (a few
# kilobytes a sentence of news text, up to ~30 KB for a 600-character segment).
LINE_CACHE_SIZE = 5_000
# Kiwi's typo search: confusions of channel cost up to TYPO_MAX_CHANNEL_COST (the commonest
# look-alikes), their cost divided by TYPO_COST_SCALE into Kiwi's units, and paths whose typo
# cost passes TYPO_COST_THRESHOLD not searched. Higher finds more repairs for the gate and
# costs more (2.0 took about twice a plain analysis on the dev pages, 3.0 about four times).
TYPO_MAX_CHANNEL_COST = 6.5
TYPO_COST_SCALE = 3.0
TYPO_COST_THRESHOLD = 2.0

_SEGMENT_CUT = re.compile(r"\s")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


@dataclass(frozen=True, slots=True)
class Morph:
    """One morpheme of Kiwi's analysis, at its offset in the text it was read from (in a
    `PageAnalysis`: the page)."""

    start: int
    len: int
    form: str
    tag: str
    id: int
    score: float

    @property
    def end(self) -> int:
        return self.start + self.len

    @property
    def oov(self) -> bool:
        """A form Kiwi does not know (its placeholder morpheme for the tag)."""
        return self.id < OOV_MORPHEME_MAX_ID


@dataclass(frozen=True, slots=True)
class TypoSpan:
    """Where Kiwi's typo search read a morpheme through a look-alike jamo: offsets in the page,
    the morpheme it read there and the typo cost it paid (Kiwi's units)."""

    start: int
    end: int
    form: str
    cost: float


def segments(line: str, size: int = SEGMENT_CHARS) -> list[tuple[int, str]]:
    """(offset, text) of the sentences of `line` (cut after . ? ! and the spaces after them),
    a sentence longer than `size` cut again after whitespace in its second half, else hard.
    Kiwi reads and caches each separately, so a repair re-reads only its sentence.

    >>> segments("가나. 다라 마바사", 5)
    [(0, '가나. '), (4, '다라 '), (7, '마바사')]
    """
    out: list[tuple[int, str]] = []
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(line)]
    for lo, hi in zip(starts, [*starts[1:], len(line)]):
        while hi - lo > size:
            end = lo + size
            spaces = _SEGMENT_CUT.finditer(line, lo + size // 2, end)
            cut = max((m.end() for m in spaces), default=0)
            cut = cut if cut > lo else end
            out.append((lo, line[lo:cut]))
            lo = cut
        if hi > lo:
            out.append((lo, line[lo:hi]))
    return out


def _morphs(tokens: Sequence[Any], score: float) -> tuple[tuple[Morph, ...], float]:
    """Kiwi's tokens of one analysis as Morphs (offsets in the analysed text), and its score."""
    return (
        tuple(Morph(t.start, t.len, t.form, str(t.tag), t.id, t.score) for t in tokens),
        float(score),
    )


# Whether Kiwi loads its dictionary of multi-word expressions (titles, names of several words):
# it takes more than half of Kiwi's load time (3.7 -> 1.5 s on the development machine) and
# ~190 MB, and changed 1 of 2,755 three-word window scores. Without it a coined book title is
# no longer read through a multi-word name (train-mixed hangul P 0.899 -> 0.924), and two drama
# titles in quotes are no longer joined across a line break (news-dev -0.2 points).
LOAD_MULTI_DICT = False

_SHARED: dict[tuple[int], Kiwi] = {}
_SHARED_LOCK = threading.Lock()


def shared_kiwi(num_workers: int = 1) -> Kiwi:
    """One loaded Kiwi per process and setting (~600 MB each): every `LanguageModel`, hence
    every `Corrector`, of equal settings shares it. Kiwi's analysis is safe to call from
    several threads."""
    key = (num_workers,)
    kiwi = _SHARED.get(key)
    if kiwi is None:
        with _SHARED_LOCK:
            kiwi = _SHARED.get(key)
            if kiwi is None:
                from kiwipiepy import Kiwi

                kiwi = Kiwi(num_workers=num_workers, load_multi_dict=LOAD_MULTI_DICT)
                kiwi.tokenize("")  # finish Kiwi's own lazy initialisation now
                _SHARED[key] = kiwi
    return kiwi


def direct_analyze(kiwi: Kiwi) -> Callable[[str], Any] | None:
    """`kiwi.analyze(text, top_n=1)` with its default options worked out once, or None where
    that cannot be had (another kind of object, an unknown kiwipiepy, a Kiwi with regular-
    expression words, different results on a probe).

    kiwipiepy's `Kiwi.analyze` turns its keyword options into the arguments of its compiled
    analyser on every call (flag enums combined, dialects and typo settings converted): about
    6 µs a call, 10 % of a short window's whole analysis, and the ranking asks for thousands of
    short windows a page. The arguments are those of the defaults, and the probe checks that
    both give the same tokens and score. Kiwi's configuration object is shared, so a change to
    `kiwi.global_config` applies here too; regular-expression words (`add_re_word`) are looked
    for once, here (kocorrect adds none).
    """
    try:
        from kiwipiepy import Kiwi as KiwiClass
        from kiwipiepy._wrap import _convert_dialect, _convert_oov_handling, _convert_typos
        from kiwipiepy.const import Dialect, Match

        if type(kiwi) is not KiwiClass or kiwi._pretokenized_pats:
            return None
        compiled = super(KiwiClass, kiwi).analyze
        options = (
            1,  # top_n
            Match.ALL | Match.Z_CODA | _convert_oov_handling(None),
            False,  # echo
            None,  # blocklist
            False,  # open_ending
            _convert_dialect(Dialect.STANDARD),
            3.0,  # dialect_cost
            _convert_typos(None),
            2.5,  # typo_cost_threshold
            None,  # pretokenized
            kiwi.global_config,
        )

        def analyze(text: str) -> Any:
            return compiled(text, *options)

        probe = "국가 데이터 탠을 구축하여 윈스톱으로 제공한다."
        if _reading(analyze(probe)) != _reading(kiwi.analyze(probe, top_n=1)):
            return None
    except Exception:  # an unknown kiwipiepy: its own method will do
        return None
    return analyze


def _reading(result: Any) -> list[tuple[Any, ...]]:
    return [
        (float(score), [(t.form, str(t.tag), t.start, t.len, t.id, t.score) for t in tokens])
        for tokens, score in result
    ]


class LanguageModel:
    """Kiwi (shared, loaded on first use) with bounded caches of line analyses and window
    scores. Safe to share between threads for reads."""

    def __init__(
        self, *, cache_size: int = 200_000, num_workers: int = 1, kiwi: Kiwi | None = None
    ) -> None:
        """`kiwi`: a Kiwi to use (or an object that passes its calls on to one, as a counter
        of Kiwi's work does) instead of the shared one loaded on first use."""
        self._kiwi: Kiwi | None = kiwi
        self._lock = threading.Lock()
        self._cache: OrderedDict[str | tuple[str, NounSpan], float] = OrderedDict()
        self._cache_size = cache_size
        self._num_workers = num_workers
        self._lines: OrderedDict[str, tuple[tuple[Morph, ...], float]] = OrderedDict()
        self._typos: OrderedDict[tuple[int, str], tuple[TypoSpan, ...]] = OrderedDict()
        self._direct: Callable[[str], Any] | Literal[False] | None = None
        self._direct_of: Any = None  # the method `_direct` stands for (kiwipiepy's Kiwi.analyze)
        self.kiwi_texts = 0
        """Texts handed to Kiwi (analyses and typo searches), for benchmarks and bound tests."""
        self.kiwi_chars = 0
        """Characters of those texts: what Kiwi was asked to read."""
        self.analysed_chars = 0
        """Characters Kiwi has read for page analyses (a benchmark counts them against the
        page: each sentence once, plus the few sentences that repairs changed)."""

    @property
    def kiwi(self) -> Kiwi:
        if self._kiwi is None:
            self._kiwi = shared_kiwi(self._num_workers)
        return self._kiwi

    def _count(self, texts: Sequence[str]) -> None:
        self.kiwi_texts += len(texts)
        self.kiwi_chars += sum(map(len, texts))

    def _analyze(self, texts: Sequence[str]) -> list[Any]:
        """Kiwi's `analyze(text, top_n=1)` of each text. With several worker threads the texts
        go to Kiwi as one batch; with one, one call per text: a batch on a one-thread Kiwi
        still passes every text through its thread pool, which costs 20-35 % more CPU on the
        short windows the ranking scores (same results)."""
        kiwi = self.kiwi
        self._count(texts)
        if self._num_workers > 1:
            return list(kiwi.analyze(list(texts), top_n=1))
        if self._direct is None:
            self._direct = direct_analyze(kiwi) or False
            self._direct_of = type(kiwi).analyze
        if self._direct and getattr(kiwi.analyze, "__func__", None) is self._direct_of:
            analyze = self._direct
            return [analyze(text) for text in texts]
        # A Kiwi whose `analyze` was replaced on the instance (a counter, a profiler), or a
        # stand-in for one: its own method, so that whatever replaced it sees every call.
        return [kiwi.analyze(text, top_n=1) for text in texts]

    def analyze_many(self, texts: Sequence[str]) -> list[tuple[list[Any], float]]:
        """Best analysis of each text (batched through Kiwi's worker threads if it has
        several). Each text's score is kept in the score cache too: a conjugated variant the
        misread stage analyses is often, as it stands, the word the shortlist scores alone."""
        if not texts:
            return []
        out = [(result[0][0], float(result[0][1])) for result in self._analyze(texts)]
        with self._lock:
            for text, (_tokens, score) in zip(texts, out):
                self._cache[text] = score
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return out

    def analyze_lines(
        self, lines: Sequence[str], offsets: Sequence[int] | None = None
    ) -> list[tuple[tuple[Morph, ...], float]]:
        """(morphemes, score) of each line, offsets within the line plus the line's entry in
        `offsets` (0 without). Each sentence is read once: sentences seen before come from the
        cache, the others go to Kiwi in one batch."""
        bases = offsets if offsets is not None else [0] * len(lines)
        plan = [
            [(base + offset, seg) for offset, seg in segments(line)]
            for line, base in zip(lines, bases, strict=True)
        ]
        with self._lock:
            missing = list(
                dict.fromkeys(seg for line in plan for _, seg in line if seg not in self._lines)
            )
        fresh: dict[str, tuple[tuple[Morph, ...], float]] = {}
        if missing:
            self.analysed_chars += sum(len(seg) for seg in missing)
            for seg, result in zip(missing, self._analyze(missing)):
                fresh[seg] = _morphs(*result[0])
        out = []
        with self._lock:
            for line in plan:
                morphs: list[Morph] = []
                total = 0.0
                for offset, seg in line:
                    found = fresh.get(seg) or self._lines.get(seg)
                    if found is None:  # evicted meanwhile by another thread
                        found = fresh[seg] = _morphs(*self._analyze([seg])[0][0])
                    morphs.extend(
                        Morph(offset + m.start, m.len, m.form, m.tag, m.id, m.score)
                        for m in found[0]
                    )
                    total += found[1]
                out.append((tuple(morphs), total))
            for seg, found in fresh.items():
                self._lines[seg] = found
            while len(self._lines) > LINE_CACHE_SIZE:
                self._lines.popitem(last=False)
        return out

    def typo_spans(
        self, lines: Sequence[str], typos: TypoTransformer, key: int
    ) -> list[tuple[TypoSpan, ...]]:
        """Where Kiwi's typo search (with `typos`, identified by `key` in the cache) reads each
        line through a look-alike jamo; offsets within the line. Cached by sentence."""
        plan = [[(offset, seg) for offset, seg in segments(line)] for line in lines]
        with self._lock:
            missing = list(
                dict.fromkeys(
                    seg for line in plan for _, seg in line if (key, seg) not in self._typos
                )
            )
        fresh: dict[str, tuple[TypoSpan, ...]] = {}
        if missing:
            self._count(missing)
            results = self.kiwi.tokenize(
                missing, typos=typos, typo_cost_threshold=TYPO_COST_THRESHOLD
            )
            for seg, tokens in zip(missing, results):
                fresh[seg] = tuple(
                    TypoSpan(t.start, t.start + t.len, t.form, t.typo_cost)
                    for t in tokens
                    if t.typo_cost > 0
                )
        out = []
        with self._lock:
            for line in plan:
                spans: list[TypoSpan] = []
                for offset, seg in line:
                    found = fresh.get(seg)
                    if found is None:
                        found = self._typos.get((key, seg), ())
                    spans.extend(
                        TypoSpan(offset + t.start, offset + t.end, t.form, t.cost) for t in found
                    )
                out.append(tuple(spans))
            for seg, found in fresh.items():
                self._typos[(key, seg)] = found
            while len(self._typos) > LINE_CACHE_SIZE:
                self._typos.popitem(last=False)
        return out

    def clear_cache(self) -> None:
        """Forget cached scores and analyses (benchmarks use it so every run does the full
        work)."""
        with self._lock:
            self._cache.clear()
            self._lines.clear()
            self._typos.clear()

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
        results: list[Any] = self._analyze(plain) if plain else []
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
            self._count(texts)
            results = list(
                self.kiwi.analyze(texts, top_n=1, pretokenized=lambda t, spans=batch: [spans[t]])
            )
            for text, result in zip(texts, results):
                scored[(text, batch[text])] = float(result[0][1])
            forced = rest
        return scored


_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class PageAnalysis:
    """Kiwi's reading of every line of a page, offsets in the page: what every stage reads."""

    text: str
    lines: tuple[tuple[int, str], ...]
    """(offset, text) of each non-empty line."""
    morphs: tuple[tuple[Morph, ...], ...]
    """Each line's morphemes."""
    typos: tuple[tuple[TypoSpan, ...], ...]
    """Each line's typo readings (empty when the analysis was made without typo search)."""
    typo_searched: bool = False
    """Whether Kiwi's typo search ran (so that an empty `typos` line means: nothing found)."""

    @classmethod
    def of(
        cls, text: str, lm: LanguageModel, *, typos: TypoTransformer | None = None
    ) -> PageAnalysis:
        """Analyse `text` (lines seen before, e.g. by an earlier round, come from the cache)."""
        lines = tuple((m.start(), m.group()) for m in _LINE.finditer(text))
        plain = [line for _, line in lines]
        analysed = lm.analyze_lines(plain, [offset for offset, _ in lines])
        morphs = tuple(found for found, _score in analysed)
        if typos is None:
            spans: tuple[tuple[TypoSpan, ...], ...] = tuple(() for _ in lines)
        else:
            spans = tuple(
                tuple(TypoSpan(offset + t.start, offset + t.end, t.form, t.cost) for t in found)
                for (offset, _line), found in zip(lines, lm.typo_spans(plain, typos, id(typos)))
            )
        return cls(text, lines, morphs, spans, typos is not None)

    def all_morphs(self) -> list[Morph]:
        """Every morpheme of the page, in order."""
        return [m for line in self.morphs for m in line]


_TYPO_MODELS: dict[int, Any] = {}


def typo_model(confusions: Iterable[Any]) -> TypoTransformer:
    """kocorrect's OCR confusions as Kiwi typo definitions: the look-alikes of channel cost up
    to TYPO_MAX_CHANNEL_COST (initial, medial and final jamo; consonants in their conjoining
    form, which is how Kiwi tells an initial from a final), costs scaled into Kiwi's units.
    Built once per confusion table."""
    from kiwipiepy import TypoDefinition, TypoTransformer

    rows = [
        c
        for c in confusions
        if c.position in _CONJOINING
        and c.cost <= TYPO_MAX_CHANNEL_COST
        and c.intended in _INVENTORY[c.position]
        and c.read in _INVENTORY[c.position]
    ]
    key = hash(tuple((c.position, c.intended, c.read, c.cost) for c in rows))
    model = _TYPO_MODELS.get(key)
    if model is None:
        definitions = [
            TypoDefinition(
                [_CONJOINING[c.position](c.intended)],
                [_CONJOINING[c.position](c.read)],
                c.cost / TYPO_COST_SCALE,
            )
            for c in rows
        ]
        model = _TYPO_MODELS[key] = TypoTransformer(definitions)
    return model


_INITIAL_JAMO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FINAL_JAMO = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_INVENTORY = {
    "initial": frozenset(_INITIAL_JAMO),
    "medial": frozenset("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"),
    "final": frozenset(_FINAL_JAMO),
}
_CONJOINING = {
    "initial": lambda j: chr(0x1100 + _INITIAL_JAMO.index(j)),
    "medial": lambda j: j,
    "final": lambda j: chr(0x11A8 + _FINAL_JAMO.index(j)),
}
