"""A new lab file to start from (`scorecard new-lab`): every criterion `no-disclosure`, with
its question and levels as comments and a TODO summary (generator.placeholder) to replace."""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import schemas
from generator.errors import InvalidData, UsageError
from generator.load import load_file
from generator.model import NO_DISCLOSURE, Criterion, build_rubric
from generator.placeholder import MARKER
from generator.problems import ERROR, WHOLE_FILE, Problem
from generator.validate import slug_problem, suggest_slug, validate_with_dates


@dataclass(frozen=True)
class NewLab:
    path: Path
    criteria: int
    as_of: dt.date


# Comment lines stay within the house's 100 columns, so a file reads well in a browser editor.
COMMENT_WIDTH = 96
HEADER = (
    "A new lab file, written by `scorecard new-lab`. For each criterion below, read its question "
    "and levels (the comments above it), pick the highest level the evidence fully supports, set "
    "as_of to the date it describes, cite the evidence and replace the TODO summary. Until then "
    "`scorecard validate` warns about each TODO, and `scorecard build` refuses to publish it. "
    "CONTRIBUTING.md explains every field."
)
EVIDENCE_TEMPLATE = (
    "For any level but no-disclosure and not-applicable, cite evidence:",
    "  evidence:",
    "    - source: its-id-in-data-sources-yaml",
    '      quote: "The words of the source, copied exactly."',
    "      locator: p. 3",
)


def _comment(text: str, indent: str, first: str = "", hanging: str = "") -> list[str]:
    """Rubric text as comment lines: every run of whitespace (a line break too) becomes one
    space, so no text from the rubric can end a comment and become YAML."""
    words = " ".join(text.split())
    lines = textwrap.wrap(
        words,
        width=COMMENT_WIDTH - len(indent) - 2,
        initial_indent=first,
        subsequent_indent=hanging,
        break_on_hyphens=False,
        break_long_words=False,
    )
    return [f"{indent}# {line}".rstrip() for line in lines or [""]]


def _criterion_comments(criterion: Criterion) -> list[str]:
    indent = "    "
    lines = _comment(f"{criterion.title}: {criterion.question}", indent)
    lines += [f"{indent}# Levels, best first:"]
    for level in criterion.levels:
        if level.declared:
            text = f"{level.id}: {level.label}. {level.description}"
        elif level.id == NO_DISCLOSURE:
            text = f"{level.id}: no public information found (needs no evidence)."
        else:
            text = f"{level.id}: the question does not apply to this lab (say why in the summary)."
        lines += _comment(text, indent, first="  ", hanging="    ")
    lines += [f"{indent}# {line}" for line in EVIDENCE_TEMPLATE]
    return lines


def lab_file_text(name: str, criteria: Sequence[Criterion], as_of: dt.date, modeline: str) -> str:
    lines = [f"# yaml-language-server: $schema={modeline}", *_comment(HEADER, "")]
    lines += [f"name: {json.dumps(name, ensure_ascii=False)}", "assessments:"]
    for criterion in criteria:
        lines += [f"  {criterion.id}:", *_criterion_comments(criterion)]
        lines += [
            f"    level: {NO_DISCLOSURE}",
            f"    as_of: {as_of.isoformat()}",
            "    summary: >-",
            f"      {MARKER} say what you searched for (documents, sites, dates) and what you",
            "      found.",
        ]
    return "\n".join(lines) + "\n"


def create(data_dir: Path, slug: str, name: str, cli_date: dt.date | None) -> NewLab:
    """Write data/labs/<slug>.yaml. UsageError for a bad slug or name, InvalidData when the
    file exists or the rubric cannot be read."""
    reason = slug_problem(slug)
    if reason:
        raise UsageError(
            f"SLUG {reason}" + ("" if "reserved" in reason else f" (e.g. {suggest_slug(slug)})")
        )
    if not name.strip() or any(ch in name for ch in "\r\n") or len(name) > 120:
        raise UsageError("--name: expected the lab's name on one line, at most 120 characters")
    target = data_dir / "labs" / f"{slug}.yaml"
    if target.exists():
        exists = Problem(str(target), 1, 1, ERROR, WHOLE_FILE, "already exists", "edit it instead")
        raise InvalidData("no lab file was written", [exists])
    loaded = load_file(data_dir / "rubric.yaml")
    problems = list(loaded.problems)
    if loaded.document is not None:
        problems += schemas.check("rubric", loaded.document)
    if problems:
        raise InvalidData("no lab file was written: the rubric is not valid", problems)
    rubric = build_rubric(loaded.document.value)  # type: ignore[union-attr]
    # The reference date (SPEC 5): given, else the last data commit, else the newest as_of; a
    # folder with no lab yet has no such date, and then the lab is new today.
    as_of = validate_with_dates(data_dir, cli_date).reference_date
    schema = Path(
        os.path.relpath(
            data_dir.resolve().parent / "schema" / "lab.schema.json", target.parent.resolve()
        )
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    text = lab_file_text(name, rubric.criteria, as_of, schema.as_posix())
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return NewLab(target, len(rubric.criteria), as_of)
