"""Malformed data files fail loudly, naming the file and the line; data is parsed, never run.

A lexicon, confusion table or name registry that silently dropped a bad row would change
what kocorrect corrects (or lets pass as a verified name) without anyone noticing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kocorrect import Config, ConfigError, DataFileError
from kocorrect.breaks import FEATURE_NAMES
from kocorrect.cli import main
from kocorrect.config import MIN_THRESHOLD
from kocorrect.distance import ConfusionTable
from kocorrect.layout import LayoutModel
from kocorrect.lexicon import CONTENT_TAG_PREFIXES, CONTENT_TAGS, read_lexicon_tsv
from kocorrect.misreads.digits import load_digit_misreads
from kocorrect.misreads.lone_jamo import load_jamo_misreads
from kocorrect.names import load_name_syllables, load_surnames, load_titles
from kocorrect.registry import load_registry
from kocorrect.resources import data_path
from kocorrect.wordlists import WORD_LISTS, load_words

SRC = Path(__file__).resolve().parents[1] / "src" / "kocorrect"
CONFUSION_HEADER = "position\tintended\tread\tcount\tcost\n"
REGISTRY_HEADER = "name\trole\torganisation\tvalid_from\tvalid_to\tsource\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_names_file_and_line(error: DataFileError, path: Path, line: int | None) -> None:
    message = str(error)
    if line is None:
        assert str(path) in message
    else:
        assert f"{path}:{line}" in message, message
        assert error.line == line


# ------------------------------------------------------------------------ lexicon ----


@pytest.mark.parametrize(
    ("text", "line", "cause"),
    [
        ("국가\tNNG\n데이터 댐\tNNG\n", 2, "whitespace"),
        ("# comment\n\n국가\tNNG\n구축\tNOUN\n", 4, "unknown tag"),
        ("form\ttag\n국가\n\tNNG\n", 3, "empty"),
    ],
)
def test_malformed_lexicon_names_file_and_line(
    tmp_path: Path, text: str, line: int, cause: str
) -> None:
    path = write(tmp_path, "user.tsv", text)
    with pytest.raises(DataFileError, match=cause) as info:
        list(read_lexicon_tsv(path, source="user"))
    assert_names_file_and_line(info.value, path, line)


@pytest.mark.parametrize(
    "plain",
    [
        "# words\n국가\tNNG\n\n데이터댐\tNNG\n가다\tVV\n을\tFUNC\n",
        "국가\tNNG\r\n데이터댐\tNNG\r\n가다\tVV\r\n을\tFUNC",
        "국가\tNNG\n데이터댐\tNNG\n가다\tVV\n을\tFUNC\n\n\n",
    ],
)
def test_plain_lexicon_reads_as_line_by_line(tmp_path: Path, plain: str) -> None:
    """A file of plain `form<TAB>TAG` lines (read in bulk) gives the entries the same file
    with a note column on one line (read line by line) gives."""
    with_note = plain.replace("데이터댐\tNNG", "데이터댐\tNNG\ta note", 1)
    entries = list(read_lexicon_tsv(write(tmp_path, "plain.tsv", plain), source="user"))
    noted = list(read_lexicon_tsv(write(tmp_path, "noted.tsv", with_note), source="user"))
    assert entries == noted
    assert [(e.form, e.tag) for e in entries] == [
        ("국가", "NNG"),
        ("데이터댐", "NNG"),
        ("가다", "VV"),
        ("을", "FUNC"),
    ]


def test_lexicon_line_with_extra_columns_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "user.tsv", "댐\tNNG\n데이터댐\tNNG\tnote\tmore\textra\n")
    with pytest.raises(DataFileError) as info:
        list(read_lexicon_tsv(path, source="user"))
    assert_names_file_and_line(info.value, path, 2)
    assert "5 TAB-separated columns" in str(info.value) and "WORD<TAB>TAG<TAB>NOTE" in str(
        info.value
    )


def test_lexicon_line_with_spaces_for_a_tab_says_use_a_tab(tmp_path: Path) -> None:
    path = write(tmp_path, "user.tsv", "# words\n데이터탠 NNG\n")
    with pytest.raises(DataFileError) as info:
        list(read_lexicon_tsv(path, source="user"))
    assert_names_file_and_line(info.value, path, 2)
    assert "separated by a TAB, not spaces: write 데이터탠<TAB>NNG" in str(info.value)


def test_missing_lexicon_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.tsv"
    with pytest.raises(DataFileError) as info:
        list(read_lexicon_tsv(path, source="user"))
    assert_names_file_and_line(info.value, path, None)


def test_non_utf8_lexicon_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cp949.tsv"
    path.write_bytes("국가\tNNG\n".encode("cp949"))
    with pytest.raises(DataFileError) as info:
        list(read_lexicon_tsv(path, source="user"))
    assert str(path) in str(info.value)


def test_cli_reports_a_malformed_user_lexicon_with_file_and_line(tmp_path: Path) -> None:
    lexicon = write(tmp_path, "user.tsv", "국가\tNNG\n데이터\tBAD\n")
    page = write(tmp_path, "page.txt", "국가 데이터\n")
    result = CliRunner().invoke(
        main, ["fix", str(page), "--lexicon", str(lexicon), "--no-layout", "--no-names"]
    )
    assert result.exit_code == 3, result.output
    assert f"{lexicon}:2" in result.output


# ---------------------------------------------------------------- confusion table ----


@pytest.mark.parametrize(
    ("text", "line", "cause"),
    [
        ("initial\tㄷ\tㅌ\t3\t1.2\n", 1, "header"),
        (CONFUSION_HEADER + "initial\tㄷ\tㅌ\t3\n", 2, "5 tab-separated fields"),
        (CONFUSION_HEADER + "middle\tㅏ\tㅑ\t3\t1.0\n", 2, "position"),
        (CONFUSION_HEADER + "initial\tㅏ\tㅌ\t3\t1.0\n", 2, "cannot stand"),
        (CONFUSION_HEADER + "initial\t-\tㅌ\t3\t1.0\n", 2, "only a final"),
        (CONFUSION_HEADER + "# ok\ninitial\tㄷ\tㅌ\t3\tcheap\n", 3, "not a number"),
        (CONFUSION_HEADER + "initial\tㄷ\tㅌ\t3\t-1\n", 2, "zero or more"),
        (CONFUSION_HEADER + "initial\tㄷ\tㅌ\t3\tnan\n", 2, "zero or more"),
    ],
)
def test_malformed_confusion_table_names_file_and_line(
    tmp_path: Path, text: str, line: int, cause: str
) -> None:
    path = write(tmp_path, "confusions.tsv", text)
    with pytest.raises(DataFileError, match=cause) as info:
        ConfusionTable.load(path)
    assert_names_file_and_line(info.value, path, line)


@pytest.mark.parametrize("data", [b"", b"# only a comment\n", "국가".encode("cp949")])
def test_confusion_table_without_header_or_not_utf8_names_the_file(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "confusions.tsv"
    path.write_bytes(data)
    with pytest.raises(DataFileError) as info:
        ConfusionTable.load(path)
    assert_names_file_and_line(info.value, path, None)


def test_shipped_confusion_table_loads() -> None:
    assert ConfusionTable.load().confusions


# ---------------------------------------------------------------- digit misreads ----


@pytest.mark.parametrize(
    ("name", "text", "line", "cause"),
    [
        ("digit_misreads.tsv", "# digits\n12\t기\n", 2, "not one digit"),
        ("digit_misreads.tsv", "7\t기 ab\n", 1, "Hangul syllables"),
        ("digit_misreads.tsv", "7\n", 1, "Hangul syllables"),
        ("digit_misreads.tsv", "7\t기\n# note\n7\t가\n", 3, "listed twice"),
        ("digit_misreads.tsv", "7\t기\tx\ty\n", 1, "at most 3"),
        ("jamo_misreads.tsv", "# letters\n가\t이\n", 2, "not one consonant letter"),
        ("jamo_misreads.tsv", "ㅇ\t이 ?\n", 1, "Hangul syllables"),
        ("jamo_misreads.tsv", "ㅇ\t이\nㅇ\t아\n", 2, "listed twice"),
    ],
)
def test_malformed_glyph_misreads_name_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, cause: str
) -> None:
    load = {"digit_misreads.tsv": load_digit_misreads, "jamo_misreads.tsv": load_jamo_misreads}
    path = write(tmp_path, name, text)
    with pytest.raises(DataFileError, match=cause) as info:
        load[name](path)
    assert_names_file_and_line(info.value, path, line)


def test_shipped_digit_misreads_load() -> None:
    table = load_digit_misreads()
    assert set(table) == {"0", "2", "7"}
    assert "기" in table["7"] and "?" in table["7"]


def test_shipped_jamo_misreads_load() -> None:
    table = load_jamo_misreads()
    assert "이" in table["ㅇ"] and "서" in table["ㅅ"]


# ------------------------------------------------------------------ name registry ----


@pytest.mark.parametrize(
    ("text", "line", "cause"),
    [
        ("name\trole\n", 1, "header"),
        (REGISTRY_HEADER + "박진표\t기자\t광주일보\t\t\n", 2, "6 tab-separated fields"),
        (REGISTRY_HEADER + "\t기자\t광주일보\t\t\tstaff\n", 2, "name field is empty"),
        (REGISTRY_HEADER + "박 진표\t기자\t광주일보\t\t\tstaff\n", 2, "whitespace"),
        (REGISTRY_HEADER + "# c\n박진표\t기자\t광주일보\t2020-13-01\t\tstaff\n", 3, "ISO date"),
        (REGISTRY_HEADER + "박진표\t기자\t광주일보\t2021-01-01\t2020-01-01\tstaff\n", 2, "after"),
    ],
)
def test_malformed_registry_names_file_and_line(
    tmp_path: Path, text: str, line: int, cause: str
) -> None:
    path = write(tmp_path, "registry.tsv", text)
    with pytest.raises(DataFileError, match=cause) as info:
        load_registry(path)
    assert_names_file_and_line(info.value, path, line)


@pytest.mark.parametrize("data", [b"", "name".encode("utf-16")])
def test_empty_or_not_utf8_registry_names_the_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "registry.tsv"
    path.write_bytes(data)
    with pytest.raises(DataFileError) as info:
        load_registry(path)
    assert_names_file_and_line(info.value, path, None)


def test_missing_registry_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.tsv"
    with pytest.raises(DataFileError) as info:
        load_registry(path)
    assert_names_file_and_line(info.value, path, None)


@pytest.mark.parametrize(
    ("loader", "text", "line"),
    [
        (load_surnames, "김\n이\nKim\n", 3),
        (load_name_syllables, "진\n표표\n", 2),
        (load_titles, "기자\n과장\tbefore-only\n", 2),
    ],
)
def test_malformed_name_data_names_file_and_line(
    tmp_path: Path, loader: object, text: str, line: int
) -> None:
    path = write(tmp_path, "names.txt", text)
    with pytest.raises(DataFileError) as info:
        loader(path)  # type: ignore[operator]
    assert_names_file_and_line(info.value, path, line)


def test_titles_must_be_hangul_and_listed_once(tmp_path: Path) -> None:
    path = write(tmp_path, "titles.txt", "# c\n기자\nCEO\n")
    with pytest.raises(DataFileError, match="Hangul") as info:
        load_titles(path)
    assert_names_file_and_line(info.value, path, 3)
    path = write(tmp_path, "twice.txt", "기자\n과장\n기자\tafter-only\n")
    with pytest.raises(DataFileError, match="twice") as info:
        load_titles(path)
    assert_names_file_and_line(info.value, path, 3)


def test_shipped_titles_load() -> None:
    titles = load_titles()
    assert "교통정책과장".endswith(titles.ending("교통정책과장") or "?")
    assert "씨" in titles.after_only and "기자" not in titles.after_only


# --------------------------------------------------------------------- word lists ----

# One entry each shipped list must hold (what the code relies on), and a line that is not an
# entry of that list.
WORD_LIST_CASES = {
    "surnames": ("남궁", "김씨네"),
    "name_syllables": ("진", "진표"),
    "place_endings": ("시", "시청"),
    "bare_place_endings": ("구", "k"),
    "place_suffix_tokens": ("역", "ㅇ"),
    "caption_words": ("左", "맨 왼쪽"),
    "speech_verbs": ("털어놓", "said"),
    "byline_titles": ("특파원", "기자2"),
    "counter_starts": ("%", "km"),
    "case_particles": ("으로", "ㅇ로"),
    "short_particles": ("는", "에서"),
    "sentence_end_syllables": ("다", "니다"),
    "chat_jamo": ("ㅋ", "ㅋㅋ"),
    "declarative_da_syllables": ("한", "한다"),
    "connective_after_da": ("한들", "a"),
}


def test_every_word_list_has_a_test_case() -> None:
    assert sorted(WORD_LIST_CASES) == sorted(WORD_LISTS)


@pytest.mark.parametrize("name", sorted(WORD_LISTS))
def test_shipped_word_list_loads(name: str) -> None:
    words = load_words(name)
    member, _ = WORD_LIST_CASES[name]
    assert member in words
    assert all(WORD_LISTS[name].valid(word) for word in words)
    assert data_path(WORD_LISTS[name].file).is_file()


@pytest.mark.parametrize("name", sorted(WORD_LISTS))
def test_malformed_word_list_names_file_and_line(tmp_path: Path, name: str) -> None:
    member, bad = WORD_LIST_CASES[name]
    path = write(tmp_path, WORD_LISTS[name].file, f"# {name}\n\n{member}\n{bad}\n")
    with pytest.raises(DataFileError, match="is not") as info:
        load_words(name, path)
    assert_names_file_and_line(info.value, path, 4)


@pytest.mark.parametrize(
    ("text", "line", "cause"),
    [
        ("시\n군\n시\n", 3, "listed twice"),
        ("시\n군\t구\n", 2, "one entry a line"),
        ("# c\n\t시\n", 2, "empty entry"),
    ],
)
def test_word_list_line_errors(tmp_path: Path, text: str, line: int, cause: str) -> None:
    path = write(tmp_path, "place_endings.txt", text)
    with pytest.raises(DataFileError, match=cause) as info:
        load_words("place_endings", path)
    assert_names_file_and_line(info.value, path, line)


@pytest.mark.parametrize("data", [None, "시".encode("utf-16")])
def test_missing_or_not_utf8_word_list_names_the_file(tmp_path: Path, data: bytes | None) -> None:
    path = tmp_path / "place_endings.txt"
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(DataFileError) as info:
        load_words("place_endings", path)
    assert_names_file_and_line(info.value, path, None)


def test_unknown_word_list_says_which_exist() -> None:
    with pytest.raises(KeyError, match="place_endings"):
        load_words("no_such_list")


def test_content_tag_prefixes_cover_the_lexicon_tags() -> None:
    assert all(tag.startswith(CONTENT_TAG_PREFIXES) for tag in CONTENT_TAGS)
    assert "VX-I".startswith(CONTENT_TAG_PREFIXES) and "VX-I" not in CONTENT_TAGS
    assert not any(tag.startswith(CONTENT_TAG_PREFIXES) for tag in ("JKS", "EF", "XSN", "SN"))


# ------------------------------------------------------------------ layout weights ----


def _weights_file(tmp_path: Path, change: object) -> Path:
    data = json.loads(data_path("layout_weights.json").read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "layout_weights.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_shipped_layout_weights_match_the_features() -> None:
    model = LayoutModel.load()
    assert model.features == FEATURE_NAMES
    assert len(model.break_weights) == len(model.intra_weights) == len(FEATURE_NAMES)


def _swap_first_two(data: dict) -> None:
    data["features"][1], data["features"][2] = data["features"][2], data["features"][1]


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        (_swap_first_two, "another order"),
        (lambda d: d["features"].remove("straddle"), "missing straddle"),
        (lambda d: d["features"].append("new_feature"), "unknown new_feature"),
        (lambda d: d.pop("features"), "no list of feature names"),
        (lambda d: d["break"]["weights"].pop(), f"needs a list of {len(FEATURE_NAMES)} weights"),
        (lambda d: d["intra"].update(threshold=1.5), "threshold between 0 and 1"),
    ],
)
def test_layout_weights_that_do_not_fit_the_code_fail_at_load(
    tmp_path: Path, change: object, cause: str
) -> None:
    path = _weights_file(tmp_path, change)
    with pytest.raises(DataFileError, match=cause) as info:
        LayoutModel.load(path=path)
    assert str(path) in str(info.value)
    if "weights" not in cause and "threshold" not in cause:
        assert "rerun scripts/calibrate_layout.py" in str(info.value)


def test_layout_weights_that_are_not_json_name_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "layout_weights.json", '{\n  "features": [\n    "bias",,\n')
    with pytest.raises(DataFileError, match="not valid JSON") as info:
        LayoutModel.load(path=path)
    assert_names_file_and_line(info.value, path, 3)


# ------------------------------------------------------------------------- config ----


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"threshold": 1.5}, "threshold"),
        ({"threshold": -0.1}, "threshold"),
        ({"threshold": 0.5, "suggest_threshold": 0.7}, "suggest_threshold"),
        ({"suggest_threshold": -1.0}, "suggest_threshold"),
    ],
)
def test_invalid_config_values_name_the_setting(settings: dict[str, float], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Config(**settings)


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"lexicons": "x.tsv"}, "write lexicons=('x.tsv',)"),
        ({"lexicons": Path("x.tsv")}, "write lexicons=('x.tsv',)"),
        ({"lexicons": 3}, "lexicons must be a list or tuple of paths"),
        ({"lexicons": ("a.tsv", 3)}, "each of lexicons must be a path"),
        ({"threshold": "abc"}, "threshold must be a number"),
        ({"threshold": True}, "threshold must be a number"),
        ({"threshold": 0.0}, "between 0.3 and 1"),
        ({"threshold": 0.29}, "calibrated"),
        ({"registry": 5}, "registry must be a path"),
        ({"date": "2021-12-01"}, "date must be a datetime.date"),
        ({"layout": "no"}, "layout must be True or False"),
    ],
)
def test_config_says_what_to_pass_at_construction(settings: dict, says: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config(**settings)
    assert says in str(info.value)


def test_config_is_keyword_only_and_normalises_what_it_accepts() -> None:
    with pytest.raises(TypeError):
        Config(0.8)  # type: ignore[misc]
    config = Config(threshold=1, lexicons=["a.tsv"], date=dt.datetime(2021, 12, 1, 9, 30))
    assert config.threshold == 1.0 and isinstance(config.threshold, float)
    assert config.lexicons == (Path("a.tsv"),) and config.date == dt.date(2021, 12, 1)
    assert Config(threshold=0.3).threshold == MIN_THRESHOLD


def test_cli_rejects_an_invalid_threshold_as_a_usage_error(tmp_path: Path) -> None:
    page = write(tmp_path, "page.txt", "국가\n")
    result = CliRunner().invoke(main, ["fix", str(page), "--threshold", "3"])
    assert result.exit_code == 2
    assert "--threshold" in result.output


# ------------------------------------------------------------- parsed, not executed ----

EXECUTING = re.compile(r"\b(pickle|marshal|shelve|dill)\b|\beval\(|\bexec\(|yaml\.load\(")


@pytest.mark.parametrize(
    "module", sorted(SRC.rglob("*.py")), ids=lambda p: p.relative_to(SRC).as_posix()
)
def test_no_module_unpickles_or_executes_data(module: Path) -> None:
    """Data files are read as text and parsed; nothing loaded can run code."""
    assert not EXECUTING.search(module.read_text(encoding="utf-8"))


# ------------------------------------------------------------------- misread weights ----


def _misread_weights(tmp_path: Path, names: list[str]) -> Path:
    from kocorrect.misreads import FEATURE_NAMES

    shipped = json.loads(data_path("misread_weights.json").read_text(encoding="utf-8"))
    weights = {name: shipped["weights"].get(name, 0.0) for name in names}
    assert set(shipped["weights"]) == set(FEATURE_NAMES)
    return write(tmp_path, "misread_weights.json", json.dumps({"weights": weights}))


def test_shipped_misread_weights_match_the_code() -> None:
    from kocorrect.misreads import FEATURE_NAMES, load_misread_model

    model = load_misread_model()
    assert len(model.weights) == len(FEATURE_NAMES)


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        (lambda names: names[1:], "missing bias"),
        (lambda names: [*names, "font_size"], "unknown font_size"),
        (lambda names: [names[1], names[0], *names[2:]], "another order"),
    ],
)
def test_misread_weights_for_other_features_are_refused(
    tmp_path: Path, change: object, cause: str
) -> None:
    from kocorrect.misreads import FEATURE_NAMES, load_misread_model

    path = _misread_weights(tmp_path, change(list(FEATURE_NAMES)))  # type: ignore[operator]
    with pytest.raises(DataFileError) as info:
        load_misread_model(path)
    assert str(path) in str(info.value) and "calibrate_misreads" in str(info.value)
    assert cause in str(info.value)
