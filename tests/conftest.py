"""Fixtures shared by every test folder; the helpers they use are in tests/support.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import (
    AMBIENT,
    GIT_ENV,
    GIT_UNSET,
    GOLDEN,
    GOLDEN_WRITTEN,
    GitRepo,
    Run,
    copy_fixture,
    run_scorecard,
)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """`make golden` (UPDATE_GOLDEN=1, the tests marked golden) must rewrite every golden file:
    one it missed is a golden test without the marker, or a file no test uses any more."""
    if os.environ.get("UPDATE_GOLDEN") != "1" or hasattr(session.config, "workerinput"):
        return
    missed = sorted(p.name for p in GOLDEN.iterdir() if p.is_file())
    missed = [name for name in missed if name not in GOLDEN_WRITTEN]
    if missed:
        session.exitstatus = 1
        print(f"\nmake golden did not rewrite: {', '.join(missed)} (mark their tests golden)")


@pytest.fixture(autouse=True)
def _quiet_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AMBIENT:
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
        return run_scorecard(*args)

    return run


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


@pytest.fixture
def git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """git isolated from the user's and the system's configuration, in UTC."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    for name in GIT_UNSET:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo(tmp_path: Path, git_env, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A repository with the minimal fixture committed as data/, and the current folder in it."""
    repository = GitRepo.create(tmp_path / "repo")
    monkeypatch.chdir(repository.root)
    repository.commit("Add the minimal data")
    return repository
