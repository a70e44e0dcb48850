"""Fuzzing the front door: random bytes, random YAML-like text and random edits of a valid data
folder go through load and validate. Whatever comes in, nothing raises, and every problem is one
well-formed line that points inside the file.

Runs are derandomized (the same examples every time, so CI never flakes) and bounded to a few
seconds; raise max_examples locally to search longer:
    HYPOTHESIS_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import load
from generator.load import load_bytes, load_text
from generator.problems import Problem
from generator.validate import validate_folder
from tests.support import FIXTURES

DAY = dt.date(2024, 6, 1)
EXAMPLES = int(os.environ.get("HYPOTHESIS_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Pieces of YAML syntax and of the tricks the hostile corpus uses, for text that is almost YAML.
TOKENS = [
    "a",
    "name",
    "level",
    "x y",
    ": ",
    ":",
    "- ",
    "-",
    "? ",
    ", ",
    "[",
    "]",
    "{",
    "}",
    "\n",
    "\r\n",
    "\r",
    "  ",
    "\t",
    "'",
    '"',
    "\\",
    "\\u202e",
    "\\x00",
    "\\ud800",
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "<<: ",
    "|",
    ">-",
    "#",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "~",
    "null",
    "true",
    "yes",
    "0.5",
    "1.10",
    "0x1F",
    ".nan",
    "-.inf",
    "2024-02-30",
    "12:30",
    "\ufeff",
    "\u2028",
    "\u200f",
    "\x85",
    "\x1b",
    "\x00",
    "é",
    "e\u0301",
    "<script>",
    "{{ 7*7 }}",
    "https://127.1/",
]


def check(problems: list[Problem] | tuple[Problem, ...], text: str | None = None) -> None:
    for problem in problems:
        line = problem.format()
        assert "\n" not in line and "\r" not in line
        assert problem.line >= 1 and problem.col >= 1
        if text is not None:
            assert problem.line <= max(1, text.count("\n") + text.count("\r") + 1)


# --- load ---------------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_load_or_give_problems_and_never_raise(data):
    result = load_bytes(data, "f.yaml")
    assert (result.document is None) == bool(result.problems)
    check(result.problems)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_random_yaml_like_text_loads_or_gives_problems_and_never_raises(text):
    result = load_text(text, "f.yaml")
    assert (result.document is None) == bool(result.problems)
    check(result.problems, text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_the_cheap_value_bound_is_never_below_the_real_count(text):
    """load skips its exact count of values when the bound says the limit cannot be reached."""
    try:
        events = list(yaml.parse(text, Loader=load._Base))
    except yaml.YAMLError:
        return
    values = sum(
        isinstance(e, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent))
        for e in events
    )
    assert values <= 1 + 3 * sum(text.count(c) for c in load._VALUE_INDICATORS)


# --- validate -----------------------------------------------------------------------------------

KEYS = st.sampled_from(["name", "level", "as_of", "x", "id"]) | st.text(max_size=8)
JSON_LIKE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=20,
)
FILES = ["rubric.yaml", "sources.yaml", "evaluators.yaml", "evaluations.yaml", "labs/lab-b.yaml"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shutil.copytree(FIXTURES / "minimal", tmp_path_factory.mktemp("fuzz") / "data")


def validate_with(folder: Path, name: str, content: bytes) -> None:
    """Validate `folder` with one file replaced by `content`, then put the file back."""
    path = folder / name
    original = (FIXTURES / "minimal" / name).read_bytes()
    path.write_bytes(content)
    try:
        result = validate_folder(folder, latest=DAY, reference=DAY)
    finally:
        path.write_bytes(original)
    assert (result.dataset is None) == bool(result.errors)
    check(result.problems)


@FUZZ
@given(st.sampled_from(FILES), JSON_LIKE)
def test_random_documents_in_any_data_file_validate_without_raising(folder, name, value):
    validate_with(folder, name, yaml.safe_dump(value, allow_unicode=True).encode())


@FUZZ
@given(
    st.sampled_from(FILES),
    st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.sampled_from(TOKENS)),
        min_size=1,
        max_size=4,
    ),
)
def test_random_edits_of_a_valid_folder_validate_without_raising(folder, name, edits):
    """Cut and insert tokens at random places in a valid file: the edits reach the schema and
    the rules, not only the parser."""
    text = (FIXTURES / "minimal" / name).read_text(encoding="utf-8")
    for position, cut, token in edits:
        at = position % (len(text) + 1)
        text = text[:at] + token + text[at + cut :]
    validate_with(folder, name, text.encode("utf-8", "surrogatepass"))
