"""Person names: find the mentions on a page, protect them from correction, flag the unverified.

No lexicon can vouch for a name, and OCR damages names like any other word (인전혁 may be a
misread 임전혁). A speller would "fix" a name into the nearest common word; kocorrect instead
finds where a page names a person, keeps the typo corrector out of those spans and asks a
proofreader to check every name the newsroom's registry (see `registry.py`) does not confirm.

A name is recognised by its shape *and* its position, never by a part-of-speech tag alone
(Kiwi tags OCR garbage such as 탠 as a proper noun):

- shape: 2-4 Hangul syllables starting with a common Korean surname (`surnames.txt`), a
  given name without the syllables of foreign loanwords (스, 트, 크 ...), and not a word or
  place Kiwi knows as something else (조사, 서울시, 강남구);
- position: before a title, possibly with an organisation in between ("인전혁 광주시
  교통정책과장", "/박진표 기자", titles in `titles.txt`), after a title ("배우 송중기와"), with a
  photo-caption or age note ("김종호(왼쪽)", "김철수(45)씨"), as the speaker of a quote, or as
  a bare name that Kiwi analyses as one proper noun followed by a particle ("장동건과").

One Kiwi analysis of the page serves every rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .analysis import OOV_MORPHEME_MAX_ID, LanguageModel, PageAnalysis
from .errors import DataFileError
from .registry import Registry, RegistryEntry, load_registry
from .resources import data_path
from .types import Flag
from .wordlists import alternation, load_words, read_entries

if TYPE_CHECKING:
    from kiwipiepy import Token

__all__ = [
    "NameChecker",
    "NameMention",
    "Titles",
    "load_name_syllables",
    "load_surnames",
    "load_titles",
]

UNVERIFIED = "unverified-name"
CONFLICT = "name-registry-conflict"

MAX_ORG_WORDS = 3  # organisation words allowed between a name and its title
SUGGESTION_DISTANCE = 2  # jamo edits between a mention and a registry name it may be

# Tags of the morphemes a word's head is made of: nouns, numbers, modifiers and the prefixes and
# suffixes of nouns (XPN, XSN), plus unknown and unanalysed text (UN, NA). A verb, a particle,
# an ending or punctuation ends the head. Not `lexicon.CONTENT_TAGS` (the tags of lexicon
# words): a head is a noun phrase, so verbs end it and noun affixes belong to it.
_NAME_HEAD_TAGS = frozenset(
    ["NNP", "NNG", "NNB", "NR", "MM", "MAG", "XPN", "XR", "IC", "XSN", "UN", "NA"]
)
_LEADING_PUNCT = "/\"'“‘「『<《〈([·,-—–"
_QUOTE_OPEN = "\"“'‘「『"
_AGE = re.compile(r"^\d{1,3}(?:세)?(?:[·,\s].*)?$")
_HANGUL = re.compile(r"[가-힣]+")
# Words split at whitespace, and before an opening parenthesis: 김종호(왼쪽) is two words.
_WORD = re.compile(r"\(?[^\s(]+|\(")


def _is_syllable(ch: str) -> bool:
    return "가" <= ch <= "힣"


@lru_cache(maxsize=1)
def _speech() -> re.Pattern[str]:
    """A closing quote, 고/며/면서 and within three words a verb of speech (speech_verbs.txt)."""
    verbs = alternation(load_words("speech_verbs"))
    return re.compile(r"^[\"”'’」』]\s*(?:이?라?고|며|면서)\s+(?:\S+\s+){0,2}?" f"(?:{verbs})")


@lru_cache(maxsize=1)
def _bare_place_endings() -> frozenset[str]:
    """Last syllables of a bare proper noun that is more often a place or a thing than a person."""
    return load_words("place_endings") | load_words("bare_place_endings")


# --------------------------------------------------------------------------------------------
# Data files


def load_surnames(path: Path | None = None) -> frozenset[str]:
    """Surnames from `surnames.txt` (one a line, `#` comments)."""
    return load_words("surnames", path)


def load_name_syllables(path: Path | None = None) -> frozenset[str]:
    """Syllables a given name may contain, from `name_syllables.txt` (one a line)."""
    return load_words("name_syllables", path)


@dataclass(frozen=True, slots=True)
class Titles:
    """Title words; `after_only` ones are everyday words too (씨, 주장): only after names."""

    all: frozenset[str]
    after_only: frozenset[str]

    def ending(self, word: str) -> str | None:
        """The longest title `word` ends with (교통정책과장 -> 과장), if any."""
        for size in range(min(len(word), 6), 0, -1):
            if word[-size:] in self.all:
                return word[-size:]
        return None


@lru_cache(maxsize=4)
def load_titles(path: Path | None = None) -> Titles:
    """Titles from `titles.txt`: `word` or `word<TAB>after-only` a line."""
    path = path or data_path("titles.txt")
    every: set[str] = set()
    after: set[str] = set()
    for number, fields in read_entries(path, columns=2):
        if len(fields) == 2 and fields[1] != "after-only":
            raise DataFileError(path, "expected `title` or `title<TAB>after-only`", number)
        if not _HANGUL.fullmatch(fields[0]):
            raise DataFileError(path, f"{fields[0]!r} is not a word of Hangul syllables", number)
        every.add(fields[0])
        if len(fields) == 2:
            after.add(fields[0])
    return Titles(frozenset(every), frozenset(after))


# --------------------------------------------------------------------------------------------
# Words of the page


@dataclass(frozen=True, slots=True)
class NameMention:
    """A place where the page names a person.

    `role` and `organisation` are what the page says around the name ("교통정책과장",
    "광주시"), `context` how the name was recognised ("before 교통정책과장", "byline", ...).
    """

    start: int
    end: int
    name: str
    role: str = ""
    organisation: str = ""
    context: str = ""


@dataclass(frozen=True, slots=True)
class _Word:
    """A whitespace-delimited word (eojeol) and the part of it before any particle or ending."""

    start: int
    end: int
    head_start: int  # first Hangul syllable after leading punctuation
    head_end: int  # where particles, endings or punctuation begin
    tokens: tuple[Token, ...]  # Kiwi tokens of the head

    def head(self, text: str) -> str:
        return text[self.head_start : self.head_end]

    def rest(self, text: str) -> str:
        return text[self.head_end : self.end]

    def is_bare_noun(self, text: str) -> bool:
        """No particle, ending or punctuation: the word can be part of an organisation name."""
        return self.head_start == self.start and self.head_end == self.end


def _is_function_token(token: Token, first: bool) -> bool:
    """Particles, endings and punctuation end a word's head; so does 씨 after a name."""
    tag = str(token.tag)
    if tag in _NAME_HEAD_TAGS:
        return token.form == "씨" and not first
    return True


