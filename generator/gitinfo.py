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


def run_git(
    args: list[str], cwd: Path, *, binary: bool = False, stdin: bytes | None = None
) -> str | bytes:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
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
    return _last_commit(["log", "-1", "--format=%H %ct", "--", "."], folder)


def _last_commit(args: list[str], cwd: Path) -> Commit | None:
    try:
        out = str(run_git(args, cwd)).strip()
    except GitError:
        return None
    if not out:
        return None
    sha, stamp = out.split()
    return Commit(sha, dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date())


def commit_date(repo: Path, commit: str) -> dt.date:
    """The committer date (UTC) of `commit`."""
    stamp = str(run_git(["show", "-s", "--format=%ct", commit], repo)).strip()
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date()


def locate(folder: Path) -> tuple[Path, str] | None:
    """The repository root holding `folder`, and the folder's path inside it ('.' for the root);
    None outside a repository. The folder need not exist in the working tree (a revision may
    have it): the repository is found from its nearest existing parent."""
    absolute = Path(folder).resolve()
    anchor = absolute
    while not anchor.is_dir() and anchor != anchor.parent:
        anchor = anchor.parent
    try:
        root = toplevel(anchor).resolve()
        relative = absolute.relative_to(root)
    except (GitError, ValueError):
        return None
    return root, relative.as_posix() or "."


# --- revisions ---------------------------------------------------------------------------


def toplevel(folder: Path) -> Path:
    """The root of the working tree that `folder` is in (GitError outside a repository)."""
    return Path(str(run_git(["rev-parse", "--show-toplevel"], folder)).strip())


def resolve_commit(repo: Path, revision: str) -> str | None:
    """The full commit id `revision` names in the repository at `repo`, or None when it names no
    commit (or `repo` is not in a repository)."""
    if not revision or revision.startswith("-"):
        return None  # never let a revision be read as an option
    try:
        out = run_git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
            repo,
        )
    except GitError:
        return None
    return str(out).strip() or None


def short_id(repo: Path, commit: str) -> str:
    return str(run_git(["rev-parse", "--short", commit], repo)).strip()


def last_commit_at(repo: Path, commit: str, path: str) -> Commit | None:
    """The last commit up to `commit` that touched `path` (relative to the repository root)."""
    return _last_commit(
        ["--literal-pathspecs", "log", "-1", "--format=%H %ct", commit, "--", path], repo
    )


# --- history (editions, the change feed) -----------------------------------------------------


def is_shallow(repo: Path) -> bool:
    try:
        return str(run_git(["rev-parse", "--is-shallow-repository"], repo)).strip() == "true"
    except GitError:
        return False


def has_changes(repo: Path, folder: Path) -> bool:
    """Whether `folder` has uncommitted (staged, unstaged or untracked) changes."""
    out = run_git(
        ["status", "--porcelain", "--untracked-files=all", "--", str(folder.resolve())], repo
    )
    return bool(str(out).strip())


@dataclass(frozen=True)
class LogEntry:
    sha: str
    parent: str | None  # first parent
    timestamp: int  # committer time, seconds since 1970 (UTC)
    subject: str
    body: str


def log(repo: Path, path: str) -> list[LogEntry]:
    """Commits that touched `path` (relative to the root), oldest first, along first parents."""
    out = str(
        run_git(
            [
                "--literal-pathspecs",
                "log",
                "--first-parent",
                "--reverse",
                # Every field ends with NUL (-z ends each commit with one), the one character a
                # commit message cannot hold: any other separator can be typed into a message.
                "-z",
                "--format=%H%x00%P%x00%ct%x00%s%x00%b",
                "--",
                path,
            ],
            repo,
        )
    )
    fields = out.split("\x00")[:-1]
    entries = []
    for at in range(0, len(fields) - 4, 5):
        sha, parents, stamp, subject, body = fields[at : at + 5]
        parent = parents.split()[0] if parents.split() else None
        entries.append(LogEntry(sha, parent, int(stamp), subject, body.strip()))
    return entries


def tree_ids(repo: Path, commits: list[str], path: str) -> dict[str, str | None]:
    """For each commit, the tree id of the folder `path` (relative to the root) in it, or None
    where there is no such folder: equal ids mean identical contents. One git process for any
    number of commits."""
    if not commits:
        return {}
    prefix = "" if path == "." else path
    lines = "".join(f"{commit}:{prefix}\n" for commit in commits).encode("utf-8")
    out = str(run_git(["cat-file", "--batch-check=%(objectname) %(objecttype)"], repo, stdin=lines))
    ids: dict[str, str | None] = {}
    for commit, line in zip(commits, out.splitlines(), strict=True):
        oid, _, kind = line.partition(" ")
        ids[commit] = oid if kind == "tree" else None
    return ids


def files_at(repo: Path, commit: str, path: str) -> dict[str, str]:
    """Every file under `path` at `commit`: its path relative to `path`, and its blob id."""
    out = str(run_git(["--literal-pathspecs", "ls-tree", "-r", "-z", commit, "--", path], repo))
    prefix = "" if path == "." else path.rstrip("/") + "/"
    files = {}
    for record in out.split("\x00"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and name.startswith(prefix):
            files[name[len(prefix) :]] = parts[2]
    return files


def changed_files(repo: Path, base: str) -> set[str]:
    """Paths (relative to the root) that differ between the merge base of `base` and HEAD and
    the work tree, untracked files included: what a pull request against `base` changes."""
    merge_base = str(run_git(["merge-base", base, "HEAD"], repo)).strip()
    changed = str(run_git(["diff", "--name-only", "--no-renames", merge_base, "--"], repo))
    untracked = str(run_git(["ls-files", "--others", "--exclude-standard"], repo))
    return {line for line in (changed + "\n" + untracked).splitlines() if line}
