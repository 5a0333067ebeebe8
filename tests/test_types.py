"""Property tests of the edit algebra in types.py: replay, recovery, composition, span mapping.

Every stage's edits pass through these four functions, so a wrong offset here would corrupt
every page. Texts come from a small alphabet (Hangul, Latin, space, newline) so that edits
often collide, which is where composition goes wrong.
"""

from __future__ import annotations

import signal
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kocorrect.types import (
    Edit,
    SpanMap,
    apply_edits,
    compose_edits,
    map_span,
    restore_original,
)

ALPHABET = "가나다ab \n"
texts = st.text(alphabet=ALPHABET, max_size=12)
replacements = st.text(alphabet=ALPHABET + "댐X", max_size=3)


@st.composite
def text_and_edits(draw: st.DrawFn, text: str | None = None) -> tuple[str, list[Edit]]:
    """A text and sorted, non-overlapping edits on it (insertions and deletions included)."""
    if text is None:
        text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    edits: list[Edit] = []
    previous_end = 0
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a < previous_end:
            continue
        if a == b and edits and edits[-1].end == a:
            continue  # two edits claiming the same point are not a valid edit list
        new = draw(replacements)
        if text[a:b] == new:
            continue
        edits.append(Edit(a, b, text[a:b], new, "test", 1.0, f"edit {len(edits)}"))
        previous_end = b
    return text, edits


def assert_valid_edit_list(text: str, edits: list[Edit]) -> None:
    previous_end = 0
    for edit in edits:
        assert previous_end <= edit.start <= edit.end <= len(text)
        assert text[edit.start : edit.end] == edit.original
        previous_end = edit.end


@given(text_and_edits())
def test_restore_original_inverts_apply_edits(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    assert restore_original(apply_edits(text, edits), edits) == text


@given(text_and_edits())
def test_no_edits_is_identity(case: tuple[str, list[Edit]]) -> None:
    text, _ = case
    assert apply_edits(text, []) == text
    assert restore_original(text, []) == text


@st.composite
def two_stages(draw: st.DrawFn) -> tuple[str, list[Edit], list[Edit]]:
    source, first = draw(text_and_edits())
    _, second = draw(text_and_edits(apply_edits(source, first)))
    return source, first, second


@settings(max_examples=300)
@given(two_stages())
def test_compose_edits_replays_both_stages(case: tuple[str, list[Edit], list[Edit]]) -> None:
    source, first, second = case
    composed = compose_edits(source, first, second)
    assert_valid_edit_list(source, composed)
    expected = apply_edits(apply_edits(source, first), second)
    assert apply_edits(source, composed) == expected
    assert restore_original(expected, composed) == source


@settings(max_examples=300)
@given(two_stages())
def test_compose_edits_reports_only_real_changes(case: tuple[str, list[Edit], list[Edit]]) -> None:
    source, first, second = case
    for edit in compose_edits(source, first, second):
        assert edit.original != edit.replacement
        assert edit.reason


def test_compose_edits_with_nothing_first_is_the_second_stage() -> None:
    source = "데이터탠 구축"
    second = [Edit(3, 4, "탠", "댐", "ocr-misread", 0.9, "ㅌ read for ㄷ")]
    assert compose_edits(source, [], second) == second


@given(text_and_edits(), st.data())
def test_map_span_covers_the_same_text_outside_edits(
    case: tuple[str, list[Edit]], data: st.DataObject
) -> None:
    source, edits = case
    output = apply_edits(source, edits)
    start = data.draw(st.integers(0, len(output)))
    end = data.draw(st.integers(start, len(output)))
    lo, hi = map_span(start, end, edits)
    assert 0 <= lo <= hi <= len(source)
    # The covering source span, with the edits inside it applied, contains the output span.
    inside = [
        Edit(e.start - lo, e.end - lo, e.original, e.replacement, e.kind, e.confidence, e.reason)
        for e in edits
        if lo <= e.start and e.end <= hi
    ]
    assert output[start:end] in apply_edits(source[lo:hi], inside)


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ((0, 3), (0, 3)),  # before the edit: unchanged
        ((3, 4), (3, 4)),  # exactly the replacement: exactly the original
        ((5, 7), (5, 7)),  # after a same-length edit: unchanged
        ((2, 4), (2, 4)),  # straddling the edit start
    ],
)
def test_map_span_table(span: tuple[int, int], expected: tuple[int, int]) -> None:
    edits = [Edit(3, 4, "탠", "댐", "ocr-misread", 0.9, "ㅌ read for ㄷ")]
    assert map_span(*span, edits) == expected


