"""The data folder at a git revision: read from git once, validated, and cached by its tree.

`scorecard diff` compares with a revision, editions are the data at a commit, and the change
feed walks every commit that touched the data. All three ask this module for "the data at commit
C", which reads the folder with `git archive` (nothing is checked out; the index and working tree
are never touched), validates it with the current rules and builds the model.

Identical trees hold identical data, so results are kept by the tree id of the data folder: in
memory for the life of a `Repository`, and on disk under `.scorecard-cache/` in the repository
root (it ignores itself, so `git status` stays clean). The disk cache is keyed by the generator's
own code as well, so a new rule or schema checks every tree again; a build therefore validates
each distinct data tree once, ever.

The reference date of a revision is the committer date (UTC) of the last commit up to it that
touched the data folder: what `scorecard scores` prints on a checkout of that revision (SPEC 5).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import tarfile
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from generator import gitinfo, refdate
from generator.errors import InvalidData, UsageError
from generator.model import Dataset
from generator.problems import Problem
from generator.validate import Documents, FileCache, validate_folder

CACHE_FOLDER = ".scorecard-cache"
_FORMAT = 1  # of the files below; part of every key


@functools.cache
def code_fingerprint() -> str:
    """A hash of the generator's own files: results computed by other code are not reused."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(str(_FORMAT).encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@dataclass(frozen=True)
class Snapshot:
    """The data folder as it is at one commit."""

    commit: str
    tree: str | None  # the data folder's tree id; None when the commit has no such folder
    date: dt.date  # reference date (see the module's docstring)
    dataset: Dataset | None  # None when the data does not validate (or is absent)
    problems: tuple[Problem, ...]  # its errors, paths relative to the data folder

    @property
    def valid(self) -> bool:
        return self.dataset is not None


