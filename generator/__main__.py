"""`python -m generator` is the `scorecard` command."""

from generator.cli import entry

entry()
