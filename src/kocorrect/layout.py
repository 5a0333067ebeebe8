"""Layout repair: rejoin words broken across lines and columns, rebuild paragraphs.

At every whitespace run between two words the stage decides: close it (a word broken by a line
or column break, or split by a space the OCR engine inserted), open it to one space (the line
ended between words), or keep a break (paragraph end, headline, byline, list item, table row).

Cheap rules settle the obvious gaps (tables, bylines, list items, sentence ends, non-Hangul
neighbours); the rest are weighed by a tiny logistic model (`dictionaries/layout_weights.json`,
fitted by `scripts/calibrate_layout.py`) over the language model's preference for the joined
variant and a few morphological facts, all variants of a page scored in one batched Kiwi call.

Spaces inside a line are judged after the breaks, on the text the breaks produced, with the
stricter intra-line model and repeated until nothing changes: that is exactly what a second
run sees, so running the stage on its own output makes no edit.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .analysis import LanguageModel
from .breaks import (
    FEATURE_NAMES,
    Analysis,
    Gap,
    GapKind,
    Page,
    PageForms,
    Variant,
    analyse,
    analysis_free_bound,
    first_tags,
    has_evidence,
    join_variants,
    page_counts,
    read_page,
    text_features,
    variant_features,
    variant_texts,
)
from .errors import DataFileError
from .hangul import compose, decompose, is_hangul_syllable
from .lexicon import Lexicon
from .resources import check_feature_names, data_path
from .spacing import SPACER_MIN_PROBABILITY, SPACER_PRECISION, SpacingModel
from .types import Edit, SpanMap, apply_edits
from .wordlists import alternation, load_words

__all__ = [
    "UNKNOWN_WORD_SURE",
    "Decision",
    "LayoutModel",
    "decide_gaps",
    "line_ends_after",
    "rejoin_beside_repairs",
    "rejoin_broken_words",
    "unexplained_join",
]

_TERMINAL_END = re.compile(r"[.?!。][\"'”’」』)\]]*$")
_LIST_ITEM = re.compile(
    r"^\s*(?:[-•·▲△■□◆◇○●▶►※*@]|[①-⑳]|\(?\d{1,2}[.)]\s|\(?[가-하][.)]\s|\d+단계\s|[|｜])"
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# An ordinal prefix alone or with its number (제, 제3), and the counters that follow it.
_ORDINAL = re.compile(r"^[(\[「『“‘]?제\d*$")
_ORDINAL_COUNTERS = "장편부조항호절관권차회"
# Brackets and quotes that only ever open (the straight quotes ' and " may close as well).
_OPENING_BRACKETS = "「『“‘(《〈[〔"
_LATIN_HYPHEN = re.compile(r"[A-Za-z]{2,}-$")
_PARAGRAPH = "\n\n"
# Conjoining vowels and finals (U+1160-U+11FF) and combining marks.
_COMBINING_START = re.compile("[\u1160-\u11ff\u0300-\u036f\u3099\u309a]")
# A printed character followed by the end of its line.
_LINE_END = re.compile(r"\S(?=[ \t]*\n)")
# A non-wrap break may be opened to one space only after this much running paragraph text:
# a shorter run is a headline, a caption or a list line, which must keep its break.
_MIN_PARAGRAPH_FOR_SPACE = 40
# Tags of suffixes and endings: a right half starting with one continues the word before it.
_SUFFIX_TAGS = ("XSV", "XSA", "E", "VCP")
# Breaks that are not plain line wraps need more evidence to close than wraps do.
_STRICT_BREAK_MARGIN = 0.15
# Gaps inside one line need at least this probability whatever the calibration says.
_MIN_INTRA_PROBABILITY = 0.9


@dataclass(frozen=True, slots=True)
class LayoutModel:
    """The calibrated weights: one logistic model for breaks, one for spaces inside a line."""

    features: tuple[str, ...]
    break_weights: tuple[float, ...]
    break_threshold: float
    intra_weights: tuple[float, ...]
    intra_threshold: float

    @classmethod
    def load(cls, name: str = "layout_weights.json", *, path: Path | None = None) -> LayoutModel:
        """The weights of the shipped file `name` (or of the file at `path`), checked.

        The file names its features (`"features"`, written by `scripts/calibrate_layout.py`);
        they must be `breaks.FEATURE_NAMES`, in that order, and each model must have one
        finite weight per feature and a threshold in [0, 1]. Otherwise `DataFileError`: weights
        fitted for other features would weigh the wrong evidence without any error.
        """
        path = path or data_path(name)
        refit = "rerun scripts/calibrate_layout.py --shared ../shared to refit the weights"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise DataFileError(path, f"cannot read layout weights ({err.strerror})") from err
        except UnicodeDecodeError as err:
            raise DataFileError(path, f"not UTF-8 ({err.reason}); {refit}") from err
        except json.JSONDecodeError as err:
            raise DataFileError(path, f"not valid JSON ({err.msg}); {refit}", err.lineno) from err
        if not isinstance(data, dict):
            raise DataFileError(path, f"expected a JSON object; {refit}")
        features = data.get("features")
        if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
            raise DataFileError(path, f"no list of feature names under 'features'; {refit}")
        check_feature_names(path, features, FEATURE_NAMES, code="kocorrect.breaks", refit=refit)
        weights = {
            part: _weights(data, part, len(features), path, refit) for part in ("break", "intra")
        }
        return cls(
            features=tuple(features),
            break_weights=weights["break"][0],
            break_threshold=weights["break"][1],
            intra_weights=weights["intra"][0],
            intra_threshold=weights["intra"][1],
        )

    def probability(self, features: Sequence[float], *, intra: bool) -> float:
        weights = self.intra_weights if intra else self.break_weights
        z = sum(w * f for w, f in zip(weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def may_close(self, v: Variant, lexicon: Lexicon, forms: PageForms, threshold: float) -> bool:
        """Whether the intra-line model could give the space of `v` a probability of at least
        `threshold`, whatever Kiwi's analyses of its texts say (`breaks.analysis_free_bound`).
        A space that cannot reach it is left without asking Kiwi: between two Hangul words
        the text alone puts the shipped model's logit below -3.8 and the analyses can add at
        most about +2.7, short of the 0.9 a space inside a line needs."""
        if threshold <= 0.0 or threshold >= 1.0:
            return threshold <= 0.0
        features = text_features(
            v, kind=GapKind.INTRA, left_full=False, lexicon=lexicon, forms=forms
        )
        z = analysis_free_bound(self.intra_weights, features, len(v.spaced))
        return z + 1e-9 >= math.log(threshold / (1.0 - threshold))  # (the margin: rounding)


def _weights(
    data: dict[str, object], part: str, size: int, path: Path, refit: str
) -> tuple[tuple[float, ...], float]:
    """(weights, threshold) of one model of the weight file, checked."""
    model = data.get(part)
    weights = model.get("weights") if isinstance(model, dict) else None
    threshold = model.get("threshold") if isinstance(model, dict) else None
    if not isinstance(weights, list) or len(weights) != size:
        raise DataFileError(
            path, f"'{part}' needs a list of {size} weights, one per feature; {refit}"
        )
    if not all(isinstance(w, (int, float)) and math.isfinite(w) for w in weights):
        raise DataFileError(path, f"'{part}' has a weight that is not a finite number; {refit}")
    if not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
        raise DataFileError(path, f"'{part}' needs a threshold between 0 and 1; {refit}")
    return tuple(float(w) for w in weights), float(threshold)


@lru_cache(maxsize=1)
def _default_model() -> LayoutModel:
    return LayoutModel.load()


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    """The shipped lexicons (general and domain), for callers that do not pass their own."""
    return Lexicon.load()


class Action:
    JOIN = "join"  # close the gap: a broken word
    SPACE = "space"  # one space: the line ended between two words
    PARAGRAPH = "paragraph"  # a paragraph break (one blank line)
    KEEP = "keep"  # leave the whitespace as it is


@dataclass(frozen=True, slots=True)
class Decision:
    """What happens to one gap, how sure the stage is, and why (for the proofreader)."""

    gap: Gap
    action: str
    confidence: float
    reason: str
    dehyphenate: bool = False
    probability: float | None = None
    """The break model's probability that the gap is inside one word, where the model weighed
    it and nothing overrode it (None: a rule decided, or the join was left open as unexplained)."""


def rejoin_broken_words(
    text: str,
    lm: LanguageModel,
    *,
    keep_lines: bool = False,
    lexicon: Lexicon | None = None,
    spacer: SpacingModel | None = None,
) -> list[Edit]:
    """Edits (kind "rejoin", "paragraph") that rejoin broken words and rebuild paragraphs;
    `spacer`: the optional spacing model (`spacing`), asked where the break model hesitates.

    >>> from kocorrect.analysis import LanguageModel
    >>> from kocorrect.types import apply_edits
    >>> text = "다양한 서비스를 구현할 수 있는 핵심 기업을 육\\n\\n성해 시범도시로 만든다."
    >>> out = apply_edits(text, rejoin_broken_words(text, LanguageModel()))
    >>> out.endswith("핵심 기업을 육성해 시범도시로 만든다.")
    True
    """
    page = read_page(text)
    decisions = decide_gaps(page, lm, lexicon=lexicon, spacer=spacer)
    edits = _edits_keeping_lines(page, decisions) if keep_lines else _edits(page, decisions)
    return sorted(edits + _lost_final_periods(text, edits), key=lambda e: e.start)


# A sentence ending in 다 with no period after it lost its period to the scan (a small glyph,
# often at the end of a line), decided after the breaks, on a page that itself ends sentences
# with 다. somewhere, in a paragraph of at least LOST_PERIOD_MIN_PARAGRAPH characters and two
# words that spans more than one printed line (a headline, one line, sets no period: 도시
# 도약한다). Two places: the paragraph's end (on the training pages 23 of 23 such ends had a
# period in the text; a one-word caption, 말하다, is left), and inside the paragraph, where a
# word whose ending is declarative (declarative_da_syllables.txt: 보장한다, 있다, 것이다) is
# followed by another word that does not continue the sentence (connective_after_da.txt: 된다
# 하더라도, 이다 보니) and is no list mark: 60 of 62 right on the training pages (the others: a
# caption and a list item).
LOST_PERIOD_MIN_PARAGRAPH = 10
_LOST_PERIOD_CONFIDENCE = 0.95
_PARAGRAPH_END_DA = re.compile(r"(?<=[가-힣])다(?=[ \t]*(?:\n[ \t]*\n|\s*\Z))")
# 다, then spaces or one line break (not a blank line), then the next word.
_LIST_MARKS = "-–—•ㆍ·*>▶■□○●"
_INNER_DA = re.compile(r"(?<=[가-힣])다(?=(?:[ \t]+|[ \t]*\n[ \t]*)[^\s])")
# The same place with a comma after 다: the scan read the period as a comma (한다, 이 행정청은),
# decided as a lost period is. On the training pages 28 of 30 such commas were periods in the
# text (the others: 사람이었다, 특히 and the noun 프로파간다).
_COMMA_AFTER_DA = re.compile(r"(?<=[가-힣]다),(?=(?:[ \t]+|[ \t]*\n[ \t]*)[^\s])")


def _lost_final_periods(text: str, edits: Sequence[Edit]) -> list[Edit]:
    """Edits on `text` (kind "ocr-misread") that restore the period after a sentence's final 다
    in the page `edits` lay out: at a paragraph's end, and before the next sentence. One scan:
    paragraphs and lines are found once, and each candidate is placed in them by bisection."""
    out = apply_edits(text, edits)
    if "다." not in out:
        return []
    declarative = load_words("declarative_da_syllables")
    continues = _continues_sentence()
    ends = {m.start() for m in _PARAGRAPH_END_DA.finditer(out)}
    candidates = set(ends)
    commas = set()
    for m in itertools.chain(_INNER_DA.finditer(out), _COMMA_AFTER_DA.finditer(out)):
        comma = m.group() == ","
        da = m.start() - 1 if comma else m.start()
        following = _SPACES.match(out, m.end()).end()
        if not _declarative(out[da - 1], declarative) or (
            continues.match(out, following) and not _STARTS_SENTENCE.match(out, following)
        ):
            continue
        if out[following] in _LIST_MARKS:
            continue  # a list's items need not end with a period (요청한다 - 이러한)
        if out[following] in _STOPS:
            continue  # punctuation follows, no sentence: a speck (하였습니다, . 나비는)
        if _ALTERNATING.match(out, following):
            continue  # 왔다 갔다 하다: two actions in turn, one sentence
        (commas if comma else candidates).add(m.start())
    candidates |= commas
    if not candidates:
        return []
    paragraph_starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(out)]
    line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(out)]
    span_map = SpanMap(edits)
    found = []
    usable: dict[int, bool] = {}  # per paragraph (its index): long enough, printed on 2+ lines
    protected: dict[int, bool] = {}  # per line (its index): a table row or a byline
    for at_out in sorted(candidates):
        k = bisect_right(paragraph_starts, at_out) - 1
        if k not in usable:
            usable[k] = _paragraph_takes_periods(text, out, span_map, paragraph_starts, k)
        if not usable[k]:
            continue
        i = bisect_right(line_starts, at_out) - 1
        if i not in protected:
            line_end = line_starts[i + 1] if i + 1 < len(line_starts) else len(out)
            protected[i] = _line_is_protected(out[line_starts[i] : line_end])
        if protected[i]:
            continue
        at = span_map.to_input(at_out, at_out + 1)
        if at_out in commas:
            if at is None or text[at : at + 1] != ",":
                continue
            reason = "a period read as a comma after the sentence's final 다: the next one starts"
            found.append(Edit(at, at + 1, ",", ".", "ocr-misread", _LOST_PERIOD_CONFIDENCE, reason))
            continue
        if at is None or text[at : at + 1] != "다":
            continue
        reason = (
            "the period ending the paragraph's last sentence was lost (a small glyph)"
            if at_out in ends
            else "the period ending this sentence was lost (a small glyph): the next one starts"
        )
        found.append(Edit(at, at + 1, "다", "다.", "ocr-misread", _LOST_PERIOD_CONFIDENCE, reason))
    return found


def _declarative(syllable: str, listed: frozenset[str]) -> bool:
    """Whether `syllable` before a word-final 다 makes a declarative ending: one of `listed`
    (declarative_da_syllables.txt), or any syllable with the final ㅆ, the past and the future
    of every verb and adjective (했다, 갔다, 그랬다, 떠올렸다, 하겠다)."""
    return syllable in listed or (is_hangul_syllable(syllable) and decompose(syllable)[2] == "ㅆ")


@lru_cache(maxsize=1)
def _continues_sentence() -> re.Pattern[str]:
    """The start of a word that continues a sentence after a declarative 다 (된다 하더라도)."""
    return re.compile(alternation(load_words("connective_after_da")))


# The word after a 다 that is itself a 다-form followed by 하다 (왔다 갔다 해야, 사라졌다 나타났다
# 하는): the construction of two actions in turn, one sentence; neither 다 ends it.
_ALTERNATING = re.compile(r"[가-힣]+다\s+[하해했한할합]")
# Adverbs that start a sentence although their first syllable is a connective's (하지만: but,
# 하여튼, 하물며): after a declarative 다 they are the next sentence (추었다 하지만 -> 추었다.
# 하지만), not 한다 하더라도.
_STARTS_SENTENCE = re.compile(r"(?:하지만|하여튼|하물며)(?![가-힣])")
_SPACES = re.compile(r"\s*")
_STOPS = ".,;:!?"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"\n")


def _paragraph_takes_periods(
    text: str, out: str, span_map: SpanMap, starts: list[int], k: int
) -> bool:
    """Whether paragraph `k` of `out` (its start in `starts`) is long enough and of two words
    or more, and was printed on more than one line of `text` (a headline, one line, sets no
    period: …도시 도약한다)."""
    start = starts[k]
    stop = starts[k + 1] if k + 1 < len(starts) else len(out)
    paragraph = out[start:stop].strip()
    if len(paragraph) < LOST_PERIOD_MIN_PARAGRAPH or " " not in paragraph:
        return False
    first = out.index(paragraph[0], start)
    last = first + len(paragraph) - 1
    first_in = span_map.to_input(first, first + 1)
    last_in = span_map.to_input(last, last + 1)
    return first_in is not None and last_in is not None and "\n" in text[first_in:last_in]


def decide_gaps(
    page: Page,
    lm: LanguageModel,
    model: LayoutModel | None = None,
    *,
    lexicon: Lexicon | None = None,
    spacer: SpacingModel | None = None,
) -> list[Decision]:
    """One decision per gap of `page`: breaks first, then spaces inside lines to a fixpoint.

    `lexicon` (default: the shipped lexicons) tells compounds Kiwi reads as their parts;
    `spacer` (optional, `spacing.load_spacing_model()`) is asked about the breaks the model
    hesitates over."""
    model = model or _default_model()
    lexicon = lexicon or _default_lexicon()
    forms = PageForms.of(page)
    # The analyses of the page's variants, shared by both passes: a break opened to a space
    # and its neighbours are the same texts when the spaces are weighed.
    analyses: dict[str, Analysis] = {}
    decisions = _decide_breaks(page, lm, model, lexicon, forms, analyses, spacer)
    return _decide_spaces(page, lm, model, decisions, lexicon, forms, analyses)


# A break the layout stage joined is opened again (a space) when, decided again on the words the
# misread corrector repaired beside it, it is a space between two words with at least this
# confidence: the join was made on the misread (어울려이|하는 read as one word).
SPLIT_AGAIN_CONFIDENCE = 0.5


def rejoin_beside_repairs(
    text: str,
    layout_edits: Sequence[Edit],
    repairs: Sequence[Edit],
    lm: LanguageModel,
    model: LayoutModel | None = None,
    *,
    lexicon: Lexicon | None = None,
) -> list[Edit]:
    """Breaks next to a repaired word that the repair shows to be inside one word, and joins
    next to one that the repair shows to be between two words (opened again: a space).

    The break decision weighs the words as the OCR read them; a misread next to the break hides
    the word (`국기|비상사태`, `제ㅅ|하여야`), so the break became a space and the misread
    corrector then repaired one half (`국가`, `제시`). Each break beside a repaired word is
    decided again, by the same model and thresholds, on the repaired words.

    `text` is the page the layout stage read, `layout_edits` its edits, `repairs` edits on the
    text those produced. Returns edits (kind "rejoin") on the text after the repairs.
    (The spacing model is not asked here: a join it made beside a repair may be opened again.)
    """
    model = model or _default_model()
    lexicon = lexicon or _default_lexicon()
    after_layout = SpanMap(layout_edits)
    mapped: list[Edit] = []
    for repair in repairs:
        if any(ch.isspace() for ch in repair.original + repair.replacement):
            continue
        # Only the characters it changes: a repair that spans a join (이하 -> 야하 in
        # 어울려이하는) changes one side of it.
        core = _changed_core(repair)
        position = after_layout.to_input(core.start, core.end)
        if position is not None:
            mapped.append(replace(core, start=position, end=position + len(core.original)))
    if not mapped:
        return []
    page = read_page(text)
    repaired = read_page(apply_edits(text, mapped))
    if len(repaired.gaps) != len(page.gaps):
        return []
    word_starts = [s for s, _ in page.spans]
    changed = {bisect_right(word_starts, r.start) - 1 for r in mapped}
    joined_before = {e.end for e in layout_edits if e.replacement == ""}
    closed = [False] * len(page.gaps)
    pending: dict[int, Variant] = {}
    for word in sorted(changed):
        for index in (word - 1, word):
            if not 0 <= index < len(page.gaps) or index in pending:
                continue
            gap = repaired.gaps[index]
            if gap.kind == GapKind.INTRA:
                continue
            if _rule_for_break(repaired, gap) is None:
                pending[index] = join_variants(repaired.words, closed, index)
    analyses = analyse(lm, variant_texts(pending.values()))
    forms = PageForms.of(repaired)
    joins: dict[int, Decision] = {}
    splits: dict[int, Decision] = {}
    for index, v in pending.items():
        decision = _weigh_break(
            repaired, repaired.gaps[index], v, analyses, model, lexicon, forms, run=0
        )
        if page.gaps[index].end not in joined_before:
            if decision.action == Action.JOIN:
                joins[index] = decision
        elif decision.action == Action.SPACE and decision.confidence >= SPLIT_AGAIN_CONFIDENCE:
            # The join was decided on the misread (어울려이|하는 read as one word); on the
            # repaired words the break is a space between two (어울려야 하는).
            splits[index] = decision
    for index in _clipped_line_ends(lm, {i: pending[i] for i in joins}, analyses, forms, lexicon):
        del joins[index]
    after_repairs = SpanMap([_changed_core(r) for r in repairs])
    edits: list[Edit] = []
    final_text: str | None = None
    for index, decision in sorted({**joins, **splits}.items()):
        gap = page.gaps[index]
        joined = index in splits
        if joined:
            # The joined break is an empty span of the text after the layout stage.
            at = after_layout.to_output(gap.end, gap.end)
            span = None if at is None else after_repairs.to_output(*at)
        else:
            span = after_layout.to_output(gap.start, gap.end)
            span = None if span is None else after_repairs.to_output(*span)
        if span is None:
            continue
        if final_text is None:
            final_text = apply_edits(apply_edits(text, layout_edits), repairs)
        start, end = span
        edits.append(
            Edit(
                start,
                end,
                final_text[start:end],
                " " if joined else "",
                "rejoin",
                decision.confidence,
                decision.reason + "; decided again once the word beside it was repaired",
            )
        )
    return edits


def periods_beside_repairs(
    text: str, layout_edits: Sequence[Edit], repairs: Sequence[Edit]
) -> list[Edit]:
    """Lost periods after a sentence's final 다 that only a repair made (있디 -> 있다, 정한디
    -> 정한다): decided as the layout stage decides them (`_lost_final_periods`), on the page
    with the repaired syllables in place. `text`, `layout_edits` and `repairs` as for
    `rejoin_beside_repairs`; returns edits (kind "ocr-misread") on the text after the repairs.
    Only repairs that keep their length are read back into the page (a syllable for a
    syllable), so the layout stage's edits stay where they were."""
    after_layout = SpanMap(layout_edits)
    cores = [_changed_core(r) for r in repairs]
    mapped: list[tuple[Edit, Edit]] = []  # (the repair on `text`, its core after the repairs)
    for core in cores:
        if len(core.original) != len(core.replacement) or "다" not in core.replacement:
            continue
        position = after_layout.to_input(core.start, core.end)
        if position is not None:
            mapped.append((replace(core, start=position, end=position + len(core.original)), core))
    if not mapped:
        return []
    repaired = apply_edits(text, [m for m, _ in mapped])
    starts = [m.start for m, _ in mapped]  # sorted, as `repairs` are
    after_repairs = SpanMap(cores)
    edits: list[Edit] = []
    final_text: str | None = None
    for found in _lost_final_periods(repaired, layout_edits):
        da = found.start - 1 if found.original == "," else found.start
        i = bisect_right(starts, da) - 1
        if i < 0 or not da < mapped[i][0].end:
            continue
        m, core = mapped[i]
        span = after_layout.to_output(m.start, m.end)
        span = None if span is None else after_repairs.to_output(*span)
        if span is None:
            continue
        at = span[0] + (found.start - m.start)
        if final_text is None:
            final_text = apply_edits(apply_edits(text, layout_edits), repairs)
        if final_text[at : at + len(found.original)] != found.original:
            continue
        edits.append(
            replace(
                found,
                start=at,
                end=at + len(found.original),
                reason=f"{found.reason}; decided once {core.original!r} was repaired",
            )
        )
    return edits


