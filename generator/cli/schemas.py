"""`scorecard schemas`: write the JSON Schemas that editors use beside the data (`schema/`).

The schemas the validator uses are part of the package; editors (and the modeline at the top of
every data file) read the published copies in the repository's `schema/` folder. This command
writes them, and `--check` fails when the copies differ, so CI keeps them from drifting. The lab
schema's copy also lists the criteria and levels of the data's rubric (`--data`), so an editor
rejects what `scorecard validate` rejects; changing the rubric means running this again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import schemas
from generator.errors import EXIT_INVALID, EXIT_OK
from generator.load import load_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("schema"),
        metavar="DIR",
        help="where the schemas go (default: schema)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        metavar="DIR",
        help="the data whose rubric the lab schema lists (default: data)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any file would change"
    )


def run(args: argparse.Namespace) -> int:
    rubric = _rubric(args.data / "rubric.yaml")
    if rubric is None:
        print(
            f"note: no readable rubric at {args.data / 'rubric.yaml'}: the lab schema lists no "
            "criteria (run `scorecard validate` for what is wrong)",
            file=sys.stderr,
        )
    stale = []
    for kind in (*schemas.KINDS, *schemas.PROJECT_KINDS):
        target = args.out / f"{kind}.schema.json"
        content = schemas.published(kind, rubric)
        if target.is_file() and target.read_bytes() == content:
            continue
        stale.append(target)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    if args.check:
        for target in stale:
            print(f"{target}: out of date; run `scorecard schemas`", file=sys.stderr)
        return EXIT_INVALID if stale else EXIT_OK
    print(f"{args.out}/: {len(stale)} schema(s) written")
    return EXIT_OK


def _rubric(path: Path) -> schemas.RubricOutline | None:
    if not path.is_file():
        return None
    result = load_file(path)
    if result.document is None or schemas.check("rubric", result.document):
        return None
    return schemas.RubricOutline.of_document(result.document.value)