def test_map_span_after_a_shrinking_edit() -> None:
    # "ㅇㅏㄴ녕" -> "안녕": 녕 is at 1 in the output and at 3 in the input
    edits = [Edit(0, 3, "ㅇㅏㄴ", "안", "normalize", 1.0, "loose jamo")]
    assert map_span(1, 2, edits) == (3, 4)
    assert map_span(0, 1, edits) == (0, 3)


class _TooSlow(Exception):
    pass


def _run_within(seconds: float, work: Callable[[], object]) -> None:
    """Run `work`, raising `_TooSlow` if it takes longer than `seconds` (POSIX alarm)."""

    def interrupt(signum: int, frame: object) -> None:
        raise _TooSlow(f"did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs a POSIX interval timer")
def test_compose_edits_is_linear_in_the_number_of_edits() -> None:
    """20 000 one-character edits and no second stage compose in well under a second when
    linear (~0.1 s); the quadratic walk needs minutes."""
    source = "가" * 40_000
    first = [Edit(i, i + 1, "가", "나", "normalize", 1.0, "r") for i in range(0, 40_000, 2)]
    _run_within(2.0, lambda: compose_edits(source, first, []))


@pytest.mark.parametrize(
    ("source", "applied", "proposal", "expected"),
    [
        # a proposal away from every applied edit keeps its own span, shifted to the input
        (
            "가나\n다 탠",
            [Edit(2, 3, "\n", "", "rejoin", 1.0, "r")],
            Edit(4, 5, "탠", "댐", "m", 0.3, "s"),
            Edit(5, 6, "탠", "댐", "m", 0.3, "s"),
        ),
        # a proposal over a rejoined break takes the rejoin in: applying it replaces both
        (
            "육\n\n성해",
            [Edit(1, 3, "\n\n", "", "rejoin", 1.0, "r")],
            Edit(0, 3, "육성해", "육성회", "m", 0.3, "s"),
            Edit(0, 5, "육\n\n성해", "육성회", "m", 0.3, "s"),
        ),
    ],
)
def test_lift_proposals(source: str, applied: list[Edit], proposal: Edit, expected: Edit) -> None:
    from kocorrect.types import lift_proposals

    assert lift_proposals(source, applied, [proposal]) == [expected]


@pytest.mark.parametrize(
    ("start", "end", "to_output", "back"),
    [
        (0, 2, (0, 2), 0),  # before every edit: unmoved, and back
        (3, 6, (2, 5), 3),  # after the deleted break: one to the left, and back
        (6, 8, None, None),  # meets the misread edit without being it
        (7, 8, (6, 7), None),  # exactly the misread edit: its replacement, which maps back to None
    ],
)
def test_span_map_moves_spans_both_ways(
    start: int, end: int, to_output: tuple[int, int] | None, back: int | None
) -> None:
    # "국가\n데이터 탠" -> "국가데이터 댐": the break deleted, 탠 read as 댐
    edits = [
        Edit(2, 3, "\n", "", "rejoin", 1.0, ""),
        Edit(7, 8, "탠", "댐", "ocr-misread", 1.0, ""),
    ]
    span_map = SpanMap(edits)
    assert span_map.to_output(start, end) == to_output
    if to_output is not None:
        assert span_map.to_input(*to_output) == back