def _changed_core(edit: Edit) -> Edit:
    """`edit` without the characters its original and replacement share at either end."""
    original, replacement = edit.original, edit.replacement
    head = 0
    while head < min(len(original), len(replacement)) and original[head] == replacement[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(original), len(replacement)) - head
        and original[-1 - tail] == replacement[-1 - tail]
    ):
        tail += 1
    return replace(
        edit,
        start=edit.start + head,
        end=edit.end - tail,
        original=original[head : len(original) - tail],
        replacement=replacement[head : len(replacement) - tail],
    )


def line_ends_after(text: str, edits: Sequence[Edit]) -> list[int]:
    """Offsets, in the text `edits` make of `text`, of the characters that ended a line of
    `text` (the misread corrector treats a line's last syllable as clipped at the column edge).
    """
    starts = [edit.start for edit in edits]
    shift_after = []
    shift = 0
    for edit in edits:
        shift += len(edit.replacement) - (edit.end - edit.start)
        shift_after.append(shift)
    out = []
    for match in _LINE_END.finditer(text):
        at = match.start()
        i = bisect_right(starts, at) - 1
        if i >= 0 and at < edits[i].end:
            continue  # the character itself was rewritten (a de-hyphenated join)
        out.append(at + (shift_after[i] if i >= 0 else 0))
    return out


# ---------------------------------------------------------------------------------- breaks


def _analyse_new(lm: LanguageModel, texts: Sequence[str], analyses: dict[str, Analysis]) -> None:
    """Add to `analyses` those of `texts` it lacks (one batched Kiwi call): the rounds of a
    page ask again for most of the texts of the rounds before."""
    analyses.update(analyse(lm, [t for t in texts if t not in analyses]))


@lru_cache(maxsize=1)
def _byline() -> re.Pattern[str]:
    """A byline: a name of 2-4 Hangul syllables and a title of `byline_titles.txt` (not a list
    that names the job, `서, 기자, 의사`), an e-mail address, a `/name`."""
    titles = alternation(load_words("byline_titles"))
    return re.compile(rf"^\s*/?\s*[\uac00-\ud7a3]{{2,4}}\s*(?:{titles})\b|@\S+\.\S+|^\s*/\S")


def _line_is_protected(line: str) -> bool:
    """Lines no break next to them may be closed: table rows, bylines."""
    return "\t" in line or bool(_byline().search(line))


def _decide_breaks(
    page: Page,
    lm: LanguageModel,
    model: LayoutModel,
    lexicon: Lexicon,
    forms: PageForms,
    analyses: dict[str, Analysis],
    spacer: SpacingModel | None = None,
) -> list[Decision]:
    decisions: list[Decision | None] = [None] * len(page.gaps)
    pending: list[Gap] = []
    for gap in page.gaps:
        if gap.kind == GapKind.INTRA:
            continue
        ruled = _rule_for_break(page, gap)
        if ruled is None:
            pending.append(gap)
        else:
            decisions[gap.index] = ruled
    closed = [False] * len(page.gaps)
    variants = {g.index: join_variants(page.words, closed, g.index) for g in pending}
    _analyse_new(lm, variant_texts(variants.values()), analyses)
    paragraph_run = 0
    clipped: list[int] = []
    for gap in page.gaps:
        if gap.kind == GapKind.INTRA:
            continue
        decision = decisions[gap.index]
        if decision is None:
            decision = _weigh_break(
                page, gap, variants[gap.index], analyses, model, lexicon, forms, run=paragraph_run
            )
            decisions[gap.index] = decision
        if decision.action == Action.JOIN and gap.index in variants:
            clipped.append(gap.index)
        if decision.action in (Action.PARAGRAPH, Action.KEEP):
            paragraph_run = 0
        else:
            paragraph_run += len(page.lines[gap.left_line])
    if spacer is not None:
        _ask_spacer(page, spacer, decisions, variants, analyses, lexicon, clipped)
    _decide_beside_joins(page, lm, model, lexicon, forms, decisions, variants, analyses, clipped)
    final = [
        d if d is not None else Decision(g, Action.KEEP, 1.0, "")
        for g, d in zip(page.gaps, decisions, strict=True)
    ]
    for i in _clipped_line_ends(lm, {i: variants[i] for i in clipped}, analyses, forms, lexicon):
        d = final[i]
        final[i] = Decision(
            d.gap,
            Action.SPACE if page.line_is_full(d.gap.left_line) else _kept(page, d.gap),
            0.5,
            f"not joined: the line's last syllable {variants[i].left[-1]!r} reads better with "
            "ㅏ (a stroke clipped at the column edge?); left for the misread corrector",
        )
    return final


