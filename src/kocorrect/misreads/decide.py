"""The decision: a confidence for each candidate, and what is applied or suggested.

A logistic model (dictionaries/misread_weights.json, fitted by scripts/calibrate_misreads.py;
its feature names are checked against FEATURE_NAMES at load) turns language-model gain, channel
cost and what is known of the original into a confidence. The best repair of each piece is
applied at or above the threshold and proposed above the suggestion threshold; a repair beside a
split fragment, one particle for another, or a form the page prints the same way again rewritten
into a proper noun the page never prints (`candidates.page_spelling`), is never more than a
suggestion: precision first. So is a repair that the analysis of the repaired page reads as
ungrammatical, or as two words run together (`ungrammatical`).
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..analysis import LanguageModel, Morph, PageAnalysis
from ..errors import DataFileError
from ..resources import check_feature_names, data_path
from ..types import Edit, SpanMap, apply_edits, common_ends
from .candidates import FEATURE_NAMES, Candidate
from .gate import SUSPICIOUS_MORPHEME_SCORE

__all__ = [
    "FINALIST_MIN_CONFIDENCE",
    "FRAGMENT_CONFIDENCE_CAP",
    "RUN_TOGETHER_STEM_SCORE",
    "MisreadModel",
    "decide",
    "hopeful",
    "load_misread_model",
    "misread_model",
    "ungrammatical",
]

# The most confidence a repair beside a split fragment, a swap of one particle for another, or
# a repair against the page's own repeated spelling (`Candidate.page_spelling`) may have: below
# the default threshold, so such a repair is only ever suggested.
FRAGMENT_CONFIDENCE_CAP = 0.45
# A piece whose best repair has less than this confidence with one word of context is not
# scored again with the sentence (most pieces: their word is right). Lower rescues a few
# repairs that only the wider context bears out, at the cost of scoring every piece twice.
FINALIST_MIN_CONFIDENCE = 0.05
# Particles, endings, the copula and suffixes: what a repair must leave grammatical. Content
# morphemes are not judged: a rare word (암탉, 젓가락) scores as low as a damaged one.
_BOUND_TAG_PREFIXES = ("E", "J", "VCP", "XS")
# A repair that leaves its word read as two words run together, a verb or adjective stem glued
# to a noun, adverb, determiner or particle before it (궤뜰어 -> 궤들어: 궤+듣+어, 택어났습니다 ->
# 택이났습니다: 택+이+나, 다았고요 -> 다앗고요: 다+앗), where the stem fits poorly (scores below
# this), has not made a word: the analysis explains it only as pieces. A stem that fits (위임받은:
# 위임+받 at -3.0; 교육받은, 상처받은 -2 to -5) is an ordinary compound verb. On the training
# pages the three applied repairs with a stem below -4 (-7.4 to -10.5) were all wrong, and a bar
# anywhere from -4 to -7 demoted those three and nothing else; without a bar the one right repair
# with such a stem (위임받은, at -3.0) was demoted too.
RUN_TOGETHER_STEM_SCORE = -5.0
_STEM_TAG_PREFIXES = ("VV", "VA", "VX")
_WORD_BEFORE_STEM_TAG_PREFIXES = ("NN", "NP", "NR", "MAG", "MM", "J")


@dataclass(frozen=True, slots=True)
class MisreadModel:
    """A logistic model over `Candidate.features()`: one weight per name of FEATURE_NAMES."""

    weights: tuple[float, ...]

    def confidence(self, candidate: Candidate) -> float:
        """P(the repair is right), from the candidate's evidence."""
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


def hopeful(candidates: list[Candidate], model: MisreadModel) -> list[Candidate]:
    """The candidates of the pieces whose best repair reaches FINALIST_MIN_CONFIDENCE (scored
    with one word of context): the others are not worth scoring again with the sentence."""
    best: dict[int, float] = {}
    for c in candidates:
        best[c.piece_start] = max(best.get(c.piece_start, 0.0), model.confidence(c))
    return [c for c in candidates if best[c.piece_start] >= FINALIST_MIN_CONFIDENCE]


def decide(
    candidates: list[Candidate], model: MisreadModel, threshold: float, suggest_threshold: float
) -> tuple[list[Edit], list[Edit]]:
    """The best repair of each piece: applied, suggested or dropped by its confidence."""
    best: dict[int, tuple[float, Candidate]] = {}
    for candidate in candidates:
        confidence = model.confidence(candidate)
        if (
            (candidate.beside_fragment and not candidate.joined)
            or candidate.particle_swap
            or candidate.page_spelling
        ):
            # The word is probably split next to the repair too (문저 로, 속히 는), and fixing
            # one half leaves it wrong; or one particle replaces another; or the page prints
            # the form the same way again and again, and the lexicon's word is a proper noun
            # the page never prints. A proofreader decides: suggest, never apply.
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


