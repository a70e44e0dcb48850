"""A new lab file to start from (`scorecard new-lab`): every criterion `no-disclosure`."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from generator import schemas
from generator.errors import InvalidData, UsageError
from generator.load import load_file
from generator.model import PLACEHOLDER, build_rubric
from generator.problems import ERROR, WHOLE_FILE, Problem
from generator.validate import slug_problem, suggest_slug, validate_with_dates


@dataclass(frozen=True)
class NewLab:
    path: Path
    criteria: int
    as_of: dt.date


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
    text = lab_file_text(name, [c.id for c in rubric.criteria], as_of, schema.as_posix())
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return NewLab(target, len(rubric.criteria), as_of)
