"""What installing kocorrect pulls in, and what the test ids and kinds look like to a user."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kocorrect import Edit
from kocorrect.types import EDIT_KINDS, compose_edits

ROOT = Path(__file__).resolve().parents[1]


def _requirement_names(lines: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower() for line in lines}


def test_benchmark_only_packages_are_not_runtime_dependencies() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _requirement_names(project["dependencies"])
    assert "symspellpy" not in runtime
    assert "symspellpy" in _requirement_names(project["optional-dependencies"]["bench"])
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    assert "symspellpy" not in source  # the package never imports it


def test_case_ids_are_readable() -> None:
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         str(ROOT / "tests" / "test_misreads.py")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    ids = [line for line in collected.stdout.splitlines() if "::" in line]
    assert any("test_known_failure[misreads_known_failures.tsv:" in i for i in ids), ids
    tables = [i for i in ids if "test_known_failure[" in i or "test_golden_case[" in i]
    assert tables and not [i for i in tables if "\\u" in i]


def test_joined_kinds_have_one_canonical_order() -> None:
    source = "데이터 탠"
    first = [Edit(3, 4, " ", "", "rejoin", 1.0, "joined")]
    second = [Edit(3, 4, "탠", "댐", "ocr-misread", 0.9, "ㅌ read for ㄷ")]
    (merged,) = compose_edits(source, first, second)
    assert merged.kind == "rejoin+ocr-misread"
    first_misread = [Edit(4, 5, "탠", "댐", "ocr-misread", 0.9, "ㅌ read for ㄷ")]
    second_rejoin = [Edit(3, 5, " 댐", "댐", "rejoin", 1.0, "joined")]
    (other,) = compose_edits(source, first_misread, second_rejoin)
    assert other.kind == "rejoin+ocr-misread"


def test_readme_lists_every_edit_kind() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind in EDIT_KINDS:
        assert f"`{kind}`" in readme, kind
