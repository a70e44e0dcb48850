"""Editions: dated, citable snapshots of the data, marked by git tags `edition-YYYY.MM[.N]`.

`scorecard release NAME` validates the committed data and tags it. `scorecard build` reads each
edition's data from git at its tag (never checking it out) and renders it under
/editions/<name>/, so a citation keeps leading to what its author saw. Outside git, or in a
shallow clone without the tags, the site builds without editions and says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import gitinfo, refdate
from generator.render import EditionRef, Provenance, Renderer
from generator.score import Scorecard, score_dataset
from generator.validate import validate_folder

TAG_PREFIX = "edition-"
NAME = re.compile(r"[0-9]{4}\.(0[1-9]|1[0-2])(\.[1-9][0-9]{0,2})?")


@dataclass(frozen=True)
class Edition:
    name: str  # e.g. 2024.05
    tag: str  # edition-2024.05
    commit: str  # the tagged commit
    date: dt.date  # the tag's date (the tagger's for annotated tags)
    card: Scorecard
    data_commit: str | None  # last commit touching the data at the tag

    def provenance(self, site_url: str | None) -> Provenance:
        return Provenance(self.data_commit, self.date, site_url)

    def ref(self, fingerprints: Mapping[str, str] | None = None) -> EditionRef:
        return EditionRef(
            self.name,
            self.date,
            self.card.dataset.rubric.version,
            self.data_commit,
            fingerprints or {},
        )


def name_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split("."))


@dataclass(frozen=True)
class Tag:
    name: str
    tag: str
    commit: str
    date: dt.date


def edition_tags(repo: Path) -> list[Tag]:
    """Edition tags, newest name first. Tags whose name is not YYYY.MM[.N] are ignored."""
    fmt = "%(refname:strip=2) %(objectname) %(*objectname) %(creatordate:unix)"
    out = str(
        gitinfo.run_git(["for-each-ref", f"--format={fmt}", f"refs/tags/{TAG_PREFIX}*"], repo)
    )
    tags = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:  # lightweight tag: no peeled object
            tag, commit, stamp = parts
        elif len(parts) == 4:
            tag, _, commit, stamp = parts
        else:
            continue
        name = tag[len(TAG_PREFIX) :]
        if NAME.fullmatch(name):
            date = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date()
            tags.append(Tag(name, tag, commit, date))
    return sorted(tags, key=lambda t: name_key(t.name), reverse=True)


@dataclass(frozen=True)
class Loaded:
    editions: tuple[Edition, ...]  # newest first
    notes: tuple[str, ...]  # why an edition, or all of them, could not be built


def load_editions(data_dir: Path) -> Loaded:
    """Every edition whose data validates today, scored as of its own reference date."""
    located = gitinfo.locate(data_dir)
    if located is None:
        return Loaded((), ("editions: the data folder is not in a git repository",))
    repo, data_path = located
    tags = edition_tags(repo)
    if not tags and gitinfo.is_shallow(repo):
        return Loaded((), ("editions: shallow clone without edition tags (fetch with tags)",))
    editions, notes = [], []
    for tag in tags:
        with tempfile.TemporaryDirectory(prefix="scorecard-edition-") as tmp:
            try:
                folder = gitinfo.extract_path(repo, tag.commit, data_path, Path(tmp))
            except gitinfo.GitError as error:
                notes.append(f"editions: {tag.tag}: no data folder ({error})")
                continue
            last = gitinfo.last_commit_at(repo, tag.commit, data_path)
            reference = last.date if last else tag.date
            result = validate_folder(folder, latest=refdate.today_utc(), reference=reference)
            if result.dataset is None:
                notes.append(f"editions: {tag.tag}: its data no longer validates; not rebuilt")
                continue
            card = score_dataset(result.dataset, result.reference_date)
        editions.append(
            Edition(tag.name, tag.tag, tag.commit, tag.date, card, last.sha if last else None)
        )
    return Loaded(tuple(editions), tuple(notes))


def latest_ref(loaded: Loaded, site_url: str | None) -> EditionRef | None:
    """The newest edition with what each of its pages says, for the current pages' citations
    (only the newest is compared, so only its pages are fingerprinted)."""
    if not loaded.editions:
        return None
    newest = loaded.editions[0]
    return newest.ref(Renderer(newest.card, newest.provenance(site_url)).fingerprints())


def edition_renderers(
    loaded: Loaded,
    latest: EditionRef | None,
    site_url: str | None,
    current_urls: frozenset[str],
) -> Iterator[tuple[Edition, Renderer]]:
    for index, edition in enumerate(loaded.editions):
        ref = latest if index == 0 and latest is not None else edition.ref()
        renderer = Renderer(
            edition.card, edition.provenance(site_url), edition=ref, current_urls=current_urls
        )
        yield edition, renderer


# -- scorecard release --------------------------------------------------------------------------


def register(commands: Any) -> None:
    from generator.cli import _add_data

    p = commands.add_parser(
        "release",
        help="validate the committed data and tag it as a citable edition",
        description="Create the git tag edition-NAME on HEAD after checking that the data is "
        "committed and valid. NAME is YYYY.MM, or YYYY.MM.N for a second edition in a month.",
    )
    p.add_argument("name", metavar="NAME", help="e.g. 2024.05")
    _add_data(p)
    p.set_defaults(run=cmd_release)


def cmd_release(args: argparse.Namespace) -> int:
    from generator.cli import EXIT_INVALID, EXIT_OK, UsageError, run_validation

    if not NAME.fullmatch(args.name):
        raise UsageError(f"NAME: expected YYYY.MM or YYYY.MM.N, e.g. 2024.05, got '{args.name}'")
    try:
        repo = gitinfo.toplevel(args.data)
    except gitinfo.GitError:
        raise UsageError(f"--data: '{args.data}' is not in a git repository") from None
    tag = TAG_PREFIX + args.name
    if gitinfo.resolve_commit(repo, f"refs/tags/{tag}") is not None:
        raise UsageError(f"the edition {args.name} exists already (tag {tag}); choose a new NAME")
    if gitinfo.has_changes(repo, args.data):
        raise UsageError(f"'{args.data}' has uncommitted changes; commit them first")
    result = run_validation(args)
    if result.dataset is None:
        return EXIT_INVALID
    message = (
        f"Edition {args.name}: methodology {result.dataset.rubric.version}, "
        f"data as of {result.reference_date.isoformat()}"
    )
    gitinfo.run_git(["tag", "--annotate", "--message", message, tag, "HEAD"], repo)
    print(f"tagged {tag}: {message}; push it with `git push origin {tag}`")
    return EXIT_OK
