"""Strict YAML loading (SPEC 4, step 1): bytes in, plain values and positions out, never raising."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import load
from generator.load import MAX_DEPTH, MAX_FILE_BYTES, load_bytes, load_file, load_text


def value_of(text: str):
    result = load_text(text, "test.yaml")
    assert result.problems == [], [p.format() for p in result.problems]
    assert result.document is not None
    return result.document.value


def problems_of(data: str | bytes) -> list[str]:
    result = (
        load_bytes(data, "test.yaml") if isinstance(data, bytes) else load_text(data, "test.yaml")
    )
    assert result.document is None
    assert result.problems
    return [p.format() for p in result.problems]


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF",
        "1.10", "1.0", "10.", "0123", "007", "0x1F", "0o17", "0b101", "1e3", "1_000", "+1",
        "1:30", "190:20:30", "2024-05-24", "2024-02-30", "2024-05-24T10:00:00Z", ".5",
        "=", "<<x", "~x",
    ],
)  # fmt: skip
def test_a_plain_scalar_that_yaml_1_1_would_convert_keeps_its_text(text):
    assert value_of(f"key: {text}\n") == {"key": text}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        ("-3", -3),
        ("0", 0),
        ("0.25", 0.25),
        ("-0.5", -0.5),
        ("12.75", 12.75),
        ("true", True),
        ("false", False),
        ("True", True),
        ("FALSE", False),
        ("null", None),
        ("~", None),
        ("", None),
    ],
)
def test_numbers_that_read_back_as_written_and_true_false_null_are_converted(text, expected):
    value = value_of(f"key: {text}\n")["key"]
    assert value == expected
    assert type(value) is type(expected)


def test_quoted_and_block_scalars_are_always_text():
    assert value_of("a: \"true\"\nb: '3'\nc: |\n  0.5\nd: >-\n  null\n") == {
        "a": "true",
        "b": "3",
        "c": "0.5\n",
        "d": "null",
    }


def test_a_whole_number_too_long_to_be_exact_stays_text():
    assert value_of("key: 12345678901234567890\n") == {"key": "12345678901234567890"}


def test_dates_stay_strings_quoted_or_not():
    assert value_of('a: 2024-05-24\nb: "2024-05-24"\n') == {"a": "2024-05-24", "b": "2024-05-24"}


def test_a_byte_order_mark_at_the_start_is_ignored():
    assert load_bytes(b"\xef\xbb\xbfname: Lab\n", "t.yaml").document.value == {"name": "Lab"}


def test_windows_line_endings_load_with_the_same_lines():
    result = load_bytes(b"name: Lab\r\nassessments:\r\n  x: 1\r\n", "t.yaml")
    assert result.document.value == {"name": "Lab", "assessments": {"x": 1}}
    assert result.document.position(("assessments", "x")) == (3, 6)


def test_comments_and_a_modeline_are_ignored():
    text = "# yaml-language-server: $schema=../schema/lab.schema.json\nname: Lab  # the name\n"
    assert value_of(text) == {"name": "Lab"}


def test_a_document_start_marker_alone_is_fine():
    assert value_of("---\nname: Lab\n") == {"name": "Lab"}
    assert value_of("---\nname: Lab\n...\n") == {"name": "Lab"}


def test_tab_newline_and_ordinary_unicode_are_allowed_in_text():
    assert value_of('a: "tab\\there"\nb: "Zürich — §9.6 « » 東京 🙂"\n') == {
        "a": "tab\there",
        "b": "Zürich — §9.6 « » 東京 🙂",
    }


# --- positions ------------------------------------------------------------------------------

POSITIONS = """\
name: Lab
assessments:
  depth:
    level: none
    evidence:
      - {source: a, quote: q}
      - source: b
