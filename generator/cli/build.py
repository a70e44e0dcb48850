"""`scorecard build`: validate, score and build the site; the output is replaced only on success."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator.cli.common import (
    add_changed,
    add_config,
    add_data,
    add_repo_url,
    require_config,
    validated,
)
from generator.errors import EXIT_INVALID, EXIT_OK, BuildError
from generator.score import score_dataset
from generator.site import (
    assemble,
    check_output_folder,
    load_history,
    provenance_for,
    publish,
    site_inputs,
    staging,
)

NO_SITE_URL = (
    "site_url is not set: citations give site paths, not full addresses; the feeds link "
    "the pages relative to the feed (the JSON Feed omits home_page_url, feed_url and item "
    "urls); the sitemap lists no pages. Pass --site-url or set site_url in mkdocs.yml"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data(parser)
    add_changed(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="where the site goes (default: site); replaced only on success",
    )
    add_config(parser)
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="the address the site is published at, e.g. https://example.org/scorecard/ "
        "(default: site_url in the configuration); used for citations, feeds and the sitemap",
    )
    add_repo_url(parser)


def run(args: argparse.Namespace) -> int:
    require_config(args.config)
    check_output_folder(args.out, [args.data, args.config.parent, Path.cwd()])
    try:
        inputs = site_inputs(args.config, args.site_url, args.repo_url)
        result = validated(args, publishing=True)
        if result.dataset is None:
            return EXIT_INVALID
        card = score_dataset(result.dataset, result.reference_date)
        del result  # the files as read: the site is made from the scores
        labs, reference_date = len(card.labs), card.reference_date
        started = time.perf_counter()
        history = load_history(args.data)
        for note in history.notes:
            print(f"note: {note}", file=sys.stderr)
        if inputs.site_url is None:
            print(f"warning: {NO_SITE_URL}", file=sys.stderr)
        with staging(args.out) as stage:
            assemble(stage, card, provenance_for(args.data, inputs), inputs, history)
            del card, history  # written out: mkdocs, which needs the most memory, reuses theirs
            publish(stage, reference_date, args.out)
    except BuildError as error:
        raise BuildError(f"build failed: {error}; {args.out} was not changed") from None
    seconds = time.perf_counter() - started
    print(
        f"built {args.out}/: {labs} labs, reference date {reference_date.isoformat()} "
        f"({seconds:.1f} s)"
    )
    return EXIT_OK
