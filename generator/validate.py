"""Validation of a data folder (SPEC 4): files, strict YAML, schemas, cross-file rules.

`validate_folder` walks the folder, loads every file, checks each against its schema and then
the rules across files, and returns every problem found together with the model when there is
no error. Nothing here prints or exits: the command line decides what to do with the result.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from generator import consistency, refdate, schemas
from generator.kept import Kept
from generator.load import MAX_FILE_BYTES, Document, LoadResult, field_path, load_bytes
from generator.model import Dataset, build_dataset, parse_date
from generator.problems import ERROR, WARNING, WHOLE_FILE, Problem, unique_sorted
from generator.rules import Loaded, check_all, find_gaps, lenient_ids

SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
# Lab slugs become URL segments next to the site's own pages (SPEC 4).
RESERVED_SLUGS = frozenset(
    {
        "index",
        "labs",
        "criteria",
        "compare",
        "evaluations",
        "methodology",
        "sources",
        "data",
        "schema",
        "assets",
        "search",
        "editions",
        "feed",
        "404",
        "models",
        "evaluators",
        "corrections",
        "explore",
    }
)
LIST_FILES = {
    "sources.yaml": "sources",
    "evaluators.yaml": "evaluators",
    "evaluations.yaml": "evaluations",
    "corrections.yaml": "corrections",
}
ALLOWED_EXTRA = frozenset({"LICENSE", "README.md"})
MAX_LABS = 5000


@dataclass(frozen=True)
class Documents:
    """The validated values of a folder's files: what the model is built from (and what the
    revision cache stores for a commit's data)."""

    rubric: Any
    labs: dict[str, Any]
    sources: Any = None
    evaluators: Any = None
    evaluations: Any = None
    rubrics: dict[str, Any] = field(default_factory=dict)  # superseded rubrics, by version
    corrections: Any = None

    def dataset(self) -> Dataset:
        return build_dataset(
            self.rubric,
            self.labs,
            self.sources,
            self.evaluators,
            self.evaluations,
            self.rubrics,
            self.corrections,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "labs": self.labs,
            "sources": self.sources,
            "evaluators": self.evaluators,
            "evaluations": self.evaluations,
            "rubrics": self.rubrics,
            "corrections": self.corrections,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Documents:
        return cls(**value)


@dataclass(frozen=True)
class Validation:
    problems: tuple[Problem, ...]
    dataset: Dataset | None  # None when there is any error
    reference_date: dt.date
    documents: Documents | None = field(default=None, compare=False, repr=False)
    # The data as loaded, for the notices below; None when there is any error.
    loaded: Loaded | None = field(default=None, compare=False, repr=False)

    @cached_property
    def gaps(self) -> tuple[Problem, ...]:
        """What valid data still lacks (no archived copy, no locator in a long document):
        notices for `scorecard sources gaps`, not among the problems `validate` reports. Found
        when asked for: no other command reads them."""
        return () if self.loaded is None else tuple(unique_sorted(find_gaps(self.loaded)))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)


def _file_problem(path: Path, message: str, hint: str = "") -> Problem:
    return Problem(str(path), 1, 1, ERROR, WHOLE_FILE, message, hint)


def is_slug(text: str) -> bool:
    return re.fullmatch(SLUG, text) is not None and len(text) <= 64


def suggest_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "lab-name"


def slug_problem(slug: str) -> str | None:
    """Why a lab slug (file name without .yaml) cannot be used, or None."""
    if not is_slug(slug):
        return "is not a valid lab slug: use lowercase letters, digits and single hyphens"
    if slug in RESERVED_SLUGS:
        return f"'{slug}' is reserved for a page of the site; choose another slug"
    return None


RUBRICS = "rubrics"  # superseded rubrics, data/rubrics/<version>.yaml
_VERSION_FILE = re.compile(r"[0-9]+(\.[0-9]+)*\.yaml")