class Cache:
    """JSON files under `<root>/.scorecard-cache/<fingerprint>/`, written atomically."""

    def __init__(self, root: Path) -> None:
        self.base = root / CACHE_FOLDER
        self.folder = self.base / code_fingerprint()

    def read(self, kind: str, key: str) -> Any | None:
        try:
            return orjson.loads((self.folder / kind / f"{key}.json").read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None

    def write(self, kind: str, key: str, value: Any) -> None:
        try:
            self._prepare()
            folder = self.folder / kind
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
                handle.write(orjson.dumps(value))
            Path(handle.name).replace(folder / f"{key}.json")
        except OSError:
            pass  # a cache that cannot be written only costs time

    def exists(self, kind: str, key: str) -> bool:
        return (self.folder / kind / f"{key}.json").is_file()

    def _prepare(self) -> None:
        if self.folder.is_dir():
            return
        self.base.mkdir(exist_ok=True)
        (self.base / ".gitignore").write_text("# written by scorecard; safe to delete\n*\n")
        for old in self.base.iterdir():  # results of other versions of the generator
            if old.is_dir() and old.name != self.folder.name:
                _remove_tree(old)


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


class Repository:
    """The git repository holding a data folder, and that folder's path inside it."""

    def __init__(
        self, root: Path, data_path: str, *, cache: bool = True, files: FileCache | None = None
    ) -> None:
        """`cache`: keep results on disk; `files`: files already read (`scorecard diff` reads
        a file that two sides hold unchanged once)."""
        self.root = root
        self.data_path = data_path
        self.cache = Cache(root) if cache else None
        self.files = files or FileCache()
        self._snapshots: dict[tuple[str | None, dt.date], Snapshot] = {}

    @classmethod
    def of(
        cls, data_dir: Path, *, cache: bool = True, files: FileCache | None = None
    ) -> Repository | None:
        """The repository of `data_dir` (which need not exist in the working tree), or None."""
        located = gitinfo.locate(data_dir)
        return None if located is None else cls(*located, cache=cache, files=files)

    # -- questions to git ------------------------------------------------------------------

    def resolve(self, revision: str) -> str | None:
        return gitinfo.resolve_commit(self.root, revision)

    def short(self, commit: str) -> str:
        return gitinfo.short_id(self.root, commit)

    def is_shallow(self) -> bool:
        return gitinfo.is_shallow(self.root)

    def log(self) -> list[gitinfo.LogEntry]:
        """Commits that touched the data folder, oldest first, along first parents."""
        return gitinfo.log(self.root, self.data_path)

    def trees(self, commits: list[str]) -> dict[str, str | None]:
        return gitinfo.tree_ids(self.root, commits, self.data_path)

    def blobs(self, commit: str) -> dict[str, str]:
        """Each file of the data folder at `commit` (relative path) and its blob id."""
        return gitinfo.files_at(self.root, commit, self.data_path)

    def last_data_commit(self, commit: str) -> gitinfo.Commit | None:
        """The last commit up to `commit` that touched the data folder."""
        return gitinfo.last_commit_at(self.root, commit, self.data_path)

    def reference_date(self, commit: str) -> dt.date | None:
        last = self.last_data_commit(commit)
        return last.date if last else None

    # -- the data at a commit --------------------------------------------------------------

    def at(self, commit: str, *, tree: str | None = None, date: dt.date | None = None) -> Snapshot:
        """The data at `commit`. `tree` and `date` save git calls when the caller knows them."""
        if tree is None:
            tree = self.trees([commit])[commit]
        if date is None:
            date = self.reference_date(commit) or gitinfo.commit_date(self.root, commit)
        key = (tree, date)
        if key not in self._snapshots:
            dataset, problems = self._load(commit, tree, date)
            self._snapshots[key] = Snapshot(commit, tree, date, dataset, problems)
        found = self._snapshots[key]
        return found if found.commit == commit else replace(found, commit=commit)

    def is_valid(self, commit: str, tree: str | None) -> bool:
        """Whether the data at `commit` validates, from the cache when it is known there."""
        if tree is None:
            return False
        if self.cache is not None and self.cache.exists("valid", tree):
            return True
        return self.at(commit, tree=tree).valid

    def _load(
        self, commit: str, tree: str | None, date: dt.date
    ) -> tuple[Dataset | None, tuple[Problem, ...]]:
        if tree is None:
            missing = Problem(".", 1, 1, "error", "(file)", "is not in this commit")
            return None, (missing,)
        latest = refdate.today_utc()
        cached = self.cache.read("valid", tree) if self.cache else None
        if cached is not None:
            return Documents.from_json(cached).dataset(), ()
        invalid = self.cache.read("invalid", tree) if self.cache else None
        if invalid is not None and invalid["latest"] == latest.isoformat():
            return None, tuple(Problem(*fields) for fields in invalid["problems"])
        with tempfile.TemporaryDirectory(prefix="scorecard-revision-") as tmp:
            try:
                folder = extract_path(self.root, commit, self.data_path, Path(tmp))
            except UnsafeArchive as error:
                raise InvalidData(f"{commit[:12]}: {error}") from None
            result = validate_folder(folder, latest=latest, reference=date, cache=self.files)
            problems = tuple(
                replace(p, path=_relative(p.path, folder)) for p in result.problems if p.is_error
            )
        if self.cache is not None:
            if result.documents is not None:
                self.cache.write("valid", tree, result.documents.to_json())
            else:
                fields = [
                    [p.path, p.line, p.col, p.severity, p.field, p.message, p.hint]
                    for p in problems
                ]
                self.cache.write(
                    "invalid", tree, {"latest": latest.isoformat(), "problems": fields}
                )
        return result.dataset, problems


class UnsafeArchive(gitinfo.GitError):
    """A revision's folder holds something that must not be written out: a link, a special
    file or a path leaving the folder. The revision's data is refused, not partly extracted."""


def extract_path(repo: Path, commit: str, path: str, destination: Path) -> Path:
    """Write the files under `path` (relative to the repository root) as they are at `commit`
    into the empty folder `destination`, and return where `path` landed.

    Uses `git archive`, which reads objects only: no checkout, and the index and working tree are
    never touched. Links, special files and paths leaving `destination` are refused
    (UnsafeArchive). A `path` absent at `commit` is a GitError."""
    archive = gitinfo.run_git(
        ["--literal-pathspecs", "archive", "--format=tar", commit, "--", path],
        repo,
        binary=True,
    )
    with tarfile.open(fileobj=io.BytesIO(bytes(archive)), mode="r:") as tar:
        members = tar.getmembers()
        for member in members:
            _check_member(member)
        tar.extractall(destination, members=members, filter="data")
    return destination / path


def _check_member(member: tarfile.TarInfo) -> None:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts:
        raise UnsafeArchive(f"{member.name}: the path leaves the folder")
    if member.issym() or member.islnk():
        raise UnsafeArchive(f"{member.name}: is a link (commit the file itself)")
    if not (member.isfile() or member.isdir()):
        raise UnsafeArchive(f"{member.name}: is not a file or folder")


def _relative(path: str, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return path


def open_revision(repository: Repository | None, argument: str, role: str, data: Path) -> Snapshot:
    """The data at the revision the user named as `argument` (for `scorecard diff`); `data` is
    the data folder as the user named it."""
    expected = f"{role}: expected a data folder or a git revision, but '{argument}' is neither"
    if repository is None:
        raise UsageError(f"{expected} (and '{data}' is not in a git repository)")
    commit = repository.resolve(argument)
    if commit is None:
        raise UsageError(expected)
    tree = repository.trees([commit])[commit]
    if tree is None:
        raise UsageError(
            f"{role}: revision '{argument}' has no data folder '{repository.data_path}'"
        )
    return repository.at(commit, tree=tree)
