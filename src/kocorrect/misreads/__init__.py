"""Repair of OCR misreads: jamo-level candidates from the confusion table, decided in context.

Why this shape: a dictionary speller changes every unknown word into the nearest known one
(precision 0.02 on our pages); a language model alone cannot tell 탭 from 댐. A repair here needs
three things at once: a plausible OCR channel, a known word, and a sentence that reads better.

The stage is one pass with data flowing one way, one module per job:

1. `gate`: the Hangul pieces of the page worth a search. Kiwi's analysis of each line
   (`analysis.PageAnalysis`, made once) marks a piece "suspicious" (an out-of-vocabulary or
   very unlikely morpheme, an unexpected proper noun, a word shattered into one-syllable nouns);
   a piece without a trace of damage is searched only where a morpheme fits its context poorly
   or it ended an OCR line, and then only with the commonest single confusions, at the
   syllables where the poor fit is (`gate.FOCUS_REACH`). Runs
   without spaces are cut into pieces of at most MAX_PIECE_SYLLABLES.
2. `variants`: one or two jamo replaced by what was likely printed (dictionaries/confusions.tsv,
   calibrated on the training pages); a variant survives only if the changed syllables fall in
   a lexicon word (or a word plus a particle or ending, or a conjugated verb Kiwi bears out).
3. `candidates`: each surviving variant as a `Candidate`, as it stands and rejoined with a word
   the OCR split beside it (출발히 는 -> 출발하는), with the evidence the decision weighs
   (FEATURE_NAMES). A repair that completes, with its neighbour across the space, a compound
   only the domain or user lexicons know (데이터 탠 -> 데이터 댐: 데이터댐) carries the compound's
   span, so that it is scored read as one noun: Kiwi has no entry for it and would score
   데이터 댐 no likelier than 데이터 랜.
4. `rank`: a cheap pass scores each variant's word alone and keeps a shortlist per piece; the
   shortlist is scored with one word of context, the two best again with three.
5. `decide`: a logistic model (dictionaries/misread_weights.json, fitted by
   scripts/calibrate_misreads.py) turns language-model gain, channel cost and what is known of
   the original into a confidence. At or above the threshold the repair is applied, above the
   suggestion threshold it is proposed; a repair beside a split fragment is never more than a
   suggestion: precision first.

Before step 1, `digits` reads again a digit glued to the syllable before it, and `lone_jamo`
a consonant letter left alone by a faded vowel stroke, which the Hangul search never sees
(개선하7 위해 -> 개선하기, 무엇일까7" -> 무엇일까?", 법률ㅇ 정하는 -> 법률이): the language
model's reading must lead the character's own and every other by a margin (`glyphs`).

How much of this search a page gets is its `effort.Effort` (`Config(effort="thorough")`, the
default, or "fast" for archives): the gate's bar for real words, the variants tried per piece,
the verb checks and the final context, handed to each step as numbers.

This module is the stage itself: `find_candidates` runs steps 1-4 on a text, and
`correct_misreads` decides them, then takes the one step back the design allows: a repair
changes its neighbours' context, so the pieces near the latest repairs are searched and decided
again in the repaired text (at most MAX_EXTRA_ROUNDS rounds).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path

from ..analysis import LanguageModel, PageAnalysis, typo_model
from ..blocks import block_spans
from ..distance import ConfusionTable
from ..lexicon import Lexicon
from ..types import Edit, SpanMap, apply_edits
from .candidates import FEATURE_NAMES, Candidate, piece_candidates
from .decide import decide, hopeful, load_misread_model, misread_model, ungrammatical
from .digits import digit_repairs
from .effort import EFFORTS, FAST, THOROUGH, Effort
from .gate import MAX_PIECE_SYLLABLES, QUIET_PIECES_NEED_TYPO, TOKEN, Piece, find_pieces
from .lone_jamo import lone_jamo_repairs
from .rank import (
    CONTEXT_TOKENS,
    Window,
    candidate_window,
    cheapest_paths,
    gains,
    rescore_finalists,
    shortlist,
    window,
    with_leads,
)
from .variants import confusion_table, conjugated_forms, searched_variants

__all__ = [
    "EFFORTS",
    "FAST",
    "FEATURE_NAMES",
    "MAX_PIECE_SYLLABLES",
    "THOROUGH",
    "Candidate",
    "Effort",
    "confusion_table",
    "correct_misreads",
    "find_candidates",
    "load_misread_model",
    "misread_model",
]

# Pages are searched in chunks of about this many characters (`blocks.split_blocks`: cut after
# a blank line, else a line end, else a space): memory stays bounded whatever the page's size,
# and a repair never spans a cut.
CHUNK_CHARS = 20_000
# Rounds of re-deciding the pieces near the latest repairs (each round only runs when the one
# before repaired something; chains longer than this are pathological).
MAX_EXTRA_ROUNDS = 4


def find_candidates(
    text: str,
    *,
    lm: LanguageModel,
    lexicon: Lexicon,
    table: ConfusionTable,
    protected: Sequence[tuple[int, int]] = (),
    line_ends: Collection[int] = (),
    near_repairs: bool = False,
    analysis: PageAnalysis | None = None,
    effort: Effort = THOROUGH,
) -> list[Candidate]:
    """Lexicon-supported repairs of the pieces of `text` the gate lets through, scored in
    context.

    `line_ends`: offsets of the characters that ended a printed line (the OCR's line breaks,
    before the layout stage joined them), where the column edge clips vowel strokes.
    `near_repairs`: the unprotected text is next to repairs just made, whose context changed:
    the quiet pieces there are searched down to the gate's looser NEAR_REPAIR_GATE_SCORE.
    `analysis`: the page analysis of `text`, if made already. `effort`: the search's budget.
    """
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    token_starts = [s for s, _ in tokens]
    typos = typo_model(table.confusions) if QUIET_PIECES_NEED_TYPO else None
    if analysis is None or analysis.text != text or (typos is not None) != analysis.typo_searched:
        analysis = PageAnalysis.of(text, lm, typos=typos)
    ends = set(line_ends)
    pieces, bound, particles = find_pieces(
        text,
        analysis,
        lexicon,
        protected,
        line_ends=ends,
        near_repairs=near_repairs,
        quiet_gate_score=effort.quiet_gate_score,
    )
    variants_of = [
        searched_variants(
            text[p.start : p.end],
            p.suspicious,
            table,
            lexicon,
            [i - p.start for i in range(p.start, p.end) if i in ends],
            p.focus,
            wanted=_wanted_variants(p, effort),
        )
        for p in pieces
    ]
    conjugated = conjugated_forms(
        pieces, variants_of, lm, lexicon, checks_per_piece=effort.verb_checks_per_piece
    )
    found: list[Candidate] = []
    windows: list[Window] = []  # each candidate's window of one word of context
    for piece, variants in zip(pieces, variants_of):
        piece_window = window(tokens, token_starts, piece.start, piece.end, CONTEXT_TOKENS)
        for c in piece_candidates(
            text,
            tokens,
            token_starts,
            piece,
            variants,
            conjugated=conjugated,
            lexicon=lexicon,
            bound=bound,
            particles=particles,
            line_ends=ends,
        ):
            found.append(c)
            windows.append(candidate_window(text, piece_window, c))
    if not found:
        return []
    found, windows = cheapest_paths(found, windows)
    kept = shortlist(
        found,
        text,
        tokens,
        token_starts,
        lm,
        alone_variants=effort.alone_variants,
        quiet_variants=effort.quiet_variants,
    )
    scores = gains(lm, [windows[i] for i in kept])
    scored = with_leads([found[i].evolve(lm_gain=gain) for i, gain in zip(kept, scores)])
    # Pieces whose best repair is hopeless on one word of context are not scored again.
    scored = hopeful(scored, misread_model())
    final = rescore_finalists(
        scored, text, tokens, token_starts, lm, context=effort.final_context_tokens
    )
    return with_leads(final)


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
    analysis: PageAnalysis | None = None,
    effort: Effort = THOROUGH,
) -> tuple[list[Edit], list[Edit]]:
    """(applied edits, suggestions) on `text`; nothing inside a `protected` span is touched.

    `line_ends`: offsets in `text` of the characters that ended a line of the OCR output.
    `analysis`: the page analysis of `text` if the caller has made it (else it is made here).
    `effort`: how much search each page gets (`EFFORTS`)."""
    table = confusion_table(confusions)
    model = misread_model()
    ends = sorted(line_ends)
    edits: list[Edit] = []
    suggestions: list[Edit] = []
    for lo, hi in block_spans(text, CHUNK_CHARS):
        chunk = text[lo:hi]
        local_protected = [(s - lo, e - lo) for s, e in protected if s < hi and lo < e]
        local_ends = [i - lo for i in ends[bisect_left(ends, lo) : bisect_left(ends, hi)]]
        # Digits read for syllables first (개선하7 -> 개선하기), then consonant letters left
        # alone by a faded vowel stroke (법률ㅇ -> 법률이): the Hangul search then reads the
        # repaired words, and leaves the repaired characters alone. (One character for one: the
        # offsets of the chunk stay as they are. Applied before the search's repairs, suggested
        # beside them.)
        glyphs: list[Edit] = []
        glyphs_proposed: list[Edit] = []
        chunk_line_ends = set(local_ends)
        for read_again in (digit_repairs, lone_jamo_repairs):
            fixed, fixed_proposed = read_again(
                chunk,
                lm,
                protected=local_protected,
                threshold=threshold,
                suggest_threshold=suggest_threshold,
                line_ends=chunk_line_ends,
            )
            if fixed:
                chunk = apply_edits(chunk, fixed)
                local_protected = local_protected + [(e.start, e.end) for e in fixed]
            glyphs += fixed
            glyphs_proposed += fixed_proposed
        glyphs.sort(key=lambda e: e.start)
        candidates = find_candidates(
            chunk,
            lm=lm,
            lexicon=lexicon,
            table=table,
            protected=local_protected,
            line_ends=local_ends,
            analysis=analysis if analysis is not None and analysis.text == chunk else None,
            effort=effort,
        )
        applied, proposed = decide(candidates, model, threshold, suggest_threshold)
        # The analysis of the chunk with every applied repair made: the grammar check and the
        # next round read the same one (None: to be made, the repairs having changed).
        reading = PageAnalysis.of(apply_edits(chunk, applied), lm) if applied else None
        applied, demoted = ungrammatical(chunk, applied, applied, lm, analysis=reading)
        reading = None if demoted else reading
        proposed = sorted(proposed + demoted, key=lambda e: e.start)
        # A repair changes its neighbours' context (이유외 변호인의 reads right only once 번호인의
        # is repaired): the pieces near the latest repairs are decided again, until nothing more
        # changes, so that the output is what a second run would leave as it is.
        latest = applied
        for _round in range(MAX_EXTRA_ROUNDS):
            if not latest:
                break
            latest = decide(
                _candidates_near_repairs(
                    chunk,
                    applied,
                    latest,
                    lm,
                    lexicon,
                    table,
                    local_protected,
                    local_ends,
                    analysis=reading,
                    effort=effort,
                ),
                model,
                threshold,
                suggest_threshold,
            )[0]
            merged = sorted(applied + latest, key=lambda e: e.start)
            if latest:
                reading = PageAnalysis.of(apply_edits(chunk, merged), lm)
            latest, demoted = ungrammatical(chunk, merged, latest, lm, analysis=reading)
            reading = None if demoted else reading
            proposed = [p for p in proposed if not any(_overlap(p, m) for m in latest + demoted)]
            proposed = sorted(proposed + demoted, key=lambda e: e.start)
            applied = sorted(applied + latest, key=lambda e: e.start)
        applied = sorted(glyphs + applied, key=lambda e: e.start)
        proposed = sorted(
            [g for g in glyphs_proposed if not any(_overlap(g, a) for a in applied)] + proposed,
            key=lambda e: e.start,
        )
        edits.extend(replace(e, start=e.start + lo, end=e.end + lo) for e in applied)
        suggestions.extend(replace(e, start=e.start + lo, end=e.end + lo) for e in proposed)
    return edits, suggestions


def _wanted_variants(piece: Piece, effort: Effort) -> int:
    """How many word-forming variants the search tries for `piece` at `effort`."""
    wanted = effort.alone_variants if piece.suspicious else effort.quiet_variants
    return min(wanted, effort.cut_variants) if piece.cut else wanted


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
    *,
    analysis: PageAnalysis | None = None,
    effort: Effort = THOROUGH,
) -> list[Candidate]:
    """Candidates for the pieces within the decision context of the `latest` repairs, found in
    the text with all `applied` repairs made, with their offsets mapped back to `chunk` (no
    candidate overlaps a repair). `analysis`: the page analysis of that text, if made;
    `effort`: the search's budget (its final context is also how far "near" reaches)."""
    span_map = SpanMap(applied)
    repaired = apply_edits(chunk, applied)
    fixed = span_map.output_spans
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(repaired)]
    token_starts = [s for s, _ in tokens]
    near: list[tuple[int, int]] = []
    newest = {id(e) for e in latest}
    for (start, end), edit in zip(fixed, applied):
        if id(edit) not in newest:
            continue
        # The repair's decision context, as `rank.window` cuts it: where the OCR lost the
        # spaces a "word" is a whole paragraph, and all its quiet pieces would be searched.
        near.append(window(tokens, token_starts, start, end, effort.final_context_tokens))
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
        near_repairs=True,
        analysis=analysis,
        effort=effort,
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
