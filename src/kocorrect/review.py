"""Human review of a correction: decide each suggestion and flag, log the decisions, replay them.

The library holds the logic only; the terminal dialogue lives in the command line, which passes
an `ask` function to `run_review`. A decision is stored against the input's offsets together
with the text it expects there, so `kocorrect fix --decisions LOG` can replay a review on the
same page (checked by the page's SHA-256) and refuses a page that changed.

Actions: *accept* takes the proposal (a suggestion's replacement, a flag's first suggestion, an
applied edit as it is), *reject* keeps the original text (reverting an applied edit), *replace*
puts the reviewer's own text in, *skip* leaves the default (edits applied, suggestions not).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .render import page_record, read_log_records
from .types import Correction, Edit, apply_edits

__all__ = [
    "ACTIONS",
    "Decision",
    "ReviewItem",
    "apply_decisions",
    "decisions_log",
    "has_choice",
    "parse_answers",
    "parse_decisions",
    "review_items",
    "run_review",
]

ACTIONS = ("accept", "reject", "replace", "skip")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One thing to decide: a suggestion, a flag, or (on request) an applied edit."""

    category: str  # "edit" | "suggestion" | "flag"
    start: int
    end: int
    original: str
    proposal: str  # what accepting it puts at [start, end)
    kind: str
    confidence: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    """The reviewer's answer on one item; `replacement` is the text put in on accept/replace."""

    category: str
    start: int
    end: int
    original: str
    proposal: str
    kind: str
    action: str
    replacement: str | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}; use one of {', '.join(ACTIONS)}")

    @classmethod
    def of(cls, item: ReviewItem, action: str, typed: str | None = None) -> Decision:
        """The decision `action` on `item` (`typed` is the reviewer's text for "replace")."""
        replacement = {"accept": item.proposal, "replace": typed}.get(action)
        if action == "replace" and typed is None:
            raise ValueError("a replace decision needs the replacement text")
        return cls(
            item.category, item.start, item.end, item.original, item.proposal, item.kind,
            action, replacement,
        )  # fmt: skip


def review_items(correction: Correction, *, include_edits: bool = False) -> list[ReviewItem]:
    """Suggestions and flags (and applied edits when `include_edits`) in page order."""
    items = [
        ReviewItem("suggestion", s.start, s.end, s.original, s.replacement, s.kind,
                   s.confidence, s.reason)
        for s in correction.suggestions
    ]  # fmt: skip
    for flag in correction.flags:
        original = correction.source[flag.start : flag.end]
        proposal = flag.suggestions[0] if flag.suggestions else original
        items.append(
            ReviewItem("flag", flag.start, flag.end, original, proposal, flag.kind, None,
                       flag.message)
        )  # fmt: skip
    if include_edits:
        items += [
            ReviewItem("edit", e.start, e.end, e.original, e.replacement, e.kind,
                       e.confidence, e.reason)
            for e in correction.edits
        ]  # fmt: skip
    order = {"edit": 0, "suggestion": 1, "flag": 2}
    return sorted(items, key=lambda i: (i.start, i.end, order[i.category]))


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    if a_start == a_end or b_start == b_end:  # an insertion point claims its neighbourhood
        return a_start <= b_end and b_start <= a_end
    return a_start < b_end and b_start < a_end


def _override(decision: Decision) -> Edit | None:
    """The edit a decision puts into the text, or None when it keeps what is there."""
    if decision.action not in ("accept", "replace") or decision.replacement is None:
        return None
    if decision.replacement == decision.original:
        return None
    if decision.action == "accept":
        kind, confidence = decision.kind, 1.0
        reason = f"{decision.category} accepted in review"
    else:
        kind, confidence, reason = "review", 1.0, "replacement typed in review"
    return Edit(
        decision.start, decision.end, decision.original, decision.replacement, kind, confidence,
        reason,
    )  # fmt: skip


def apply_decisions(correction: Correction, decisions: Iterable[Decision]) -> Correction:
    """The correction after review: accepted and typed changes in, rejected edits out.

    An override replaces any applied edit it overlaps (a suggestion is expressed against the
    input with the applied edits it touches already folded in); of two overlapping overrides
    the first decided wins. Raises `InputError` if a decision does not fit the page.
    """
    source = correction.source
    overrides: list[Edit] = []
    rejected: set[tuple[int, int, str]] = set()
    for decision in decisions:
        if source[decision.start : decision.end] != decision.original:
            raise InputError(
                f"decision at [{decision.start}, {decision.end}) expects {decision.original!r} "
                f"but the page has {source[decision.start : decision.end]!r}; "
                "the decisions log was made on another version of the page"
            )
        if decision.category == "edit" and decision.action in ("reject", "replace"):
            rejected.add((decision.start, decision.end, decision.original))
        edit = _override(decision)
        if edit is None:
            continue
        if any(_overlaps(edit.start, edit.end, o.start, o.end) for o in overrides):
            continue
        overrides.append(edit)
    kept = [
        e
        for e in correction.edits
        if (e.start, e.end, e.original) not in rejected
        and not any(_overlaps(e.start, e.end, o.start, o.end) for o in overrides)
    ]
    edits = sorted(kept + overrides, key=lambda e: (e.start, e.end))
    taken = {(o.start, o.end) for o in overrides}
    suggestions = tuple(s for s in correction.suggestions if (s.start, s.end) not in taken)
    return Correction(source, apply_edits(source, edits), tuple(edits), suggestions,
                      correction.flags)  # fmt: skip


