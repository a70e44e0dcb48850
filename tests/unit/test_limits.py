"""Bounded resources: every limit a hostile file can run into gives its own clear error, at its
edge, in the SPEC 4 line format. How fast the worst files are refused is measured by
bench/bench_hostile.py, not asserted here."""

from __future__ import annotations

import pytest

from generator import load, rules, validate
from generator.load import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_KEY_CHARS,
    MAX_NODES,
    MAX_STRING_CHARS,
    load_bytes,
    load_text,
)
from tests.support import DATE, FIXTURES

LAB_B = (FIXTURES / "minimal" / "labs" / "lab-b.yaml").read_text(encoding="utf-8")


def problems(text: str | bytes) -> list[str]:
    result = load_bytes(text.encode() if isinstance(text, str) else text, "t.yaml")
    return [p.format() for p in result.problems]


def flow_list(items: int) -> str:
    """A file of exactly 3 + `items` values: the root mapping, the key `x`, the list, its items."""
    return "x: [" + ",".join(["a"] * items) + "]\n"


# --- each limit, at its edge -------------------------------------------------------------------


def test_a_file_of_exactly_the_value_limit_loads():
    assert load_text(flow_list(MAX_NODES - 3), "t.yaml").document is not None


def test_one_value_over_the_limit_is_refused_at_that_value():
    text = flow_list(MAX_NODES - 2)
    column = len("x: [") + 2 * (MAX_NODES - 3) + 1  # the last item
    assert problems(text) == [
        f"t.yaml:1:{column}: error: (file): the file has more than {MAX_NODES:,} values "
        "(split it into smaller files)"
    ]