def _ask_spacer(
    page: Page,
    spacer: SpacingModel,
    decisions: list[Decision | None],
    variants: dict[int, Variant],
    analyses: dict[str, Analysis],
    lexicon: Lexicon,
    clipped: list[int],
) -> None:
    """The breaks the model left open while hesitating (probability of one word at least
    SPACER_MIN_PROBABILITY) between two Hangul syllables, closed where the spacing model writes
    one word and the joined word is explained (`unexplained_join`, its unknown-morpheme test
    whatever the probability: the spacing model does not see misreads; a digit or letter at the
    break is often a misread syllable, 추7|하기 for 추가하기). Updates `decisions` and `clipped`
    (joins the clipped-stroke check reads) in place."""
    asked = [
        d
        for d in decisions
        if d is not None
        and d.action == Action.SPACE
        and d.probability is not None
        and d.probability >= SPACER_MIN_PROBABILITY
        and d.gap.index in variants
        and _HANGUL_SYLLABLE.fullmatch(page.words[d.gap.index][-1])
        and _HANGUL_SYLLABLE.match(page.words[d.gap.index + 1])
    ]
    verdicts = spacer.joins(page.words, [d.gap.index for d in asked])
    for d, joins in zip(asked, verdicts, strict=True):
        v = variants[d.gap.index]
        if not joins or unexplained_join(v, analyses[v.joined], lexicon, 0.0):
            continue
        left, right = page.words[d.gap.index], page.words[d.gap.index + 1]
        decisions[d.gap.index] = Decision(
            d.gap,
            Action.JOIN,
            SPACER_PRECISION,
            f"broken word at line wrap: {left}|{right} is one word (the spacing model writes "
            f"{left}{right}; the break model: one word with probability {d.probability:.2f})",
            probability=d.probability,
        )
        clipped.append(d.gap.index)


