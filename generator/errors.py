"""Every error that ends a command, in one place (as mkdocs keeps its `exceptions.py`).

Library modules raise these and never print or exit; the command layer (`generator.cli`) maps
each to its exit code (SPEC 6) and prints its message once. Problems found in the data are not
errors of this kind: they are values (`problems.Problem`) that accumulate, and a command turns
them into `InvalidData` only when it cannot go on.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.problems import Problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class ScorecardError(Exception):
    """A command cannot go on; the message says why in plain words."""

    exit_code = EXIT_INVALID


class UsageError(ScorecardError):
    """The command line (or the environment) names something that cannot be used: exit 2."""

    exit_code = EXIT_USAGE


class InvalidData(ScorecardError):
    """The data does not validate: exit 1. `problems` are reported before the message."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class BuildError(ScorecardError):
    """The site could not be built (mkdocs failed, a page clashes with a file): exit 1. The
    output folder is left as it was."""
