"""The one place that asks git anything: last commits, and files at a revision.

Reading from git never touches the working tree (no checkout), so a build, a diff or an
edition can look at any revision while a contributor's edits stay as they are.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(RuntimeError):
    """git is missing, the folder is not in a repository, or a revision does not exist."""


def run_git(args: list[str], cwd: Path, *, binary: bool = False) -> str | bytes:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"could not run git: {error}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout if binary else result.stdout.decode("utf-8", "replace")


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.date  # committer date, UTC


def last_commit(folder: Path) -> Commit | None:
    """The last commit that touched `folder`, or None outside git (or before the first commit)."""
    try:
        out = str(run_git(["log", "-1", "--format=%H %ct", "--", "."], folder)).strip()
    except GitError:
        return None
    if not out:
        return None
    sha, stamp = out.split()
    return Commit(sha, dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date())
