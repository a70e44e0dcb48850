"""`scorecard migrate`: move a data folder to the access-log 2.0 format (see generator.migrate).

The folder must validate before; the migrated folder is validated before anything is written,
so a migration either succeeds whole or leaves the files as they were.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from generator import migrate
from generator.cli.common import add_data, report, require_folder, validated
from generator.errors import EXIT_INVALID, EXIT_OK
from generator.validate import validate_with_dates


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data(parser)
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything would change"
    )


def run(args: argparse.Namespace) -> int:
    require_folder(args.data)
    if validated(args).dataset is None:
        print("scorecard migrate: fix the errors above first; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    log = args.data / "evaluations.yaml"
    if not log.is_file():
        print(f"{args.data}: nothing to migrate")
        return EXIT_OK
    result = migrate.migrate_evaluations(log)
    if not result.events:
        print(f"{log}: already in the 2.0 format")
        return EXIT_OK
    if args.check:
        print(f"{log}: {result.events} event(s) to migrate; run `scorecard migrate`")
        return EXIT_INVALID
    with tempfile.TemporaryDirectory(prefix="scorecard-migrate-") as tmp:
        trial = Path(tmp) / "data"
        shutil.copytree(args.data, trial, symlinks=True)
        (trial / "evaluations.yaml").write_text(result.text, encoding="utf-8")
        check = validate_with_dates(trial, args.date)
        if check.dataset is None:
            report(check.errors)
            print("scorecard migrate: the migrated data would not validate; nothing was written")
            return EXIT_INVALID
    log.write_text(result.text, encoding="utf-8")
    print(
        f"{log}: {result.events} event(s) moved to the 2.0 format (stage from pre_deployment; "
        "the new access and terms fields written as unknown); review the diff and add what the "
        "sources say"
    )
    return EXIT_OK