def _split_words(text: str, tokens: Sequence[Token]) -> list[_Word]:
    words: list[_Word] = []
    index = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        while index < len(tokens) and tokens[index].start < start:
            index += 1
        inside: list[Token] = []
        scan = index
        while scan < len(tokens) and tokens[scan].start < end:
            inside.append(tokens[scan])
            scan += 1
        head_start = start
        while head_start < end and text[head_start] in _LEADING_PUNCT:
            head_start += 1
        head_end = head_start
        head_tokens: list[Token] = []
        for token in inside:
            if token.start < head_start:
                continue
            if _is_function_token(token, first=not head_tokens):
                break
            head_tokens.append(token)
            head_end = max(head_end, min(end, token.start + token.len))
        hangul = _HANGUL.match(text, head_start, head_end)
        head_end = hangul.end() if hangul else head_start
        words.append(_Word(start, end, head_start, head_end, tuple(head_tokens)))
    return words


# --------------------------------------------------------------------------------------------
# Name shape


@dataclass(frozen=True, slots=True)
class _Shape:
    surnames: frozenset[str]
    given_syllables: frozenset[str]

    def split(self, name: str) -> tuple[str, str] | None:
        """(surname, given name) when `name` has the shape of a Korean full name."""
        if not 2 <= len(name) <= 4 or not all(_is_syllable(ch) for ch in name):
            return None
        if len(name) >= 3 and name[:2] in self.surnames:
            surname = name[:2]
        elif len(name) <= 3 and name[0] in self.surnames:
            surname = name[0]
        else:
            return None
        given = name[len(surname) :]
        if given == "모" or not all(ch in self.given_syllables for ch in given):
            return None  # 김모 is an anonymised person; 이노텔, 인터폴 are loanwords
        return surname, given


