"""What the tests share: paths, the reference date, running the command, building a site,
golden files and git repositories. Fixtures built on these are in conftest.py.

Golden files live in tests/golden/. After a deliberate change to an output, regenerate every
one of them with one command and review the diff before committing:

    make golden
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from generator.cli import main

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"

# The one reference date of the fixtures' tests: without --date the date comes from git or
# the data, and would move.
DATE = "2024-06-01"
REFERENCE = dt.date.fromisoformat(DATE)

# Variables that change what the command prints or which date it uses.
AMBIENT = ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH", "SCORECARD_DEBUG")

# git sees no user or system configuration, and signs nothing.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "TZ": "UTC",
}
GIT_UNSET = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if ": error: " in line]


def run_scorecard(*args: str | os.PathLike[str]) -> Run:
    """`scorecard ARGS...` in this process: exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return Run(code, out.getvalue(), err.getvalue())


def build_site(
    data: Path,
    out: Path,
    date: str = DATE,
    config: Path | None = None,
    *extra: str | os.PathLike[str],
) -> Path:
    """`scorecard build` in this process; fails loudly with its output if it does not succeed."""
    previous = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        run = run_scorecard(
            "build",
            "--data",
            data,
            "--out",
            out,
            "--date",
            date,
            "--config",
            config or ROOT / "mkdocs.yml",
            *extra,
        )
    finally:
        if previous is not None:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    if run.code != 0:
        raise AssertionError(f"scorecard build exited {run.code}:\n{run.err}")
    return out


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, for byte-for-byte comparisons."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def copy_fixture(name: str, destination: Path) -> Path:
    """A writable copy of tests/fixtures/<name> at `destination`."""
    shutil.copytree(FIXTURES / name, destination)
    return destination


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file with `new`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


GOLDEN_WRITTEN: set[str] = set()  # what this run rewrote (`make golden` checks it is all)


def check_golden(name: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<name>; with UPDATE_GOLDEN=1, rewrite the file instead.
    A test that calls this is marked `@pytest.mark.golden`, so `make golden` runs it."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        GOLDEN_WRITTEN.add(name)
        return
    assert path.exists(), f"{path} is missing; create it with `make golden`"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"output differs from {path.relative_to(ROOT)}; if the change is intended, run "
        "`make golden` and review the diff"
    )


class GitRepo:
    """A git repository at `root` whose data folder is `root/data`, committed with fixed dates.
    Use it with the `git_env` fixture, which keeps the user's git configuration out."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.commits = 0

    @classmethod
    def create(cls, root: Path, data_fixture: str | None = "minimal") -> GitRepo:
        root.mkdir(parents=True, exist_ok=True)
        repo = cls(root)
        repo.git("init", "-q", "-b", "main")
        if data_fixture:
            shutil.copytree(FIXTURES / data_fixture, repo.data)
        return repo

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **(env or {})},
        )
        return result.stdout

    def short(self, revision: str) -> str:
        return self.git("rev-parse", "--short", revision).strip()

    def sha(self, revision: str = "HEAD") -> str:
        return self.git("rev-parse", revision).strip()

    def commit(self, message: str, day: str = "2024-05-01", *, allow_empty: bool = False) -> str:
        """Commit everything, dated `day` (committer and author). The seconds keep commits of
        one day apart and in order."""
        self.commits += 1
        stamp = f"{day}T12:00:{self.commits % 60:02d}+00:00"
        self.git("add", "-A")
        args = ["commit", "-q", "--no-gpg-sign", "-m", message]
        if allow_empty:
            args.append("--allow-empty")
        self.git(*args, env={"GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp})
        return self.sha()

    def state(self) -> tuple[str, str, str]:
        """What a read-only command must not change: status, staged and unstaged changes."""
        return (
            self.git("status", "--porcelain", "--untracked-files=all"),
            self.git("diff", "--cached"),
            self.git("diff"),
        )
