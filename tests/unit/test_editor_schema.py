"""The editors' lab schema (schema/lab.schema.json) rejects what `scorecard validate` rejects:
it lists the rubric's criteria and each one's levels, `scorecard schemas` writes it from the
data's rubric, and `scorecard schemas --check` fails once the rubric changes without it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator import schemas
from tests.support import DATE, FIXTURES, ROOT, edit


def as_written(value: Any) -> Any:
    """What an editor sees: dates are the strings they were written as."""
    if isinstance(value, dict):
        return {k: as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_written(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def editor_errors(schema: dict[str, Any], path: Path) -> list[tuple[str, str]]:
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    document = as_written(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(
        ("/".join(map(str, e.absolute_path)), e.message) for e in validator.iter_errors(document)
    )


def editor_schema(data: Path) -> dict[str, Any]:
    outline = schemas.RubricOutline.of_document(yaml.safe_load((data / "rubric.yaml").read_text()))
    return json.loads(schemas.published("lab", outline))


def test_the_repositorys_schemas_are_up_to_date(scorecard):
    run = scorecard("schemas", "--check", "--out", ROOT / "schema", "--data", ROOT / "data")
    assert run.code == 0, run.err


def test_every_bundled_lab_file_passes_the_editors_schema():
    schema = json.loads((ROOT / "schema" / "lab.schema.json").read_text(encoding="utf-8"))
    criteria = set(schema["properties"]["assessments"]["properties"])
    assert len(criteria) >= 10
    for path in sorted((ROOT / "data" / "labs").glob("*.yaml")):
        assert editor_errors(schema, path) == [], path.name


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "  depth:\n    level: none\n",
            "  depth:\n    level: nonsense\n",
            "assessments/depth/level",
        ),
        (
            "      - level: none\n        as_of: 2023-06-01",
            "      - level: nope\n        as_of: 2023-06-01",
            "assessments/pre-deployment/history/0/level",
        ),
        ("  framework:\n", "  framwork:\n", "assessments"),
    ],
)
def test_the_editor_flags_what_validate_flags(data_folder, scorecard, old, new, field):
    data = data_folder()
    lab = data / "labs" / "lab-a.yaml"
    edit(lab, old, new)
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    assert any(f": error: {field}" in line for line in run.error_lines), run.err
    errors = editor_errors(editor_schema(data), lab)
    assert field in {where for where, _ in errors}, errors


def test_schemas_check_fails_when_the_rubric_changes_without_them(tmp_path, scorecard):
    data = shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    out = tmp_path / "schema"
    assert scorecard("schemas", "--out", out, "--data", data).code == 0
    assert scorecard("schemas", "--check", "--out", out, "--data", data).code == 0
    edit(data / "rubric.yaml", "{id: partial, label: Unnamed,", "{id: some, label: Unnamed,")
    run = scorecard("schemas", "--check", "--out", out, "--data", data)
    assert run.code == 1
    assert "lab.schema.json: out of date" in run.err
    levels = editor_schema(data)["properties"]["assessments"]["properties"]["pre-deployment"]
    assert "some" in levels["properties"]["level"]["enum"]


def test_without_a_readable_rubric_the_lab_schema_is_the_generic_one(tmp_path, scorecard):
    run = scorecard("schemas", "--out", tmp_path / "schema", "--data", tmp_path / "nowhere")
    assert run.code == 0
    assert "no readable rubric" in run.err
    written = (tmp_path / "schema" / "lab.schema.json").read_bytes()
    assert written == schemas.schema_path("lab").read_bytes()


def check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "check-jsonschema"
    command = [
        str(script if script.exists() else shutil.which("check-jsonschema")),
        *map(str, args),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_check_jsonschema_rejects_a_level_typo_with_the_generated_schema(tmp_path):
    schema = ROOT / "schema" / "lab.schema.json"
    lab = tmp_path / "openai.yaml"
    text = (ROOT / "data" / "labs" / "openai.yaml").read_text(encoding="utf-8")
    lab.write_text(text, encoding="utf-8")
    assert check_jsonschema("--schemafile", schema, lab).returncode == 0
    first_level = re.search(r"^    level: (\S+)$", text, re.M)
    assert first_level
    lab.write_text(text.replace(first_level.group(0), "    level: nonsens", 1), encoding="utf-8")
    result = check_jsonschema("--schemafile", schema, lab)
    assert result.returncode == 1
    assert "'nonsens' is not one of" in result.stdout + result.stderr


def test_contributings_first_commands_are_a_make_target_and_a_command_that_works(
    tmp_path, scorecard
):
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert commands[0] == "make .venv/bin/scorecard"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\$\(BIN\)/scorecard:", makefile, re.M) and "BIN := $(VENV)/bin" in makefile
    assert "VENV := .venv" in makefile
    # The second, as written, on a copy of the data (the command's default --data is data/).
    argv = shlex.split(commands[1])
    assert argv[:2] == [".venv/bin/scorecard", "new-lab"]
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    run = scorecard(*argv[1:], "--data", data, "--date", DATE)
    assert run.code == 0, run.err
    assert (data / "labs" / "example-lab.yaml").is_file()
