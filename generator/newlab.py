"""`scorecard new-lab`: a complete lab file to start from, every criterion `no-disclosure`."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from generator import schemas
from generator.load import load_file
from generator.model import PLACEHOLDER, build_rubric
from generator.problems import Problem
from generator.validate import slug_problem, suggest_slug, validate_with_dates


class NewLabUsage(ValueError):
    """The slug or name given on the command line cannot be used."""


def lab_file_text(name: str, criteria: list[str], as_of: dt.date, modeline: str) -> str:
    lines = [
        f"# yaml-language-server: $schema={modeline}",
        f"name: {json.dumps(name, ensure_ascii=False)}",
        "assessments:",
    ]
    for criterion_id in criteria:
        lines += [
            f"  {criterion_id}:",
            "    level: no-disclosure",
            f"    as_of: {as_of.isoformat()}",
            "    summary: >-",
            f"      {PLACEHOLDER} say what was searched for, where and when. No public",
            "      information has been recorded for this criterion yet.",
        ]
    return "\n".join(lines) + "\n"


def run(data_dir: Path, slug: str, name: str, cli_date: dt.date | None) -> int:
    from generator.cli import report

    reason = slug_problem(slug)
    if reason:
        raise NewLabUsage(
            f"SLUG {reason}" + ("" if "reserved" in reason else f" (e.g. {suggest_slug(slug)})")
        )
    if not name.strip() or any(ch in name for ch in "\r\n") or len(name) > 120:
        raise NewLabUsage("--name: expected the lab's name on one line, at most 120 characters")
    target = data_dir / "labs" / f"{slug}.yaml"
    if target.exists():
        report([Problem(str(target), 1, 1, "error", "(file)", "already exists", "edit it instead")])
        return 1
    loaded = load_file(data_dir / "rubric.yaml")
    problems = list(loaded.problems)
    if loaded.document is not None:
        problems += schemas.check("rubric", loaded.document)
    if problems:
        report(problems)
        return 1
    rubric = build_rubric(loaded.document.value)  # type: ignore[union-attr]
    # The reference date (SPEC 5): given, else the last data commit, else the newest as_of; a
    # folder with no lab yet has no such date, and then the lab is new today.
    as_of = validate_with_dates(data_dir, cli_date).reference_date
    modeline = Path(os.path.relpath(schemas.schema_path("lab"), target.parent)).as_posix()
    target.parent.mkdir(parents=True, exist_ok=True)
    text = lab_file_text(name, [c.id for c in rubric.criteria], as_of, modeline)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    print(
        f"wrote {target}: {len(rubric.criteria)} criteria, all no-disclosure "
        f"as of {as_of.isoformat()}; replace each TODO summary as you research the lab"
    )
    return 0