def has_choice(item: ReviewItem) -> bool:
    """Whether accept and reject differ on `item`: not so for a flag with nothing proposed
    (an unverified name): there *accept* means "checked, it is right" (the text stays and the
    decision is logged) and *reject* would do nothing."""
    return item.proposal != item.original


_ANSWER_KEYS = {"a": "accept", "y": "accept", "r": "reject", "n": "reject", "s": "skip",
                "q": "quit"}  # fmt: skip


def parse_answers(text: str) -> list[tuple[str, str | None]]:
    """Review answers written down (`review --keys`, or stdin off a terminal): whitespace-
    separated tokens; a token is keys, one answer each (`a` accept, `r` reject, `s` skip,
    `q` quit; `ar s` is three answers), or `t=TEXT` (`e=TEXT`): replace with TEXT.

    >>> parse_answers("ar s t=댐 q")
    [('accept', None), ('reject', None), ('skip', None), ('replace', '댐'), ('quit', None)]
    """
    answers: list[tuple[str, str | None]] = []
    for token in text.split():
        if token[0] in "teTE":
            if token[1:2] != "=":
                raise ValueError(
                    f"answer {token!r}: a replacement is written t=TEXT (no spaces), e.g. t=댐"
                )
            answers.append(("replace", token[2:]))
            continue
        for key in token:
            action = _ANSWER_KEYS.get(key.lower())
            if action is None:
                raise ValueError(
                    f"unknown key {key!r} in {token!r}; use a (accept), r (reject), s (skip), "
                    "q (quit) or t=TEXT (replace with TEXT)"
                )
            answers.append((action, None))
    return answers


Ask = Callable[[ReviewItem, int, int], tuple[str, str | None]]
"""ask(item, position, count) -> (action or "quit", typed text for "replace")."""


def run_review(items: Sequence[ReviewItem], ask: Ask) -> list[Decision]:
    """Ask about each item in turn; an item overlapping a change already taken is not asked."""
    decisions: list[Decision] = []
    taken: list[Edit] = []
    for position, item in enumerate(items, start=1):
        if any(_overlaps(item.start, item.end, t.start, t.end) for t in taken):
            continue
        action, typed = ask(item, position, len(items))
        if action == "quit":
            break
        decision = Decision.of(item, action, typed)
        decisions.append(decision)
        edit = _override(decision)
        if edit is not None:
            taken.append(edit)
    return decisions


def _decision_record(d: Decision) -> dict[str, Any]:
    return {
        "type": "decision",
        "item": d.category,
        "start": d.start,
        "end": d.end,
        "original": d.original,
        "proposal": d.proposal,
        "kind": d.kind,
        "action": d.action,
        "replacement": d.replacement,
    }


def decisions_log(
    decisions: Iterable[Decision], *, path: str, sha256: str, length: int, version: str
) -> str:
    """JSONL: the page record (as in edit logs), then one record per decision."""
    head = page_record(path=path, sha256=sha256, length=length, version=version)
    records = [head, *(_decision_record(d) for d in decisions)]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def parse_decisions(
    text: str, *, source: str = "<decisions log>"
) -> tuple[Mapping[str, Any], list[Decision]]:
    """Read a decisions log back: (page record, decisions)."""
    page: Mapping[str, Any] | None = None
    decisions: list[Decision] = []
    hint = "give a log written by `kocorrect review`"

    def handle(_number: int, record: Any) -> None:
        nonlocal page
        if record["type"] == "page" and page is None:
            page = record
        elif record["type"] == "decision" and page is not None:
            decisions.append(
                Decision(
                    str(record["item"]), int(record["start"]), int(record["end"]),
                    str(record["original"]), str(record["proposal"]), str(record["kind"]),
                    str(record["action"]), record.get("replacement"),
                )
            )  # fmt: skip
        else:
            raise ValueError(f"unexpected record type {record['type']!r}")

    read_log_records(text, source=source, what="decisions log", hint=hint, handle=handle)
    if page is None:
        raise InputError(f"{source}: empty decisions log; {hint}")
    return page, decisions