def test_the_value_limit_holds_for_block_lists_and_mappings_too():
    block_list = "x:\n" + "- a\n" * MAX_NODES
    mapping = "".join(f"k{i}: v\n" for i in range(MAX_NODES // 2 + 1))
    for text in (block_list, mapping):
        [problem] = problems(text)
        assert f"more than {MAX_NODES:,} values" in problem


def test_the_cheap_value_bound_never_skips_a_file_that_is_over_the_limit():
    # The exact count runs only when the bound says the limit could be exceeded.
    for text in (flow_list(MAX_NODES), "x:\n" + "- a\n" * MAX_NODES, "{" + "a,b," * MAX_NODES):
        assert load.may_exceed_node_limit(text)


def test_the_value_bound_counts_the_indicators_of_the_text_itself():
    # Counted in UTF-8 bytes: a multi-byte character never adds to the count.
    for text in ("a: b\n", "é: [x, y]\n- ‘q’ ? {z}\n", "ü" * 100 + ":-?,[{" * 7, "\ud800 :"):
        count = sum(text.count(c) for c in load._VALUE_INDICATORS)
        bound = 1 + 3 * count
        raw = text.encode("utf-8", "surrogatepass")
        assert len(raw) - len(raw.translate(None, load._VALUE_INDICATOR_BYTES)) == count
        assert load.may_exceed_node_limit(text) is (bound > MAX_NODES)


def test_the_quick_character_test_never_misses_a_forbidden_character():
    # Every character the exact search forbids makes the quick test search, inside ASCII text
    # and outside it; ASCII text without one is not searched.
    for code in range(0x3000):
        text = f"summary: a{chr(code)}b\n"
        if load.FORBIDDEN_CHARS.search(text):
            assert load.may_hold_forbidden_char(text), hex(code)
        elif text.isascii():
            assert not load.may_hold_forbidden_char(text), hex(code)
    assert load.may_hold_forbidden_char("a: \ufeff\n")


def test_a_string_of_exactly_the_length_limit_loads_and_one_more_character_does_not():
    assert load_text(f"a: {'x' * MAX_STRING_CHARS}\n", "t.yaml").document is not None
    assert problems(f"a: {'x' * (MAX_STRING_CHARS + 1)}\n") == [
        f"t.yaml:1:4: error: a: is longer than {MAX_STRING_CHARS:,} characters"
    ]


def test_a_key_of_exactly_the_length_limit_loads_and_one_more_character_does_not():
    assert load_text(f"{'k' * MAX_KEY_CHARS}: x\n", "t.yaml").document is not None
    assert problems(f"a:\n  {'k' * (MAX_KEY_CHARS + 1)}: x\n") == [
        f"t.yaml:2:3: error: a: a key is longer than {MAX_KEY_CHARS} characters "
        "(keys are field names and ids; put long text in a value)"
    ]


def test_nesting_of_exactly_the_depth_limit_loads_and_one_level_more_does_not():
    def nested(depth: int) -> str:
        return "".join("  " * i + f"k{i}:\n" for i in range(depth - 1)) + "  " * depth + "[]\n"

    assert load_text(nested(MAX_DEPTH), "t.yaml").document is not None
    [problem] = problems(nested(MAX_DEPTH + 1))
    assert f"nests deeper than {MAX_DEPTH} levels" in problem


def test_a_file_one_byte_over_the_size_limit_is_refused_without_being_parsed():
    text = b"a: [" + b"[" * (MAX_FILE_BYTES - 4) + b"\n"
    assert problems(text) == [
        "t.yaml:1:1: error: (file): is larger than 1 MiB (split it, or shorten quotes and "
        "summaries)"
    ]


# --- limits the schemas and rules set ----------------------------------------------------------


def test_a_text_field_over_its_schema_length_names_the_limit(data_folder, scorecard):
    data = data_folder({"labs/lab-b.yaml": LAB_B.replace("name: Lab B", "name: " + "B" * 121)})
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    assert run.error_lines == [
        "data/labs/lab-b.yaml:1:7: error: name: is longer than 120 characters (shorten it)"
    ]


def test_more_evidence_than_a_list_allows_names_the_limit(data_folder, scorecard):
    evidence = ", ".join(["{source: news-b}"] * 51)
    data = data_folder({"labs/lab-b.yaml": LAB_B.replace("[{source: news-b}]", f"[{evidence}]")})
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    [line] = run.error_lines
    assert line.startswith("data/labs/lab-b.yaml:7:15: error: assessments/pre-deployment/evidence")
    assert "has more than 50 items" in line


def test_more_lab_files_than_the_limit_is_refused(data_folder, scorecard, monkeypatch):
    monkeypatch.setattr(validate, "MAX_LABS", 3)
    data = data_folder({"labs/lab-c.yaml": LAB_B, "labs/lab-d.yaml": LAB_B})
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    assert "data/labs:1:1: error: (file): holds more than 3 lab files" in run.error_lines


def test_suggestions_stop_at_their_budget_but_every_problem_is_still_reported(
    data_folder, scorecard, monkeypatch
):
    monkeypatch.setattr(rules, "SUGGESTION_COMPARISONS", 4)  # two sources: two suggestions
    evidence = ", ".join(f"{{source: news-{c}}}" for c in "cdefgh")
    data = data_folder({"labs/lab-b.yaml": LAB_B.replace("[{source: news-b}]", f"[{evidence}]")})
    run = scorecard("validate", "--data", data, "--date", DATE)
    unknown = [line for line in run.error_lines if "no source with id" in line]
    assert len(unknown) == 6
    assert sum("did you mean" in line for line in unknown) == 2
    assert all(line.endswith("(add the document to data/sources.yaml)") for line in unknown[2:])


def test_dozens_of_unknown_fields_are_each_reported_with_the_allowed_fields(data_folder, scorecard):
    extra = "".join(f"nam{i}: x\n" for i in range(25))
    data = data_folder({"labs/lab-b.yaml": LAB_B + extra})
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert len(run.error_lines) == 25
    assert all("(fields here: assessments, description, models, name, website)" in line
               for line in run.error_lines)  # fmt: skip


@pytest.mark.parametrize("count", [20, 21])
def test_a_few_unknown_fields_keep_their_suggestion(data_folder, scorecard, count):
    extra = "".join(f"nam{i:02d}: x\n" for i in range(count))
    data = data_folder({"labs/lab-b.yaml": LAB_B + extra})
    run = scorecard("validate", "--data", data, "--date", DATE)
    suggested = sum("did you mean 'name'?" in line for line in run.error_lines)
    assert suggested == (count if count <= 20 else 0)
