"""The misread search's budget, `Config(effort=...)`: "fast", for archives, does less work for
fewer repairs; "thorough" is the default. Work is counted (characters Kiwi is asked to read),
not timed: `benchmarks/engine.py --effort fast` prints the speed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kocorrect import Config, ConfigError, Corrector
from kocorrect.analysis import PageAnalysis
from kocorrect.evaluate import score_page
from kocorrect.lexicon import Lexicon, LexiconEntry
from kocorrect.misreads import (
    EFFORTS,
    FAST,
    THOROUGH,
    Candidate,
    Effort,
    confusion_table,
    find_candidates,
)
from kocorrect.misreads.gate import find_pieces

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "seed_page.ocr.txt"


@pytest.fixture(scope="module")
def correctors() -> dict[str, Corrector]:
    out = {name: Corrector(config=Config(effort=name)) for name in EFFORTS}
    for corrector in out.values():
        corrector.warm_up()
    return out


def test_an_unknown_effort_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"'thorough', 'fast'.*'quick'"):
        Config(effort="quick")
    assert Config().effort == "thorough"


def test_fast_spends_a_smaller_budget_in_every_number() -> None:
    assert FAST.quiet_gate_score < THOROUGH.quiet_gate_score  # fewer real words searched
    for field in dataclasses.fields(THOROUGH):
        if field.name not in ("name", "quiet_gate_score"):
            assert getattr(FAST, field.name) < getattr(THOROUGH, field.name), field.name


@pytest.mark.slow
def test_fast_reads_less_and_keeps_the_sample_pages_repairs(
    correctors: dict[str, Corrector],
) -> None:
    """The sample page at both budgets, from cold score caches: fast has Kiwi read well under
    what thorough does, and still makes the page's named repairs (탠→댐 is a two-jamo one, the
    rarest the budget must reach) with no wrong change against our proofreading."""
    text = SAMPLE.read_text(encoding="utf-8")
    gold = SAMPLE.with_name("seed_page.gold.txt").read_text(encoding="utf-8")
    read: dict[str, int] = {}
    for name, corrector in correctors.items():
        corrector.lm.clear_cache()
        before = corrector.lm.kiwi_chars
        result = corrector.correct(text)
        read[name] = corrector.lm.kiwi_chars - before
        repairs = {(e.original, e.replacement) for e in result.edits if "misread" in e.kind}
        assert {("탠", "댐"), ("윈스톱", "원스톱"), ("읍주운전", "음주운전")} <= repairs, name
        assert score_page(text, gold, result.text).metrics()["char_P"] == 1.0, name
    assert read["fast"] < 0.7 * read["thorough"]


@pytest.mark.slow
def test_the_budget_reaches_the_gate_and_the_variants(correctors: dict[str, Corrector]) -> None:
    """A gate no morpheme scores below sends no real word to the search (the gate itself, and
    Kiwi's work through the whole search), and a piece keeps at most the budget's number of
    variants."""
    corrector = correctors["thorough"]
    lm, lexicon = corrector.lm, corrector.lexicon
    text = (
        "그동안 관제를 통해 697건 법인 검거를 도왔다. 또 국가 데이터 탠 구축 성과물인 대규모 "
        "데이터 집적·연계와 클라우드 개발 환경을 제공해 서비스의 윈스톱 개발 거점을 만든다."
    )
    table = confusion_table(None)
    analysis = PageAnalysis.of(text, lm)
    pieces, _bound, _particles = find_pieces(text, analysis, lexicon, [])
    shut, _bound, _particles = find_pieces(text, analysis, lexicon, [], quiet_gate_score=-1e9)
    assert any(not p.suspicious for p in pieces)
    assert shut == [p for p in pieces if p.suspicious] and shut

    def search(effort: Effort) -> tuple[list[Candidate], int]:
        """The candidates and the characters Kiwi read for them, from a cold cache."""
        lm.clear_cache()
        before = lm.kiwi_chars
        found = find_candidates(text, lm=lm, lexicon=lexicon, table=table, effort=effort)
        return found, lm.kiwi_chars - before

    full, full_read = search(THOROUGH)
    _closed, closed_read = search(dataclasses.replace(THOROUGH, quiet_gate_score=-1e9))
    narrow, narrow_read = search(dataclasses.replace(THOROUGH, alone_variants=2, quiet_variants=1))
    assert closed_read < full_read and narrow_read < full_read
    # 댐 is the 10th word-forming variant of 탠 (two jamo changed): beyond a budget of two
    assert ("탠", "댐") in {(c.original, c.replacement) for c in full}
    assert ("탠", "댐") not in {(c.original, c.replacement) for c in narrow}
    variants: dict[tuple[int, bool], set[str]] = {}
    for c in narrow:
        variants.setdefault((c.piece_start, c.suspicious), set()).add(c.variant)
    assert variants
    for (_start, suspicious), found in variants.items():
        assert len(found) <= (2 if suspicious else 1)


@pytest.mark.slow
def test_warming_up_builds_the_search_indexes_whatever_the_effort(
    correctors: dict[str, Corrector],
) -> None:
    """The lexicon's indexes built on first use are built by `warm_up` (a fast search may not
    reach them on the warm-up text: the first page of every batch worker would pay for them)."""
    for name, corrector in correctors.items():
        words = [LexiconEntry(w, "NNG", "test") for w in ("국가", "데이터", "댐", "구축")]
        lexicon = Lexicon([*words, LexiconEntry("짓", "VV", "test")])
        fresh = Corrector(config=corrector.config, lm=corrector.lm, lexicon=lexicon)
        assert "syllable_pairs" not in vars(lexicon)
        fresh.warm_up()
        assert {"syllable_pairs", "verb_prefixes"} <= set(vars(lexicon)), name
        assert "데이" in lexicon.syllable_pairs and "짓" in lexicon.verb_prefixes
