"""Word lists kept as data files in `dictionaries/`, read one way for every list.

A list is a UTF-8 text file with one entry a line; blank lines and lines starting with `#` are
skipped, and surrounding whitespace is stripped. Each list says what its entries must be (one
Hangul syllable, a word of Hangul syllables, one character ...): an entry that is not, an
empty one, a line with more tab-separated columns than the list has, or an entry given twice
raises `DataFileError` naming the file and the line, because a list that silently dropped or
doubled an entry would change what kocorrect does without anyone noticing. Lists are read
once and cached; `dictionaries/README.md` says what each file is and where it came from.

>>> "시" in load_words("place_endings")
True
>>> sorted(WORD_LISTS)[:3]
['bare_place_endings', 'byline_titles', 'caption_words']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import DataFileError
from .hangul import is_hangul_syllable
from .resources import data_path

__all__ = ["WORD_LISTS", "WordList", "alternation", "load_words", "read_entries"]

_HANGUL_WORD = re.compile(r"[가-힣]+")


def _hangul_word(entry: str) -> bool:
    return bool(_HANGUL_WORD.fullmatch(entry))


def _surname(entry: str) -> bool:
    return _hangul_word(entry) and len(entry) <= 2


def _character(entry: str) -> bool:
    return len(entry) == 1


def _compatibility_jamo(entry: str) -> bool:
    return len(entry) == 1 and "\u3131" <= entry <= "\u318e"


def _word(entry: str) -> bool:
    return not any(ch.isspace() for ch in entry)


@dataclass(frozen=True, slots=True)
class WordList:
    """A word list file and what every entry in it must be."""

    file: str
    entry: str  # what an entry is, for the error message ("one Hangul syllable")
    valid: Callable[[str], bool]


WORD_LISTS: Mapping[str, WordList] = {
    # names.py: the shape of a person's name
    "surnames": WordList("surnames.txt", "a Korean surname of 1-2 syllables", _surname),
    "name_syllables": WordList("name_syllables.txt", "one Hangul syllable", is_hangul_syllable),
    # names.py: what makes a word a place, a caption or a quote, not a person
    "place_endings": WordList("place_endings.txt", "one Hangul syllable", is_hangul_syllable),
    "bare_place_endings": WordList(
        "bare_place_endings.txt", "one Hangul syllable", is_hangul_syllable
    ),
    "place_suffix_tokens": WordList(
        "place_suffix_tokens.txt", "one Hangul syllable", is_hangul_syllable
    ),
    "caption_words": WordList("caption_words.txt", "one word without whitespace", _word),
    "speech_verbs": WordList("speech_verbs.txt", "a word of Hangul syllables", _hangul_word),
    # layout.py: lines never joined to their neighbours
    "byline_titles": WordList("byline_titles.txt", "a word of Hangul syllables", _hangul_word),
    # breaks.py: a number and the counter after it are one word (16일)
    "counter_starts": WordList("counter_starts.txt", "one character", _character),
    # misreads/candidates.py: a repair that swaps one of these for another is only suggested;
    # normalize.py: a straight quote before one is a closing quote
    "case_particles": WordList("case_particles.txt", "a word of Hangul syllables", _hangul_word),
    # normalize.py
    "short_particles": WordList("short_particles.txt", "one Hangul syllable", is_hangul_syllable),
    "sentence_end_syllables": WordList(
        "sentence_end_syllables.txt", "one Hangul syllable", is_hangul_syllable
    ),
    # layout.py: a period the scan lost after a declarative 다
    "declarative_da_syllables": WordList(
        "declarative_da_syllables.txt", "one Hangul syllable", is_hangul_syllable
    ),
    "connective_after_da": WordList(
        "connective_after_da.txt", "a word of Hangul syllables", _hangul_word
    ),
    "chat_jamo": WordList(
        "chat_jamo.txt", "one compatibility jamo (U+3131-U+318E)", _compatibility_jamo
    ),
}


def read_entries(path: Path, *, columns: int = 1) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line number, tab-separated fields) of each entry line of a word list file.

    Blank and `#` lines are skipped. A line with more than `columns` fields, an empty first
    field, a first field seen before, a file that is missing or not UTF-8 raise
    `DataFileError` naming the file (and the line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise DataFileError(
            path, f"cannot read word list ({err.strerror}); check the path"
        ) from err
    except UnicodeDecodeError as err:
        raise DataFileError(path, f"not UTF-8 ({err.reason}); save the file as UTF-8") from err
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = tuple(field.strip() for field in line.split("\t"))
        entry = fields[0]
        if not entry:
            raise DataFileError(path, "empty entry (the line starts with a tab)", number)
        if len(fields) > columns:
            expected = "one entry" if columns == 1 else f"at most {columns} tab-separated fields"
            raise DataFileError(
                path, f"expected {expected} a line, found {len(fields)} fields", number
            )
        if entry in seen:
            raise DataFileError(
                path, f"{entry!r} is listed twice (first on line {seen[entry]}): remove one", number
            )
        seen[entry] = number
        yield number, fields


@cache
def load_words(name: str, path: Path | None = None) -> frozenset[str]:
    """The entries of the word list `name` (a key of `WORD_LISTS`), validated and cached.

    `path` reads another file in the same format instead of the shipped one.
    """
    try:
        spec = WORD_LISTS[name]
    except KeyError:
        raise KeyError(f"no word list named {name!r}; the lists are {sorted(WORD_LISTS)}") from None
    path = path or data_path(spec.file)
    words: set[str] = set()
    for number, (entry,) in read_entries(path):
        if not spec.valid(entry):
            raise DataFileError(path, f"{entry!r} is not {spec.entry}", number)
        words.add(entry)
    return frozenset(words)


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of `words`, longest first, each escaped.

    >>> print(alternation(["기자", "특파원", "a.b"]))
    a\\.b|특파원|기자
    """
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
