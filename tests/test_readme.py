"""Every command in the README's `sh` blocks runs as written from a fresh clone.

The blocks run in order, in a temporary folder holding a copy of `corpus/` (what a fresh clone
has) and, when it exists, a link to the shared material beside the project (`../shared`). A
command's expected exit status is 0 unless its line says `(exit N)`. Skipped, with the reason:
`pip install` (the environment is already installed), `python -m pytest` (this is that run),
a block marked `<!-- readme-test: skip (why) -->`, and a command naming `../shared` when the
shared material is absent.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
README = ROOT / "README.md"
SKIP_MARK = re.compile(r"<!-- readme-test: skip \((.+?)\) -->\s*$")


def readme_blocks() -> list[tuple[int, list[str], str | None]]:
    """(line number, commands, reason to skip the block or None) per ```sh block."""
    lines = README.read_text(encoding="utf-8").splitlines()
    blocks: list[tuple[int, list[str], str | None]] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() == "```sh":
            mark = SKIP_MARK.search(lines[index - 1]) if index else None
            start, body = index + 1, []
            index += 1
            while lines[index].strip() != "```":
                body.append(lines[index])
                index += 1
            commands: list[str] = []
            for line in body:
                if commands and commands[-1].endswith("\\"):
                    commands[-1] = commands[-1][:-1] + line
                elif line.strip() and not line.lstrip().startswith("#"):
                    commands.append(line)
            blocks.append((start, commands, mark.group(1) if mark else None))
        index += 1
    return blocks


def runnable(command: str) -> tuple[str | None, str]:
    """(the command to run or None, why not) with the `pip install ... &&` part left out."""
    command = re.sub(r"^pip install [^&]*&&\s*", "", command.strip())
    if command.startswith("pip install"):
        return None, "pip install: the environment is installed already"
    if command.startswith("python -m pytest"):
        return None, "the test suite: this is that run"
    if "../shared" in command and not SHARED.is_dir():
        return None, "needs ../shared beside the project"
    return command, ""


def expected_status(command: str) -> int:
    found = re.search(r"\(exit (\d+)\)", command)
    return int(found.group(1)) if found else 0


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A folder that looks like a fresh clone, and an environment whose `kocorrect` is this
    checkout's (whether or not it is installed)."""
    root = tmp_path_factory.mktemp("clone")
    work = root / "kocorrect"
    shutil.copytree(ROOT / "corpus", work / "corpus")
    if SHARED.is_dir():
        (root / "shared").symlink_to(SHARED, target_is_directory=True)
    bin_dir = root / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "kocorrect"
    shim.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -c "import sys; from kocorrect.cli import main; '
        f'sys.argv[0] = \'kocorrect\'; main()" "$@"\n',
        encoding="utf-8",
    )
    shim.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    env.pop("NO_COLOR", None)
    return work, env


def test_readme_has_command_blocks() -> None:
    blocks = readme_blocks()
    assert len(blocks) >= 3
    assert any("kocorrect batch" in c for _, commands, _ in blocks for c in commands)


@pytest.mark.slow
def test_every_readme_command_runs_as_written(clone: tuple[Path, dict[str, str]]) -> None:
    work, env = clone
    ran = 0
    for line, commands, skip in readme_blocks():
        if skip:
            continue
        for command in commands:
            shell, _why = runnable(command)
            if shell is None:
                continue
            done = subprocess.run(
                ["bash", "-o", "pipefail", "-c", shell], cwd=work, env=env, capture_output=True,
                text=True, stdin=subprocess.DEVNULL, timeout=600, check=False,
            )  # fmt: skip
            assert done.returncode == expected_status(command), (
                f"README.md block at line {line}: {command}\n{done.stderr[-2000:]}"
            )
            assert "Traceback" not in done.stderr, (command, done.stderr)
            ran += 1
    assert ran >= 10
    assert (work / "corrected" / "summary.json").is_file()
    assert (work / "kocorrect-complete.bash").read_text(encoding="utf-8").strip()
