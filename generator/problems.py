"""Problems found in the data: values that accumulate, and the one place that formats them.

Every stage reports what is wrong as `Problem`s instead of raising, so a contributor sees every
mistake in one run. The line format is normative (SPEC 4): `PATH:LINE:COL: error: FIELD: MESSAGE`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"
# What the data still lacks (an archived copy, a locator): listed on request, never by validate.
NOTICE = "notice"

# FIELD for problems that concern a whole file rather than one key or value.
WHOLE_FILE = "(file)"


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # as given to the loader; shown relative to the current directory
    line: int  # 1-based
    col: int  # 1-based
    severity: str
    field: str  # slash path such as assessments/pre-deployment-evals/level, or WHOLE_FILE
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def shown_path(self) -> str:
        return display_path(self.path)

    def format(self) -> str:
        text = self.message + (f" ({self.hint})" if self.hint else "")
        line = f"{self.shown_path()}:{self.line}:{self.col}: {self.severity}: {self.field}: {text}"
        return one_line(line)

    def annotation(self) -> str:
        """The problem as a GitHub Actions workflow command, escaped so text cannot break out."""
        command = self.severity if self.severity in (ERROR, NOTICE) else "warning"
        props = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (
                ("file", self.shown_path()),
                ("line", str(self.line)),
                ("col", str(self.col)),
                ("title", self.field),
            )
        )
        text = self.message + (f" ({self.hint})" if self.hint else "")
        return f"::{command} {props}::{_escape_data(text)}"


def display_path(path: str | os.PathLike[str]) -> str:
    """PATH relative to the current directory when that is shorter, with forward slashes."""
    p = Path(path)
    try:
        shown = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        shown = str(p)
    if shown.startswith(".." + os.sep) and p.is_absolute():
        shown = str(p)
    return shown.replace(os.sep, "/")


# Line breaks and other controls that reach a message (a quoted key such as "a\nb", a file
# name) are shown escaped: one problem is one line, and a line of contributor text can never
# begin with something a terminal or CI runner acts on (`::error`, an escape sequence).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)


# GitHub's escaping for workflow commands (the toolkit's escapeData / escapeProperty). A newline in
# contributor text must never start a new command, and `::` in a property must not end it.
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sort_key(problem: Problem) -> tuple:
    return (problem.shown_path(), problem.line, problem.col, problem.severity, problem.field)


def unique_sorted(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in file and position order."""
    # Each file's shown path is worked out once: a hostile file can bring tens of thousands of
    # problems, and display_path costs more than the rest of the sort together.
    shown = {path: display_path(path) for path in {p.path for p in problems}}
    return sorted(set(problems), key=lambda p: (shown[p.path], p.line, p.col, p.severity, p.field))
