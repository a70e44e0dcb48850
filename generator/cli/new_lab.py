"""`scorecard new-lab SLUG --name NAME`: write a complete lab file to fill in."""

from __future__ import annotations

import argparse

from generator import newlab
from generator.cli.common import add_data, require_folder
from generator.errors import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("slug", metavar="SLUG", help="the lab's slug, e.g. example-lab")
    parser.add_argument("--name", required=True, help="the lab's name as shown on the site")
    add_data(parser)


def run(args: argparse.Namespace) -> int:
    require_folder(args.data)
    lab = newlab.create(args.data, args.slug, args.name, args.date)
    print(
        f"wrote {lab.path}: {lab.criteria} criteria, all no-disclosure "
        f"as of {lab.as_of.isoformat()}; replace each TODO summary as you research the lab"
    )
    return EXIT_OK
