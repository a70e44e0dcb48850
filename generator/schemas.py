"""JSON Schema checks: the published schemas in `schema/`, compiled once, and errors explained.

jsonschema-rs (compiled, Draft 2020-12, `format` checked) does the work; this module turns each
error into a `Problem` a contributor can act on: the field as a slash path, the position of the
offending key or value, and a hint ("did you mean ...", "quote it").
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from generator.load import Document, field_path
from generator.model import IMPLICIT_LEVELS
from generator.problems import ERROR, Problem

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
KINDS = (
    "rubric",
    "lab",
    "sources",
    "evaluators",
    "evaluations",
    "corrections",
)  # the data files' schemas
PROJECT_KINDS = ("editions",)  # schemas of project files beside the data
DOWNLOAD_KINDS = ("scorecard", "models", "events")  # schemas of the site's JSON downloads
MAX_SUGGESTED_FIELDS = 20


def schema_path(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.schema.json"


def published(kind: str, rubric: RubricOutline | None = None) -> bytes:
    """The schema as published beside the data for editors (`schema/`) and on the site. With
    the data's rubric, the lab schema names its criteria and each one's levels, so an editor
    flags `level: nonsense` or a misspelt criterion as `scorecard validate` does."""
    if kind != "lab" or rubric is None:
        return schema_path(kind).read_bytes()
    return _dump(_lab_for(rubric))


@dataclass(frozen=True)
class CriterionOutline:
    id: str
    title: str
    question: str
    levels: tuple[tuple[str, str], ...]  # (id, label), best first


@dataclass(frozen=True)
class RubricOutline:
    """What the editors' lab schema needs of a rubric: its version and criteria."""

    version: str
    criteria: tuple[CriterionOutline, ...]

    @classmethod
    def of_document(cls, rubric: Any) -> RubricOutline | None:
        """From a rubric file's contents as loaded; None when it is not a rubric's shape."""
        try:
            return cls(
                str(rubric["version"]),
                tuple(
                    CriterionOutline(
                        c["id"],
                        c["title"],
                        c["question"],
                        tuple((lv["id"], lv["label"]) for lv in c["levels"]),
                    )
                    for category in rubric["categories"]
                    for c in category["criteria"]
                ),
            )
        except (KeyError, TypeError):
            return None

    @classmethod
    def of_model(cls, version: str, criteria: Iterable[Any]) -> RubricOutline:
        return cls(
            version,
            tuple(
                CriterionOutline(
                    c.id, c.title, c.question, tuple((lv.id, lv.label) for lv in c.levels)
                )
                for c in criteria
            ),
        )


def _lab_for(rubric: RubricOutline) -> dict[str, Any]:
    lab = copy.deepcopy(schema("lab"))
    lab["description"] += (
        f" This copy lists the criteria and levels of rubric {rubric.version}"
        " (data/rubric.yaml); `scorecard schemas` writes it again when the rubric changes."
    )
    assessments = lab["properties"]["assessments"]
    # Every criterion's entry is the generic assessment, with its own levels on top.
    lab.setdefault("$defs", {})["assessment"] = assessments["additionalProperties"]
    properties = {}
    for c in rubric.criteria:
        levels = [level_id for level_id, _label in c.levels] + list(IMPLICIT_LEVELS)
        meaning = "; ".join(f"{level_id}: {label}" for level_id, label in c.levels)
        level = {
            "enum": levels,
            "title": "Level",
            "description": f"{meaning}; or no-disclosure (nothing public found) or "
            "not-applicable (left out of the score; say why in the summary).",
        }
        properties[c.id] = {
            "$ref": "#/$defs/assessment",
            "title": c.title,
            "description": c.question,
            "properties": {
                "level": level,
                "history": {"items": {"properties": {"level": level}}},
            },
        }
    assessments["properties"] = properties
    assessments["required"] = list(properties)
    assessments["additionalProperties"] = False
    del assessments["propertyNames"]
    return lab


