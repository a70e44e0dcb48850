"""`scorecard release NAME`: declare the committed data a citable edition.

It checks that the data is committed and valid, adds the edition (name, date, commit) to the
tracked file editions.yaml at the repository root, and tags the commit `edition-NAME` as a mirror.
The maintainer then commits editions.yaml: every clone of the main branch renders the edition.
"""

from __future__ import annotations

import argparse

from generator import editions, gitinfo, refdate
from generator.cli.common import add_data, validated
from generator.errors import EXIT_INVALID, EXIT_OK, UsageError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Add an edition to editions.yaml (and the git tag edition-NAME) for the data as "
        "committed at HEAD, after checking that it is committed and valid. NAME is YYYY.MM, or "
        "YYYY.MM.N for a further edition in a month."
    )
    parser.add_argument("name", metavar="NAME", help="e.g. 2026.12")
    # --date (from add_data) is the publication date here; it defaults to today.
    parser.add_argument("--notes", default=None, help="what the edition contains, in a sentence")
    parser.add_argument(
        "--no-tag", action="store_true", help="only declare it in editions.yaml; make no tag"
    )
    add_data(parser)


def run(args: argparse.Namespace) -> int:
    if not editions.NAME.fullmatch(args.name):
        raise UsageError(f"NAME: expected YYYY.MM or YYYY.MM.N, e.g. 2026.12, got '{args.name}'")
    try:
        repo = gitinfo.toplevel(args.data)
    except gitinfo.GitError:
        raise UsageError(f"--data: '{args.data}' is not in a git repository") from None
    path = repo / editions.FILE
    declared, problems = editions.declarations(path)
    if problems:
        raise UsageError(f"{editions.FILE} has problems: {problems[0].format()}")
    if any(entry.name == args.name for entry in declared):
        raise UsageError(f"the edition {args.name} exists already in {editions.FILE}")
    tag = editions.TAG_PREFIX + args.name
    if not args.no_tag and gitinfo.resolve_commit(repo, f"refs/tags/{tag}") is not None:
        raise UsageError(f"the tag {tag} exists already; choose a new NAME")
    if gitinfo.has_changes(repo, args.data):
        raise UsageError(f"'{args.data}' has uncommitted changes; commit them first")
    result = validated(args, publishing=True)
    if result.dataset is None:
        return EXIT_INVALID
    commit = gitinfo.resolve_commit(repo, "HEAD")
    assert commit is not None
    date = refdate.given_date(args.date) or refdate.today_utc()
    data_date = refdate.last_commit_date(args.data) or result.reference_date
    notes = args.notes or (
        f"Methodology {result.dataset.rubric.version}, data as of {data_date.isoformat()}."
    )
    data_path = gitinfo.locate(args.data)
    folder = data_path[1] if data_path else "data"
    editions.declare(path, editions.Declaration(args.name, date, commit, notes, folder))
    message = f"Edition {args.name}: {notes}"
    if not args.no_tag:
        gitinfo.run_git(["tag", "--annotate", "--message", message, tag, commit], repo)
    print(
        f"declared edition {args.name} (commit {commit[:12]}) in {path}"
        + ("" if args.no_tag else f" and tagged {tag}")
        + f"; commit {editions.FILE} to publish it"
    )
    return EXIT_OK