def ungrammatical(
    text: str,
    applied: list[Edit],
    newest: list[Edit],
    lm: LanguageModel,
    *,
    analysis: PageAnalysis | None = None,
) -> tuple[list[Edit], list[Edit]]:
    """(the `newest` repairs that read as Korean, the others as suggestions). A repair reads as
    Korean unless, in the page analysis of `text` with every `applied` repair made (the lines
    they touched read again, the rest from the cache), a particle or ending inside it scores
    below SUSPICIOUS_MORPHEME_SCORE: the trace of damage the gate searches for, left by the
    repair itself (놀랑어요 -> 놀람어요 reads 놀라+ㅁ+어요, its 어요 at -15.6). On the training
    pages no applied repair had such a particle or ending (the lowest: -9.5). Nor does it read
    as Korean where the analysis explains the repaired syllables only as two words run together
    (a verb or adjective stem below RUN_TOGETHER_STEM_SCORE glued to a noun, adverb, determiner
    or particle: 택이났습니다 as 택+이+나). `analysis`: that page analysis, if the caller has
    made it."""
    if not newest:
        return [], []
    span_map = SpanMap(applied)
    spans = dict(zip(map(id, applied), span_map.output_spans, strict=True))
    repaired = apply_edits(text, applied)
    if analysis is None or analysis.text != repaired:
        analysis = PageAnalysis.of(repaired, lm)
    morphs = analysis.all_morphs()
    starts = [m.start for m in morphs]
    kept: list[Edit] = []
    demoted: list[Edit] = []
    for edit in newest:
        start, end = spans[id(edit)]
        i = max(0, bisect_left(starts, start) - 1)
        worst = None
        while i < len(morphs) and morphs[i].start < end:
            m = morphs[i]
            if (
                m.end > start
                and m.tag.startswith(_BOUND_TAG_PREFIXES)
                and m.score < SUSPICIOUS_MORPHEME_SCORE
                and (worst is None or m.score < worst.score)
            ):
                worst = m
            i += 1
        if worst is not None:
            why = f"reads as ungrammatical ({worst.form!r} scores {worst.score:.1f})"
        else:
            glued = _run_together(morphs, starts, _changed_span(edit, start, end))
            if glued is None:
                kept.append(edit)
                continue
            before, stem = glued
            why = (
                f"reads as two words run together ({before.form!r} and the stem"
                f" {stem.form!r}, which scores {stem.score:.1f})"
            )
        demoted.append(
            replace(
                edit,
                confidence=min(edit.confidence, FRAGMENT_CONFIDENCE_CAP),
                reason=f"{edit.reason}; the repaired word {why}: a proofreader decides",
            )
        )
    return kept, demoted


def _changed_span(edit: Edit, start: int, end: int) -> tuple[int, int]:
    """The part of the repaired span [start, end) that `edit` changed (the text its original
    and replacement share at either end left out), at least one character long."""
    head, tail = common_ends(edit.original, edit.replacement)
    return start + head, max(start + head + 1, end - tail)


def _run_together(
    morphs: list[Morph], starts: list[int], changed: tuple[int, int]
) -> tuple[Morph, Morph] | None:
    """(the word, the stem) where the analysis reads a verb or adjective stem scoring below
    RUN_TOGETHER_STEM_SCORE glued, with no space, to a noun, adverb, determiner or particle
    before it, one of the two in the `changed` span: the repair made no word of its own."""
    lo, hi = changed
    i = max(0, bisect_left(starts, lo) - 1)
    while i + 1 < len(morphs) and morphs[i].start < hi:
        before, stem = morphs[i], morphs[i + 1]
        i += 1
        if stem.start > before.end:  # a space (or a mark) between: two words as printed
            continue
        if before.end <= lo and not (stem.end > lo and stem.start < hi):
            continue  # neither touches what the repair changed
        if (
            stem.tag.startswith(_STEM_TAG_PREFIXES)
            and before.tag.startswith(_WORD_BEFORE_STEM_TAG_PREFIXES)
            and stem.score < RUN_TOGETHER_STEM_SCORE
        ):
            return before, stem
    return None


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
            f"; the page prints {candidate.original.strip()!r} so again and never"
            f" {candidate.replacement_word!r} (known only as a proper noun): a proofreader decides"
            if candidate.page_spelling
            else ""
        )
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
