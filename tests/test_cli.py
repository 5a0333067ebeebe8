"""The command line, driven through click's CliRunner.

Rendering and exit codes are tested against corrections built by hand (a stand-in Corrector);
the real pipeline is tested with assertions that hold whatever its stages decide.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import kocorrect
from kocorrect import Config, Correction, Corrector, Edit, Flag, apply_edits
from kocorrect import cli as cli_module
from kocorrect.cli import main
from kocorrect.render import edit_log

FIXTURE = Path(__file__).parent / "fixtures" / "eval"
OFF = ["--no-layout", "--no-names", "--no-correct"]
PAGE = "국가 데이터 탠 구축\n핵심 기업을 육\n\n성해\n홍길동 기자\n"
MISREAD = Edit(7, 8, "탠", "댐", "ocr-misread", 0.92, "ㅌ read for ㄷ")
REJOIN = Edit(20, 22, "\n\n", "", "rejoin", 1.0, "broken word at column break")
SUGGEST = Edit(9, 11, "구축", "구측", "real-word", 0.3, "a doubtful guess")
NAME = Flag(25, 28, "unverified-name", "person name not in the registry", ("홍길순",))


def hand_correction(text: str) -> Correction:
    """The hand-built result for PAGE (any other text: nothing to do)."""
    if text != PAGE:
        return Correction(text, text)
    edits = (MISREAD, REJOIN)
    return Correction(text, apply_edits(text, edits), edits, (SUGGEST,), (NAME,))


def test_hand_spans_fit_the_page() -> None:
    assert [PAGE[e.start : e.end] for e in (MISREAD, REJOIN, SUGGEST)] == ["탠", "\n\n", "구축"]
    assert PAGE[NAME.start : NAME.end] == "홍길동"


@pytest.fixture
def hand(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[str], Correction]], None]:
    """Make the CLI correct with a given function instead of the pipeline."""

    def install(make: Callable[[str], Correction]) -> None:
        class StandIn:
            def __init__(self, *, config: Config | None = None) -> None:
                self.config = config

            def correct(self, text: str) -> Correction:
                return make(text)

            correct_large = correct

        monkeypatch.setattr(cli_module, "Corrector", StandIn)

    return install


_shared: dict[Config, Corrector] = {}


@pytest.fixture
def real(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real pipeline, with one Corrector per configuration for the whole module."""

    def shared(*, config: Config) -> Corrector:
        return _shared.setdefault(config, Corrector(config=config))

    monkeypatch.setattr(cli_module, "Corrector", shared)


