"""Lexicon layers: general (Kiwi's morpheme inventory), domain (shipped) and the user's own.

The general layer is Kiwi's own vocabulary (~660 k morphemes): a maintained, Apache-2.0 source
that already sits on every machine with kiwipiepy-model. Enumerating it costs about a second,
so it is extracted once into the user's cache directory as a plain TSV (parsed, never
unpickled) keyed by the Kiwi version, and read from there afterwards.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from .errors import DataFileError
from .resources import data_path

__all__ = [
    "Lexicon",
    "LexiconEntry",
    "general_lexicon_path",
    "read_lexicon_tsv",
    "user_cache_dir",
]

log = logging.getLogger("kocorrect")

# Tags whose forms stand for words a reader would recognise on the page.
CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "VX", "XR", "MAG", "MAJ", "MM", "IC"}
    | {"VV-R", "VA-R", "VV-I", "VA-I"}
)
# The same word classes as prefixes of Kiwi's tags, for `tag.startswith(...)` on a token: they
# also take in the regular and irregular variants Kiwi writes for auxiliaries (VX-R, VX-I),
# which the lexicon's inventory (CONTENT_TAGS) leaves out.
CONTENT_TAG_PREFIXES = ("NN", "NP", "NR", "VV", "VA", "VX", "MA", "MM", "IC", "XR")
# Particles and endings: what may follow a word inside an eojeol (내용을, 때에는, 받지).
FUNCTIONAL_TAG_PREFIXES = ("J", "E", "VCP", "XSV", "XSA", "XSN")
VALID_TAGS = CONTENT_TAGS | {"XSN", "XPN", "XSV", "XSA", "SL", "SH", "FUNC"}
GENERAL_SOURCE = "general lexicon (Kiwi)"
_HANGUL_WORD = re.compile(r"^[가-힣]+$")
_WHITESPACE = re.compile(r"\s")
# Proper nouns in Kiwi's inventory include long multi-word titles; names of 2 to 8 syllables
# are the ones an OCR'd word is compared with.
_PROPER_NOUN_SYLLABLES = range(2, 9)


class LexiconEntry(NamedTuple):
    """One line of a lexicon file: a word form, its tag, and the layer it came from."""

    form: str
    tag: str
    source: str


def user_cache_dir() -> Path:
    """Where derived indexes are built once: $KOCORRECT_CACHE, else $XDG_CACHE_HOME/kocorrect."""
    explicit = os.environ.get("KOCORRECT_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kocorrect"


LEXICON_COLUMNS = ("WORD", "TAG", "NOTE")
LEXICON_FORMAT = "WORD<TAB>TAG<TAB>NOTE (TAG default NNG and NOTE optional)"
"""The columns of a lexicon line, as error messages and `--lexicon --help` state them."""


def _whitespace_hint(form: str) -> str:
    parts = form.split()
    message = f"word {form!r} contains whitespace; columns are separated by a TAB, not spaces"
    if len(parts) >= 2 and parts[1] in VALID_TAGS:
        return f"{message}: write {parts[0]}<TAB>{parts[1]}"
    return f"{message} ({LEXICON_FORMAT}); a word is written solid"


# A lexicon line of the plain shape every generated file has (`form<TAB>TAG`), and the lines
# that carry nothing (comments, blank): a file made only of these is read in bulk.
_PLAIN_LINE = re.compile(r"^([^\s#]\S*)\t([A-Z][A-Z-]*)\r?$", re.M)
_EMPTY_LINE = re.compile(r"^(?:#[^\n]*|[^\S\n]*)$", re.M)


def _plain_pairs(path: Path) -> list[tuple[str, str]] | None:
    """(form, tag) of every line of `path` if each one is a plain `form<TAB>TAG` line with a
    valid tag, a comment or blank (the general lexicon's 243 k lines: about half the time of the
    line-by-line reader, 0.3 against 0.5 s); None otherwise, and the line-by-line reader, which
    names the faulty line, takes over."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    pairs = _PLAIN_LINE.findall(text)
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if len(pairs) + len(_EMPTY_LINE.findall(text.rstrip("\n"))) != lines:
        return None  # some line is neither (a note column, a header row, an error ...)
    if not {tag for _form, tag in pairs} <= VALID_TAGS:
        return None
    return pairs


