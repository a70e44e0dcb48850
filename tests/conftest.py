"""Shared helpers: fixture folders, running the command in-process, and golden files.

Golden files live in tests/golden/. After a deliberate change to an output, regenerate them with
one command and review the diff before committing:

    UPDATE_GOLDEN=1 python -m pytest tests/test_score.py
"""

from __future__ import annotations

import io
import os
import shutil
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"

# A fixed reference date for every run: without --date the date comes from git or the data.
DATE = "2024-06-01"

# Variables that change what the command prints or which date it uses.
_AMBIENT = ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH", "SCORECARD_DEBUG")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if ": error: " in line]


@pytest.fixture(autouse=True)
def _quiet_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _AMBIENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def scorecard(monkeypatch: pytest.MonkeyPatch):
    """Run `scorecard ARGS...` in this process and return its exit code, stdout and stderr.

    SCORECARD_DEBUG=1 lets any exception escape, so a bug fails the test with its traceback
    instead of hiding behind the command's one-line "internal error" (exit 3).
    """

    def run(*args: str | os.PathLike[str], debug: bool = True) -> Run:
        if debug:
            monkeypatch.setenv("SCORECARD_DEBUG", "1")
        else:
            monkeypatch.delenv("SCORECARD_DEBUG", raising=False)
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(arg) for arg in args])
        return Run(code, out.getvalue(), err.getvalue())

    return run


def copy_fixture(name: str, destination: Path) -> Path:
    """A writable copy of tests/fixtures/<name> at `destination`."""
    shutil.copytree(FIXTURES / name, destination)
    return destination


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Build a data folder `data/` in a fresh temporary directory, made the current one so error
    paths read `data/labs/lab-a.yaml`, from a fixture with files replaced, added or removed.
    Returns its absolute path: nothing a test writes can land in the repository's data/."""

    def build(
        files: dict[str, str | bytes | None] | None = None, *, fixture: str = "minimal"
    ) -> Path:
        monkeypatch.chdir(tmp_path)
        data = copy_fixture(fixture, tmp_path / "data")
        for relative, content in (files or {}).items():
            path = data / relative
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return data

    return build


def check_golden(name: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<name>; with UPDATE_GOLDEN=1, rewrite the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1 (see conftest.py)"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"output differs from {path.relative_to(ROOT)}; if the change is intended, run "
        "UPDATE_GOLDEN=1 python -m pytest tests/test_score.py and review the diff"
    )
