"""The hostile-input corpus: what a pull request can put in a data folder to break the build,
hide something from a reviewer, or slip a link or script onto the site, one case at a time.

Every case is a copy of tests/fixtures/minimal with files replaced, added or linked, run through
`scorecard build`: it must exit 1, print the error at the exact PATH:LINE:COL of the mistake,
never show a traceback, and write nothing (the output folder is not created). The cases extend
tests/test_bad_inputs.py (one mistake per SPEC 4 rule) with the tricks an attacker or a tired
contributor would try; they do not repeat it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import DATE, ROOT
from tests.corpus import LAB_B, edited, lab_b, original


def edit(name: str, old: str, new: str) -> dict[str, str]:
    """The data-folder change that replaces `old` by `new` in the fixture file `name`."""
    return {name: edited(name, old, new)}


LAB_A = original("labs/lab-a.yaml")


def source_url(url: str) -> dict[str, str]:
    """sources.yaml with the first source's url (line 5, column 10) replaced."""
    return edit("sources.yaml", "url: https://example.org/a", f"url: {url}")


def archive_url(url: str) -> dict[str, str]:
    """sources.yaml with the archive_url (line 16, column 18) replaced."""
    old = "archive_url: https://web.archive.org/web/20240501000000/https://news.example.org/b"
    return edit("sources.yaml", old, f"archive_url: {url}")


def website(url: str) -> dict[str, str]:
    """lab-b.yaml with a website on line 2 (value at column 10)."""
    return lab_b("name: Lab B\n", f"name: Lab B\nwebsite: {url}\n")


Setup = Callable[[Path], None]


def symlink(link: str, target: str) -> Setup:
    def make(data: Path) -> None:
        path = data / link
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target)

    return make


def fifo(name: str) -> Setup:
    def make(data: Path) -> None:
        os.mkfifo(data / name)

    return make


def directory(name: str) -> Setup:
    def make(data: Path) -> None:
        (data / name).mkdir()

    return make


@dataclass(frozen=True)
class Case:
    id: str  # reads as a sentence in the test report
    files: dict[str, str | bytes | None]
    where: str  # PATH:LINE:COL inside the data folder
    message: str  # words the error must contain
    setup: tuple[Setup, ...] = field(default=())  # links, pipes and folders made after copying
    extra: tuple[str, ...] = ()  # further PATH:LINE:COL that must be reported


NESTED_MAPPINGS = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
ALIAS_BOMB = "lol: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &l{i} [{', '.join(['*' + ('a' if i == 0 else f'l{i - 1}')] * 9)}]\n" for i in range(9)
)

YAML_HAZARDS = [
    Case(
        "a key repeated once plain and once quoted is a duplicate",
        {"labs/lab-b.yaml": LAB_B + '"name": Lab B again\n'},
        "labs/lab-b.yaml:16:1",
        "duplicate key 'name'",
    ),
    Case(
        "a key repeated inside a flow mapping is a duplicate",
        lab_b("evidence: [{source: news-b}]", "evidence: [{source: news-b, source: report-a}]"),
        "labs/lab-b.yaml:7:33",
        "duplicate key 'source'",
    ),
    Case(
        "an alias bomb is refused at its first anchor before anything expands",
        {"labs/lab-b.yaml": ALIAS_BOMB},
        "labs/lab-b.yaml:1:6",
        "anchors and aliases are not allowed",
    ),
    Case(
        "an anchor inside a flow sequence is refused",
        lab_b("evidence: [{source: news-b}]", "evidence: [&ev {source: news-b}]"),
        "labs/lab-b.yaml:7:16",
        "uses an anchor (&name)",
    ),
    Case(
        "a merge key inside a flow mapping is refused",
        lab_b("evidence: [{source: news-b}]", "evidence: [{source: news-b, <<: {note: x}}]"),
        "labs/lab-b.yaml:7:33",
        "merge keys (<<) are not allowed",
    ),
    Case(
        "a binary tag is refused",
        lab_b("summary: Lab B shared", "summary: !!binary TGFiIEIgc2hhcmVk"),
        "labs/lab-b.yaml:6:14",
        "tags are not allowed",
    ),
    Case(
        "a set tag is refused",
        {"labs/lab-b.yaml": LAB_B + "extra: !!set {a, b}\n"},
        "labs/lab-b.yaml:16:8",
        "uses the tag 'tag:yaml.org,2002:set'",
    ),
    Case(
        "a tag declared with a %TAG directive is refused where it is used",
        {
            "labs/lab-b.yaml": "%TAG !e! tag:example.com,2000:\n---\n"
            + LAB_B.replace("name: Lab B", "name: !e!lab Lab B")
        },
        "labs/lab-b.yaml:3:7",
        "tags are not allowed",
    ),
    Case(
        "content after an end-of-document marker is refused",
        {"labs/lab-b.yaml": LAB_B + "...\nname: Lab C\n"},
        "labs/lab-b.yaml:17:1",
        "invalid YAML",
    ),
    Case(
        "an unclosed bracket at the end of a file is placed where it opens",
        {"labs/lab-b.yaml": LAB_B + "notes: [first, second\n"},
        "labs/lab-b.yaml:16:8",
        "invalid YAML",
    ),
    Case(
        "an unclosed quote at the end of a file is placed where it opens",
        {"labs/lab-b.yaml": LAB_B + 'notes: "never closed\n\n'},
        "labs/lab-b.yaml:16:8",
        "unexpected end of stream",
    ),
    Case(
        "a null key is refused",
        {"labs/lab-b.yaml": LAB_B + "~: notes\n"},
        "labs/lab-b.yaml:16:1",
        "keys must be plain text",
    ),
    Case(
        "a decimal key is refused",
        {"labs/lab-b.yaml": LAB_B + "1.5: notes\n"},
        "labs/lab-b.yaml:16:1",
        "the key '1.5' is not text",
    ),
    Case(
        "a next-line control character (U+0085) typed into the text is refused",
        lab_b("name: Lab B", "name: Lab\x85B"),
        "labs/lab-b.yaml:1:10",
        "invisible control character (U+0085)",
    ),
    Case(
        "a Unicode line separator typed into the text is refused",
        lab_b("name: Lab B", "name: Lab\u2028B"),
        "labs/lab-b.yaml:1:10",
        "a Unicode line separator (U+2028)",
    ),
    Case(
        "a paragraph separator written as an escape is refused",
        lab_b("name: Lab B", 'name: "Lab \\PB"'),
        "labs/lab-b.yaml:1:7",
        "a Unicode line separator (U+2029)",
    ),
    Case(
        "an escape character written as an escape is refused",
        lab_b("name: Lab B", 'name: "Lab \\e[31mB"'),
        "labs/lab-b.yaml:1:7",
        "invisible control character (U+001B)",
    ),
    Case(
        "a right-to-left override in a quoted key is refused",
        {"labs/lab-b.yaml": LAB_B + '"not\\u202Ees": x\n'},
        "labs/lab-b.yaml:16:1",
        "bidirectional-override character (U+202E)",
    ),
    Case(
        "a byte-order mark in the middle of a file is refused",
        lab_b("name: Lab B", "name: Lab\ufeffB"),
        "labs/lab-b.yaml:1:10",
        "a byte-order mark (U+FEFF) inside the file",
    ),
    Case(
        "a second byte-order mark after the first is refused",
        {"labs/lab-b.yaml": "\ufeff\ufeff" + LAB_B},
        "labs/lab-b.yaml:1:1",
        "a byte-order mark (U+FEFF)",
    ),
    Case(
        "negative infinity is refused as a number",
        {"rubric.yaml": edited("rubric.yaml", "weight: 3", "weight: -.Inf")},
        "rubric.yaml:11:13",
        "(NaN or infinity) is not allowed",
    ),
    Case(
        "NaN in capitals is refused as a number",
        {
            "rubric.yaml": edit("rubric.yaml", "{grade: B, min: 50}", "{grade: B, min: .NAN}")[
                "rubric.yaml"
            ]
        },
        "rubric.yaml:5:21",
        "(NaN or infinity) is not allowed",
    ),
    Case(
        "block mappings nested forty deep are refused at the thirty-third level",
        {"labs/lab-b.yaml": NESTED_MAPPINGS},
        "labs/lab-b.yaml:33:65",
        "nests deeper than 32 levels",
    ),
    Case(
        "an overlong UTF-8 encoding is refused as not UTF-8",
        {"labs/lab-b.yaml": LAB_B.encode().replace(b"name: Lab B", b"name: Lab \xc0\xaf")},
        "labs/lab-b.yaml:1:11",
        "is not valid UTF-8 (byte 0xC0)",
    ),
    Case(
        "a surrogate encoded in UTF-8 is refused as not UTF-8",
        {"labs/lab-b.yaml": LAB_B.encode().replace(b"name: Lab B", b"name: Lab \xed\xa0\x80")},
        "labs/lab-b.yaml:1:11",
        "is not valid UTF-8 (byte 0xED)",
    ),
    Case(
        "a lone surrogate written as an escape is refused",
        lab_b("name: Lab B", 'name: "Lab \\ud800"'),
        "labs/lab-b.yaml:1:14",  # libyaml points at the escape's digits
        "invalid Unicode character escape",
    ),
    Case(
        "a tab after spaces in the indentation is explained",
        lab_b(
            "    as_of: 2024-03-02\n    summary: Lab B shared",
            "    as_of: 2024-03-02\n  \tsummary: Lab B shared",
        ),
        "labs/lab-b.yaml:6:3",
        "indent with spaces, not tabs",
    ),
    Case(
        "a mistake in a file with Windows line endings is placed on the right line",
        {"labs/lab-b.yaml": LAB_B.replace("level: partial", "level: half").replace("\n", "\r\n")},
        "labs/lab-b.yaml:4:12",
        "'half' is not a level of this criterion",
    ),
    Case(
        "a mistake in a file with old Mac line endings is placed on the right line",
        {"labs/lab-b.yaml": LAB_B.replace("level: partial", "level: half").replace("\n", "\r")},
        "labs/lab-b.yaml:4:12",
        "'half' is not a level of this criterion",
    ),
    Case(
        "a hidden character in a file with old Mac line endings is placed on the right line",
        {"labs/lab-b.yaml": LAB_B.replace("Lab B shared", "Lab B\x07 shared").replace("\n", "\r")},
        "labs/lab-b.yaml:6:19",
        "invisible control character (U+0007)",
    ),
    Case(
        "a summary of more than 10,000 characters is refused before the schema sees it",
        lab_b("summary: No framework was found.", "summary: " + "word " * 2001),
        "labs/lab-b.yaml:15:14",
        "is longer than 10,000 characters",
    ),
    Case(
        "a summary longer than its field allows is refused by the schema",
        lab_b("summary: No framework was found.", "summary: " + "word " * 700),
        "labs/lab-b.yaml:15:14",
        "is longer than 3000 characters",
    ),
    Case(
        "a key of a thousand characters is refused",
        {"labs/lab-b.yaml": LAB_B + "k" * 1000 + ": x\n"},
        "labs/lab-b.yaml:16:1",
        "key is longer than",
    ),
]

SCHEMA_AND_RULES = [
    Case(
        "a lab name ending in an escaped line break is refused",
        lab_b("name: Lab B", 'name: "Lab B\\n"'),
        "labs/lab-b.yaml:1:7",
        "must be a single line",
    ),
    Case(
        "a level ending in a line break is not taken for the level",
        lab_b("level: partial", 'level: "partial\\n"'),
        "labs/lab-b.yaml:4:12",
        "must be a single line",
    ),
    Case(
        "an as_of ending in a line break is not a date",
        lab_b(
            "as_of: 2024-03-02\n    summary: Lab B shared",
            'as_of: "2024-03-02\\n"\n    summary: Lab B',
        ),
        "labs/lab-b.yaml:5:12",
        "is not a date",
    ),
    Case(
        "an as_of without leading zeros is not a date",
        lab_b(
            "as_of: 2024-03-02\n    summary: Lab B shared",
            "as_of: 2024-3-2\n    summary: Lab B shared",
        ),
        "labs/lab-b.yaml:5:12",
        "is not a date",
    ),
    Case(
        "a history entry dated after the reference date is refused",
        edit("labs/lab-a.yaml", "as_of: 2023-06-01", "as_of: 2099-06-01"),
        "labs/lab-a.yaml:12:16",
        "2099-06-01 is after 2024-06-01",
    ),
    Case(
        "an evidence source given as a URL is reported as an unknown source",
        lab_b("source: news-b", "source: https://news.example.org/b"),
        "labs/lab-b.yaml:7:25",
        "no source with id 'https://news.example.org/b'",
    ),
    Case(
        "a criterion id ending in a line break is not a valid id",
        edit("rubric.yaml", "id: depth", 'id: "depth\\n"'),
        "rubric.yaml:23:13",
        "is not a valid id",
    ),
    Case(
        "a criterion id with an accented letter is not a valid id",
        edit("rubric.yaml", "id: depth", "id: dépth"),
        "rubric.yaml:23:13",
        "'dépth' is not a valid id",
    ),
    Case(
        "a criterion id with full-width letters is not a valid id",
        edit("rubric.yaml", "id: depth", "id: ｄｅｐｔｈ"),
        "rubric.yaml:23:13",
        "is not a valid id",
    ),
    Case(
        "a level's points given as quoted text are refused",
        edit("rubric.yaml", "points: 0.5,", 'points: "0.5",'),
        "rubric.yaml:21:51",
        "expected a number, got the text '0.5'",
    ),
    Case(
        "a negative criterion weight is refused",
        edit("rubric.yaml", "weight: 2", "weight: -2"),
        "rubric.yaml:18:17",
        "must be greater than 0, got -2",
    ),
    Case(
        "a version with a letter is refused",
        edit("rubric.yaml", 'version: "0.1"', 'version: "v0.1"'),
        "rubric.yaml:2:10",
        "is not a version number",
    ),
    Case(
        "a stale-after of zero days is refused",
        edit("rubric.yaml", "stale_after_days: 365", "stale_after_days: 0"),
        "rubric.yaml:7:19",
        "must be between 1 and 36500, got 0",
    ),
    Case(
        "a source id with an underscore is refused",
        edit("sources.yaml", "id: report-a", "id: report_a"),
        "sources.yaml:2:9",
        "'report_a' is not a valid id",
        extra=("labs/lab-a.yaml:9:18",),
    ),
    Case(
        "an evaluator kind in capitals is not one of the kinds",
        edit("evaluators.yaml", "kind: nonprofit", "kind: NONPROFIT"),
        "evaluators.yaml:2:44",
        "'NONPROFIT' is not one of the allowed values",
    ),
    Case(
        "an evaluator's url field is unknown and the right name is suggested",
        edit("evaluators.yaml", "website:", "url:"),
        "evaluators.yaml:2:55",
        "unknown field 'url'",
    ),
    Case(
        "a quoted 'true' is not the tri-state true",
        edit("evaluations.yaml", "pre_deployment: true", 'pre_deployment: "true"'),
        "evaluations.yaml:6:21",
        "'true' is not one of the allowed values",
    ),
    Case(
        "an evaluation without evidence is refused",
        edit(
            "evaluations.yaml",
            "    evidence:\n      - {source: report-a, quote: We shared Model One before release."
            ", locator: p. 3}\n",
            "    evidence: []\n",
        ),
        "evaluations.yaml:9:15",
        "needs at least 1 item",
    ),
    Case(
        "an impossible release date is refused",
        edit("evaluations.yaml", "released: 2024-02-01", "released: 2024-02-30"),
        "evaluations.yaml:5:15",
        "'2024-02-30' is not a real date",
    ),
    Case(
        "an evaluation naming a lab with a trailing line break is refused",
        edit("evaluations.yaml", "lab: lab-a", 'lab: "lab-a\\n"'),
        "evaluations.yaml:2:10",
        "must be a single line",
    ),
]

FILE_NAMES = [
    Case(
        "a hidden lab file is refused",
        {"labs/.lab-c.yaml": LAB_B},
        "labs/.lab-c.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file with a doubled extension is refused",
        {"labs/lab-c.yaml.yaml": LAB_B},
        "labs/lab-c.yaml.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file name with a trailing space is refused",
        {"labs/lab-c .yaml": LAB_B},
        "labs/lab-c .yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file name with a double hyphen is refused",
        {"labs/lab--c.yaml": LAB_B},
        "labs/lab--c.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file name starting with a hyphen is refused",
        {"labs/-lab.yaml": LAB_B},
        "labs/-lab.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file name of 65 characters is refused",
        {f"labs/{'a' * 65}.yaml": LAB_B},
        f"labs/{'a' * 65}.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file named index is refused as reserved",
        {"labs/index.yaml": LAB_B},
        "labs/index.yaml:1:1",
        "'index' is reserved",
    ),
    Case(
        "a lab file named 404 is refused as reserved",
        {"labs/404.yaml": LAB_B},
        "labs/404.yaml:1:1",
        "'404' is reserved",
    ),
    Case(
        "a lab file named feed is refused as reserved",
        {"labs/feed.yaml": LAB_B},
        "labs/feed.yaml:1:1",
        "'feed' is reserved",
    ),
    Case(
        "a lab file that differs from another only in case is refused",
        {"labs/Lab-A.yaml": LAB_A},
        "labs/Lab-A.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "two lab files that differ only in Unicode normal form are both refused",
        {"labs/lab-\u00e9.yaml": LAB_B, "labs/lab-e\u0301.yaml": LAB_B},
        "labs/lab-\u00e9.yaml:1:1",
        "is not a valid lab slug",
        extra=("labs/lab-e\u0301.yaml:1:1",),
    ),
    Case(
        "a lab file name with a Cyrillic lookalike letter is refused",
        {"labs/l\u0430b-a.yaml": LAB_A},
        "labs/l\u0430b-a.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file name with a Unicode hyphen is refused",
        {"labs/lab\u2010c.yaml": LAB_B},
        "labs/lab\u2010c.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file name with a zero-width space is refused",
        {"labs/lab-\u200bc.yaml": LAB_B},
        "labs/lab-\u200bc.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file named in capitals with .YAML is refused with the right name",
        {"labs/lab-c.YAML": LAB_B},
        "labs/lab-c.YAML:1:1",
        "rename it to lab-c.yaml",
    ),
    Case(
        "a lab file linked to another data file is refused",
        {},
        "labs/lab-c.yaml:1:1",
        "is a symbolic link",
        setup=(symlink("labs/lab-c.yaml", "../sources.yaml"),),
    ),
    Case(
        "a lab file linked outside the repository is refused without being read",
        {},
        "labs/lab-c.yaml:1:1",
        "is a symbolic link",
        setup=(symlink("labs/lab-c.yaml", "/etc/passwd"),),
    ),
    Case(
        "a dangling link in the labs folder is refused",
        {},
        "labs/lab-c.yaml:1:1",
        "is a symbolic link",
        setup=(symlink("labs/lab-c.yaml", "nowhere.yaml"),),
    ),
    Case(
        "a rubric that is a link is refused",
        {},
        "rubric.yaml:1:1",
        "is a symbolic link",
        setup=(symlink("rubric.yaml", "../rubric-elsewhere.yaml"),),
    ),
    Case(
        "a labs folder that is a link is refused",
        {},
        "labs:1:1",
        "lab files go in data/labs/<slug>.yaml",
        setup=(symlink("labs", "/tmp"),),
    ),
    Case(
        "a named pipe in the labs folder is refused without blocking the build",
        {},
        "labs/lab-c.yaml:1:1",
        "is not a lab file",
        setup=(fifo("labs/lab-c.yaml"),),
    ),
    Case(
        "a folder named like a lab file is refused",
        {},
        "labs/lab-c.yaml:1:1",
        "is not a lab file",
        setup=(directory("labs/lab-c.yaml"),),
    ),
    Case(
        "a sources folder in place of sources.yaml is refused",
        {"sources.yaml": None},
        "sources.yaml:1:1",
        "should be a file",
        setup=(directory("sources.yaml"),),
    ),
    Case(
        "a rubric named in capitals is an unexpected file",
        {"Rubric.yaml": original("rubric.yaml")},
        "Rubric.yaml:1:1",
        "is not a file the scorecard expects here",
    ),
    Case(
        "a rubric saved as .yml is refused with the right name",
        {"sources.yml": original("sources.yaml")},
        "sources.yml:1:1",
        "rename it to sources.yaml",
    ),
    Case(
        "a macOS folder-settings file is an unexpected file",
        {".DS_Store": b"\x00\x00\x00\x01Bud1"},
        ".DS_Store:1:1",
        "is not a file the scorecard expects here",
    ),
    Case(
        "a readme in the labs folder is not a lab file",
        {"labs/README.md": "# Labs\n"},
        "labs/README.md:1:1",
        "is not a lab file",
    ),
]

URLS = [
    Case(
        "a javascript: address in capitals is refused",
        source_url("JAVASCRIPT:alert(1)"),
        "sources.yaml:5:10",
        "is not a web address",
    ),
    Case(
        "an https address with the scheme in capitals is refused",
        source_url("HTTPS://example.org/a"),
        "sources.yaml:5:10",
        "is not a web address",
    ),
    Case(
        "a data: address is refused",
        source_url('"data:text/html,<script>alert(1)</script>"'),
        "sources.yaml:5:10",
        "is not a web address",
    ),
    Case(
        "a protocol-relative address is refused",
        source_url("//evil.example/a"),
        "sources.yaml:5:10",
        "is not a web address",
    ),
    Case(
        "an address behind leading whitespace is refused",
        source_url('" https://example.org/a"'),
        "sources.yaml:5:10",
        "is not a web address",
    ),
    Case(
        "an address containing a line break is refused",
        source_url('"https://example.org/a\\nb"'),
        "sources.yaml:5:10",
        "is not a valid URL",
    ),
    Case(
        "an address containing a space is refused",
        source_url('"https://example.org/a b"'),
        "sources.yaml:5:10",
        "is not a valid URL",
    ),
    Case(
        "an address with a double quote is refused",
        source_url("'https://example.org/a\"onmouseover=\"alert(1)'"),
        "sources.yaml:5:10",
        "is not a valid URL",
    ),
    Case(
        "an address with angle brackets is refused",
        source_url('"https://example.org/<script>"'),
        "sources.yaml:5:10",
        "is not a valid URL",
    ),
    Case(
        "an address with a single quote is refused",
        source_url('"https://example.org/a\'b"'),
        "sources.yaml:5:10",
        "the address contains a space, quote, angle bracket",
    ),
    Case(
        "an address with a backslash is refused",
        source_url('"https://example.org\\\\@evil.example/"'),
        "sources.yaml:5:10",
        "is not a valid URL",
    ),
    Case(
        "an address with a user name and password is refused",
        source_url("https://user:secret@example.org/a"),
        "sources.yaml:5:10",
        "must not contain a user name or password",
    ),
    Case(
        "an address that hides its host behind a user name is refused",
        source_url("https://example.org@evil.example/a"),
        "sources.yaml:5:10",
        "must not contain a user name or password",
    ),
    Case(
        "an address on the loopback interface is refused",
        source_url("https://127.0.0.1/a"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "an IPv6 loopback address is refused",
        source_url("https://[::1]/a"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "an IPv4 address mapped into IPv6 is refused when it is private",
        source_url("https://[::ffff:10.0.0.1]/a"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "the cloud metadata address is refused",
        source_url("http://169.254.169.254/latest/meta-data/"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "a shortened loopback address is refused",
        source_url("https://127.1/a"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "an octal loopback address is refused",
        source_url("https://0177.0.0.1/a"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "a loopback address written as one hexadecimal number is refused",
        source_url("https://0x7f000001/a"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "a loopback address written as one decimal number is refused",
        source_url("https://2130706433/a"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "a loopback address reached through the NAT64 prefix is refused",
        source_url("https://[64:ff9b::7f00:1]/a"),
        "sources.yaml:5:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "a host name written with percent escapes is refused",
        source_url("https://%31%32%37.0.0.1/a"),
        "sources.yaml:5:10",
        "is not a well-formed address",
    ),
    Case(
        "a host name ending in a number that is not an address is refused",
        source_url("https://example.123/a"),
        "sources.yaml:5:10",
        "is not a well-formed address",
    ),
    Case(
        "a host name with a Cyrillic lookalike letter is refused",
        source_url("https://ex\u0430mple.org/a"),
        "sources.yaml:5:10",
        "is not a valid URL",
    ),
    Case(
        "localhost is refused",
        website("http://localhost:8000/admin"),
        "labs/lab-b.yaml:2:10",
        "points at this computer or a local network",
    ),
    Case(
        "a .local host name is refused",
        website("https://printer.local/"),
        "labs/lab-b.yaml:2:10",
        "points at this computer or a local network",
    ),
    Case(
        "a host name without a domain is refused",
        website("https://intranet/"),
        "labs/lab-b.yaml:2:10",
        "has a host name without a domain",
    ),
    Case(
        "a port number out of range is refused",
        website("https://example.org:99999/"),
        "labs/lab-b.yaml:2:10",
        "is not a",
    ),
    Case(
        "an evaluator website with credentials is refused",
        {
            "evaluators.yaml": original("evaluators.yaml").replace(
                "https://evals.example.org", "https://admin:admin@evals.example.org"
            )
        },
        "evaluators.yaml:2:64",
        "must not contain a user name or password",
    ),
    Case(
        "an archive link to a javascript: address is refused",
        archive_url("https://web.archive.org/web/20240501000000/javascript:alert(1)"),
        "sources.yaml:16:18",
        "the archived address after the timestamp must itself be a public http(s) address",
    ),
    Case(
        "an archive link with nothing after the timestamp is refused",
        archive_url("https://web.archive.org/web/20240501000000/"),
        "sources.yaml:16:18",
        "archive_url must look like",
    ),
    Case(
        "an archive link with a fifteen-digit timestamp is refused",
        archive_url("https://web.archive.org/web/202405010000001/https://news.example.org/b"),
        "sources.yaml:16:18",
        "archive_url must look like",
    ),
    Case(
        "an archive link over plain http is refused",
        archive_url("http://web.archive.org/web/20240501000000/https://news.example.org/b"),
        "sources.yaml:16:18",
        "archive_url must look like",
    ),
    Case(
        "an archive link on a lookalike host is refused",
        archive_url(
            "https://web.archive.org.evil.example/web/20240501000000/https://news.example.org/b"
        ),
        "sources.yaml:16:18",
        "archive_url must look like",
    ),
    Case(
        "an archive link with a wildcard timestamp is refused",
        archive_url("https://web.archive.org/web/*/https://news.example.org/b"),
        "sources.yaml:16:18",
        "archive_url must look like",
    ),
    Case(
        "an archive link to a private address is refused",
        archive_url("https://web.archive.org/web/20240501000000/http://192.168.0.1/"),
        "sources.yaml:16:18",
        "the archived address after the timestamp must itself be a public http(s) address",
    ),
]


CASES = YAML_HAZARDS + SCHEMA_AND_RULES + FILE_NAMES + URLS


def case_id(case: Case) -> str:
    return case.id.replace(" ", "_")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_hostile_input_fails_the_build_at_its_position_and_writes_nothing(
    case: Case, data_folder, scorecard
):
    data = data_folder(case.files)
    for make in case.setup:
        make(data)
    out = Path("site")
    config = ROOT / "mkdocs.yml"
    run = scorecard("build", "--data", data, "--out", out, "--date", DATE, "--config", config)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err + run.out
    prefix = f"data/{case.where}: error: "
    matching = [line for line in run.error_lines if line.startswith(prefix)]
    assert matching, f"no error starting {prefix!r} in:\n{run.err}"
    assert any(case.message in line for line in matching), (
        f"expected {case.message!r} in:\n" + "\n".join(matching)
    )
    for other in case.extra:
        assert any(line.startswith(f"data/{other}: error: ") for line in run.error_lines), (
            f"no error at {other} in:\n{run.err}"
        )
    assert run.err.rstrip().endswith("nothing was written")
    assert not out.exists()
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["data"]  # no build folder left


def test_the_corpus_has_at_least_fifty_cases_with_distinct_names():
    assert len(CASES) >= 50
    assert len({case.id for case in CASES}) == len(CASES)
    for kind in (YAML_HAZARDS, SCHEMA_AND_RULES, FILE_NAMES, URLS):
        assert len(kind) >= 10


def test_every_file_kind_has_a_schema_or_rule_case():
    touched = {name for case in SCHEMA_AND_RULES for name in case.files}
    assert {"rubric.yaml", "sources.yaml", "evaluators.yaml", "evaluations.yaml"} <= touched
    assert any(name.startswith("labs/") for name in touched)


# --- the pipeline ------------------------------------------------------------------------------


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build_args(data: Path, out: Path, config: Path | None = None) -> list:
    config = config or ROOT / "mkdocs.yml"
    return ["build", "--data", data, "--out", out, "--date", DATE, "--config", config]


def test_every_bad_file_is_reported_and_the_published_site_is_left_as_it_was(
    data_folder, scorecard
):
    data = data_folder()
    out = Path("site")
    assert scorecard(*build_args(data, out)).code == 0
    before = tree(out)
    # One hostile change of each class at once, in five files.
    (data / "labs" / "lab-b.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    for relative, text in {
        **edit("rubric.yaml", "id: depth", "id: dépth"),
        **source_url("https://127.1/a"),
        **edit("evaluations.yaml", "lab: lab-a", 'lab: "lab-a\\n"'),
    }.items():
        (data / relative).write_text(text, encoding="utf-8")
    (data / "labs" / "lab-c.yaml").symlink_to("/etc/passwd")
    (data / "labs" / "index.yaml").write_text(LAB_B, encoding="utf-8")
    run = scorecard(*build_args(data, out))
    assert run.code == 1
    assert "Traceback" not in run.err
    positions = {line.split(": error: ")[0] for line in run.error_lines}
    assert {
        "data/evaluations.yaml:2:10",
        "data/labs/index.yaml:1:1",
        "data/labs/lab-b.yaml:1:6",
        "data/labs/lab-c.yaml:1:1",
        "data/rubric.yaml:23:13",
    } <= positions, run.err
    # sources.yaml is checked by the rules, which run only once every file has loaded and
    # passed its schema; its address is reported when the others are fixed.
    assert run.err.rstrip().endswith("nothing was written")
    assert tree(out) == before
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["data", "site"]


def test_a_build_that_fails_after_validation_leaves_the_published_site_as_it_was(
    data_folder, scorecard, tmp_path
):
    data = data_folder()
    out = Path("site")
    assert scorecard(*build_args(data, out)).code == 0
    before = tree(out)
    # A site configuration whose navigation names a page that does not exist: mkdocs --strict
    # stops after the pages are written to the build folder.
    config_dir = tmp_path / "project"
    config_dir.mkdir()
    (config_dir / "docs").symlink_to(ROOT / "docs")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("nav:\n", "nav:\n  - Missing: missing.md\n", 1)
    (config_dir / "mkdocs.yml").write_text(text, encoding="utf-8")
    run = scorecard(*build_args(data, out, config_dir / "mkdocs.yml"))
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert "build failed" in run.err and "site was not changed" in run.err
    assert tree(out) == before
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["data", "project", "site"]