# Rounds of deciding a break again beside the breaks the round before joined (a second pass
# over the output must find nothing more to join); a bound, whatever the page.
BESIDE_JOIN_ROUNDS = 3


def _decide_beside_joins(
    page: Page,
    lm: LanguageModel,
    model: LayoutModel,
    lexicon: Lexicon,
    forms: PageForms,
    decisions: list[Decision | None],
    variants: dict[int, Variant],
    analyses: dict[str, Analysis],
    clipped: list[int],
) -> None:
    """Decide again, on the joined words, a weighed break next to a join (`0|0⏎0`: the second
    break sees `00`, as a second pass over the output would). Updates `decisions`, `variants`,
    `analyses` and `clipped` in place."""
    for _ in range(BESIDE_JOIN_ROUNDS):
        closed = [d is not None and d.action == Action.JOIN for d in decisions]
        beside = {j for i, c in enumerate(closed) if c for j in (i - 1, i + 1)}
        again = {
            i: join_variants(page.words, closed, i)
            for i in variants
            if i in beside and not closed[i]
        }
        if not again:
            return
        _analyse_new(lm, variant_texts(again.values()), analyses)
        changed = False
        for i, v in again.items():
            decision = _weigh_break(page, page.gaps[i], v, analyses, model, lexicon, forms, run=0)
            if decision.action == Action.JOIN:
                decisions[i] = decision
                variants[i] = v
                clipped.append(i)
                changed = True
        if not changed:
            return


def _weigh_break(
    page: Page,
    gap: Gap,
    v: Variant,
    analyses: dict[str, Analysis],
    model: LayoutModel,
    lexicon: Lexicon,
    forms: PageForms,
    *,
    run: int,
) -> Decision:
    """The model's decision for a break no rule settled (`run`: paragraph text before it)."""
    full = page.line_is_full(gap.left_line)
    feats = variant_features(
        v, analyses, kind=gap.kind, left_full=full, lexicon=lexicon, forms=forms
    )
    p = model.probability(feats, intra=False) if has_evidence(feats) else 0.0
    delta = analyses[v.joined].score - analyses[v.spaced].score
    named = dict(zip(model.features, feats, strict=True))
    dependent = any(named[k] > 0 for k in ("straddle", "joined_dependent", "spaced_dependent"))
    joined_first, spaced_first = first_tags(v, analyses[v.joined], analyses[v.spaced])
    suffix = (
        named["right_jida"] > 0
        or (
            joined_first.startswith(_SUFFIX_TAGS)
            and spaced_first.startswith(_SUFFIX_TAGS)
            and bool(_HANGUL.fullmatch(v.left[-1]))
        )
        or _particle_after_closing(v, joined_first, spaced_first, at_break=True)
    )
    if suffix:
        # A right half that starts with a suffix or an ending in both readings is never a new
        # word (training pages: 1014 such breaks joined in the gold, 2 not, 48 beside a
        # misread), and -아/-어 지다 is written as one word (명확해|졌다: 13 of 13 joined),
        # whatever the page's style for other auxiliaries: the break is joined. So is a
        # particle after a closing bracket or quote (`한다)|을`, see `_particle_after_closing`).
        p = max(p, model.break_threshold)
    return _break_from_probability(
        page,
        gap,
        p,
        delta,
        full,
        run,
        model,
        dependent=dependent,
        suffix=suffix,
        unexplained=(
            unexplained_join(v, analyses[v.joined], lexicon, p)
            if UNEXPLAINED_JOINS_LEFT_OPEN and not _page_writes_whole(forms, v)
            else ""
        ),
    )


