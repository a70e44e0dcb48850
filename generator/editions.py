"""Editions: dated, citable snapshots of the data, declared in the tracked file `editions.yaml`.

A git tag does not travel with every clone, fork or mirror of the main branch, so an edition is
an entry in `editions.yaml` at the repository root (name, date, commit, notes), reviewed like any
other change; `scorecard release` adds the entry and a tag `edition-NAME` may mirror it. The build
reads each edition's data at its commit through `generator.revisions` (never checking it out)
and renders it under /editions/<name>/, so a citation keeps leading to what its author saw.
Outside git, or in a clone without an edition's commit, the site builds without it and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from generator import schemas
from generator.load import load_file
from generator.model import parse_date
from generator.problems import ERROR, Problem
from generator.revisions import Repository
from generator.score import Scorecard, score_dataset

FILE = "editions.yaml"
TAG_PREFIX = "edition-"
NAME = re.compile(r"[0-9]{4}\.(0[1-9]|1[0-2])(\.[1-9][0-9]{0,2})?")
HEADER = (
    "# yaml-language-server: $schema=schema/editions.schema.json\n"
    "# Published editions, oldest first: each is the data folder at one commit, rendered under\n"
    "# /editions/<name>/. Entries are added by `scorecard release NAME`; never edit or remove one\n"
    "# (readers cite them).\n"
    "editions:\n"
)


@dataclass(frozen=True)
class Declaration:
    """One entry of editions.yaml."""

    name: str  # e.g. 2026.12
    date: dt.date  # published
    commit: str  # the commit whose data folder the edition is
    notes: str | None
    data: str = "data"  # that data folder, relative to the repository root


@dataclass(frozen=True)
class Edition:
    name: str
    date: dt.date
    commit: str
    notes: str | None
    card: Scorecard  # scored as of the edition's own reference date
    data_commit: str | None  # the last commit touching the data up to `commit`

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.name


@dataclass(frozen=True)
class Editions:
    editions: tuple[Edition, ...]  # newest first
    notes: tuple[str, ...]  # why an edition, or all of them, could not be built


def name_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split("."))


def declarations(path: Path) -> tuple[list[Declaration], list[Problem]]:
    """The entries of an editions file (none when it does not exist), and its problems."""
    if not path.is_file():
        return [], []
    loaded = load_file(path)
    if loaded.document is None:
        return [], list(loaded.problems)
    problems = schemas.check("editions", loaded.document)
    if problems:
        return [], problems
    found, seen = [], set()
    for i, entry in enumerate(loaded.document.value["editions"]):
        if entry["name"] in seen:
            line, col = loaded.document.position(("editions", i, "name"))
            message = f"edition {entry['name']} is declared twice"
            problems.append(Problem(str(path), line, col, ERROR, f"editions/{i}/name", message))
            continue
        seen.add(entry["name"])
        found.append(
            Declaration(
                entry["name"], parse_date(entry["date"]), entry["commit"], entry.get("notes")
            )
        )
    return found, problems


def load(repository: Repository | None, path: Path | None) -> Editions:
    """Every edition declared in `path` whose data validates, scored as of its own reference
    date. Outside git (`repository` None) there is no file to read and no edition."""
    if repository is None or path is None:
        return Editions((), ("editions: the data folder is not in a git repository",))
    declared, problems = declarations(path)
    notes = [p.format() for p in problems]
    if not declared:
        return Editions((), tuple(notes))
    editions = []
    for entry in sorted(declared, key=lambda e: name_key(e.name), reverse=True):
        if entry.data != repository.data_path:
            continue  # an edition of another data folder
        commit = repository.resolve(entry.commit)
        if commit is None:
            notes.append(f"editions: {entry.name}: commit {entry.commit[:12]} is not in this clone")
            continue
        last = repository.last_data_commit(commit)
        if last is None:
            notes.append(f"editions: {entry.name}: commit {entry.commit[:12]} has no data folder")
            continue
        snapshot = repository.at(commit, date=last.date)
        if snapshot.dataset is None:
            notes.append(f"editions: {entry.name}: its data no longer validates; not rebuilt")
            continue
        card = score_dataset(snapshot.dataset, snapshot.date)
        editions.append(Edition(entry.name, entry.date, commit, entry.notes, card, last.sha))
    return Editions(tuple(editions), tuple(notes))


def declare(path: Path, entry: Declaration) -> None:
    """Add `entry` at the end of the editions file (created if missing), leaving the rest of
    the file as it is written."""
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    if not text.endswith("\n"):
        text += "\n"
    text += f'  - name: "{entry.name}"\n    date: {entry.date.isoformat()}\n'
    text += f"    commit: {entry.commit}\n"
    if entry.data != "data":
        text += f"    data: {entry.data}\n"
    if entry.notes:
        text += "    notes: >-\n" + "".join(f"      {line}\n" for line in _wrap(entry.notes))
    path.write_text(text, encoding="utf-8")


def _wrap(text: str, width: int = 92) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines
