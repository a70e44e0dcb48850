"""Strict YAML loading: bytes in, plain values out, with the position of every node kept.

YAML is more language than a contributor needs. This loader accepts one document of mappings,
sequences and plain scalars, and turns everything else (anchors, tags, duplicate keys, hidden
characters, ...) into `Problem`s with line and column. Scalars never change their text: only
`true`/`false`, `null`, and numbers that read back exactly as written (`3`, `0.25`) are
converted; `yes`, `on`, `1.10`, `0123` and dates stay strings (SPEC 4.1).

libyaml composes the node tree when it is installed (several times faster); the pure-Python
composer is the fallback with identical results.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.problems import ERROR, WARNING, WHOLE_FILE, Problem

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 50_000
MAX_STRING_CHARS = 10_000
# Fields that hold prose, where plain text cut by ` #` (one space) is a warning. Elsewhere (an
# id, a date, a name) a comment after the value is how YAML comments are meant to be used.
PROSE = frozenset({"summary", "quote", "note", "description"})
# One space: ` #` reads as part of the text. A comment meant as one has two spaces before it, as
# in the SPEC's example (and yamllint's default).
_COMMENT_AFTER = re.compile(r" #")
MAX_KEY_CHARS = 200  # keys are field names and ids (at most 64 characters); a key is also shown
# in every message about its value


class _Resolved:
    """The kind of value the resolver chose for a node, used as the node's tag.

    Not a string: a tag written in the file, even a verbatim one such as `!<scorecard:int>`, is
    always a string and so can never pass for one of these.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<resolved {self.name}>"


STR, INT, FLOAT, BOOL, NULL, NONFINITE, MAP, SEQ = (
    _Resolved(name) for name in ("str", "int", "float", "bool", "null", "nonfinite", "map", "seq")
)
_RESOLVED = frozenset({STR, INT, FLOAT, BOOL, NULL, NONFINITE, MAP, SEQ})

# An anchor (&name) or alias (*name) starts a token: at the start of the text or of a line, or
# after a space, a flow indicator, or `:`, `?` or `-`. Text such as "R&D" or "5*3" cannot hold
# one, so the exact (and slower) event scan runs only when this finds a candidate.
_BEFORE_TOKEN = frozenset("[]{},:?-")


def may_hold_anchor(text: str) -> bool:
    for sign in "&*":
        at = text.find(sign)
        while at != -1:
            if at == 0 or text[at - 1].isspace() or text[at - 1] in _BEFORE_TOKEN:
                return True
            at = text.find(sign, at + 1)
    return False


_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,14})")
# No trailing zero after the point: `1.10` and `1.0` would not read back as written.
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,14})\.[0-9]{0,14}[1-9]")
_NONFINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

# C0/C1 controls (tab, LF and CR are fine), DEL, bidirectional embeddings/overrides/isolates,
# YAML 1.1's extra line breaks, and a byte-order mark anywhere but the start.
FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)


# The characters of FORBIDDEN_CHARS that ASCII text can hold, as bytes.
_ASCII_FORBIDDEN = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"


def may_hold_forbidden_char(text: str) -> bool:
    """A quick test before the exact search: ASCII text (most files) is checked by deleting
    the forbidden bytes from a copy and comparing lengths, several times faster than the
    pattern; other text is always searched."""
    if not text.isascii():
        return True
    raw = text.encode("ascii")
    return len(raw.translate(None, _ASCII_FORBIDDEN)) != len(raw)