# Whether a join that leaves a word neither the analysis nor the lexicon explains is left open
# (see `unexplained_join`): such a word is often also misread (경쟁력|로 for 경쟁력을,
# 버스를|용하는), and joining it makes an edit next to a misread, wrong on its own; the misread
# stage may repair it, and the break is then decided again on the repaired word (see
# `rejoin_beside_repairs`).
UNEXPLAINED_JOINS_LEFT_OPEN = True
# Whether a Hangul morpheme unknown to Kiwi and to the lexicon makes a join unexplained too,
# unless the model is sure of the join (probability `UNKNOWN_WORD_SURE` or more: Kiwi and the
# lexicon do not know many right words, names and loanwords, 아키텍|트와). Measured (issue 14),
# full pipeline, off -> on with the cut-off 0.8 -> on without a cut-off:
#   train-mixed (chosen here): space_P 0.968 -> 0.970 -> 0.970, space_R 0.962 -> 0.960 -> 0.952,
#     CER improvement 62.3 -> 62.0 -> 61.6 %; cut-off 0.9: 0.970, 0.958, 61.9 %;
#   dev-mixed: space_P 0.958 -> 0.961, space_R 0.967 -> 0.966, 58.2 -> 57.9 %;
#   news-dev: char_P 0.955 -> 0.963, 57.6 -> 57.1 %; dev: 53.1 -> 53.0 %.
UNKNOWN_MORPHEMES_UNEXPLAINED = True
UNKNOWN_WORD_SURE = 0.8

# Case particles whose form depends on whether the syllable before them ends in a consonant:
# after a final consonant (True) or after a vowel (False). 로 also follows a final ㄹ.
_PARTICLE_AFTER_FINAL = {
    "을": True,
    "은": True,
    "이": True,
    "과": True,
    "으로": True,
    "를": False,
    "는": False,
    "가": False,
    "와": False,
    "로": False,
}
# Tags of particles that close a word: no content morpheme follows them inside one word.
_CLOSING_PARTICLE_TAGS = ("JKS", "JKO", "JKG", "JKB")


def unexplained_join(v: Variant, joined: Analysis, lexicon: Lexicon, p: float) -> str:
    """Why the word a join makes is explained by neither the analysis nor the lexicon ('' when
    it is explained).

    - a particle right after the gap that does not fit the syllable before it (`경쟁력|로`:
      로 follows a vowel or ㄹ; the text had 경쟁력을, misread);
    - a case particle right before the gap with a content word after it (`버스를|용하는`: two
      words, the second misread);
    - a Hangul morpheme Kiwi does not know inside the word, unless the lexicon knows the word
      (or its stem before a particle or ending: 데이터댐을) or the join's probability `p` is
      `UNKNOWN_WORD_SURE` or more.
    """
    at = v.joined_at
    text = v.joined
    first = next(((s, e, tag) for s, e, tag, _ in joined.tokens if s == at), None)
    if (
        first is not None
        and first[2].startswith(("J", "XSM"))  # Kiwi reads a misfit 로 as 진실로's suffix
        and _HANGUL_SYLLABLE.fullmatch(text[at - 1])
    ):
        wants_final = _PARTICLE_AFTER_FINAL.get(text[first[0] : first[1]])
        final = decompose(text[at - 1])[2]
        if wants_final is not None and text[first[0] : first[1]] == "로" and final == "ㄹ":
            wants_final = None
        if wants_final is not None and wants_final != bool(final):
            return f"the particle {text[first[0] : first[1]]!r} does not fit {text[at - 1]!r}"
    last = next((tag for s, e, tag, _ in joined.tokens if e == at and s < at), "")
    content = ("NN", "VV", "VA", "XR", "MAG")
    if (
        last.startswith(_CLOSING_PARTICLE_TAGS)
        and first is not None
        and first[2].startswith(content)
    ):
        return "a case particle inside the word"
    if not UNKNOWN_MORPHEMES_UNEXPLAINED or p >= UNKNOWN_WORD_SURE:
        return ""
    lo, hi = at - len(v.left), at + len(v.right)
    if not any(
        oov and s < hi and e > lo and _HANGUL_SYLLABLE.search(text, s, e)
        for s, e, _tag, oov in joined.tokens
    ):
        return ""
    word = _WORD_CORE.sub("", v.left + v.right)
    if word in lexicon or lexicon.reads_as_word(word, 2):
        return ""
    return "a morpheme neither Kiwi nor the lexicon knows"


# Punctuation around a word, left out when the word is looked up in the lexicon.
_WORD_CORE = re.compile(r"^[^\uac00-\ud7a3A-Za-z0-9]+|[^\uac00-\ud7a3A-Za-z0-9]+$")


_CLIPPED_MARGIN = 2.0


def _clipped_line_ends(
    lm: LanguageModel,
    joins: dict[int, Variant],
    analyses: dict[str, Analysis],
    forms: PageForms,
    lexicon: Lexicon,
) -> list[int]:
    """Joins whose left half ends in a syllable that tesseract often misreads at a column edge.

    The short stroke of ㅏ at the right edge of a column is easily clipped, so 가/자/사 come
    out as 기/지/시 exactly where a word is broken (`화제기|되고` for 화제가 되고). Joining
    there would make an edit next to a misread, which cannot be right on its own; when the ㅏ
    reading scores clearly better, the break is left as a space for the misread corrector.
    A join the page itself writes whole elsewhere (`forms`: 리버싱|하는 beside 리버싱하는), or
    that makes a long lexicon word as read (`_lexicon_spans`), is no clipped stroke.
    """
    alternatives: dict[int, tuple[str, str]] = {}
    for i, v in joins.items():
        fixed = _clip_fix(v.left[-1])
        if fixed and not _page_writes_whole(forms, v) and not _lexicon_spans(lexicon, v):
            cut = v.joined_at - 1
            alternatives[i] = (
                v.joined[:cut] + fixed + v.joined[cut + 1 :],
                v.spaced[:cut] + fixed + v.spaced[cut + 1 :],
            )
    if not alternatives:
        return []
    texts = [t for pair in alternatives.values() for t in pair]
    scores = dict(zip(texts, lm.score(texts), strict=True))
    return [
        i
        for i, (alt_joined, alt_spaced) in alternatives.items()
        if max(scores[alt_joined], scores[alt_spaced])
        > analyses[joins[i].joined].score + _CLIPPED_MARGIN
    ]


# A lexicon word that the break cuts explains the join (no clipped stroke) when it is this many
# syllables long or more, with two or more of them before the break: short words cross a break
# by chance (지|의를 holds 지의, 기|진 holds 기진, where the text had 재의, 가진). On the
# training pages it joined one break the check had left open (플로리|스트를, where 플로라 scored
# better) and changed nothing else; without the two bounds, six breaks were joined over a
# clipped syllable that then stayed misread.
SPANNING_WORD_MIN = 4


def _lexicon_spans(lexicon: Lexicon, v: Variant) -> bool:
    """Whether the joined word, as read, is a lexicon word of SPANNING_WORD_MIN syllables or
    more that runs across the break, alone or before a particle or ending (플로리|스트를:
    플로리스트 + 를), with two syllables or more before the break."""
    left = _WORD_CORE.sub("", v.left)
    word = _WORD_CORE.sub("", v.left + v.right)
    return len(left) >= 2 and lexicon.reads_as_word(word, max(len(left) + 1, SPANNING_WORD_MIN))