def _known_as_other_word(name: str, tokens: Sequence[Token]) -> bool:
    """Kiwi knows `name` as a common word (조사, 이번) or a place (서울시, 광주/시)."""
    if not tokens:
        return False
    first = tokens[0]
    if len(tokens) == 1 and first.len == len(name) and first.id >= OOV_MORPHEME_MAX_ID:
        if str(first.tag) != "NNP":
            return True
        return len(name) == 3 and name[-1] in load_words("place_endings")
    return (
        str(first.tag) in ("NNP", "NNG")
        and first.id >= OOV_MORPHEME_MAX_ID
        and first.len >= 2
        and all(t.form in load_words("place_suffix_tokens") for t in tokens[1:])
        and len(tokens) > 1
    )


def _known_two_syllable_noun(name: str, tokens: Sequence[Token]) -> bool:
    """A two-syllable proper noun Kiwi knows: more often a place (양평, 고성) than a person."""
    return (
        len(name) == 2
        and len(tokens) == 1
        and tokens[0].len == 2
        and tokens[0].id >= OOV_MORPHEME_MAX_ID
    )


# --------------------------------------------------------------------------------------------
# Positions


@dataclass(frozen=True, slots=True)
class _Evidence:
    role: str = ""
    organisation: str = ""
    context: str = ""
    person_only: bool = False  # a context only a person fits (씨, 기자, an age, a caption)