"""


def test_positions_are_one_based_lines_and_columns_of_values_and_keys():
    document = load_text(POSITIONS, "t.yaml").document
    assert document.position(("name",)) == (1, 7)
    assert document.position(("name",), key=True) == (1, 1)
    assert document.position(("assessments", "depth", "level")) == (4, 12)
    assert document.position(("assessments", "depth", "level"), key=True) == (4, 5)
    assert document.position(("assessments", "depth", "evidence", 0, "quote")) == (6, 28)
    assert document.position(("assessments", "depth", "evidence", 1, "source")) == (7, 17)


def test_a_missing_field_points_at_the_nearest_mapping_that_exists():
    document = load_text(POSITIONS, "t.yaml").document
    assert document.position(("assessments", "depth", "summary")) == (4, 5)
    assert document.position(("assessments", "depth", "evidence", 5)) == (6, 7)
    assert document.position(()) == (1, 1)


def test_the_text_of_a_scalar_is_kept_as_written():
    document = load_text("a: 0123\nb: [1]\n", "t.yaml").document
    assert document.source_text(("a",)) == "0123"
    assert document.source_text(("b",)) is None
    assert document.source_text(("c",)) is None


# --- refusals -------------------------------------------------------------------------------


def test_duplicate_keys_are_refused_even_deep_inside():
    [problem] = problems_of("a:\n  b:\n    c: 1\n    c: 2\n")
    assert problem.startswith("test.yaml:4:5: error: a/b/c: duplicate key 'c'")


def test_every_anchor_and_alias_is_reported():
    problems = problems_of("a: &x 1\nb: *x\nc: &y [1]\n")
    assert [p.split(": error:")[0] for p in problems] == [
        "test.yaml:1:4",
        "test.yaml:2:4",
        "test.yaml:3:4",
    ]


def test_an_alias_bomb_is_refused_before_anything_walks_it():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    problems = problems_of(bomb)
    assert all("anchors and aliases are not allowed" in p for p in problems)


def test_an_ampersand_or_asterisk_inside_text_is_not_an_anchor():
    assert value_of('a: R&D *is* fine\nb: "&x *y"\nc: 5 * 3\n') == {
        "a": "R&D *is* fine",
        "b": "&x *y",
        "c": "5 * 3",
    }


@pytest.mark.parametrize(
    "tag",
    [
        "!!str",
        "!!int",
        "!!binary",
        "!!python/name:os.system",
        "!x",
        "!<tag:yaml.org,2002:str>",
        # Verbatim tags naming the loader's own kinds of value must not pass for them either.
        "!<scorecard:int>",
        "!<scorecard:str>",
    ],
)
def test_every_tag_is_refused(tag):
    [problem] = problems_of(f"a: {tag} not-a-number\n")
    assert "tags are not allowed" in problem


def test_a_tag_on_a_mapping_or_list_is_refused():
    assert "tags are not allowed" in problems_of("a: !!map {b: 1}\n")[0]
    assert "tags are not allowed" in problems_of("a: !!set {b}\n")[0]


def test_a_top_level_merge_key_is_refused():
    [problem] = problems_of("<<: {a: 1}\n")
    assert "merge keys (<<) are not allowed" in problem


def test_a_quoted_merge_key_is_refused_too():
    # Quoted, YAML reads it as text; no schema has such a field, so refusing it costs nothing.
    assert "merge keys (<<) are not allowed" in problems_of('"<<": 1\n')[0]


@pytest.mark.parametrize(
    ("key", "shown"), [("1", "1"), ("1.5", "1.5"), ("true", "true"), ("null", None), ("~", None)]
)
def test_keys_that_are_not_text_are_refused(key, shown):
    [problem] = problems_of(f"{key}: value\n")
    if shown is None:
        assert "keys must be plain text" in problem
    else:
        assert f"the key '{shown}' is not text (quote it: \"{shown}\")" in problem


def test_a_quoted_number_is_a_fine_key():
    assert value_of('"1": value\n') == {"1": "value"}


def test_nan_and_infinity_are_refused_in_every_spelling():
    for text in (".nan", ".NaN", ".NAN", ".inf", "-.Inf", "+.INF"):
        assert "(NaN or infinity) is not allowed" in problems_of(f"a: {text}\n")[0]


def test_nan_in_words_is_text():
    assert value_of("a: nan\nb: inf\nc: NaN\n") == {"a": "nan", "b": "inf", "c": "NaN"}


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\x00", "control character (U+0000)"),
        ("\x08", "control character (U+0008)"),
        ("\x7f", "control character (U+007F)"),
        ("\x85", "control character (U+0085)"),
        ("\u202a", "bidirectional-override character (U+202A)"),
        ("\u202e", "bidirectional-override character (U+202E)"),
        ("\u2066", "bidirectional-override character (U+2066)"),
        ("\u2069", "bidirectional-override character (U+2069)"),
        ("\u2028", "line separator (U+2028)"),
        ("\ufeff", "byte-order mark (U+FEFF)"),
    ],
)
def test_hidden_characters_are_refused_typed_or_escaped(char, kind):
    [typed] = problems_of(f"a: x{char}y\n")
    assert typed.startswith("test.yaml:1:5: error:") and kind in typed
    escaped = f"\\u{ord(char):04x}"
    [written] = problems_of(f'a: "x{escaped}y"\n')
    assert written.startswith("test.yaml:1:4: error: a:") and kind in written


def test_only_the_first_ten_hidden_characters_are_listed():
    assert len(problems_of("a: " + "\x01" * 50 + "\n")) == 10


def test_a_file_of_exactly_the_size_limit_loads_and_one_byte_more_does_not():
    head = b"a: x\n"
    padding = MAX_FILE_BYTES - len(head)
    fits = head + b"#" * (padding - 1) + b"\n"
    assert len(fits) == MAX_FILE_BYTES
    assert load_bytes(fits, "t.yaml").document is not None
    [problem] = problems_of(fits + b"\n")
    assert problem == (
        "test.yaml:1:1: error: (file): is larger than 1 MiB "
        "(split it, or shorten quotes and summaries)"
    )


def test_load_file_reads_at_most_one_byte_past_the_limit(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES * 3))
    [problem] = load_file(big).problems
    assert "is larger than 1 MiB" in problem.message


def nested(depth: int) -> str:
    """A mapping whose values nest `depth` collections deep in total, root included."""
    return "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"


def test_nesting_of_exactly_the_depth_limit_loads():
    assert load_text(nested(MAX_DEPTH), "t.yaml").document is not None


def test_nesting_one_level_deeper_than_the_limit_is_refused():
    [problem] = problems_of(nested(MAX_DEPTH + 1))
    assert "nests deeper than 32 levels" in problem
    assert problem.startswith(f"test.yaml:1:{4 + MAX_DEPTH - 1}:")


def test_block_nesting_is_limited_like_flow_nesting():
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 1)) + "  " * 40 + "v\n"
    assert "nests deeper than 32 levels" in problems_of(text)[0]


def test_extreme_nesting_is_refused_without_recursion_errors():
    for opener, closer in (("[", "]"), ("{a: ", "}")):
        text = "a: " + opener * 100_000 + closer * 100_000 + "\n"
        [problem] = problems_of(text)
        assert "nests deeper than 32 levels" in problem


def test_too_many_values_are_refused():
    text = "a: [" + ", ".join(["1"] * (load.MAX_NODES + 5)) + "]\n"
    assert "more than 50,000 values" in problems_of(text)[0]


def test_a_string_over_the_length_limit_is_refused():
    [problem] = problems_of("a: " + "x" * (load.MAX_STRING_CHARS + 1) + "\n")
    assert "is longer than 10,000 characters" in problem


def test_bytes_that_are_not_utf8_are_placed_at_their_line_and_column():
    [problem] = problems_of("name: ok\nsummary: caf\xe9\n".encode("latin-1"))
    assert problem == (
        "test.yaml:2:13: error: (file): is not valid UTF-8 (byte 0xE9) (save the file as UTF-8)"
    )


def test_an_empty_or_comment_only_file_is_refused():
    for text in ("", "\n\n", "# only a comment\n"):
        [problem] = problems_of(text)
        assert "is empty" in problem


def test_a_second_document_is_refused():
    for text in ("a: 1\n---\nb: 2\n", "a: 1\n...\n---\nb: 2\n", "--- a\n--- b\n"):
        assert "more than one YAML document" in problems_of(text)[0]


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path: Path):
    [problem] = load_file(tmp_path / "absent.yaml").problems
    assert "cannot be read" in problem.message
    [problem] = load_file(tmp_path).problems  # a folder
    assert "cannot be read" in problem.message


# --- libyaml and the pure-Python composer agree ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        POSITIONS,
        "a: yes\nb: 1.10\nc: [1, 0.5, true, null, ~, '']\n",
        "k: >\n  folded\n  text\nl: |-\n  literal\n",
        '"quoted key": "\\u00e9"\n',
    ],
)
def test_libyaml_and_the_pure_python_composer_give_the_same_nodes(text):
    if not load.USING_LIBYAML:
        pytest.skip("libyaml is not installed")

    def shape(node: yaml.Node):
        if isinstance(node, yaml.ScalarNode):
            return (node.tag, node.value, node.start_mark.line, node.start_mark.column)
        if isinstance(node, yaml.SequenceNode):
            return (node.tag, [shape(n) for n in node.value])
        return (node.tag, [(shape(k), shape(v)) for k, v in node.value])

    fast = load._Composer(text)
    slow = load._PureComposer(text)
    try:
        assert shape(fast.get_single_node()) == shape(slow.get_single_node())
    finally:
        fast.dispose()
        slow.dispose()


@pytest.mark.parametrize(
    "text",
    [
        "&a x\n",
        "--- &a x\n",
        "a: &a x\n",
        "a:   &a x\n",
        "a: &a\n  b: 1\n",
        "- &a x\n",
        "-   &a x\n",
        "[&a x]\n",
        "[x,&a y]\n",
        "{&a x: y}\n",
        "{x: &a y}\n",
        '{"x":&a y}\n',
        "? &a x\n: y\n",
        "a: !!str &a x\n",
        "a: [x, *b]\n",
        "a:\n- *b\n",
        "{x: *b}\n",
        '{"x":*b}\n',
    ],
)
def test_every_anchor_or_alias_position_is_caught_by_the_quick_guard(text):
    events = list(yaml.parse(text, Loader=yaml.SafeLoader)) if "*b" not in text else None
    if events is not None:
        assert any(getattr(e, "anchor", None) for e in events)
    assert load.may_hold_anchor(text)
    assert any("anchor" in p or "alias" in p or "tags" in p for p in problems_of(text))


def test_text_with_ampersands_inside_words_skips_the_anchor_scan():
    assert not load.may_hold_anchor("summary: R&D at AT&T, 5*3 and x&y\n")


def test_plain_prose_cut_by_a_comment_is_a_warning_at_the_cut_and_still_loads():
    text = (
        "name: Lab # a comment after a name is fine\n"
        "summary: The lab tested model#1 # and #2\n"
        "quote: Safety is job\n"
        "  one # at the lab\n"
        "level: full # a comment after an id is fine\n"
        "description: Two spaces make a comment  # like this\n"
        "note: 'quoted # is kept'\n"
    )
    result = load_text(text, "test.yaml")
    assert result.document is not None
    assert result.document.value["quote"] == "Safety is job one"
    assert [p.format() for p in result.problems] == [
        "test.yaml:2:32: warning: summary: the text stops before ` #`: YAML reads `# and #2` as "
        'a comment (put the whole value in quotes ("...", or single quotes if it holds ") to '
        "keep it (it starts on line 2); a comment meant as one takes two spaces before #)",
        "test.yaml:4:6: warning: quote: the text stops before ` #`: YAML reads `# at the lab` "
        'as a comment (put the whole value in quotes ("...", or single quotes if it holds ") '
        "to keep it (it starts on line 3); a comment meant as one takes two spaces before #)",
    ]