def read_lexicon_tsv(path: Path, *, source: str) -> Iterator[LexiconEntry]:
    """Entries of a lexicon TSV: `form[<TAB>tag[<TAB>note]]`, `#` comments, blank lines ignored.

    A malformed line raises `DataFileError` naming the file and the line.
    """
    pairs = _plain_pairs(path)
    if pairs is not None:
        for form, tag in pairs:
            yield LexiconEntry(form, tag, source)
        return
    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        raise DataFileError(path, f"cannot read lexicon ({err.strerror}); check the path") from err
    with handle:
        number = 0
        lines = iter(handle)
        while True:
            number += 1
            try:
                raw = next(lines)
            except StopIteration:
                return
            except UnicodeDecodeError as err:
                raise DataFileError(
                    path, f"not UTF-8 ({err.reason}); save the lexicon as UTF-8", number
                ) from err
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            form = fields[0].strip()
            tag = fields[1].strip() if len(fields) > 1 and fields[1].strip() else "NNG"
            if number == 1 and form.lower() == "form":
                continue  # a header row
            if len(fields) > len(LEXICON_COLUMNS):
                raise DataFileError(
                    path,
                    f"{len(fields)} TAB-separated columns; a lexicon line has at most "
                    f"{len(LEXICON_COLUMNS)}: {LEXICON_FORMAT} (remove the extra TABs)",
                    number,
                )
            if not form:
                raise DataFileError(path, f"the word is empty; a line is {LEXICON_FORMAT}", number)
            if _WHITESPACE.search(form):
                raise DataFileError(path, _whitespace_hint(form), number)
            if tag not in VALID_TAGS:
                raise DataFileError(
                    path, f"unknown tag {tag!r}; use one of {', '.join(sorted(VALID_TAGS))}", number
                )
            yield LexiconEntry(form, tag, source)


def _kiwi_entries() -> Iterator[tuple[str, str]]:
    from .analysis import shared_kiwi

    kiwi = shared_kiwi()  # the model the analysis uses: no second one in memory
    index = 0
    while True:
        try:
            morpheme = kiwi.morpheme(index)
        except Exception:  # Kiwi signals the end of its inventory with an error
            return
        index += 1
        form, tag = morpheme.form, str(morpheme.tag)
        if not _HANGUL_WORD.match(form):
            continue
        if tag.startswith(FUNCTIONAL_TAG_PREFIXES):
            yield form, "FUNC"
            continue
        if tag not in CONTENT_TAGS:
            continue
        if tag == "NNP" and len(form) not in _PROPER_NOUN_SYLLABLES:
            continue
        yield form, tag


def general_lexicon_path() -> Path:
    """Where the general lexicon extracted from Kiwi is cached (built on first use)."""
    import kiwipiepy

    version = getattr(kiwipiepy, "__version__", "unknown")
    return user_cache_dir() / f"general-kiwi-{version}-v2.tsv"


def build_general_lexicon(path: Path) -> int:
    """Extract Kiwi's vocabulary to `path` (atomically); returns the number of entries."""
    path.parent.mkdir(parents=True, exist_ok=True)
    seen: set[tuple[str, str]] = set()
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".general-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("# Kiwi morpheme inventory (content words), extracted by kocorrect\n")
            for form, tag in _kiwi_entries():
                if (form, tag) not in seen:
                    seen.add((form, tag))
                    out.write(f"{form}\t{tag}\n")
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return len(seen)


