"""How much search the misread stage spends on a page: `Config(effort=...)`.

The search's budget is a handful of numbers: which real words the gate sends to the search
(`gate.QUIET_GATE_SCORE`), how many word-forming variants of a piece are tried (`variants.
ALONE_VARIANTS`, `QUIET_VARIANTS`, and `CUT_VARIANTS` for a piece of text whose spaces the OCR
lost), how many of a piece's variants are checked as conjugated verbs (`variants.
VERB_CHECKS_PER_PIECE`) and how much context decides between the finalists (`rank.
FINAL_CONTEXT_TOKENS`). Each module's constant is the thorough default, with what it trades in
its comment; an `Effort` names one choice of all of them, and `find_candidates` hands each
function the number it needs.

- `thorough` (the default): those constants, chosen for quality on the training pages.
- `fast`: the budget for archives, where pages per CPU-second count most, chosen on the
  training pages (train and train-mixed) for quality and Kiwi's work. On those pages it cuts
  the characters Kiwi reads per input character from 7.9-9.4 to 5.1-5.7, at 0.6 (train) and
  1.3 (train-mixed) points of CER improvement: fewer Hangul repairs (recall 0.50 -> 0.44 and
  0.41 -> 0.33) at about the same precision. What each knob cost alone on train-mixed (CER
  improvement, Kiwi characters per character; thorough: 67.5 %, 9.40): the gate at -13
  instead of -9: 66.6 %, 6.70; 8 variants of a damaged piece instead of 16: 67.2 %, 8.88; 4 of a
  real word instead of 16: 67.2 %, 7.77; two words of final context: -0.04 points, -0.19;
  6 verb checks: -0.03 points, -0.10. 10 variants of a damaged piece, not 8: two-jamo repairs
  of a short word are rare and come late (댐 is the 10th word-forming variant of 탠).
"""

from __future__ import annotations

from dataclasses import dataclass

from .gate import QUIET_GATE_SCORE
from .rank import FINAL_CONTEXT_TOKENS
from .variants import ALONE_VARIANTS, CUT_VARIANTS, QUIET_VARIANTS, VERB_CHECKS_PER_PIECE

__all__ = ["EFFORTS", "FAST", "THOROUGH", "Effort"]


@dataclass(frozen=True, slots=True)
class Effort:
    """One budget of the misread search (see the module's docstring for what each buys)."""

    name: str
    quiet_gate_score: float
    """A real word is searched when one of its morphemes scores below this."""
    alone_variants: int
    """Word-forming variants tried for a piece with a trace of damage."""
    quiet_variants: int
    """Word-forming variants tried for a real word that fits its context poorly."""
    cut_variants: int
    """Word-forming variants tried for a piece cut from a longer run (spaces lost)."""
    verb_checks_per_piece: int
    """Variants of a piece analysed as conjugated verbs."""
    final_context_tokens: int
    """Words of context on each side when the finalists are scored again."""


THOROUGH = Effort(
    "thorough",
    quiet_gate_score=QUIET_GATE_SCORE,
    alone_variants=ALONE_VARIANTS,
    quiet_variants=QUIET_VARIANTS,
    cut_variants=CUT_VARIANTS,
    verb_checks_per_piece=VERB_CHECKS_PER_PIECE,
    final_context_tokens=FINAL_CONTEXT_TOKENS,
)
FAST = Effort(
    "fast",
    quiet_gate_score=-13.0,
    alone_variants=10,
    quiet_variants=4,
    cut_variants=6,
    verb_checks_per_piece=6,
    final_context_tokens=2,
)
EFFORTS: dict[str, Effort] = {effort.name: effort for effort in (THOROUGH, FAST)}
"""The budgets by name, as `Config(effort=...)` takes them."""