def discover(
    data_dir: Path, rubrics: dict[str, Path] | None = None
) -> tuple[dict[str, Path], dict[str, Path], list[Problem]]:
    """The folder's known files by kind, its lab files by slug, and problems with file names.
    Superseded rubrics (data/rubrics/<version>.yaml) go into `rubrics` by version."""
    files: dict[str, Path] = {}
    labs: dict[str, Path] = {}
    problems: list[Problem] = []
    rubrics = {} if rubrics is None else rubrics
    for entry in sorted(os.scandir(data_dir), key=lambda e: e.name):
        path = Path(entry.path)
        if entry.is_symlink():
            problems.append(_file_problem(path, "is a symbolic link", "commit the file itself"))
        elif entry.name == "rubric.yaml" or entry.name in LIST_FILES:
            if entry.is_file():
                files[entry.name] = path
            else:
                problems.append(_file_problem(path, "should be a file"))
        elif entry.name == "labs" and entry.is_dir():
            pass
        elif entry.name == RUBRICS and entry.is_dir():
            problems += _discover_rubrics(path, rubrics)
        elif entry.name not in ALLOWED_EXTRA:
            hint = "lab files go in data/labs/<slug>.yaml"
            if entry.name.endswith(".yml") and entry.name[:-4] + ".yaml" in (
                "rubric.yaml",
                *LIST_FILES,
            ):
                hint = f"rename it to {entry.name[:-4]}.yaml"
            problems.append(_file_problem(path, "is not a file the scorecard expects here", hint))
    if "rubric.yaml" not in files:
        problems.append(
            _file_problem(
                data_dir / "rubric.yaml", "is missing", "every data folder needs a rubric"
            )
        )
    labs_dir = data_dir / "labs"
    if not labs_dir.is_dir() or labs_dir.is_symlink():
        problems.append(
            _file_problem(labs_dir, "is missing: lab files go in data/labs/<slug>.yaml")
        )
        return files, labs, problems
    for entry in sorted(os.scandir(labs_dir), key=lambda e: e.name):
        path = Path(entry.path)
        stem, dot, ext = entry.name.rpartition(".")
        if entry.is_symlink():
            problems.append(_file_problem(path, "is a symbolic link", "commit the file itself"))
        elif not entry.is_file():
            problems.append(
                _file_problem(path, "is not a lab file", "data/labs/ holds only <slug>.yaml files")
            )
        elif not dot or ext != "yaml":
            hint = (
                f"rename it to {stem}.yaml"
                if ext in ("yml", "YAML", "YML")
                else "lab files end in .yaml"
            )
            problems.append(_file_problem(path, "is not a lab file", hint))
        elif (reason := slug_problem(stem)) is not None:
            hint = "" if stem in RESERVED_SLUGS else f"e.g. {suggest_slug(stem)}.yaml"
            problems.append(_file_problem(path, f"the file name {reason}", hint))
        else:
            # Slugs are lowercase ASCII, so two names can never collide by case or Unicode form.
            labs[stem] = path
    if len(labs) > MAX_LABS:
        problems.append(_file_problem(labs_dir, f"holds more than {MAX_LABS} lab files"))
    return files, labs, problems


def _discover_rubrics(folder: Path, rubrics: dict[str, Path]) -> list[Problem]:
    problems = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if entry.is_symlink() or not entry.is_file():
            problems.append(_file_problem(path, "is not a rubric file", "commit the file itself"))
        elif not _VERSION_FILE.fullmatch(entry.name):
            hint = "name it after its methodology version, e.g. data/rubrics/1.0.yaml"
            problems.append(_file_problem(path, "is not a rubric file", hint))
        else:
            rubrics[entry.name[: -len(".yaml")]] = path
    return problems


class FileCache:
    """Each file's loading and schema check, kept by content: a file with the same bytes is
    read once, whatever its path (`scorecard diff` compares two folders that mostly agree) and
    however often it is validated (`scorecard serve` revalidates after every edit)."""

    def __init__(self) -> None:
        self._entries: Kept[tuple[str, bytes], tuple[LoadResult, list[Problem]]] = Kept()

    def check(self, path: Path, kind: str) -> tuple[LoadResult, list[Problem]]:
        """`path` loaded and checked against the schema of `kind`: its load result and the
        schema's problems."""
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            return load_bytes_error(str(path), error), []
        key = (kind, data)  # the bytes themselves: hashing them is cheaper than a digest
        cached = self._entries.get(key, lambda: _load_checked(data, str(path), kind))
        return _moved(cached, str(path))

    def forget_unused(self) -> None:
        """Drop the files not asked for since the last call (edited away, in `serve`)."""
        self._entries.forget_unused()


def _load_checked(data: bytes, path: str, kind: str) -> tuple[LoadResult, list[Problem]]:
    result = load_bytes(data, path)
    return result, schemas.check(kind, result.document) if result.document else []


def load_bytes_error(path: str, error: OSError) -> LoadResult:
    reason = error.strerror or str(error)
    return LoadResult(None, [Problem(path, 1, 1, ERROR, WHOLE_FILE, f"cannot be read: {reason}")])