def _page_writes_whole(forms: PageForms, v: Variant) -> bool:
    """Whether the page writes the syllables around the break inside one word elsewhere: the
    page's own spelling explains the join (a name or a coined title no lexicon knows)."""
    return page_counts(forms, v, kind=GapKind.LINE)[0] > 0


def _clip_fix(syllable: str) -> str:
    """The syllable with its vowel ㅣ or ㅓ read as ㅏ, or '' when it has neither."""
    if not is_hangul_syllable(syllable):
        return ""
    initial, vowel, final = decompose(syllable)
    return compose(initial, "ㅏ", final) if vowel in "ㅣㅓ" else ""


def _rule_for_break(page: Page, gap: Gap) -> Decision | None:
    """Breaks settled without the language model, or None when the model must weigh in."""
    left_line, right_line = page.lines[gap.left_line], page.lines[gap.right_line]
    left, right = page.words[gap.index], page.words[gap.index + 1]
    if _line_is_protected(left_line) or _line_is_protected(right_line):
        # Kept exactly as it is: rewriting the break could drop the tab that marks the row,
        # and a second pass would then see an ordinary break (stability).
        return Decision(gap, Action.KEEP, 1.0, "table row or byline: never joined")
    if _COMBINING_START.match(right):
        # A vowel or final jamo (or a combining mark) cannot start a word; joining it would build
        # a decomposed syllable that the next run's NFC would then compose (stability).
        return Decision(gap, Action.KEEP, 1.0, f"{right[0]!r} cannot start a word: kept")
    wrap = page.line_is_full(gap.left_line)
    if _LIST_ITEM.match(right_line) and not wrap:
        return Decision(gap, _kept(page, gap), 0.95, f"list item starts after the break: {right!r}")
    if _LATIN_HYPHEN.search(left) and right[:1].isascii() and right[:1].islower():
        return Decision(
            gap,
            Action.JOIN,
            0.9,
            f"hyphenated Latin word: {left}{right} rejoined",
            dehyphenate=True,
        )
    if _ORDINAL.match(left) and (
        right[0].isdigit() if not left[-1].isdigit() else right[0] in _ORDINAL_COUNTERS
    ):
        # 제 + number + counter is written as one word (제1장, 제3편): training pages: 32 such
        # breaks, all joined in the gold.
        return Decision(gap, Action.JOIN, 0.95, f"ordinal {left}|{right}: joined")
    if left[-1] in _OPENING_BRACKETS:
        # An opening bracket or quote is never the last character of a word: the word it opens
        # continues after the break (training pages: 14 such breaks, none a word boundary).
        return Decision(gap, Action.JOIN, 0.95, f"opening {left[-1]!r} before the break: joined")
    ends_in_punctuation = not (_HANGUL.search(left[-1]) or left[-1].isalnum())
    if ends_in_punctuation and right[0] not in ",.)」』”’" and _TERMINAL_END.search(left):
        return Decision(gap, _kept(page, gap), 0.9, f"sentence ends before the break ({left!r})")
    return None


def _kept(page: Page, gap: Gap) -> str:
    """How a break that stays a break is written: a blank line between paragraphs of a
    hard-wrapped page, and the page's own break elsewhere (lists, tables, headlines)."""
    if gap.kind == GapKind.BLANK:
        return Action.PARAGRAPH
    return Action.PARAGRAPH if page.wrap_width is not None else Action.KEEP


_HANGUL_SYLLABLE = re.compile("[가-힣]")


def _one_word(p: float, delta: float, left: str, right: str) -> str:
    """Why a gap is closed, in words a proofreader reads: the model's probability, and what the
    language model alone says (it may be undecided: the break's shape then decides)."""
    if abs(delta) < 0.5:
        lm = f"the language model alone finds {left}{right} and {left} {right} alike"
    elif delta > 0:
        lm = f"the language model prefers {left}{right} by {delta:.1f}"
    else:
        lm = (
            f"the language model prefers {left} {right} by {-delta:.1f}; "
            "the break's shape outweighs it"
        )
    return f"probability {p:.2f}; {lm}"


def _break_from_probability(
    page: Page,
    gap: Gap,
    p: float,
    delta: float,
    wrap: bool,
    run: int,
    model: LayoutModel,
    *,
    dependent: bool,
    suffix: bool = False,
    unexplained: str = "",
) -> Decision:
    left, right = page.words[gap.index], page.words[gap.index + 1]
    # A right half that starts with a particle, an ending or inside a morpheme cannot start
    # a headline's body or a caption; without that, a non-wrap break needs near certainty.
    # One that starts with a suffix or an ending in both readings (시행|했고) is never a new
    # word: the plain threshold applies.
    margin = 0.0 if suffix else _STRICT_BREAK_MARGIN if dependent else 1.0
    threshold = model.break_threshold if wrap else min(0.97, model.break_threshold + margin)
    where = "line wrap" if wrap else "column break" if gap.kind == GapKind.BLANK else "line break"
    if p >= threshold and unexplained:
        return Decision(
            gap,
            Action.SPACE,
            round(1 - p, 3),
            f"{where} inside a word nothing explains: {left}|{right} left open "
            f"(one word with probability {p:.2f}, but in {left}{right} {unexplained}: "
            "a misread beside the break?)",
        )
    if p >= threshold:
        return Decision(
            gap,
            Action.JOIN,
            round(p, 3),
            f"broken word at {where}: {left}|{right} is one word "
            f"({_one_word(p, delta, left, right)})",
            probability=p,
        )
    ends_sentence = bool(_TERMINAL_END.search(left))
    if wrap and not (gap.kind == GapKind.BLANK and ends_sentence):
        return Decision(
            gap,
            Action.SPACE,
            round(1 - p, 3),
            f"{where} between words: {left} {right} (one word only with probability {p:.2f})",
            probability=p,
        )
    running = run + len(page.lines[gap.left_line])
    becomes_blank = gap.kind == GapKind.BLANK or _kept(page, gap) == Action.PARAGRAPH
    if becomes_blank and not ends_sentence and running >= _MIN_PARAGRAPH_FOR_SPACE:
        return Decision(
            gap,
            Action.SPACE,
            round(1 - p, 3),
            f"paragraph continues across {where}: {left} {right} (a space: one word only "
            f"with probability {p:.2f})",
            probability=p,
        )
    return Decision(
        gap, _kept(page, gap), round(1 - p, 3), f"{where} kept after {left!r}", probability=p
    )


# ---------------------------------------------------------------------------- intra-line spaces


def _is_space_candidate(left: str, right: str) -> bool:
    """Spaces inside a line worth asking the model about: a Hangul fragment of one syllable,
    or punctuation that never follows a space (`법률」 에`, `」 ,`). Everything else is a word
    boundary the OCR engine saw on the page."""
    if right[0] in ",.)」』”’":
        return True
    if not (_HANGUL.fullmatch(right[0]) and (_HANGUL.fullmatch(left[-1]) or left[-1] in "」』”’")):
        return False
    if left[-1] in "」』”’":
        return True
    return len(left) == 1 or len(right.rstrip(".,")) == 1


