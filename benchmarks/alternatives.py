"""What a user would otherwise run on an OCR'd Korean page, each behind one small interface.

Every system is loaded by a function returning `fix(page) -> str`; the benchmark times that
load and then every call, and scores the returned text with `kocorrect.evaluate`, the same code
as `kocorrect eval`. A system that cannot run here (a missing package or dictionary) reports
why through `unavailable()`, and the benchmark prints that note in place of its row.

The baselines are deliberately plain, each the obvious way to use its tool:

* `none` returns the page unchanged (the OCR's own error rate);
* `kiwi-typos` is Kiwi's typo-correcting analysis with its strongest built-in set, and every
  eojeol in which Kiwi paid a typo cost is rebuilt from the corrected morphemes (`Kiwi.join`);
* `kiwi-glue` lets Kiwi's `glue()` decide, at every line break and only there, whether the two
  lines meet with a space or without one;
* `symspell-jamo` is a plain SymSpell over jamo strings with uniform edit costs on kocorrect's
  own lexicon (two-or-more-syllable common nouns): what kocorrect's OCR-weighted costs and its
  language-model context add over a dictionary look-up;
* `hunspell-ko` is hunspell with Debian's Korean dictionary, first suggestion per unknown word.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SYSTEMS", "System", "kiwi_reference_pass", "page_blocks"]

Fix = Callable[[str], str]
Options = Mapping[str, object]

KIWI_STRONGEST_TYPOS = "basic_with_continual_and_lengthening"
HUNSPELL_DICTIONARY = Path("/usr/share/hunspell/ko_KR")  # Debian's hunspell-ko

_EOJEOL = re.compile(r"\S+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
# A word's core: its Hangul run with the punctuation around it left aside.
_CORE = re.compile(r"[가-힣]+")
# Particles and endings a dictionary user strips before looking a noun up (longest first).
_PARTICLE_LIST = (
    "은 는 이 가 을 를 의 에 에서 에게 으로 로 와 과 도 만 까지 부터 보다 이나 나 이며 "
    "하고 처럼 께서 에는 에도 에서는 으로는 로는 과의 와의 이다 였다 했다 한다 하는 "
    "된 될 되는 한 할 및"
)
_PARTICLES = tuple(sorted(_PARTICLE_LIST.split(), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class System:
    """One row of the benchmark: how to load it and, if it cannot run here, why."""

    name: str
    description: str
    load: Callable[[Options], Fix]
    unavailable: Callable[[], str | None] = lambda: None


def page_blocks(text: str) -> list[str]:
    """The blank-line-separated blocks of a page (columns, regions, paragraphs), non-empty.

    >>> page_blocks("가나\\n다\\n\\n\\n라마\\n")
    ['가나\\n다', '라마']
    """
    return [block.strip() for block in _BLANK_LINES.split(text) if block.strip()]


def kiwi_reference_pass(kiwi: object, text: str) -> None:
    """The speed reference of the issue: one plain `Kiwi.analyze` over each block of the page."""
    for block in page_blocks(text):
        kiwi.analyze(block)  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------ none ----
def _load_none(options: Options) -> Fix:
    return _unchanged


def _unchanged(page: str) -> str:
    return page


# -------------------------------------------------------------------------- kocorrect ----
def _load_kocorrect(options: Options) -> Fix:
    from kocorrect import Corrector

    corrector = Corrector()
    return lambda page: corrector.correct(page).text


# ------------------------------------------------------------------------- kiwi-typos ----
def _load_kiwi_typos(options: Options) -> Fix:
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=0)

    def fix(page: str) -> str:
        tokens = kiwi.tokenize(page, typos=KIWI_STRONGEST_TYPOS, typo_cost_threshold=2.5)
        return rebuild_typo_eojeols(kiwi, page, tokens)

    return fix


def rebuild_typo_eojeols(kiwi: object, page: str, tokens: list) -> str:
    """Replace every eojeol in which Kiwi paid a typo cost by its corrected morphemes, joined.

    Only the stretch the eojeol's tokens cover is rebuilt; punctuation outside it stays.
    """
    pieces: list[str] = []
    cursor = 0
    position = 0
    for match in _EOJEOL.finditer(page):
        start, end = match.span()
        while position < len(tokens) and tokens[position].start < start:
            position += 1
        inside = []
        while position < len(tokens) and tokens[position].start < end:
            inside.append(tokens[position])
            position += 1
        if not any(t.typo_cost > 0 for t in inside):
            continue
        lo = min(t.start for t in inside)
        hi = max(min(t.start + t.len, end) for t in inside)
        morphs = [(t.form, t.tag, False) for t in inside]
        pieces += [page[cursor:lo], kiwi.join(morphs)]  # type: ignore[attr-defined]
        cursor = hi
    pieces.append(page[cursor:])
    return "".join(pieces)


# -------------------------------------------------------------------------- kiwi-glue ----
def _load_kiwi_glue(options: Options) -> Fix:
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=1)  # glue() batches its analyses: it needs a worker thread
    kiwi.glue(["국가 데이", "터 구축"])  # Kiwi finishes loading on first use: part of the load

    def fix(page: str) -> str:
        lines = [line.strip() for line in page.split("\n") if line.strip()]
        if len(lines) < 2:
            return page
        _, spaces = kiwi.glue(lines, return_space_insertions=True)
        out = [lines[0]]
        for line, space in zip(lines[1:], spaces, strict=True):
            out += ["\n" if space else "", line]
        return "".join(out)

    return fix


# ---------------------------------------------------------------------- symspell-jamo ----
def symspell_words(lexicon_tags: Mapping[str, Collection[str]]) -> list[str]:
    """The dictionary of the plain SymSpell baseline: common nouns of two syllables or more.

    All of kocorrect's ~230 k forms at edit distance 2 over jamo would need gigabytes; common
    nouns are what a dictionary speller is usually given, and they fit in ~300 MB.
    """
    return sorted(form for form, tags in lexicon_tags.items() if "NNG" in tags and len(form) >= 2)


def _load_symspell(options: Options) -> Fix:
    from symspellpy import SymSpell, Verbosity

    from kocorrect.hangul import jamo_string
    from kocorrect.lexicon import Lexicon

    max_distance = int(options.get("symspell_distance", 1))  # type: ignore[call-overload]
    lexicon = Lexicon.load()
    words = symspell_words(lexicon.tags)
    by_jamo = {jamo_string(w): w for w in words}
    speller = SymSpell(max_dictionary_edit_distance=max_distance, prefix_length=9)
    for key in by_jamo:
        speller.create_dictionary_entry(key, 1)
    known = lexicon.tags

    def best(word: str) -> str | None:
        found = speller.lookup(jamo_string(word), Verbosity.TOP, max_edit_distance=max_distance)
        return by_jamo[found[0].term] if found else None

    def fix_core(core: str) -> str:
        if len(core) < 2 or core in known:
            return core
        for particle in ("", *_PARTICLES):
            stem = core[: len(core) - len(particle)] if particle else core
            if particle and not core.endswith(particle):
                continue
            if len(stem) < 2:
                continue
            if stem in known:
                return core
            suggestion = best(stem)
            if suggestion is not None:
                return suggestion + particle
        return core

    cache: dict[str, str] = {}

    def fix(page: str) -> str:
        def replace(match: re.Match[str]) -> str:
            core = match.group(0)
            if core not in cache:
                cache[core] = fix_core(core)
            return cache[core]

        return _CORE.sub(replace, page)

    return fix


# ------------------------------------------------------------------------ hunspell-ko ----
def _hunspell_unavailable() -> str | None:
    if importlib.util.find_spec("hunspell") is None:
        return (
            "skipped: the Python binding is missing (apt-get install hunspell-ko "
            "libhunspell-dev, then pip install -r benchmarks/requirements-hunspell.txt)"
        )
    if not HUNSPELL_DICTIONARY.with_suffix(".dic").is_file():
        return (
            f"skipped: no Korean dictionary at {HUNSPELL_DICTIONARY}.dic "
            "(apt-get install hunspell-ko)"
        )
    return None


def _load_hunspell(options: Options) -> Fix:
    import hunspell

    base = str(HUNSPELL_DICTIONARY)
    speller = hunspell.HunSpell(base + ".dic", base + ".aff")
    cache: dict[str, str] = {}

    def fix_word(word: str) -> str:
        if speller.spell(word):
            return word
        suggestions = speller.suggest(word)
        return suggestions[0] if suggestions else word

    def fix(page: str) -> str:
        def replace(match: re.Match[str]) -> str:
            core = match.group(0)
            if core not in cache:
                cache[core] = fix_word(core)
            return cache[core]

        return _CORE.sub(replace, page)

    return fix


SYSTEMS: dict[str, System] = {
    s.name: s
    for s in (
        System("none", "no correction (the OCR text as it is)", _load_none),
        System("kocorrect", "kocorrect, default Corrector()", _load_kocorrect),
        System(
            "kiwi-typos",
            f"Kiwi typo-correcting analysis ({KIWI_STRONGEST_TYPOS}), typo eojeols rebuilt",
            _load_kiwi_typos,
        ),
        System("kiwi-glue", "Kiwi glue() deciding only at line breaks", _load_kiwi_glue),
        System(
            "symspell-jamo",
            "plain SymSpell over jamo, uniform costs, kocorrect lexicon nouns",
            _load_symspell,
        ),
        System(
            "hunspell-ko",
            "hunspell + Debian hunspell-ko, first suggestion per unknown word",
            _load_hunspell,
            _hunspell_unavailable,
        ),
    )
}
