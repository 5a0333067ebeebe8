"""Malformed data files fail loudly, naming the file and the line; data is parsed, never run.

A lexicon, confusion table or name registry that silently dropped a bad row would change
what kocorrect corrects (or lets pass as a verified name) without anyone noticing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kocorrect import Config, ConfigError, DataFileError
from kocorrect.cli import main
from kocorrect.config import MIN_THRESHOLD
from kocorrect.distance import ConfusionTable
from kocorrect.lexicon import read_lexicon_tsv
from kocorrect.names import load_name_syllables, load_surnames, load_titles
from kocorrect.registry import load_registry

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


@pytest.mark.parametrize("module", sorted(SRC.glob("*.py")), ids=lambda p: p.name)
def test_no_module_unpickles_or_executes_data(module: Path) -> None:
    """Data files are read as text and parsed; nothing loaded can run code."""
    assert not EXECUTING.search(module.read_text(encoding="utf-8"))