# Closing brackets and quotes that cannot open (the straight quotes ' and " may open as well).
_CLOSING_ONLY = "」』”’)]》〉〕"
# What never starts a word: a particle, or an ending (the quotative 다’는, read 는/ETM).
_BOUND_STARTS = ("J", "E")


def _comma_after_closing(v: Variant) -> bool:
    """A space inside a line between a closing bracket or quote and a comma or period
    (`법률」 ,`, `정보격차’ ,`): the scan's, never the page's (training pages: 8 such spaces, none
    in the gold). After a word the page itself may set one (하고 , in a bill), so only here."""
    return v.left[-1] in _CLOSING_ONLY and v.right[0] in ",."


def _particle_after_closing(
    v: Variant, joined_first: str, spaced_first: str, *, at_break: bool = False
) -> bool:
    """A gap between a closing bracket or quote and a particle (`『소년』 의`) or an ending (the
    quotative `들어왔다’ 는`), by the tags of the right half's first morpheme (`first_tags`).

    Inside a line both readings must start the right half with one, and neither ever starts a
    word (training pages: 29 such spaces before a particle absent from the gold, 1 present;
    before an ending, 1 absent, none present). At a line break (`at_break`) the spaced reading
    may also read the lone particle as a noun (을 alone is a noun to Kiwi): training pages, 29
    such breaks joined in the gold, 3 not (이 before a noun after a citation, `(3552.)|이`: a
    determiner to the spaced reading)."""
    if v.left[-1] not in _CLOSING_ONLY or not _HANGUL.match(v.right):
        return False
    spaced_starts = (*_BOUND_STARTS, "NN") if at_break else _BOUND_STARTS
    return joined_first.startswith(_BOUND_STARTS) and spaced_first.startswith(spaced_starts)


def _decide_spaces(
    page: Page,
    lm: LanguageModel,
    model: LayoutModel,
    decisions: list[Decision],
    lexicon: Lexicon,
    forms: PageForms,
    analyses: dict[str, Analysis],
) -> list[Decision]:
    closed = [d.action == Action.JOIN for d in decisions]
    threshold = max(model.intra_threshold, _MIN_INTRA_PROBABILITY)
    for _ in range(6):
        open_spaces = [
            d.gap.index
            for d in decisions
            if d.action == Action.SPACE or (d.gap.kind == GapKind.INTRA and d.action == Action.KEEP)
        ]
        variants = {}
        for i in open_spaces:
            v = join_variants(page.words, closed, i)
            if _is_space_candidate(v.left, v.right) and (
                v.left[-1] in _CLOSING_ONLY  # (the particle rule below reads the analyses)
                or model.may_close(v, lexicon, forms, threshold)
            ):
                variants[i] = v
        _analyse_new(lm, variant_texts(variants.values()), analyses)
        changed = False
        for i, v in variants.items():
            feats = variant_features(
                v, analyses, kind=GapKind.INTRA, left_full=False, lexicon=lexicon, forms=forms
            )
            p = model.probability(feats, intra=True) if has_evidence(feats) else 0.0
            if decisions[i].gap.kind == GapKind.INTRA and _comma_after_closing(v):
                decisions[i] = Decision(
                    decisions[i].gap,
                    Action.JOIN,
                    0.95,
                    f"space before {v.right[0]!r} after {v.left[-1]!r}: {v.left}|{v.right} "
                    "(a comma or period never follows a space)",
                )
                closed[i] = True
                changed = True
                continue
            if decisions[i].gap.kind == GapKind.INTRA and _particle_after_closing(
                v, *first_tags(v, analyses[v.joined], analyses[v.spaced])
            ):
                decisions[i] = Decision(
                    decisions[i].gap,
                    Action.JOIN,
                    0.95,
                    f"space before a particle after {v.left[-1]!r}: {v.left}|{v.right} is one "
                    "word (a particle never starts a word)",
                )
                closed[i] = True
                changed = True
                continue
            if (
                p >= threshold
                and UNEXPLAINED_JOINS_LEFT_OPEN
                and unexplained_join(v, analyses[v.joined], lexicon, p)
            ):
                continue  # the word it would make is explained by nothing: a misread beside it
            if p >= threshold:
                delta = analyses[v.joined].score - analyses[v.spaced].score
                decisions[i] = Decision(
                    decisions[i].gap,
                    Action.JOIN,
                    round(p, 3),
                    f"space inside a word: {v.left}|{v.right} is one word "
                    f"({_one_word(p, delta, v.left, v.right)})",
                )
                closed[i] = True
                changed = True
        if not changed:
            break
    return decisions


# ------------------------------------------------------------------------------------ edits


def _gap_text(page: Page, d: Decision) -> tuple[int, str]:
    """Where a decision's edit starts and the text it replaces (a de-hyphenated gap takes the
    hyphen before it too)."""
    start = d.gap.start - 1 if d.dehyphenate else d.gap.start
    return start, page.text[start : d.gap.end]


def _edits(page: Page, decisions: Sequence[Decision]) -> list[Edit]:
    """Default layout: one paragraph per line, a blank line between paragraphs."""
    edits: list[Edit] = []
    for d in decisions:
        gap = d.gap
        start, original = _gap_text(page, d)
        if d.action == Action.JOIN:
            edits.append(Edit(start, gap.end, original, "", "rejoin", d.confidence, d.reason))
        elif d.action == Action.SPACE and original != " ":
            edits.append(Edit(start, gap.end, original, " ", "rejoin", d.confidence, d.reason))
        elif d.action == Action.PARAGRAPH and original != _PARAGRAPH:
            edits.append(
                Edit(
                    start,
                    gap.end,
                    original,
                    _PARAGRAPH,
                    "paragraph",
                    d.confidence,
                    "paragraph break",
                )
            )
    return edits


def _edits_keeping_lines(page: Page, decisions: Sequence[Decision]) -> list[Edit]:
    """Keep the page's lines: only close gaps; a word broken across a break moves whole onto
    the first line, the break moving to the first gap after the word."""
    edits: list[Edit] = []
    carried: str | None = None  # a break waiting for the end of the word it interrupted
    for d in decisions:
        gap = d.gap
        start, original = _gap_text(page, d)
        if d.action == Action.JOIN:
            edits.append(Edit(start, gap.end, original, "", "rejoin", d.confidence, d.reason))
            if gap.kind != GapKind.INTRA and carried is None:
                carried = original[1:] if d.dehyphenate else original
            continue
        if carried is not None:
            if gap.kind == GapKind.INTRA:
                edits.append(
                    Edit(
                        start,
                        gap.end,
                        original,
                        carried,
                        "rejoin",
                        d.confidence,
                        "line break moved after the rejoined word",
                    )
                )
            carried = None
    return edits