class Lexicon:
    """Known word forms with their tags and the layer they came from (general, domain, user)."""

    def __init__(self, entries: Iterable[LexiconEntry]) -> None:
        tags: dict[str, set[str]] = {}
        self.sources: dict[str, str] = {}
        functional: set[str] = set()
        ours: set[str] = set()  # forms of the domain and user layers (a few thousand)
        also_general: set[str] = set()
        sources = self.sources  # a loop over ~250 k entries at load
        for form, tag, source in entries:
            if tag == "FUNC":
                functional.add(form)
                continue
            if source == GENERAL_SOURCE:
                if form in ours:
                    also_general.add(form)
            elif sources.get(form) != GENERAL_SOURCE:
                ours.add(form)
            known = tags.get(form)
            if known is None:
                tags[form] = {tag}
                sources[form] = source
            else:
                known.add(tag)
        # Each form's tags as one of the few hundred distinct sets, shared: a set per form
        # (~240 k of them) took ~45 MB more. (The garbage collector's full passes still walk
        # the dict itself; a batch worker freezes its loaded objects out of their way.)
        shared: dict[frozenset[str], frozenset[str]] = {}
        self.tags: dict[str, frozenset[str]] = {
            form: shared.setdefault(frozenset(found), frozenset(found))
            for form, found in tags.items()
        }
        """Each known form's tags."""
        self.functional = frozenset(functional)
        """Particles and endings (을, 에는, 하여 …): what may end an eojeol after a word."""
        self.tail_firsts = frozenset(form[0] for form in functional)
        """The syllables a particle or ending starts with: where a tail may start."""
        self.tail_lasts = frozenset(form[-1] for form in functional)
        """The syllables a particle or ending ends with: what a word and its tail end with."""
        self.longest_tail = max(map(len, functional), default=0)
        """Length of the longest particle or ending."""
        self.unknown_to_kiwi = frozenset(ours - also_general)
        """Words only the domain and user lexicons know: Kiwi's language model has no entry
        for them, so it scores them as the sum of their parts (데이터댐 as 데이터 + 댐)."""
        self.longest = max((len(form) for form in self.tags), default=1)
        """Length of the longest known form: no word search needs to look further."""
        self.cover_cache: dict[tuple[str, int, int], str | None] = {}
        """Memo of the misread stage's word searches in this lexicon (bounded there)."""
        self.conjugation_cache: dict[str, list[tuple[int, int, str, str, bool]]] = {}
        """Memo of Kiwi's analyses of conjugated variants (the misread stage checks them):
        (start, end, tag, form, plausible) per morpheme."""
        self.variant_cache: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        """Memo of the misread stage's variants of a piece that this lexicon's words bound
        (bounded there)."""

    @classmethod
    def load(cls, *, user_lexicons: Iterable[Path] = (), general: bool = True) -> Lexicon:
        layers: list[Iterable[LexiconEntry]] = []
        for path in user_lexicons:
            layers.append(
                list(read_lexicon_tsv(Path(path), source=f"user lexicon {Path(path).name}"))
            )
        layers.append(read_lexicon_tsv(data_path("domain.tsv"), source="domain lexicon"))
        if general:
            general_path = general_lexicon_path()
            if not general_path.is_file():
                log.warning("kocorrect: building the general lexicon once into %s", general_path)
                build_general_lexicon(general_path)
            layers.append(read_lexicon_tsv(general_path, source=GENERAL_SOURCE))
        return cls(entry for layer in layers for entry in layer)

    @functools.cached_property
    def verb_prefixes(self) -> frozenset[str]:
        """Every beginning of a verb or adjective stem (훔, 훔치): where a conjugated form may
        start, built on first use."""
        return frozenset(
            form[:k]
            for form, tags in self.tags.items()
            if tags & {"VV", "VA"}
            for k in range(1, len(form) + 1)
        )

    @functools.cached_property
    def syllable_pairs(self) -> frozenset[str]:
        """Every two syllables in a row of a known form (대한, 한민, 민국 …), built on first
        use: a text none of whose pairs at a position is here holds no word of two or more
        syllables across that position, which most misread variants show at once."""
        return frozenset(form[k : k + 2] for form in self.tags for k in range(len(form) - 1))

    def prepare(self) -> None:
        """Build now the indexes otherwise built on first use (`verb_prefixes`,
        `syllable_pairs`: about 0.3 s): a batch worker builds them before its first page, which
        should not pay for them whatever the page asks of the search."""
        _ = self.verb_prefixes, self.syllable_pairs

    def is_tail(self, text: str) -> bool:
        """Whether `text` is a particle or ending, or two of them in a row (에 + 는)."""
        functional = self.functional
        if text in functional:
            return True
        longest = self.longest_tail
        size = len(text)
        if size > 2 * longest or text[:1] not in self.tail_firsts:
            return False  # (most texts the misread search asks about: refused at once)
        for k in range(max(1, size - longest), min(size, longest + 1)):
            if text[:k] in functional and text[k:] in functional:
                return True
        return False

    def reads_as_word(self, word: str, shortest: int = 1) -> bool:
        """Whether `word` is a lexicon word of `shortest` syllables or more, alone or before a
        particle or ending (`is_tail`): 데이터댐, 데이터댐을, 플로리스트를."""
        return any(
            word[:k] in self and (k == len(word) or self.is_tail(word[k:]))
            for k in range(max(1, shortest), len(word) + 1)
        )

    def __contains__(self, form: object) -> bool:
        return form in self.tags

    def __len__(self) -> int:
        return len(self.tags)

    def source_of(self, form: str) -> str | None:
        return self.sources.get(form)