def describe_char(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"a bidirectional-override character ({code}), which can make text read differently"
    if char in "\u2028\u2029":
        return f"a Unicode line separator ({code})"
    if char == "\ufeff":
        return f"a byte-order mark ({code}) inside the file"
    return f"an invisible control character ({code})"


def _resolve(kind: type, value: str, implicit: tuple[bool, bool]) -> _Resolved:
    if kind is ScalarNode:
        if not implicit[0]:  # quoted or block scalar: always text
            return STR
        if value in _NULLS:
            return NULL
        if value in _BOOLS:
            return BOOL
        first = value[0]
        if first == "-" or "0" <= first <= "9":
            if _INT.fullmatch(value):
                return INT
            if _FLOAT.fullmatch(value):
                return FLOAT
        if "." in value and _NONFINITE.fullmatch(value):
            return NONFINITE
        return STR
    return SEQ if kind is SequenceNode else MAP


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Composer(_Base):
    """Composes nodes with our resolver; construction is ours too (see _Walker)."""

    # Called once per scalar by the composer: a plain function, not a method calling one.
    resolve = staticmethod(_resolve)
    # The composer also tells the resolver each time it enters and leaves a value, for path
    # resolvers, which we do not use: two builtins that do nothing useful and cost the least.
    descend_resolver = staticmethod(slice)  # called with (parent node, index)
    ascend_resolver = staticmethod(tuple)  # called with nothing


class _PureComposer(yaml.SafeLoader):
    resolve = staticmethod(_resolve)


USING_LIBYAML = _Base is not yaml.SafeLoader


@dataclass(frozen=True)
class Document:
    """One loaded file: its plain value, and its text for finding where each value was.

    The node tree is composed again only when a position is asked for (to report a problem):
    keeping every file's tree alive costs more in garbage collection than composing the few
    files with problems twice.
    """

    path: str
    value: Any
    text: str = field(repr=False, compare=False)

    @cached_property
    def root(self) -> Node:
        root = _compose(self.text)
        assert root is not None  # the text composed to this document once already
        return root

    def position(self, where: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `where`, or of its key with key=True.

        Follows the path as far as it exists, so a missing field points at its parent mapping.
        """
        node = self.root
        key_node: Node | None = None
        for part in where:
            child = self._child(node, part)
            if child is None:
                key_node = None
                break
            key_node, node = child
        mark = (key_node if key and key_node is not None else node).start_mark
        return mark.line + 1, mark.column + 1

    def source_text(self, where: tuple[str | int, ...]) -> str | None:
        """The scalar's text as written in the file, if `where` is a scalar."""
        node = self.root
        for part in where:
            child = self._child(node, part)
            if child is None:
                return None
            node = child[1]
        return node.value if isinstance(node, ScalarNode) else None

    @cached_property
    def _keys(self) -> dict[int, dict[str, tuple[Node, Node]]]:
        """For each mapping node (by id) asked about, its key and value nodes by key: a file
        with thousands of problems in one mapping is placed in linear time, not quadratic."""
        return {}

    def _child(self, node: Node, part: str | int) -> tuple[Node | None, Node] | None:
        if isinstance(node, MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode):
                        keys.setdefault(key_node.value, (key_node, value_node))
                self._keys[id(node)] = keys
            return keys.get(part) if isinstance(part, str) else None
        if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return None, node.value[part]
        return None


@dataclass
class LoadResult:
    document: Document | None
    problems: list[Problem]


def load_file(path: str | Path) -> LoadResult:
    """Read and load one file; never raises for anything the file contains."""
    shown = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return LoadResult(None, [_whole_file(shown, f"cannot be read: {error.strerror or error}")])
    return load_bytes(data, shown)


def load_bytes(data: bytes, path: str) -> LoadResult:
    if len(data) > MAX_FILE_BYTES:
        return LoadResult(
            None,
            [
                _whole_file(
                    path, "is larger than 1 MiB", "split it, or shorten quotes and summaries"
                )
            ],
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _line_col(data[: error.start].decode("utf-8", "replace"))
        return LoadResult(
            None,
            [
                Problem(
                    path,
                    line,
                    col,
                    ERROR,
                    WHOLE_FILE,
                    f"is not valid UTF-8 (byte 0x{data[error.start]:02X})",
                    "save the file as UTF-8",
                )
            ],
        )
    return load_text(text, path)


def load_text(text: str, path: str) -> LoadResult:
    if text.startswith("\ufeff"):  # a BOM at the very start is an editor's habit, not content
        text = text[1:]
    if may_hold_forbidden_char(text):
        problems = list(_forbidden_chars(text, path, limit=10))
        if problems:
            return LoadResult(None, problems)
    if may_exceed_node_limit(text):  # cheap guard before the event scan that counts exactly
        problem = _node_limit_problem(text, path)
        if problem is not None:
            return LoadResult(None, [problem])
    if may_hold_anchor(text):  # cheap guard before the event scan that finds them exactly
        problems = list(_anchor_problems(text, path))
        if problems:
            return LoadResult(None, problems)
    with _collector_paused():
        return _load_tree(text, path)


def _load_tree(text: str, path: str) -> LoadResult:
    try:
        root = _compose(text)
    except RecursionError:
        return LoadResult(None, [_depth_problem(text, path)])
    except yaml.MarkedYAMLError as error:
        return LoadResult(None, [_yaml_error(error, path, text)])
    except yaml.YAMLError as error:  # reader errors carry no mark, only a position
        return LoadResult(None, [_whole_file(path, f"is not valid YAML: {error}")])
    if root is None:
        return LoadResult(
            None, [_whole_file(path, "is empty", "see the template in CONTRIBUTING.md")]
        )
    walker = _Walker(path, check_escapes="\\" in text, text=text if " #" in text else None)
    value = walker.convert(root, 0, ())
    if walker.problems:
        return LoadResult(None, walker.problems)
    return LoadResult(Document(path, value, text), walker.warnings)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while one file's node tree is built and walked.

    The tree has no reference cycles, so reference counting frees it as soon as it is dropped;
    left running, the collector would be triggered by its ~100,000 short-lived nodes again and
    again and each time rescan every value already loaded from the other files (about 40% of
    the load time of a 200-lab folder). A file is at most 1 MiB and 50,000 values, which bounds
    what the pause can hold.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _compose(text: str) -> Node | None:
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _at_mark(path: str, mark: yaml.Mark, message: str, hint: str = "") -> Problem:
    """A problem with the whole file, placed where libyaml's event starts."""
    return Problem(path, mark.line + 1, mark.column + 1, ERROR, WHOLE_FILE, message, hint)


def _whole_file(path: str, message: str, hint: str = "") -> Problem:
    return Problem(path, 1, 1, ERROR, WHOLE_FILE, message, hint)


def _line_col(before: str) -> tuple[int, int]:
    """1-based line and column of the character that follows `before`. Line breaks are counted
    as YAML counts them (LF, CRLF or a lone CR), so these positions agree with the parser's."""
    lines = before.count("\n") + before.count("\r") - before.count("\r\n")
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return lines + 1, len(before) - start + 1


def _forbidden_chars(text: str, path: str, limit: int) -> Iterator[Problem]:
    for count, match in enumerate(FORBIDDEN_CHARS.finditer(text)):
        if count == limit:
            return
        line, col = _line_col(text[: match.start()])
        yield Problem(
            path,
            line,
            col,
            ERROR,
            WHOLE_FILE,
            f"contains {describe_char(match.group())}",
            "delete it; retype the text around it if unsure",
        )


def _anchor_problems(text: str, path: str) -> Iterator[Problem]:
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.AliasEvent):
                kind = "an alias (*name)"
            elif getattr(event, "anchor", None):
                kind = "an anchor (&name)"
            else:
                continue
            mark = event.start_mark
            yield _at_mark(
                path,
                mark,
                f"uses {kind}; anchors and aliases are not allowed",
                "write the value out in full",
            )
    except yaml.YAMLError:
        return  # the composer reports syntax errors with their position


# Each value after the first is opened or separated by one of these characters, and each one
# adds at most three values (a collection, a key, an empty value): a text with few of them
# cannot hold too many values. The bundled files stay below a tenth of the limit.
_VALUE_INDICATORS = ":-?,[{"
_VALUE_INDICATOR_BYTES = _VALUE_INDICATORS.encode("ascii")


def may_exceed_node_limit(text: str) -> bool:
    # Counted in the UTF-8 bytes, in one pass: deleting the indicators and comparing lengths.
    # (No byte of a multi-byte UTF-8 character is ASCII, so the count is the text's own.)
    raw = text.encode("utf-8", "surrogatepass")
    return 1 + 3 * (len(raw) - len(raw.translate(None, _VALUE_INDICATOR_BYTES))) > MAX_NODES


def _node_limit_problem(text: str, path: str) -> Problem | None:
    """Counts values in the event stream and stops at the first one over the limit, so a file
    of half a million values is refused in a fraction of the time it takes to compose it."""
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.AliasEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    mark = event.start_mark
                    return _at_mark(
                        path,
                        mark,
                        f"the file has more than {MAX_NODES:,} values",
                        "split it into smaller files",
                    )
    except yaml.YAMLError:
        return None  # the composer reports syntax errors with their position
    return None


def _depth_problem(text: str, path: str) -> Problem:
    # libyaml's scanner looks ahead over a run of `[` and stops at its own limit (1000 levels)
    # before yielding the event that goes too deep; the pure-Python parser has no such limit
    # (and no recursion), so it finds the position when libyaml cannot.
    for loader in dict.fromkeys((_Base, yaml.SafeLoader)):
        depth = 0
        try:
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_DEPTH:
                        mark = event.start_mark
                        return _at_mark(
                            path,
                            mark,
                            f"nests deeper than {MAX_DEPTH} levels",
                        )
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
        except yaml.YAMLError:
            continue
    return _whole_file(path, f"nests deeper than {MAX_DEPTH} levels")


def _yaml_error(error: yaml.MarkedYAMLError, path: str, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    if mark and mark.index >= len(text.rstrip()) and error.context_mark:
        # The parser ran off the end of the file (an unclosed bracket or quote): point at
        # where the unfinished construct starts, not at a line after the last one.
        mark = error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    line, col = _within(text, line, col)
    problem = error.problem or "syntax error"
    hint = ""
    if "maximum nesting depth" in problem:  # libyaml's own limit (1000): point at level 33
        return _depth_problem(text, path)
    if mark and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        hint = "indent with spaces, not tabs"
    elif "expected a single document" in str(error.context) or "another document" in problem:
        problem, hint = "contains more than one YAML document", "remove the `---` or `...` line"
        if error.problem_mark:
            line, col = error.problem_mark.line + 1, error.problem_mark.column + 1
    elif "mapping values are not allowed" in problem:
        misindented = _misindented(text, line)
        if misindented is not None:
            return Problem(path, *misindented[:2], ERROR, "(yaml)", *misindented[2:])
        hint = "a value containing ': ' must be quoted"
    elif "unknown escape" in problem:
        hint = "inside double quotes a backslash starts an escape: use single quotes instead"
    elif "undefined tag handle" in problem:
        hint = "tags are not allowed; quote the value"
    context = f" {error.context}" if error.context and not hint else ""
    return Problem(path, line, col, ERROR, "(yaml)", f"invalid YAML: {problem}{context}", hint)


_KEY_LINE = re.compile(r"(?P<indent> *)(?:- +)?(?P<key>[^\s#:][^#:]*?):(?:[ \t]+(?P<value>\S.*))?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _misindented(text: str, line: int) -> tuple[int, int, str, str] | None:
    """For "mapping values are not allowed" at `line` (1-based): when that line is a key
    indented deeper than the `key: value` line above it, YAML read it as the rest of that
    value, and the colon is only where it gave up. Blame the line whose indentation differs
    from the keys around it: (line, col, message, hint), or None when it is not that case."""
    lines = text.splitlines()
    if not 1 < line <= len(lines):
        return None

    def content(number: int) -> bool:  # 1-based; not blank and not a comment
        stripped = lines[number - 1].strip()
        return bool(stripped) and not stripped.startswith("#")

    here = _KEY_LINE.match(lines[line - 1])
    above_at = next((n for n in range(line - 1, 0, -1) if content(n)), None)
    if here is None or above_at is None:
        return None
    above = _KEY_LINE.match(lines[above_at - 1])
    if (
        above is None
        or not above["value"]
        or _indent(lines[line - 1]) <= _indent(lines[above_at - 1])
    ):
        return None
    deep, shallow = _indent(lines[line - 1]), _indent(lines[above_at - 1])
    below_at = next((n for n in range(line + 1, len(lines) + 1) if content(n)), None)
    below = _indent(lines[below_at - 1]) if below_at else None
    before_at = next((n for n in range(above_at - 1, 0, -1) if content(n)), None)
    before = _indent(lines[before_at - 1]) if before_at else None
    if deep in (below, before):  # the line above is the odd one out
        return (
            above_at,
            shallow + 1,
            f"invalid YAML: `{above['key']}:` is indented {shallow} spaces, but the keys around "
            f"it {deep}, so YAML reads line {line} as the rest of its value",
            f"indent `{above['key']}:` with {deep} spaces, like the lines around it",
        )
    return (
        line,
        deep + 1,
        f"invalid YAML: `{here['key']}:` is indented {deep} spaces, deeper than "
        f"`{above['key']}:` on line {above_at} ({shallow}), so YAML reads it as the rest of "
        "that value",
        f"indent `{here['key']}:` with {shallow} spaces, like `{above['key']}:`",
    )


def _within(text: str, line: int, col: int) -> tuple[int, int]:
    """The position, or the end of the last line when it is past the end of the file: editors
    and CI annotations cannot show a line the file does not have."""
    lines = text.splitlines() or [""]
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, col


def field_path(where: tuple[str | int, ...]) -> str:
    return "/".join(str(part) for part in where) or WHOLE_FILE


class _Walker:
    """Turns the node tree into plain values, checking what the composer lets through."""

    def __init__(self, path: str, check_escapes: bool, text: str | None = None) -> None:
        self.path = path
        self.check_escapes = check_escapes
        self.text = text  # only when it holds " #": to find plain text that a comment cut
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def _problem(self, node: Node, where: tuple, message: str, hint: str = "") -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(
                self.path, mark.line + 1, mark.column + 1, ERROR, field_path(where), message, hint
            )
        )

    def convert(self, node: Node, depth: int, where: tuple) -> Any:
        tag = node.tag
        if tag not in _RESOLVED:
            self._problem(
                node, where, f"uses the tag '{tag}'; tags are not allowed", "remove it; quote text"
            )
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node, tag, where)
        if depth >= MAX_DEPTH:
            self._problem(node, where, f"nests deeper than {MAX_DEPTH} levels")
            return None
        if isinstance(node, SequenceNode):
            return [self.convert(item, depth + 1, (*where, i)) for i, item in enumerate(node.value)]
        return self._mapping(node, depth, where)

    def _scalar(self, node: ScalarNode, tag: str, where: tuple) -> Any:
        text = node.value
        if tag == STR:
            if len(text) > MAX_STRING_CHARS:
                self._problem(node, where, f"is longer than {MAX_STRING_CHARS:,} characters")
            elif self.check_escapes and FORBIDDEN_CHARS.search(text):
                char = FORBIDDEN_CHARS.search(text).group()  # type: ignore[union-attr]
                self._problem(node, where, f"contains {describe_char(char)}", "remove the escape")
            elif self.text is not None and not node.style and where and where[-1] in PROSE:
                self._cut_by_comment(node, where)
            return text
        if tag == INT:
            return int(text)
        if tag == FLOAT:
            return float(text)
        if tag == BOOL:
            return _BOOLS[text]
        if tag == NULL:
            return None
        self._problem(node, where, f"'{text}' (NaN or infinity) is not allowed", "use a number")
        return None

    def _cut_by_comment(self, node: ScalarNode, where: tuple) -> None:
        """Unquoted text followed by ` #` on its line: YAML ends the value there and drops the
        rest as a comment, silently."""
        assert self.text is not None
        end = node.end_mark.index
        rest = self.text[end : self.text.find("\n", end) % (len(self.text) + 1)]
        if _COMMENT_AFTER.match(rest):
            mark = node.start_mark
            self.warnings.append(
                Problem(
                    self.path,
                    node.end_mark.line + 1,
                    node.end_mark.column + 1,
                    WARNING,
                    field_path(where),
                    f"the text stops before ` #`: YAML reads `{rest.strip()[:40]}` as a comment",
                    'put the whole value in quotes ("...", or single quotes if it holds ") '
                    f"to keep it (it starts on line {mark.line + 1}); a comment meant as one "
                    "takes two spaces before #",
                )
            )

    def _mapping(self, node: MappingNode, depth: int, where: tuple) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        previous: tuple[Node, Node] | None = None
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (STR, INT, FLOAT, BOOL):
                self._problem(key_node, where, "keys must be plain text", "write `name: value`")
                continue
            key = key_node.value
            if key_node.tag != STR:
                self._problem(
                    key_node,
                    (*where, key),
                    f"the key '{key}' is not text",
                    f'quote it: "{key}"',
                )
                continue
            if len(key) > MAX_KEY_CHARS:
                self._problem(
                    key_node,
                    where,
                    f"a key is longer than {MAX_KEY_CHARS} characters",
                    "keys are field names and ids; put long text in a value",
                )
                continue
            if self.check_escapes and FORBIDDEN_CHARS.search(key):  # a quoted key's escapes
                char = FORBIDDEN_CHARS.search(key).group()  # type: ignore[union-attr]
                self._problem(key_node, where, f"a key contains {describe_char(char)}")
                continue
            if key == "<<":
                self._problem(key_node, (*where, key), "merge keys (<<) are not allowed")
                continue
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self._problem(
                    key_node,
                    (*where, key),
                    f"duplicate key '{key}'",
                    _duplicate_hint(key, line, previous, node),
                )
                continue
            first_seen[key] = key_node
            previous = (key_node, value_node)
            result[key] = self.convert(value_node, depth + 1, (*where, key))
        return result


def _duplicate_hint(
    key: str, line: int, previous: tuple[Node, Node] | None, mapping: MappingNode
) -> str:
    """A key set twice at one indentation is often a key that belongs to the block just above
    it, left at the block's own indentation when the lines were re-indented: so it seems when
    another block of the same mapping has that key."""
    siblings = {
        k.value
        for _, block in mapping.value
        if isinstance(block, MappingNode)
        for k, _ in block.value
        if isinstance(k, ScalarNode)
    }
    if previous is not None and key in siblings:
        block_key, block = previous
        if isinstance(block, MappingNode) and block.value:
            keys = {k.value for k, _ in block.value if isinstance(k, ScalarNode)}
            column = block.value[0][0].start_mark.column
            if key not in keys and column > block_key.start_mark.column:
                return (
                    f"it is also set on line {line} at this indentation; if it belongs to "
                    f"'{block_key.value}' above (line {block_key.start_mark.line + 1}), indent "
                    f"it {column} spaces like that block's other keys, and check line {line} too"
                )
    return f"it is already set on line {line}; keep one"