def _dump(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@cache
def schema(kind: str) -> dict[str, Any]:
    with open(schema_path(kind), encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _validator(kind: str) -> Any:
    return jsonschema_rs.validator_for(schema(kind), validate_formats=True)


def check(kind: str, document: Document) -> list[Problem]:
    """Every schema problem in one document (none when it is valid)."""
    validator = _validator(kind)
    if validator.is_valid(document.value):
        return []
    bad_keys: list[tuple[str | int, ...]] = []
    value = _without_bad_keys(schema(kind), document.value, (), bad_keys)
    problems = [_bad_key(document, where) for where in bad_keys]
    for error in validator.iter_errors(value):
        if type(error.kind).__name__ == "AdditionalProperties":
            # One error names every unexpected key; each gets its own line and position. Dozens
            # of unknown fields are not typos: they get no "did you mean" (which costs a fuzzy
            # comparison with every field, for each of up to 25,000 keys).
            unexpected = [str(key) for key in error.kind.unexpected]
            suggest = len(unexpected) <= MAX_SUGGESTED_FIELDS
            problems += [
                _explain(kind, document, error, unexpected=key, suggest=suggest)
                for key in unexpected
            ]
        else:
            problems.append(_explain(kind, document, error))
    return problems


# Keys that break a `propertyNames` rule are reported here and left out of the value given to
# jsonschema-rs: it attaches a copy of the whole mapping to each such error, so a lab file with
# 10,000 bad assessment keys took minutes and gigabytes. Our schemas nest with `properties`,
# `additionalProperties` and `items` only.


def _without_bad_keys(sub: Any, value: Any, where: tuple, bad: list[tuple]) -> Any:
    """`value` without the keys its schema's `propertyNames` refuses (their paths go to `bad`)."""
    if not isinstance(sub, dict):
        return value
    if isinstance(value, dict):
        names = sub.get("propertyNames")
        valid_name = _name_validator(json.dumps(names)).is_valid if names is not None else None
        properties = sub.get("properties", {})
        kept = {}
        for key, item in value.items():
            if valid_name is not None and not valid_name(key):
                bad.append((*where, key))
                continue
            inner = properties.get(key, sub.get("additionalProperties"))
            kept[key] = _without_bad_keys(inner, item, (*where, key), bad)
        return kept
    if isinstance(value, list):
        return [
            _without_bad_keys(sub.get("items"), item, (*where, i), bad)
            for i, item in enumerate(value)
        ]
    return value


@cache
def _name_validator(names: str) -> Any:
    return jsonschema_rs.validator_for(json.loads(names), validate_formats=True)


def _bad_key(document: Document, where: tuple) -> Problem:
    line, col = document.position(where, key=True)
    message = f"'{_short(where[-1])}' is not a valid id (lowercase letters, digits, single hyphens)"
    return Problem(document.path, line, col, ERROR, field_path(where), message)


def _subschema(kind: str, schema_path: list[str | int]) -> dict[str, Any]:
    """The schema object that holds the failing keyword."""
    node: Any = schema(kind)
    for part in schema_path[:-1]:
        node = node[part]
    return node if isinstance(node, dict) else {}


def _explain(
    kind: str, document: Document, error: Any, unexpected: str = "", suggest: bool = True
) -> Problem:
    where = tuple(error.instance_path)
    keyword = error.schema_path[-1] if error.schema_path else ""
    sub = _subschema(kind, list(error.schema_path))
    kind_name = type(error.kind).__name__
    on_key = False
    value = error.instance
    hint = ""
    if kind_name == "AdditionalProperties":
        where = (*where, unexpected)
        on_key = True
        allowed = sorted(sub.get("properties", {}))
        message = f"unknown field '{unexpected}'"
        hint = (suggest and _did_you_mean(unexpected, allowed)) or (
            f"fields here: {', '.join(allowed)}"
        )
    elif kind_name == "Required":
        missing = error.kind.property
        message = f"missing required field '{missing}'"
        hint = f"add `{missing}:` here"
    elif kind_name == "Type":
        message, hint = _type_message(sub, value, document.source_text(where))
    elif kind_name == "Enum":
        options = [json.dumps(o) if not isinstance(o, str) else o for o in error.kind.options]
        message = f"'{_short(value)}' is not one of the allowed values"
        hint = _did_you_mean(str(value), options) or f"one of: {', '.join(options)}"
    elif kind_name == "PropertyNames":
        on_key = True
        message = "keys here must be ids: lowercase letters, digits and single hyphens"
        # Each bad key is its own error; the inner error's instance is the key itself.
        bad = getattr(getattr(error.kind, "error", None), "instance", None)
        if isinstance(bad, str):
            where = (*where, bad)
            message = (
                f"'{_short(bad)}' is not a valid id (lowercase letters, digits, single hyphens)"
            )
    elif kind_name == "Format":
        message, hint = _format_message(error.kind.format, value)
    elif kind_name == "Pattern" or (kind_name == "Not" and "pattern" in sub.get("not", {})):
        message, hint = _pattern_message(sub, keyword, value)
    elif kind_name in ("MinLength", "MaxLength"):
        limit = sub.get("minLength" if kind_name == "MinLength" else "maxLength")
        message = (
            "must not be empty"
            if kind_name == "MinLength"
            else f"is longer than {limit} characters"
        )
        hint = "" if kind_name == "MinLength" else "shorten it"
    elif kind_name in ("MinItems", "MaxItems"):
        limit = sub.get("minItems" if kind_name == "MinItems" else "maxItems")
        message = (
            f"needs at least {limit} item(s)"
            if kind_name == "MinItems"
            else f"has more than {limit} items"
        )
    elif kind_name == "MaxProperties":
        message = f"has more than {sub.get('maxProperties')} entries"
    elif kind_name in ("Minimum", "Maximum", "ExclusiveMinimum", "ExclusiveMaximum"):
        message = _range_message(sub, value)
    else:
        message = error.message
    line, col = document.position(where, key=on_key)
    title = sub.get("title")
    if (
        kind_name not in ("AdditionalProperties", "Required", "PropertyNames")
        and title
        and not hint
    ):
        hint = sub.get("description", "")
    return Problem(document.path, line, col, ERROR, field_path(where), message, hint)


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "object": "a mapping of fields (name: value)",
    "array": "a list (lines starting with '- ')",
    "boolean": "true or false",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"the text '{_short(value)}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _type_message(sub: dict[str, Any], value: Any, text: str | None) -> tuple[str, str]:
    expected = sub.get("type")
    names = [expected] if isinstance(expected, str) else list(expected or [])
    wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
    message = f"expected {wanted}, got {_describe(value)}"
    hint = ""
    if "string" in names and text is not None:
        hint = f'quote it: "{text}"' if text else "write the text after the colon"
    elif ("number" in names or "integer" in names) and _looks_numeric(value):
        hint = "write numbers without trailing zeros, e.g. 1 or 0.5, and without quotes"
    return message, hint


def _looks_numeric(value: Any) -> bool:
    return isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit()


def _format_message(fmt: str, value: Any) -> tuple[str, str]:
    if fmt == "date":
        return f"'{_short(value)}' is not a real date", "write YYYY-MM-DD, e.g. 2024-05-24"
    if fmt == "uri":
        return f"'{_short(value)}' is not a valid URL", "write a full https:// address"
    return f"'{_short(value)}' is not a valid {fmt}", ""


def _pattern_message(sub: dict[str, Any], keyword: str, value: Any) -> tuple[str, str]:
    pattern = sub.get("pattern", "")
    if keyword == "not":
        return "must be a single line", "remove the line break"
    if pattern == "[^\\s]":
        return "must not be blank", ""
    if pattern.startswith("^[a-z0-9]+"):
        return (
            f"'{_short(value)}' is not a valid id",
            "use lowercase letters, digits and single hyphens, e.g. google-deepmind",
        )
    if pattern == "^https?://":
        return f"'{_short(value)}' is not a web address", "start it with https://"
    if "[0-9]{4}" in pattern:
        return f"'{_short(value)}' is not a date", "write YYYY-MM-DD, e.g. 2024-05-24"
    if pattern.startswith("^[0-9]+(\\."):
        return f"'{_short(value)}' is not a version number", 'write it like "1.0", in quotes'
    return f"'{_short(value)}' does not have the expected form", ""


def _range_message(sub: dict[str, Any], value: Any) -> str:
    low, high = sub.get("minimum", sub.get("exclusiveMinimum")), sub.get("maximum")
    if "exclusiveMinimum" in sub:
        return f"must be greater than {sub['exclusiveMinimum']}, got {_short(value)}"
    return f"must be between {low} and {high}, got {_short(value)}"