def run(*args: str, input: str | bytes | None = None, env: dict | None = None):
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def page_file(tmp_path: Path, text: str = PAGE, name: str = "page.ocr.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------- help ----


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"kocorrect {command}" in result.output


def _help_exit_codes() -> dict[int, str]:
    """The exit-code table of `kocorrect --help`: code -> its first line."""
    text = run("--help").output
    table = text[text.index("Exit codes") :].split("\n\n")[0]
    rows = [line.split(None, 1) for line in table.splitlines()[1:]]
    return {int(r[0]): r[1] for r in rows if len(r) == 2 and r[0].isdigit()}


def test_main_help_documents_exit_codes() -> None:
    codes = _help_exit_codes()
    assert sorted(codes) == [0, 1, 2, 3, 130]
    assert codes[1].startswith("changes found") and codes[130].startswith("interrupted")
    assert run("--version").output.strip().endswith(kocorrect.__version__)


def test_readme_exit_code_table_is_the_help_table() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `?(\d+)`? \| ([^|]+)\|", readme, flags=re.M)
    documented = {int(code): meaning.strip() for code, meaning in rows}
    codes = _help_exit_codes()
    assert sorted(documented) == sorted(codes)
    for code, meaning in codes.items():  # the same words start both
        assert documented[code].split(":")[0].split(" (")[0] in meaning, (code, documented[code])


# ---------------------------------------------------------------------------------- fix ----


def test_fix_reads_stdin_and_writes_stdout_unchanged_with_every_stage_off() -> None:
    result = run("fix", *OFF, input=PAGE)
    assert result.exit_code == 0
    assert result.stdout_bytes == PAGE.encode("utf-8")


def test_fix_decodes_cp949_and_always_writes_utf8(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(PAGE.encode("cp949"))
    result = run("fix", str(path), *OFF)
    assert result.stdout_bytes == PAGE.encode("utf-8")


def test_fix_writes_text_and_edit_log(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    out, log = tmp_path / "out.txt", tmp_path / "out.edits.jsonl"
    result = run("fix", str(source), "-o", str(out), "--edits", str(log))
    assert result.exit_code == 0 and result.output == ""
    assert (
        out.read_text(encoding="utf-8") == "국가 데이터 댐 구축\n핵심 기업을 육성해\n홍길동 기자\n"
    )
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    output = out.read_bytes()
    assert records[0] == {
        "type": "page",
        "path": str(source),
        "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "length": len(PAGE),
        "kocorrect": kocorrect.__version__,
        "encoding": "utf-8",
        "output_sha256": hashlib.sha256(output).hexdigest(),
        "output_length": len(output.decode("utf-8")),
    }
    assert [r["type"] for r in records[1:]] == ["edit", "suggestion", "edit", "flag"]


def test_fix_json_prints_the_whole_result(hand) -> None:
    hand(hand_correction)
    doc = json.loads(run("fix", "--json", input=PAGE).stdout)
    assert doc["text"] == hand_correction(PAGE).text
    assert doc["page"]["path"] == "<stdin>"
    assert doc["page"]["sha256"] == hashlib.sha256(PAGE.encode()).hexdigest()
    assert [e["original"] for e in doc["edits"]] == ["탠", "\n\n"]
    assert doc["flags"][0]["original"] == "홍길동"


@pytest.mark.parametrize(
    ("make", "args", "code"),
    [
        (hand_correction, ["--check"], 1),
        (lambda t: Correction(t, t), ["--check"], 0),
        (lambda t: Correction(t, t, (), (), (NAME,)), ["--check"], 0),
        (lambda t: Correction(t, t, (), (), (NAME,)), ["--check", "--strict"], 1),
        (lambda t: Correction(t, t), ["--check", "--strict"], 0),
    ],
)
def test_check_exit_codes(hand, make, args: list[str], code: int) -> None:
    hand(make)
    result = run("fix", *args, input=PAGE)
    assert result.exit_code == code
    assert result.stdout == ""  # --check writes no text
    assert ("would change" in result.stderr) == (code == 1)


def test_fix_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    source = page_file(tmp_path)
    for option in ("-o", "--edits"):
        result = run("fix", str(source), option, str(source), *OFF)
        assert result.exit_code == 2
        assert "never writes over its input" in result.stderr
    assert source.read_text(encoding="utf-8") == PAGE


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "looks like a PNG image"),
        (b"text \xff\xff\xff", "undecodable byte at offset 5"),
    ],
)
def test_unreadable_page_exits_3_naming_the_file(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("fix", str(path), *OFF)
    assert result.exit_code == 3
    assert str(path) in result.stderr and message in result.stderr
    missing = run("fix", str(tmp_path / "none.txt"), *OFF)
    assert missing.exit_code == 3 and "no such file" in missing.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["fix", "--threshold", "2"],
        ["fix", "--strict"],
        ["fix", "--date", "2021/12/01"],
        ["fix", "--no-such-option"],
        ["eval", "a", "b"],
        ["eval"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args, input="")
    assert result.exit_code == 2


@pytest.fixture
def configs(monkeypatch: pytest.MonkeyPatch) -> list[Config]:
    """The configs the CLI builds its Correctors with (each page returned as it is)."""
    seen: list[Config] = []

    class Spy:
        def __init__(self, *, config: Config) -> None:
            seen.append(config)

        def correct(self, text: str) -> Correction:
            return Correction(text, text)

        correct_large = correct

    monkeypatch.setattr(cli_module, "Corrector", Spy)
    return seen


def test_threshold_and_date_reach_the_config(configs: list[Config]) -> None:
    seen = configs
    run("fix", "--threshold", "0.3", "--date", "2021-12-01", "--keep-lines", "--no-names", input="")
    config = seen[0]
    assert (config.threshold, config.suggest_threshold) == (0.3, 0.2)
    assert config.date.isoformat() == "2021-12-01"
    assert config.keep_lines and not config.names and config.layout and config.correct


def test_the_cli_passes_the_effort_on(tmp_path: Path, configs: list[Config]) -> None:
    page = tmp_path / "page.ocr.txt"
    page.write_text("국가 데이터 탠 구축\n", encoding="utf-8")
    for args, effort in (([], "thorough"), (["--effort", "fast"], "fast")):
        result = CliRunner().invoke(main, ["fix", str(page), *args])
        assert result.exit_code == 0, result.output
        assert configs[-1].effort == effort
    refused = CliRunner().invoke(main, ["fix", str(page), "--effort", "quick"])
    assert refused.exit_code == 2 and "quick" in refused.output


@pytest.mark.slow
def test_real_pipeline_log_replays_to_the_output(tmp_path: Path, real) -> None:
    source = page_file(tmp_path, "연말연시 대비 읍주운전 근절에\n\n동참해 주시길 바란다.\n")
    out, log = tmp_path / "out.txt", tmp_path / "log.jsonl"
    result = run("fix", str(source), "-o", str(out), "--edits", str(log))
    assert result.exit_code == 0
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    edits = [
        Edit(r["start"], r["end"], r["original"], r["replacement"], r["kind"], r["confidence"],
             r["reason"])
        for r in records if r["type"] == "edit"
    ]  # fmt: skip
    assert apply_edits(source.read_text(encoding="utf-8"), edits) == out.read_text("utf-8")
    check = run("fix", str(source), "--check")
    assert check.exit_code == (1 if edits else 0)


# --------------------------------------------------------------------------------- diff ----


def test_diff_shows_numbered_changes(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    result = run("diff", str(source), "--context", "0")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"--- {source}",
        f"+++ {source} (corrected)",
        "# 2 edits, 1 suggestion, 1 flag",
        "@@ lines 1-5 @@",
        "국가 데이터 [-탠-]{+댐+}‹1› {?구축→구측?}‹2›",
        "핵심 기업을 육[-↵↵-]‹3›성해",
        "{@홍길동@}‹4› 기자",
        "  ‹1› edit ocr-misread 0.92: 탠→댐 — ㅌ read for ㄷ",
        "  ‹2› suggestion real-word 0.30: 구축→구측 — a doubtful guess",
        "  ‹3› edit rejoin 1.00: ↵↵→ — broken word at column break",
        "  ‹4› name unverified-name: 홍길동 — person name not in the registry (maybe: 홍길순)",
    ]


def test_diff_color_only_when_asked_and_never_with_no_color(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = str(page_file(tmp_path))
    assert "\x1b[" not in run("diff", source).stdout  # not a terminal
    assert "\x1b[31m[-탠-]" in run("diff", source, "--color").stdout
    assert "\x1b[" not in run("diff", source, env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" not in run("diff", source, "--no-color").stdout


def test_diff_from_a_stored_edit_log(tmp_path: Path) -> None:
    source = page_file(tmp_path)
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    log = tmp_path / "page.edits.jsonl"
    log.write_text(edit_log(hand_correction(PAGE), path="p", sha256=sha, version="0"), "utf-8")
    result = run("diff", str(source), "--edits", str(log), "--context", "-1")
    assert result.exit_code == 0
    assert "[-탠-]{+댐+}‹1›" in result.stdout and "{@홍길동@}‹4›" in result.stdout
    source.write_text(PAGE + "추가\n", encoding="utf-8")  # the page changed since the log
    stale = run("diff", str(source), "--edits", str(log))
    assert stale.exit_code == 3 and "another version" in stale.stderr


# ----------------------------------------------------------------------------- review ----


def test_review_steps_through_items_and_the_log_replays(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    out = tmp_path / "page.reviewed.txt"
    # items in page order: suggestion 구축→구측, flag 홍길동 (with --all also the two edits)
    # edit 탠→댐: accept; suggestion: type a replacement; edit ↵↵: reject; flag: accept
    # (off a terminal the answers come on stdin, written as for --keys)
    result = run("review", str(source), "-o", str(out), "--all", input="a t=건설\nr a\n")
    assert result.exit_code == 0, result.output
    assert "(1/4) edit ocr-misread 0.92" in result.output
    expected = "국가 데이터 댐 건설\n핵심 기업을 육\n\n성해\n홍길순 기자\n"
    assert out.read_text(encoding="utf-8") == expected
    log = tmp_path / "page.reviewed.decisions.jsonl"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert records[0]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert [(r["item"], r["action"]) for r in records[1:]] == [
        ("edit", "accept"),
        ("suggestion", "replace"),
        ("edit", "reject"),
        ("flag", "accept"),
    ]
    replay = run("fix", str(source), "--decisions", str(log))
    assert replay.exit_code == 0
    assert replay.stdout == out.read_text(encoding="utf-8")


def test_review_quit_keeps_the_defaults_for_the_rest(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    out = tmp_path / "out.txt"
    result = run("review", str(source), "-o", str(out), input="aq")  # accept the suggestion
    assert result.exit_code == 0
    assert (
        out.read_text(encoding="utf-8") == "국가 데이터 댐 구측\n핵심 기업을 육성해\n홍길동 기자\n"
    )


def test_review_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    source = page_file(tmp_path)
    result = run("review", str(source), "-o", str(source), *OFF)
    assert result.exit_code == 2 and source.read_text(encoding="utf-8") == PAGE


def test_decisions_for_another_page_are_refused(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    run("review", str(source), "-o", str(tmp_path / "o.txt"), input="q")
    other = page_file(tmp_path, "다른 면\n", "other.txt")
    result = run("fix", str(other), "--decisions", str(tmp_path / "o.decisions.jsonl"))
    assert result.exit_code == 3 and "another version of" in result.stderr


@pytest.mark.slow
def test_review_with_the_real_pipeline_replays_exactly(tmp_path: Path, real) -> None:
    text = "국가 데이터 탠 구축 성과물인 윈스톱 서비스\n\n김철수 광주시 행정부시장은 말했다.\n"
    source = page_file(tmp_path, text)
    out = tmp_path / "out.txt"
    result = run("review", str(source), "-o", str(out), "--all", input="ar" * 20)
    assert result.exit_code == 0
    replay = run("fix", str(source), "--decisions", str(tmp_path / "out.decisions.jsonl"))
    assert replay.stdout == out.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------- batch ----


def test_batch_command_prints_the_summary_and_fails_on_bad_pages(tmp_path: Path) -> None:
    indir = tmp_path / "in"
    (indir / "a").mkdir(parents=True)
    (indir / "a" / "p1.ocr.txt").write_text(PAGE, encoding="utf-8")
    (indir / "p2.ocr.txt").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "out").mkdir()
    result = run("batch", str(indir), str(tmp_path / "out"), "--glob", "*.ocr.txt", "-j", "1", *OFF)
    assert result.exit_code == 3
    assert "pages                                  2" in result.stdout
    assert "FAILED p2.ocr.txt:" in result.stdout and "PDF document" in result.stdout
    assert (tmp_path / "out" / "a" / "p1.ocr.txt").read_text(encoding="utf-8") == PAGE
    assert (tmp_path / "out" / "a" / "p1.ocr.edits.jsonl").is_file()


# -------------------------------------------------------------------------------- eval ----


def test_eval_on_three_files_and_on_folders_agree(tmp_path: Path) -> None:
    files = [FIXTURE / "visit.ocr.txt", FIXTURE / "visit.gold.txt", FIXTURE / "out/visit.ocr.txt"]
    one = json.loads(run("eval", *map(str, files), "--json").stdout)["totals"]
    assert (one["dist_in"], one["dist_out"], one["char_tp_sys"], one["char_sys_edits"]) == (
        3,
        2,
        1,
        2,
    )
    table = run("eval", "--ocr-dir", str(FIXTURE), "--out-dir", str(FIXTURE / "out"))
    assert table.exit_code == 0
    assert "TOTAL (3 pages)" in table.stdout and "hangul" in table.stdout
    both = run("eval", "--ocr-dir", str(FIXTURE), "--out-dir", str(FIXTURE / "out"), "--json")
    assert json.loads(both.stdout)["totals"]["CER_in"] == pytest.approx(0.051094890510948905)


def test_eval_reports_missing_outputs_and_empty_folders(tmp_path: Path) -> None:
    result = run("eval", "--ocr-dir", str(FIXTURE), "--out-dir", str(tmp_path))
    assert "missing outputs (scored as unchanged): spring, town, visit" in result.stdout
    empty = run("eval", "--ocr-dir", str(tmp_path), "--out-dir", str(tmp_path))
    assert empty.exit_code == 3 and "no NAME.ocr.txt + NAME.gold.txt pairs" in empty.stderr


def test_library_modules_never_import_click() -> None:
    src = Path(kocorrect.__file__).parent
    for module in src.rglob("*.py"):
        if module.name != "cli.py":
            assert "import click" not in module.read_text(encoding="utf-8"), module.name
    assert isinstance(main, click.Group)


def test_review_needs_an_output_file() -> None:
    assert run("review", "-", "-o", "-", *OFF, input=PAGE).exit_code == 2


# ----------------------------------------------------- one behaviour for one mistake ----


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["fix", "{tmp}/nope.txt"], "nope.txt: no such file"),
        (["fix", "-", "--lexicon", "{tmp}/nope.tsv"], "nope.tsv: no such file (--lexicon)"),
        (["fix", "-", "--registry", "{tmp}/nope.tsv"], "nope.tsv: no such file (--registry)"),
        (["fix", "{page}", "--decisions", "{tmp}/nope.jsonl"], "no such file (--decisions)"),
        (["diff", "{page}", "--edits", "{tmp}/nope.jsonl"], "nope.jsonl: no such file"),
        (["batch", "{tmp}/nope", "{tmp}"], "nope: no such folder"),
        (["batch", "{indir}", "{tmp}/nope"], "nope: no such folder; create it first"),
        (["eval", "{tmp}/a", "{tmp}/b", "{tmp}/c"], "a: no such file"),
    ],
)
def test_a_missing_input_exits_3_whatever_names_it(tmp_path: Path, args, missing: str) -> None:
    page = page_file(tmp_path)
    (tmp_path / "in").mkdir()
    argv = [a.format(tmp=tmp_path, page=page, indir=tmp_path / "in") for a in args]
    result = run(*argv, *OFF, input=PAGE) if args[0] != "eval" else run(*argv)
    assert result.exit_code == 3, result.output
    assert missing in result.stderr and "Usage:" not in result.stderr


@pytest.mark.parametrize("option", ["-o", "--edits"])
def test_fix_never_creates_a_missing_output_folder(tmp_path: Path, option: str) -> None:
    target = tmp_path / "no" / "such" / "out.txt"
    result = run("fix", str(page_file(tmp_path)), option, str(target), *OFF)
    assert result.exit_code == 3
    assert "does not exist; create it first" in result.stderr
    assert not (tmp_path / "no").exists()


def test_batch_needs_an_existing_outdir(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    page_file(tmp_path / "in")
    result = run("batch", str(tmp_path / "in"), str(tmp_path / "out"), *OFF)
    assert result.exit_code == 3 and "mkdir -p" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("extra", [["--edits", "chk.jsonl"], ["-o", "chk.txt"]])
def test_check_writes_nothing_ever(
    tmp_path: Path, hand, extra: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # the relative output path would land here
    result = CliRunner().invoke(main, ["fix", str(source), "--check", *extra])
    assert result.exit_code == 2 and "--check writes nothing" in result.stderr
    assert list(work.iterdir()) == []


def test_check_counts_in_words(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    result = run("fix", str(page_file(tmp_path)), "--check")
    assert result.exit_code == 1
    assert "would change (2 edits, 1 suggestion, 1 flag)" in result.stderr


def test_threshold_below_the_calibrated_range_is_refused() -> None:
    result = run("fix", "--threshold", "0", *OFF, input=PAGE)
    assert result.exit_code == 2 and "0.3<=x<=1.0" in result.stderr.replace(" ", "")
    assert "calibrated" in run("fix", "--help").output


def test_lexicon_help_says_the_format() -> None:
    assert "WORD<TAB>TAG<TAB>NOTE" in " ".join(run("fix", "--help").output.split())


# ------------------------------------------------------------------- quiet, verbose ----


def test_quiet_prints_nothing_but_errors(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    checked = run("fix", str(source), "--check", "-q")
    assert checked.exit_code == 1 and checked.stderr == "" and checked.stdout == ""
    indir, outdir = tmp_path / "in", tmp_path / "out"
    indir.mkdir(), outdir.mkdir()
    page_file(indir)
    quiet = run("batch", str(indir), str(outdir), "-j", "1", "-q", *OFF)
    assert quiet.exit_code == 0 and quiet.output == ""
    assert (outdir / "summary.json").is_file()
    missing = run("fix", str(tmp_path / "nope.txt"), "-q")
    assert missing.exit_code == 3 and "no such file" in missing.stderr


def test_verbose_says_what_is_done(tmp_path: Path) -> None:
    indir, outdir = tmp_path / "in", tmp_path / "out"
    indir.mkdir(), outdir.mkdir()
    page_file(indir)
    result = run("batch", str(indir), str(outdir), "-j", "1", "-v", *OFF)
    assert result.exit_code == 0
    assert "page.ocr.txt: 0 edits" in result.stderr
    single = run("fix", str(indir / "page.ocr.txt"), "-v", *OFF)
    assert f"page.ocr.txt (utf-8, {len(PAGE)} chars): 0 edits, 0 suggestions, 0 flags in" in (
        single.stderr
    )


def test_quiet_and_verbose_together_is_a_usage_error() -> None:
    assert run("fix", "-q", "-v", *OFF, input=PAGE).exit_code == 2


def test_shell_completion_script_is_available() -> None:
    result = CliRunner().invoke(
        main, [], prog_name="kocorrect", env={"_KOCORRECT_COMPLETE": "bash_source"}
    )
    assert "_kocorrect_completion" in result.output and "complete " in result.output


def test_page_timeout_must_be_positive(tmp_path: Path) -> None:
    result = run("batch", str(tmp_path), str(tmp_path / "o"), "--page-timeout", "0", *OFF)
    assert result.exit_code == 2


# ---------------------------------------------------------------- review, scripted ----

UNCHECKED = Flag(25, 28, "unverified-name", "person name 홍길동 cannot be verified", ())


def test_review_without_a_terminal_is_a_clear_usage_error(tmp_path: Path) -> None:
    source = page_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "kocorrect.cli", "review", str(source), "-o",
         str(tmp_path / "out.txt"), *OFF],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "terminal" in result.stderr and "--keys" in result.stderr
    assert "OSError" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.txt").exists()


def test_review_keys_drive_the_review(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    out = tmp_path / "out.txt"
    result = run("review", str(source), "-o", str(out), "--keys", "t=건설 a")
    assert result.exit_code == 0, result.output
    expected = "국가 데이터 댐 건설\n핵심 기업을 육성해\n홍길순 기자\n"
    assert out.read_text(encoding="utf-8") == expected
    assert "2 decisions; wrote" in result.stderr


def test_review_says_what_accept_means_on_a_name_it_cannot_change(tmp_path: Path, hand) -> None:
    def with_unchecked_name(text: str) -> Correction:
        return Correction(text, text, flags=(UNCHECKED,))

    hand(with_unchecked_name)
    source = page_file(tmp_path)
    out = tmp_path / "out.txt"
    result = run("review", str(source), "-o", str(out), "--keys", "a")
    assert result.exit_code == 0
    assert "[a] checked, it is right" in result.output and "[r]eject" not in result.output
    records = (tmp_path / "out.decisions.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(records[1])["action"] == "accept"  # logged: the name was checked
    rejected = run("review", str(source), "-o", str(out), "--keys", "r")
    assert rejected.exit_code == 2 and "proposes nothing to reject" in rejected.stderr


@pytest.mark.parametrize("keys", ["x", "t", "t 건설"])
def test_review_keys_that_mean_nothing_are_a_usage_error(tmp_path: Path, keys: str) -> None:
    result = run("review", str(page_file(tmp_path)), "-o", str(tmp_path / "o.txt"),
                 "--keys", keys, *OFF)  # fmt: skip
    assert result.exit_code == 2 and "--keys" in result.stderr


def test_review_checks_both_output_folders_before_writing_either(tmp_path: Path, hand) -> None:
    hand(hand_correction)
    source = page_file(tmp_path)
    out = tmp_path / "out.txt"
    log = tmp_path / "missing" / "out.decisions.jsonl"
    result = run("review", str(source), "-o", str(out), "--decisions-log", str(log),
                 "--keys", "a")  # fmt: skip
    assert result.exit_code == 3 and "does not exist" in result.stderr
    assert not out.exists()


def test_ctrl_c_in_any_command_exits_130_without_a_traceback(tmp_path: Path, hand) -> None:
    def interrupted(_text: str) -> Correction:
        raise KeyboardInterrupt

    hand(interrupted)
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(main, ["fix", str(page_file(tmp_path)), "-o", str(out)])
    assert result.exit_code == 130
    assert "interrupted" in result.stderr and "Aborted" not in result.output
    assert not out.exists()
