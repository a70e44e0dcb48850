"""Properties that hold for any input (hypothesis): scores stay in [0, 100], more points never
lower a score, and no bytes or YAML, however broken, produce a traceback."""

from __future__ import annotations

import datetime as dt
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator import export
from generator.load import FORBIDDEN_CHARS, MAX_DEPTH, load_bytes, load_text, may_hold_anchor
from generator.model import build_dataset
from generator.score import round_score, score_dataset
from tests.support import DATE, FIXTURES, ROOT

REFERENCE = dt.date(2024, 6, 1)
FAST = settings(max_examples=150, deadline=None)
CLI = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- scores ---------------------------------------------------------------------------------

# Numbers as a contributor writes them: whole numbers, or decimals with a few places.
weights = st.one_of(
    st.integers(1, 1000),
    st.decimals("0.01", "100", places=2).map(float).filter(lambda w: w > 0),
)
points = st.one_of(
    st.sampled_from([0, 1, 0.5, 0.25, 0.1, 0.75]), st.integers(0, 100).map(lambda n: n / 100)
)


@st.composite
def rubrics(draw) -> dict[str, Any]:
    categories = []
    for c in range(draw(st.integers(1, 4))):
        criteria = []
        for k in range(draw(st.integers(1, 4))):
            middle = draw(st.lists(points, max_size=3))
            values = sorted({1, 0, *middle}, reverse=True)
            criteria.append(
                {
                    "id": f"c{c}-{k}",
                    "title": "t",
                    "question": "q",
                    "why": "w",
                    "weight": draw(weights),
                    "levels": [
                        {"id": f"l{i}", "label": "l", "points": p, "description": "d"}
                        for i, p in enumerate(values)
                    ],
                }
            )
        categories.append(
            {"id": f"cat{c}", "title": "t", "weight": draw(weights), "criteria": criteria}
        )
    return {
        "title": "T",
        "version": "1",
        "grades": [{"grade": "A", "min": 80}, {"grade": "F", "min": 0}],
        "categories": categories,
    }


def level_choices(criterion: dict[str, Any]) -> list[str]:
    return [level["id"] for level in criterion["levels"]] + ["no-disclosure", "not-applicable"]


@st.composite
def rubric_and_labs(draw) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    rubric = draw(rubrics())
    criteria = [c for cat in rubric["categories"] for c in cat["criteria"]]
    labs = {}
    for n in range(draw(st.integers(1, 4))):
        labs[f"lab-{n}"] = {
            "name": f"Lab {n}",
            "assessments": {
                c["id"]: {
                    "level": draw(st.sampled_from(level_choices(c))),
                    "as_of": "2024-01-01",
                    "summary": "s",
                }
                for c in criteria
            },
        }
    return rubric, labs


def score_all(rubric, labs):
    return score_dataset(build_dataset(rubric, labs, None, None, None), REFERENCE)


@FAST
@given(rubric_and_labs())
def test_every_score_stays_between_0_and_100(case):
    card = score_all(*case)
    for lab_score in card.labs:
        for category in lab_score.categories:
            if category.score is not None:
                assert 0 <= category.score <= 100
                assert 0 <= category.rounded <= 100
        if lab_score.score is not None:
            assert 0 <= lab_score.score <= 100
            assert 0 <= lab_score.rounded <= 100
    assert [s.rank for s in card.labs] == list(range(1, len(card.labs) + 1))


@FAST
@given(rubric_and_labs(), st.data())
def test_raising_any_levels_points_never_lowers_a_score(case, data):
    rubric, labs = case
    before = score_all(rubric, labs)
    criteria = [c for cat in rubric["categories"] for c in cat["criteria"]]
    criterion = data.draw(st.sampled_from(criteria))
    level = data.draw(st.sampled_from(criterion["levels"]))
    level["points"] = data.draw(
        st.integers(0, 100).map(lambda n: n / 100).filter(lambda p: p >= level["points"])
    )
    after = score_all(rubric, labs)
    for slug in labs:
        old, new = before.lab(slug), after.lab(slug)
        assert (old.score is None) == (new.score is None)
        if old.score is not None:
            assert new.score >= old.score
            assert new.rounded >= old.rounded
        for old_cat, new_cat in zip(old.categories, new.categories, strict=True):
            if old_cat.score is not None:
                assert new_cat.score >= old_cat.score


@FAST
@given(rubric_and_labs(), st.data())
def test_choosing_a_level_with_more_points_never_lowers_a_score(case, data):
    rubric, labs = case
    slug = data.draw(st.sampled_from(sorted(labs)))
    criteria = [c for cat in rubric["categories"] for c in cat["criteria"]]
    criterion = data.draw(st.sampled_from(criteria))
    current = labs[slug]["assessments"][criterion["id"]]["level"]
    assume(current != "not-applicable")  # from not-applicable the denominator changes too
    points_of = {lv["id"]: lv["points"] for lv in criterion["levels"]} | {"no-disclosure": 0}
    better = [i for i, p in points_of.items() if p >= points_of[current]]
    before = score_all(rubric, labs).lab(slug).score
    labs[slug]["assessments"][criterion["id"]]["level"] = data.draw(st.sampled_from(better))
    assert score_all(rubric, labs).lab(slug).score >= before


