"""The reference date (SPEC 5): what "today" means for staleness, chosen without the wall clock.

Order: `--date`, else SOURCE_DATE_EPOCH, else the date of the last commit touching the data
folder, else the newest `as_of` in the data (see validate.newest_as_of). The wall clock is used
only to refuse future dates when no date was given (SPEC 4), which may fail a check but never
changes output.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from generator import gitinfo
from generator.errors import UsageError


class DateError(UsageError, ValueError):
    """A date given on the command line or in the environment is not usable."""


def parse_cli_date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DateError(f"expected a date as YYYY-MM-DD, got '{text}'") from None


def date_from_epoch(env: Mapping[str, str]) -> dt.date | None:
    raw = env.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    try:
        return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise DateError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got '{raw}'"
        ) from None


def last_commit_date(folder: Path) -> dt.date | None:
    """Committer date (UTC) of the last commit that touched `folder`, if it is in a git checkout."""
    commit = gitinfo.last_commit(folder)
    return commit.date if commit else None


def given_date(cli_date: dt.date | None, env: Mapping[str, str] | None = None) -> dt.date | None:
    """A date the user gave explicitly (--date or SOURCE_DATE_EPOCH), if any."""
    return cli_date or date_from_epoch(os.environ if env is None else env)


def today_utc() -> dt.date:
    return dt.datetime.now(tz=dt.UTC).date()