class _Detector:
    """Applies the position rules to the words of one page."""

    def __init__(self, text: str, words: list[_Word], shape: _Shape, titles: Titles) -> None:
        self.text = text
        self.words = words
        self.shape = shape
        self.titles = titles

    def mentions(self) -> list[NameMention]:
        found: list[NameMention] = []
        for index in range(len(self.words)):
            mention = self._mention_at(index)
            if mention is not None:
                found.append(mention)
        return found

    def _mention_at(self, index: int) -> NameMention | None:
        word = self.words[index]
        head = word.head(self.text)
        tokens = word.tokens
        glued = self._glued_title(head, tokens)
        name = head[: len(head) - len(glued)] if glued else head
        if self.shape.split(name) is None:
            return None
        name_tokens = [t for t in tokens if t.start < word.head_start + len(name)]
        if _known_as_other_word(name, name_tokens):
            return None
        evidence = self._evidence(index, glued)
        if evidence is None:
            return None
        if _known_two_syllable_noun(name, name_tokens) and not evidence.person_only:
            return None
        start = word.head_start
        return NameMention(
            start,
            start + len(name),
            name,
            evidence.role,
            evidence.organisation,
            evidence.context,
        )

    def _glued_title(self, head: str, tokens: Sequence[Token]) -> str:
        """A title Kiwi split off the end of the word ("박진표기자" -> "기자")."""
        if len(tokens) < 2 or len(head) < 4:
            return ""
        last = tokens[-1]
        if last.form in self.titles.all and head.endswith(last.form) and len(last.form) >= 2:
            return last.form
        return ""

    def _evidence(self, index: int, glued: str) -> _Evidence | None:
        word = self.words[index]
        rest = word.rest(self.text)
        if glued:
            return _Evidence(role=glued, context=f"before {glued}", person_only=glued == "기자")
        if rest.startswith("씨"):
            return _Evidence(role="씨", context="before 씨", person_only=True)
        note = self._paren_after(index)
        if note is not None and not rest:
            after = self._title_after(index, skip=1)
            if after is not None:
                return after
            found = self._paren_evidence(note)
            if found is not None:
                return found
        for rule in (self._title_after, self._title_before, self._quote_speaker, self._bare):
            found = rule(index)
            if found is not None:
                return found
        return None

    def _paren_after(self, index: int) -> str | None:
        """The note in a parenthesis right after the word ("김종호(왼쪽)" -> "왼쪽")."""
        if index + 1 >= len(self.words):
            return None
        word, nxt = self.words[index], self.words[index + 1]
        if nxt.start != word.end or self.text[nxt.start] != "(":
            return None
        close = self.text.find(")", nxt.start, nxt.start + 40)
        return self.text[nxt.start + 1 : close].strip() if close > 0 else None

    def _paren_evidence(self, note: str) -> _Evidence | None:
        parts = note.replace("·", " ").replace(",", " ").split()
        if not parts:
            return None
        if parts[0] in load_words("caption_words"):
            return _Evidence(context="photo caption", person_only=True)
        if _AGE.match(note):
            return _Evidence(context="with an age", person_only=True)
        title = self.titles.ending(parts[-1])
        if title and title not in self.titles.after_only:
            return _Evidence(role=parts[-1], context=f"with ({note})")
        return None

    def _title_after(self, index: int, skip: int = 0) -> _Evidence | None:
        """A title after the name, with up to MAX_ORG_WORDS organisation words between.

        `skip` passes over a parenthesis right after the name ("김종호(왼쪽) 광주시 행정부시장").
        """
        word = self.words[index]
        if word.head_end != word.end:
            return None
        org: list[str] = []
        previous = index + skip
        if skip and self.text[self.words[previous].end - 1] != ")":
            return None
        for offset in range(1, MAX_ORG_WORDS + 2):
            if previous + offset >= len(self.words):
                return None
            nxt = self.words[previous + offset]
            if not self._same_line(self.words[previous + offset - 1], nxt):
                return None
            head = nxt.head(self.text)
            title = self.titles.ending(head) if nxt.head_start == nxt.start else None
            if title and (offset == 1 or len(title) >= 2):
                return self._title_evidence(index, head, title, org)
            if not self._organisation_word(nxt) or self._name_shaped(nxt):
                return None  # "제주도 출신 오멸 감독": the title belongs to the nearer name
            org.append(self.text[nxt.start : nxt.end])
        return None

    def _title_evidence(self, index: int, role: str, title: str, org: list[str]) -> _Evidence:
        word = self.words[index]
        before = self.text[max(0, word.start - 1) : word.head_start]
        line_start = word.start == 0 or self.text[word.start - 1] == "\n"
        if title == "기자" and (
            "/" in before or line_start or "/" in self.text[word.start - 1 :][:1]
        ):
            context = "byline"
        else:
            context = f"before {role}"
        return _Evidence(
            role=role,
            organisation=" ".join(org),
            context=context,
            person_only=title in ("기자", "씨"),
        )

    def _organisation_word(self, word: _Word) -> bool:
        """A word that can stand between a name and its title (광주시, AICA, 전)."""
        chunk = self.text[word.start : word.end]
        if word.is_bare_noun(self.text):
            return True
        return bool(re.fullmatch(r"[A-Za-z0-9가-힣&·]+", chunk)) and not _HANGUL.fullmatch(chunk)

    def _name_shaped(self, word: _Word) -> bool:
        head = word.head(self.text)
        return self.shape.split(head) is not None and not _known_as_other_word(head, word.tokens)

    def _same_line(self, a: _Word, b: _Word) -> bool:
        return "\n" not in self.text[a.end : b.start]

    def _title_before(self, index: int) -> _Evidence | None:
        """A title right before the name ("배우 송중기와", "교통정책과장 인전혁은")."""
        word = self.words[index]
        if index == 0 or word.head_start != word.start:
            return None
        prev = self.words[index - 1]
        if not prev.is_bare_noun(self.text) or not self._same_line(prev, word):
            return None
        head = prev.head(self.text)
        title = self.titles.ending(head)
        if title is None or title in self.titles.after_only or len(title) < 2:
            return None
        if head != title and self.titles.ending(head) != title:
            return None
        return _Evidence(role=head, context=f"after {head}")

    def _quote_speaker(self, index: int) -> _Evidence | None:
        """The subject of a reported quote: `NAME은 "..."고 말했다`."""
        word = self.words[index]
        rest = word.rest(self.text)
        if rest not in ("은", "는", "이", "가"):
            return None
        after = self.text[word.end : word.end + 400]
        opening = after.lstrip()[:1]
        if opening not in _QUOTE_OPEN:
            return None
        body_start = after.index(opening) + 1
        for close in re.finditer(r"[\"”'’」』]", after[body_start:]):
            if "\n" in after[: body_start + close.start()]:
                return None
            if _speech().match(after[body_start + close.start() :]):
                return _Evidence(context="speaker of a quote")
        return None

    def _bare(self, index: int) -> _Evidence | None:
        """A proper noun of name shape directly followed by a particle ("장동건과")."""
        word = self.words[index]
        head = word.head(self.text)
        if len(head) < 3 or head[-1] in _bare_place_endings():
            return None
        if word.head_start != word.start and self.text[word.start] != "(":
            return None
        if not self._analysed_as_name(head, word.tokens):
            return None
        rest = word.rest(self.text)
        if not rest or not (rest[0] in ",·)" or _HANGUL.match(rest)):
            return None
        return _Evidence(context="")

    def _analysed_as_name(self, head: str, tokens: Sequence[Token]) -> bool:
        """Kiwi reads the word as one proper noun, or as a surname followed by nouns."""
        if not tokens or sum(t.len for t in tokens) != len(head):
            return False
        if len(tokens) == 1:
            return str(tokens[0].tag) == "NNP"
        first = tokens[0]
        return (
            str(first.tag) == "NNP"
            and first.form in self.shape.surnames
            and len(tokens) <= 3
            and all(str(t.tag) in ("NNG", "NNP", "MM", "NR", "XPN") for t in tokens[1:])
        )