@FAST
@given(st.fractions(min_value=0, max_value=100))
def test_rounding_is_within_a_twentieth_and_monotonic(value):
    rounded = round_score(value)
    assert abs(Fraction(rounded) - value) <= Fraction(1, 20)
    assert round_score(value + Fraction(1, 1000)) >= rounded


# --- loading never raises -------------------------------------------------------------------


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    result = load_bytes(data, "random.yaml")
    assert (result.document is None) == bool(result.problems)


YAML_PIECES = [
    "a", "name", "assessments", "level", ": ", ":", "- ", "\n", "  ", "    ", "[", "]", "{", "}",
    ", ", "&x ", "*x", "!!str ", "!t ", "!!python/object:os.system ", "'", '"', "\\", "\\u202e",
    "---\n", "...\n", "? ", "|\n", ">-\n", "# c", "1", "0.5", "1.10", "0123", ".nan", "-.inf",
    "yes", "no", "2024-02-30", "2024-05-24", "<<: ", "\t", "\x00", "\x1b", "\u202e", "\u2028",
    "é", "\ufeff", "%YAML 1.1\n", "%TAG ! tag:x,2024:\n", "@", "`", "~", "null", "true",
    "!<scorecard:int> ", "!<tag:yaml.org,2002:str> ",
]  # fmt: skip
yaml_like = st.lists(st.sampled_from(YAML_PIECES), max_size=80).map("".join)


@FAST
@given(yaml_like)
def test_random_yaml_never_raises(text):
    result = load_text(text, "random.yaml")
    assert (result.document is None) == bool(result.problems)
    for problem in result.problems:
        assert problem.line >= 1 and problem.col >= 1
        assert "\n" not in problem.format()


# Values the standard dumper can write and a contributor could have typed.
safe_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30).filter(
    lambda s: not FORBIDDEN_CHARS.search(s)
)
plain_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**15) + 1, 10**15 - 1) | safe_text,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(safe_text.filter(lambda k: k != "<<"), inner, max_size=4)
    ),
    max_leaves=20,
)


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


@FAST
@given(st.dictionaries(safe_text.filter(lambda k: k != "<<"), plain_values, min_size=1, max_size=5))
def test_what_the_standard_dumper_writes_loads_back_as_the_same_values(value):
    assume(depth(value) <= MAX_DEPTH)
    for style in (False, None):
        text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=style)
        result = load_text(text, "dumped.yaml")
        assert result.problems == [], (text, [p.format() for p in result.problems])
        assert result.document.value == value


# --- the command never shows a traceback ----------------------------------------------------

LAB_A = (FIXTURES / "minimal" / "labs" / "lab-a.yaml").read_text(encoding="utf-8")
PROBLEM_LINE = re.compile(r"^data/[^:]+:\d+:\d+: (error|warning): \S.*$")
SUMMARY_LINE = re.compile(r"^\d+ errors? in \d+ files?; nothing was written$")


@pytest.fixture
def lab_folder(data_folder) -> Path:
    """One copy of the minimal fixture per test (hypothesis reuses it for every example)."""
    return data_folder()


def validate_lab(scorecard, data: Path, content: bytes) -> None:
    assert data.is_absolute() and ROOT not in data.parents  # never write into the repository
    (data / "labs" / "lab-a.yaml").write_bytes(content)
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err
    for line in run.err.splitlines():
        assert PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line), line


@CLI
@given(content=st.binary(max_size=300) | yaml_like.map(str.encode))
def test_validate_never_raises_on_a_random_lab_file(content, lab_folder, scorecard):
    validate_lab(scorecard, lab_folder, content)


@st.composite
def mutated_lab(draw) -> bytes:
    """The valid lab-a file with a few random edits: near-misses reach the schema and rules."""
    text = LAB_A
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(YAML_PIECES)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
    return text.encode("utf-8", "surrogatepass")


@CLI
@given(content=mutated_lab())
def test_validate_never_raises_on_a_slightly_broken_lab_file(content, lab_folder, scorecard):
    validate_lab(scorecard, lab_folder, content)


@FAST
@given(yaml_like)
def test_the_anchor_guard_misses_no_anchor_or_alias(text):
    # The loader skips the exact anchor scan when may_hold_anchor finds no candidate; that shortcut
    # must never let an anchor or alias through.
    try:
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return
    if any(isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) for e in events):
        assert may_hold_anchor(text.removeprefix("\ufeff"))


# What the exports hold: text (validated, so no lone surrogates), whole numbers, one-decimal
# scores and fractions of points, booleans and nulls.
_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.decimals(min_value=-1000, max_value=1000, places=3).map(float)
    | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=30,
)


@FAST
@given(json_values)
def test_the_json_export_writes_exactly_what_json_dumps_would(value):
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert export.json_text(value) == expected
