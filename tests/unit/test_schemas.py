"""The published JSON Schemas (SPEC 4, step 2) and how their errors are explained."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from generator import schemas
from generator.load import load_text
from tests.support import FIXTURES

FILES = {
    "rubric": ["rubric.yaml"],
    "lab": ["labs/lab-a.yaml", "labs/lab-b.yaml"],
    "sources": ["sources.yaml"],
    "evaluators": ["evaluators.yaml"],
    "evaluations": ["evaluations.yaml"],
}


def problems(kind: str, text: str) -> list[str]:
    result = load_text(text, f"{kind}.yaml")
    assert result.document is not None, result.problems
    return [p.format() for p in schemas.check(kind, result.document)]


def lab(extra: str = "", assessment: str = "") -> str:
    return (
        "name: Lab\n"
        + extra
        + "assessments:\n  depth:\n    level: none\n    as_of: 2024-01-01\n    summary: s\n"
        + assessment
    )


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_each_schema_is_valid_draft_2020_12(kind):
    schema = schemas.schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def walk(node: Any, path: str = ""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}/{i}")


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_every_object_in_every_schema_refuses_extra_fields(kind):
    for path, node in walk(schemas.schema(kind)):
        if node.get("type") == "object":
            assert "additionalProperties" in node, f"{kind}{path} allows any field"
            extra = node["additionalProperties"]
            assert extra is False or path.endswith(
                (
                    "/assessments",
                    "/reads_as",
                    "/reads_as/additionalProperties",
                    "/categories",
                    "/criteria",
                )
            ), f"{kind}{path}"


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_every_field_has_a_title_and_description_for_editors(kind):
    for path, node in walk(schemas.schema(kind)):
        if path.split("/")[-2:-1] == ["properties"]:
            assert node.get("title") and node.get("description"), f"{kind}{path}"


@pytest.mark.parametrize(("kind", "names"), FILES.items())
def test_the_minimal_fixture_passes_its_schemas(kind, names):
    for name in names:
        text = (FIXTURES / "minimal" / name).read_text(encoding="utf-8")
        assert problems(kind, text) == []


def test_a_valid_document_costs_one_fast_check():
    # check() asks is_valid first and explains errors only when there are some.
    result = load_text(lab(), "lab.yaml")
    assert schemas.check("lab", result.document) == []


def test_format_date_is_checked_not_only_the_pattern():
    [problem] = problems("lab", lab().replace("2024-01-01", "2023-02-29"))
    assert "'2023-02-29' is not a real date (write YYYY-MM-DD, e.g. 2024-05-24)" in problem


def test_a_leap_day_is_a_real_date():
    assert problems("lab", lab().replace("2024-01-01", "2024-02-29")) == []


def test_an_id_with_a_trailing_line_break_is_refused():
    # Python's re.search would let `$` match before a final newline; the schemas must not.
    [problem] = problems(
        "sources",
        'sources:\n  - {id: "report\\n", title: T, publisher: P, url: "https://example.org",'
        " accessed: 2024-01-01, kind: news}\n",
    )
    assert "is not a valid id" in problem


def test_an_assessment_key_with_non_ascii_letters_is_refused():
    text = lab().replace("  depth:", "  dépth:")
    [problem] = problems("lab", text)
    assert problem.startswith("lab.yaml:3:3: error: assessments/dépth: 'dépth' is not a valid id")


def test_a_non_text_value_in_a_one_line_field_gets_exactly_one_error():
    [problem] = problems("lab", lab().replace("level: none", "level: [none]"))
    assert "expected text, got a list" in problem


def test_a_line_break_in_a_one_line_field_is_refused():
    [problem] = problems("lab", lab().replace("level: none", 'level: "none\\n"'))
    assert "assessments/depth/level: must be a single line (remove the line break)" in problem


def test_blank_text_is_refused():
    [problem] = problems("lab", lab().replace("summary: s", 'summary: "   "'))
    assert "assessments/depth/summary: must not be blank" in problem


def test_an_unknown_field_suggests_the_closest_known_one():
    [problem] = problems("lab", lab(assessment="    evidense: []\n"))
    assert problem == (
        "lab.yaml:7:5: error: assessments/depth/evidense: unknown field 'evidense' "
        "(did you mean 'evidence'?)"
    )


def test_an_unknown_field_with_no_close_match_lists_the_fields():
    [problem] = problems("lab", lab(extra="colour: red\n"))
    assert (
        "unknown field 'colour' (fields here: assessments, description, models, name, website)"
        in (problem)
    )


def test_a_number_where_text_is_expected_asks_for_quotes_with_the_text_as_written():
    [problem] = problems("lab", lab().replace("name: Lab", "name: 2.5"))
    assert problem == 'lab.yaml:1:7: error: name: expected text, got a number (quote it: "2.5")'
    # 2.50 does not read back as written, so the loader already kept it as text.
    assert problems("lab", lab().replace("name: Lab", "name: 2.50")) == []


def test_an_enum_error_lists_the_choices_or_suggests_one():
    text = (FIXTURES / "minimal" / "sources.yaml").read_text(encoding="utf-8")
    [problem] = problems("sources", text.replace("kind: news", "kind: new"))
    assert "'new' is not one of the allowed values (did you mean 'news'?)" in problem
    [problem] = problems("sources", text.replace("kind: news", "kind: blog"))
    assert (
        "(one of: lab-document, system-card, framework, lab-statement, evaluator-report," in problem
    )


def test_a_missing_field_names_the_field_and_where_to_add_it():
    [problem] = problems("lab", lab().replace("    summary: s\n", ""))
    assert problem == (
        "lab.yaml:4:5: error: assessments/depth: missing required field 'summary' "
        "(add `summary:` here)"
    )


def test_json_schema_examples_are_themselves_valid():
    # Editors show `examples`; a wrong example teaches a wrong file.
    for kind in schemas.KINDS:
        schema = schemas.schema(kind)
        for path, node in walk(schema):
            if "examples" in node and "type" in node and path:
                validator = jsonschema.Draft202012Validator(
                    {k: v for k, v in node.items() if k != "examples"}
                )
                for example in node["examples"]:
                    if node.get("type") in ("object", "array"):
                        continue  # composite examples are abbreviated with "..."
                    assert validator.is_valid(example), f"{kind}{path}: {json.dumps(example)}"