def _moved(cached: tuple[LoadResult, list[Problem]], path: str) -> tuple[LoadResult, list[Problem]]:
    """A cached result for a file with the same bytes at another path."""
    result, checked = cached
    if (result.document.path if result.document else _first_path(result.problems)) == path:
        return result, checked
    document: Document | None = None
    if result.document is not None:
        document = Document(path, result.document.value, result.document.text)
    return (
        LoadResult(document, [replace(p, path=path) for p in result.problems]),
        [replace(p, path=path) for p in checked],
    )


def _first_path(problems: list[Problem]) -> str | None:
    return problems[0].path if problems else None


def validate_folder(
    data_dir: Path,
    latest: dt.date,
    reference: dt.date | None,
    cache: FileCache | None = None,
    *,
    publishing: bool = False,
) -> Validation:
    """Check everything. `latest`: the newest date data may carry; `reference`: for staleness
    (None: derive it from the data's newest as_of once loaded, see refdate). `cache` keeps
    files between calls. `publishing`: for a build or a release, where a placeholder left in
    the data is an error (see generator.placeholder), not a warning."""
    rubric_paths: dict[str, Path] = {}
    files, lab_paths, problems = discover(data_dir, rubric_paths)
    loaded = Loaded(lab_slugs=set(lab_paths))
    cache = cache or FileCache()

    def load_checked(path: Path, kind: str):
        result, schema_problems = cache.check(path, kind)
        problems.extend(result.problems)
        if result.document is None:
            loaded.complete = False
            return None, None
        problems.extend(schema_problems)
        if schema_problems:
            loaded.complete = False
            return None, result.document
        return result.document, result.document

    if "rubric.yaml" in files:
        loaded.rubric, _ = load_checked(files["rubric.yaml"], "rubric")
    for name, kind in LIST_FILES.items():
        if name in files:
            valid, raw = load_checked(files[name], kind)
            setattr(loaded, kind, valid)
            if kind in ("sources", "evaluators"):
                ids = lenient_ids(raw, kind)
                setattr(loaded, f"{kind[:-1]}_ids", ids)
        elif kind in ("sources", "evaluators"):
            setattr(loaded, f"{kind[:-1]}_ids", set())
    for slug, path in lab_paths.items():
        valid, _ = load_checked(path, "lab")
        if valid is not None:
            loaded.labs[slug] = valid
    for version, path in rubric_paths.items():
        valid, _ = load_checked(path, "rubric")
        if valid is not None:
            loaded.rubrics[version] = valid
    if problems and any(p.is_error for p in problems):
        loaded.complete = False
    if reference is None:
        reference = newest_as_of(loaded) or latest
    problems.extend(check_all(loaded, latest, reference, publishing=publishing))
    final = unique_sorted(problems)
    documents = dataset = None
    if not any(p.is_error for p in final):
        documents = Documents(
            loaded.rubric.value,  # type: ignore[union-attr]
            {slug: doc.value for slug, doc in sorted(loaded.labs.items())},
            loaded.sources.value if loaded.sources else None,
            loaded.evaluators.value if loaded.evaluators else None,
            loaded.evaluations.value if loaded.evaluations else None,
            {version: doc.value for version, doc in sorted(loaded.rubrics.items())},
            loaded.corrections.value if loaded.corrections else None,
        )
        dataset = documents.dataset()
        # What the access log says against the assessments: warnings, placed on the level.
        warnings = [_placed(loaded, finding) for finding in consistency.findings(dataset)]
        final = unique_sorted([*final, *warnings])
    return Validation(tuple(final), dataset, reference, documents, loaded if dataset else None)


def _placed(loaded: Loaded, finding: consistency.Finding) -> Problem:
    doc = loaded.labs[finding.lab]
    where = ("assessments", finding.criterion, "level")
    line, col = doc.position(where)
    return Problem(doc.path, line, col, WARNING, field_path(where), finding.message, finding.hint)


def newest_as_of(loaded: Loaded) -> dt.date | None:
    dates = [
        parse_date(assessment["as_of"])
        for doc in loaded.labs.values()
        for assessment in doc.value["assessments"].values()
    ]
    return max(dates, default=None)


def validate_with_dates(
    data_dir: Path,
    cli_date: dt.date | None,
    cache: FileCache | None = None,
    *,
    publishing: bool = False,
) -> Validation:
    """Validate with the dates of SPEC 4 and 5: no date may be after the date given (--date or
    SOURCE_DATE_EPOCH), else after today; staleness is judged on the reference date (the date
    given, else the last commit touching the folder, else the newest as_of)."""
    given = refdate.given_date(cli_date)
    reference = given or refdate.last_commit_date(data_dir)
    return validate_folder(
        data_dir,
        latest=given or refdate.today_utc(),
        reference=reference,
        cache=cache,
        publishing=publishing,
    )