# --------------------------------------------------------------------------------------------
# Registry check


def _roles_compatible(mentioned: str, registered: str) -> bool:
    """Unknown on either side is compatible; otherwise one title must end the other."""
    if not mentioned or not registered or mentioned == "씨":
        return True
    a, b = mentioned.replace(" ", ""), registered.replace(" ", "")
    return a.endswith(b) or b.endswith(a)


def _organisations_compatible(mentioned: str, registered: str) -> bool:
    """Unknown is compatible; 광주시 fits 광주광역시 (one contains the other or same stem)."""
    if not mentioned or not registered:
        return True
    a, b = mentioned.replace(" ", ""), registered.replace(" ", "")
    return a in b or b in a or a[:2] == b[:2]


def _compatible(mention: NameMention, entry: RegistryEntry) -> bool:
    return _roles_compatible(mention.role, entry.role) and _organisations_compatible(
        mention.organisation, entry.organisation
    )


def _describe(mention: NameMention) -> str:
    return f"person name {mention.name}" + (f" ({mention.context})" if mention.context else "")


class NameChecker:
    """Finds person names in a text and checks them against the name registry.

    Built once per `Corrector`; `check` is then a pure function of the text.
    """

    def __init__(self, *, registry: Path | None = None, date: dt.date | None = None) -> None:
        self.registry: Registry | None = load_registry(registry) if registry else None
        self.date = date
        self.shape = _Shape(load_surnames(), load_name_syllables())
        self.titles = load_titles()

    def detect(
        self, text: str, lm: LanguageModel, *, analysis: PageAnalysis | None = None
    ) -> list[NameMention]:
        """Person-name mentions in `text`, in order, read from the page's shared analysis
        (`analysis`, made here when not given)."""
        if not _HANGUL.search(text):
            return []
        tokens = (analysis or PageAnalysis.of(text, lm)).all_morphs()
        words = _split_words(text, tokens)
        return _Detector(text, words, self.shape, self.titles).mentions()

    def check(
        self, text: str, lm: LanguageModel, *, analysis: PageAnalysis | None = None
    ) -> tuple[list[NameMention], list[Flag]]:
        """Mentions (to protect from correction) and flags for names the registry lacks."""
        mentions = self.detect(text, lm, analysis=analysis)
        flags = [flag for m in mentions if (flag := self.flag_for(m)) is not None]
        return mentions, flags

    def flag_for(self, mention: NameMention) -> Flag | None:
        """The flag a proofreader needs for `mention`, or None when the registry confirms it."""
        what = _describe(mention)
        if self.registry is None:
            return self._flag(
                mention,
                UNVERIFIED,
                f"{what} cannot be verified: no name registry is configured "
                "(set Config.registry or --registry): check the spelling",
            )
        entries = self.registry.lookup(mention.name, self.date)
        if entries:
            if any(_compatible(mention, e) for e in entries):
                return None
            known = "; ".join(e.describe() for e in entries)
            return self._flag(
                mention,
                CONFLICT,
                f"{what} is in the name registry as {known}, which the page contradicts: "
                "check the name and the title",
            )
        return self._unregistered(mention, what)

    def _unregistered(self, mention: NameMention, what: str) -> Flag:
        assert self.registry is not None
        near = [
            entry
            for _, entry in self.registry.near(
                mention.name, self.date, max_distance=SUGGESTION_DISTANCE
            )
            if _compatible(mention, entry)
        ]
        suggestions = tuple(dict.fromkeys(e.name for e in near))
        message = f"{what} is not in the name registry: check the spelling"
        if self.registry.lookup(mention.name) and self.date is not None:
            message = f"{what} is in the name registry, but not on {self.date.isoformat()}"
        if near:
            listed = "; ".join(f"{e.name} ({e.describe()})" for e in near)
            message += f"; the registry has {listed}"
        return self._flag(mention, UNVERIFIED, message, suggestions)

    @staticmethod
    def _flag(
        mention: NameMention, kind: str, message: str, suggestions: tuple[str, ...] = ()
    ) -> Flag:
        return Flag(mention.start, mention.end, kind, message, suggestions)
