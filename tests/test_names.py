"""Person names: detection cases as a table, the registry format, registry checks, the pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import kocorrect
from kocorrect.analysis import LanguageModel
from kocorrect.errors import DataFileError
from kocorrect.names import NameChecker
from kocorrect.registry import jamo_distance, load_registry

HERE = Path(__file__).parent
CASES = HERE / "cases"
SAMPLE_PAGE = HERE.parent / "corpus" / "seed_page.ocr.txt"
SAMPLE_REGISTRY = HERE.parent / "dictionaries" / "names.sample.tsv"
TEST_REGISTRY = CASES / "names_registry.tsv"
# The person names of the sample page, in page order: three officials (one quoted twice, once
# in a photo caption) and the reporter's byline under each of four articles.
PAGE_NAMES = ["손정중", "박진표", "김종호", "김종호", "박진표", "인전혁", "박진표", "박진표"]


def _detection_cases() -> list[tuple[str, list[str], str]]:
    rows = []
    path = CASES / "names_detection.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        if line.startswith("#") or line.startswith("text\t"):
            continue
        text, names, case = line.split("\t")
        rows.append((text, [n for n in names.split(",") if n], case))
    return rows


@pytest.fixture(scope="module")
def lm() -> LanguageModel:
    return LanguageModel()


@pytest.fixture(scope="module")
def checker() -> NameChecker:
    return NameChecker(registry=None)


@pytest.fixture(scope="module")
def page() -> str:
    return SAMPLE_PAGE.read_text(encoding="utf-8")


# --- detection ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected", "case"), _detection_cases())
def test_detection_table(
    checker: NameChecker, lm: LanguageModel, text: str, expected: list[str], case: str
) -> None:
    mentions = checker.detect(text, lm)
    assert [m.name for m in mentions] == expected, case
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.name


@pytest.mark.slow
def test_sample_page_without_registry_flags_exactly_the_names(
    checker: NameChecker, lm: LanguageModel, page: str
) -> None:
    mentions, flags = checker.check(page, lm)
    flagged = [page[f.start : f.end] for f in flags]
    assert flagged == PAGE_NAMES
    assert [m.name for m in mentions] == flagged
    assert {f.kind for f in flags} == {"unverified-name"}
    first_official = next(f for f in flags if page[f.start : f.end] == "인전혁")
    assert "before 교통정책과장" in first_official.message
    assert "no name registry" in first_official.message


@pytest.mark.slow
def test_mentions_carry_role_and_organisation(
    checker: NameChecker, lm: LanguageModel, page: str
) -> None:
    by_name = {m.name: m for m in checker.detect(page, lm)}
    assert (by_name["인전혁"].role, by_name["인전혁"].organisation) == ("교통정책과장", "광주시")
    assert by_name["김종호"].role == "행정부시장"
    assert by_name["박진표"].context == "byline"


@pytest.mark.slow
def test_check_analyses_the_text_once(checker: NameChecker, page: str) -> None:
    class CountingModel(LanguageModel):
        calls = 0

        def analyze_lines(self, lines, offsets=None):  # type: ignore[no-untyped-def]
            CountingModel.calls += 1
            return super().analyze_lines(lines, offsets)

    checker.check(page, CountingModel())
    assert CountingModel.calls == 1  # one batched analysis of the page's lines


# --- registry file --------------------------------------------------------------------------


def test_registry_loads_the_sample() -> None:
    registry = load_registry(SAMPLE_REGISTRY)
    assert [e.role for e in registry.lookup("박진표")] == ["기자"]
    assert len(registry.lookup("홍길동")) == 2
    assert [e.role for e in registry.lookup("홍길동", dt.date(2023, 1, 1))] == ["도지사"]


MALFORMED = [
    ("name\trole\n", 1, "header"),
    (
        "name\trole\torganisation\tvalid_from\tvalid_to\tsource\n박진표\t기자\n",
        2,
        "expected 6",
    ),
    (
        "name\trole\torganisation\tvalid_from\tvalid_to\tsource\n박진표\t기자\t광주일보\t2021-13-01\t\tx\n",
        2,
        "ISO date",
    ),
    (
        "# comment\nname\trole\torganisation\tvalid_from\tvalid_to\tsource\n"
        "박진표\t기자\t광주일보\t2022-01-01\t2021-01-01\tx\n",
        3,
        "after valid_to",
    ),
    (
        "name\trole\torganisation\tvalid_from\tvalid_to\tsource\n\t기자\t광주일보\t\t\tx\n",
        2,
        "name field is empty",
    ),
]


@pytest.mark.parametrize(("content", "line", "message"), MALFORMED)
def test_malformed_registry_names_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = tmp_path / "registry.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_registry(path)
    assert caught.value.line == line
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_missing_registry_says_which_setting(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"Config\.registry"):
        load_registry(tmp_path / "absent.tsv")


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("인전혁", "임전혁", 1),
        ("박진표", "박진표", 0),
        ("김종호", "김정호", 1),
        ("손정중", "송정중", 1),
    ],
)
def test_jamo_distance(a: str, b: str, distance: int) -> None:
    assert jamo_distance(a, b) == distance
    assert jamo_distance(b, a) == distance


# --- registry checks ------------------------------------------------------------------------


def _flags_by_name(checker: NameChecker, lm: LanguageModel, text: str) -> dict[str, list]:
    _, flags = checker.check(text, lm)
    found: dict[str, list] = {}
    for flag in flags:
        found.setdefault(text[flag.start : flag.end], []).append(flag)
    return found


@pytest.mark.slow
def test_registered_byline_passes(lm: LanguageModel, page: str) -> None:
    checker = NameChecker(registry=SAMPLE_REGISTRY)
    flags = _flags_by_name(checker, lm, page)
    assert "박진표" not in flags
    assert set(flags) == {"손정중", "김종호", "인전혁"}
    assert all("not in the name registry" in f.message for fs in flags.values() for f in fs)


@pytest.mark.slow
def test_near_miss_in_registry_is_suggested_not_applied(lm: LanguageModel, page: str) -> None:
    checker = NameChecker(registry=TEST_REGISTRY, date=dt.date(2021, 10, 28))
    flags = _flags_by_name(checker, lm, page)
    (flag,) = flags["인전혁"]
    assert flag.suggestions == ("임전혁",)
    assert "임전혁 (교통정책과장, 광주시)" in flag.message
    assert "김종호" not in flags  # registered as 행정부시장 of 광주시 on that date
    assert flags["손정중"][0].suggestions == ()


@pytest.mark.slow
def test_registry_entries_count_only_on_their_dates(lm: LanguageModel, page: str) -> None:
    checker = NameChecker(registry=TEST_REGISTRY, date=dt.date(2023, 3, 1))
    flags = _flags_by_name(checker, lm, page)
    assert len(flags["김종호"]) == 2
    assert "not on 2023-03-01" in flags["김종호"][0].message
    assert flags["인전혁"][0].suggestions == ()  # 임전혁's term has ended


@pytest.mark.slow
def test_role_contradicting_the_registry_is_flagged(lm: LanguageModel) -> None:
    checker = NameChecker(registry=TEST_REGISTRY)
    text = "홍길동 예시대학교 교수는 발표했다. 홍길동 예시시 부시장은 말했다."
    _, flags = checker.check(text, lm)
    assert [(f.start, f.kind) for f in flags] == [(text.rindex("홍길동"), "name-registry-conflict")]
    assert "교수, 예시대학교" in flags[0].message


@pytest.mark.slow
def test_suggestion_needs_a_compatible_role(lm: LanguageModel) -> None:
    checker = NameChecker(registry=TEST_REGISTRY)
    text = "임전역 예시대학교 교수가 강연했다."
    (flag,) = checker.check(text, lm)[1]
    assert flag.suggestions == ()


# --- pipeline -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corrector() -> kocorrect.Corrector:
    return kocorrect.Corrector(config=kocorrect.Config(correct=False))


@pytest.mark.slow
def test_pipeline_flags_the_sample_page_names(corrector: kocorrect.Corrector, page: str) -> None:
    result = corrector.correct(page)
    flagged = [page[f.start : f.end] for f in result.flags]
    assert flagged == PAGE_NAMES
    assert all(f.kind == "unverified-name" for f in result.flags)
