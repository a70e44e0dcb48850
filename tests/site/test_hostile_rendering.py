"""Valid but hostile text (tests/fixtures/hostile): the build succeeds, every text is shown
literally, and nothing a contributor typed becomes an element, attribute, link or script in the
body, the <title>, meta tags, chart JSON, downloads or CI annotations.

The strongest check is structural: the hostile fixture is built next to a benign twin (the same
files with every text field replaced by plain words), and the two sites must have exactly the
same elements, attributes and link targets, page by page.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from pybtex.database import parse_string
from tests.scanner import scan_site
from tests.support import FIXTURES, build_site

from generator.escape import chart_text, one_line, spreadsheet_safe
from generator.load import load_file

HOSTILE = FIXTURES / "hostile"
DATE = "2024-06-01"
SITE_NAME = "External Evaluation Scorecard"  # mkdocs.yml

# Keys whose values are contributor text (SPEC 3: plain text, rendered escaped). No other key
# holds text: ids, dates, URLs, numbers and enumerations are checked by the schemas and rules.
TEXT_KEYS = frozenset(
    {
        "name",
        "title",
        "description",
        "summary",
        "quote",
        "locator",
        "note",
        "publisher",
        "question",
        "why",
        "label",
        "grade",
        "model",
        "formerly",
        "reason",
        "requested_by",
    }
)
# Text the JSON download leaves to the methodology and evaluations pages.
NOT_EXPORTED = frozenset({"description", "question", "why"})
# Attributes whose values carry data text by design (checked for literal text separately).
TEXT_ATTRIBUTES = frozenset({"aria-label", "data-figure", "data-explore"})

# Every payload the fixture carries somewhere; the first test proves each one is really there.
PAYLOADS = (
    "<script>alert(1)</script>",
    "</title><script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "[link](javascript:alert(4))",
    '{: onclick="alert(5)"}',
    "{{ 7*7 }}",
    "{% raw %}",
    '--8<-- ".git/config"',
    "{++x++}",
    "&lt;b&gt;",
    "&#x3C;script&#x3E;",
    "<!--",
    "]]>",
    "| table |",
    "# heading",
    "!!! note",
    '=HYPERLINK("https://evil.example/")',
    "+1",
    "-1",
    "@SUM(1",
    "<iframe",
    "<style>",
    "<svg onload=alert(1)>",
    "::error file=x::pwned %0A",
    "${{ github.token }}",
    "\u200d",  # zero-width joiner inside an emoji: allowed
    "\u200f",  # right-to-left mark: allowed (bidirectional overrides are not)
    "e\u0301",  # combining accent
    "\u0430pple",  # Cyrillic a: lookalike letters are text like any other
)


# --- data --------------------------------------------------------------------------------------


def documents(folder: Path) -> dict[str, Any]:
    """Every data file of `folder`, loaded strictly, by path relative to the folder."""
    docs = {}
    for path in sorted(folder.rglob("*.yaml")):
        result = load_file(path)
        assert result.document is not None, result.problems
        docs[path.relative_to(folder).as_posix()] = result.document.value
    return docs


def text_values(value: Any, key: str = "", *, exported_only: bool = False) -> list[str]:
    """Every contributor text in a loaded document (only those the JSON download carries, with
    exported_only)."""
    keys = TEXT_KEYS - NOT_EXPORTED if exported_only else TEXT_KEYS
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in text_values(v, k, exported_only=exported_only)]
    if isinstance(value, list):
        return [t for item in value for t in text_values(item, key, exported_only=exported_only)]
    return [value] if key in keys and isinstance(value, str) else []


def benign(value: Any, key: str = "", counter: list[int] | None = None) -> Any:
    """The same document with every text replaced by plain words."""
    counter = counter if counter is not None else [0]
    if isinstance(value, dict):
        return {k: benign(v, k, counter) for k, v in value.items()}
    if isinstance(value, list):
        return [benign(item, key, counter) for item in value]
    if key in TEXT_KEYS and isinstance(value, str):
        counter[0] += 1
        return f"Text {counter[0]}"
    return value


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return documents(HOSTILE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy outside the repository, like its twin: neither has git history, so
    # neither has a change feed or a data commit, and their markup can be compared.
    root = tmp_path_factory.mktemp("hostile")
    return build_site(shutil.copytree(HOSTILE, root / "data"), root / "site", DATE)


@pytest.fixture(scope="module")
def twin_site(tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]) -> Path:
    root = tmp_path_factory.mktemp("twin")
    counter = [0]  # shared, so no two texts in the twin are equal (lab names must differ)
    for relative, value in data.items():
        path = root / "data" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            yaml.safe_dump(benign(value, counter=counter), sort_keys=False), encoding="utf-8"
        )
    return build_site(root / "data", root / "site", DATE)


# --- reading built pages -----------------------------------------------------------------------


class Page(HTMLParser):
    """One built page: its visible text, its <title>, its meta tags and its markup skeleton."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.title: list[str] = []
        self.meta: dict[str, str] = {}
        self.skeleton: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.text_attributes: list[tuple[str, str, str]] = []
        self._stack: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = []
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES or (tag == "meta" and name == "content"):
                self.text_attributes.append((tag, name, value or ""))
                kept.append((name, "(text)"))
            else:
                kept.append((name, value or ""))
        self.skeleton.append((tag, tuple(sorted(kept))))
        if tag == "meta" and dict(attrs).get("name"):
            self.meta[dict(attrs)["name"] or ""] = dict(attrs).get("content") or ""
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.skeleton.append((f"/{tag}", ()))
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "title" in self._stack:
            self.title.append(data)
        elif not {"script", "style"} & set(self._stack):
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def pages(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.html"))}


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def shown(text: str) -> str:
    """How a text field reads on a page: one line, runs of whitespace as one space."""
    return " ".join(one_line(text).split())


# --- the fixture is really hostile -------------------------------------------------------------


def test_the_fixture_carries_every_payload_in_its_text_fields(data):
    texts = "\n".join(t for doc in data.values() for t in text_values(doc))
    missing = [payload for payload in PAYLOADS if payload not in texts]
    assert not missing


def test_every_kind_of_text_field_carries_markup(data):
    kinds: dict[str, list[str]] = {}

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif key in TEXT_KEYS and isinstance(value, str):
            kinds.setdefault(key, []).append(value)

    for doc in data.values():
        walk(doc)
    assert set(kinds) == TEXT_KEYS
    plain = {
        key
        for key, values in kinds.items()
        if not any(re.search(r"[<{&=@+\-|#\[]", v) for v in values)
    }
    assert not plain, f"text fields without any payload: {plain}"


# --- the body ----------------------------------------------------------------------------------


def expected_texts(data: dict[str, Any]) -> dict[str, list[str]]:
    """For each page, the data texts it must show."""
    rubric = data["rubric.yaml"]
    labs = {
        p.removeprefix("labs/").removesuffix(".yaml"): v
        for p, v in data.items()
        if p.startswith("labs/")
    }
    sources = {s["id"]: s for s in data["sources.yaml"]["sources"]}
    evaluators = data["evaluators.yaml"]["evaluators"]
    evaluations = data["evaluations.yaml"]["evaluations"]
    criteria = [c for cat in rubric["categories"] for c in cat["criteria"]]
    expect: dict[str, list[str]] = {}

    def evidence_texts(items: list[dict[str, Any]]) -> list[str]:
        out = []
        for item in items:
            source = sources[item["source"]]
            out += [source["title"], source["publisher"]]
            out += [item[k] for k in ("quote", "locator", "note") if k in item]
        return out

    expect["index.html"] = (
        [rubric["title"]]
        + [lab["name"] for lab in labs.values()]
        + [cat["title"] for cat in rubric["categories"]]
    )
    expect["methodology/index.html"] = [rubric["title"], rubric["description"]] + [
        g["grade"] for g in rubric["grades"]
    ]
    for cat in rubric["categories"]:
        expect["methodology/index.html"] += [cat["title"], cat["description"]]
        for crit in cat["criteria"]:
            level_texts = [
                t for level in crit["levels"] for t in (level["label"], level["description"])
            ]
            expect["methodology/index.html"] += [
                crit["title"],
                crit["question"],
                crit["why"],
                *level_texts,
            ]
            page = f"criteria/{crit['id']}/index.html"
            expect[page] = [
                crit["title"],
                crit["question"],
                crit["why"],
                cat["title"],
                *level_texts,
            ]
            for lab in labs.values():
                # A criterion page links to each lab's section for the evidence.
                current = lab["assessments"][crit["id"]]
                expect[page] += [lab["name"], current["summary"]]
    for slug, lab in labs.items():
        page = f"labs/{slug}/index.html"
        expect[page] = [lab["name"]] + ([lab["description"]] if "description" in lab else [])
        for crit in criteria:
            assessment = lab["assessments"][crit["id"]]
            expect[page] += [crit["title"], crit["question"], assessment["summary"]]
            expect[page] += evidence_texts(assessment.get("evidence", []))
            for state in assessment.get("history", []):
                expect[page] += [state["summary"], *evidence_texts(state.get("evidence", []))]
        for event in evaluations:
            if event["lab"] == slug:
                expect[page] += [event["model"]]
    # Answers to readings: on the lab's page beside the reading, and on the corrections page.
    expect["corrections/index.html"] = []
    for slug, lab in labs.items():
        for crit_id, assessment in lab["assessments"].items():
            answers = []
            if "response" in assessment:
                answers += [assessment["response"]["summary"]]
                expect[f"labs/{slug}/index.html"] += evidence_texts(
                    assessment["response"]["evidence"]
                )
            if "contested" in assessment:
                answers += [assessment["contested"]["note"]]
            expect[f"labs/{slug}/index.html"] += answers
            expect["corrections/index.html"] += answers
    for correction in data.get("corrections.yaml", {}).get("corrections", []):
        expect["corrections/index.html"] += [
            labs[correction["lab"]]["name"],
            correction["reason"],
            correction.get("requested_by", correction["reason"]),
        ]
    expect["sources/index.html"] = [
        t for s in sources.values() for t in (s["title"], s["publisher"], s.get("note", s["title"]))
    ]
    expect["evaluations/index.html"] = [
        t
        for e in evaluators
        for t in (e["name"], e.get("formerly", e["name"]), e.get("description", e["name"]))
    ]
    for event in evaluations:
        expect["evaluations/index.html"] += [event["model"], labs[event["lab"]]["name"]]
        expect["evaluations/index.html"] += [event.get("note", event["model"])]
        expect["evaluations/index.html"] += evidence_texts(event["evidence"])
    return expect


def test_every_text_is_shown_literally_on_its_pages(site, data):
    expect = expected_texts(data)
    assert len(expect) >= 10
    for page, texts in expect.items():
        visible = read(site / page).visible
        missing = [shown(t) for t in texts if shown(t) not in visible]
        assert not missing, f"{page} does not show these texts literally: {missing}"


def test_no_payload_becomes_an_element_attribute_or_link(site, twin_site):
    """Page by page, the hostile site has exactly the benign twin's elements, attributes and
    attribute values (apart from the text-bearing aria-label, data-figure and meta content)."""
    hostile, twin = pages(site), pages(twin_site)
    assert hostile.keys() == twin.keys()
    for name in hostile:
        ours, theirs = read(hostile[name]).skeleton, read(twin[name]).skeleton
        if ours != theirs:
            diff = next(i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b)
            raise AssertionError(
                f"{name}: markup differs from the benign twin at {ours[diff]} vs {theirs[diff]}"
            )
        assert len(ours) == len(theirs), name


def test_the_built_site_has_no_script_handler_style_frame_or_unsafe_url(site):
    assert [str(f) for f in scan_site(site)] == []


def test_search_index_holds_the_text_escaped(site, data):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "<script>" not in text and "<img" not in text
    assert html.escape("<script>alert(1)</script>", quote=False) in text


# --- <title> and meta tags ---------------------------------------------------------------------


def raw_title(source: str) -> str:
    [title] = re.findall(r"<title>(.*?)</title>", source, re.DOTALL)
    return title


def test_the_title_element_holds_only_escaped_text(site, data):
    for slug in ("lab-a", "lab-b", "lab-c"):
        source = (site / "labs" / slug / "index.html").read_text(encoding="utf-8")
        title = raw_title(source)
        assert "<" not in title and ">" not in title
        assert html.unescape(title) == f"{shown(data[f'labs/{slug}.yaml']['name'])} - {SITE_NAME}"
    for crit in ("pre-deployment", "depth", "framework"):
        source = (site / "criteria" / crit / "index.html").read_text(encoding="utf-8")
        assert "<" not in raw_title(source)


def test_citation_meta_tags_hold_the_name_as_text(site, data):
    for slug in ("lab-a", "lab-b", "lab-c"):
        page = read(site / "labs" / slug / "index.html")
        assert page.meta["citation_title"] == shown(data[f"labs/{slug}.yaml"]["name"])
        assert page.meta["citation_publication_date"] == DATE


def test_every_bibtex_block_parses_whatever_the_names_hold(site, data):
    """Braces, backslashes and percent signs in a lab's name must not unbalance or end a
    BibTeX field: pybtex reads every entry back with its title and address."""
    seen = 0
    for name, path in pages(site).items():
        text = path.read_text(encoding="utf-8")
        for block in re.findall(
            r'<pre class="sc-citation"><code>(@misc.*?)</code></pre>', text, re.S
        ):
            entries = list(parse_string(html.unescape(block), "bibtex").entries.values())
            assert len(entries) == 1, name
            assert {"title", "url", "urldate", "year", "month"} <= set(entries[0].fields), name
            seen += 1
    assert seen >= 3
    lab_b = shown(data["labs/lab-b.yaml"]["name"])
    assert "{{" in lab_b  # the payload this test is about


def test_the_table_of_contents_shows_headings_literally(site, data):
    rubric = data["rubric.yaml"]
    criteria = [c for cat in rubric["categories"] for c in cat["criteria"]]
    page = read(site / "labs" / "lab-a" / "index.html")
    for criterion in criteria:
        title = shown(criterion["title"])
        # the heading and its entry in the page's table of contents
        assert page.visible.count(title) >= 2, title


# --- charts ------------------------------------------------------------------------------------


def figures(path: Path) -> list[dict[str, Any]]:
    return [json.loads(v) for tag, name, v in read(path).text_attributes if name == "data-figure"]


def test_chart_labels_are_escaped_text_in_json(site, data):
    names = {shown(data[f"labs/{s}.yaml"]["name"]) for s in ("lab-a", "lab-b", "lab-c")}
    [board] = figures(site / "index.html")
    labels = {y for trace in board["data"] for y in trace["y"]}
    assert labels == {chart_text(n) for n in names}
    assert {html.unescape(label) for label in labels} == names
    categories = [trace["name"] for trace in board["data"]]
    titles = [shown(c["title"]) for c in data["rubric.yaml"]["categories"]]
    assert [html.unescape(c) for c in categories] == titles
    for trace in board["data"]:
        assert all("<" not in text for text in [*trace["y"], trace["name"]])


def test_the_timeline_labels_are_escaped_text(site, data):
    [timeline] = figures(site / "evaluations" / "index.html")
    texts = [t for trace in timeline["data"] for t in trace["text"] + trace["y"]]
    assert texts and all("<" not in t and ">" not in t for t in texts)
    models = {shown(e["model"]) for e in data["evaluations.yaml"]["evaluations"]}
    assert all(any(m in html.unescape(t) for t in texts) for m in models)


def test_aria_labels_hold_the_text_as_given(site, data):
    name = shown(data["labs/lab-a.yaml"]["name"])
    labels = [
        v
        for _t, n, v in read(site / "labs" / "lab-a" / "index.html").text_attributes
        if n == "aria-label"
    ]
    assert f"Bar chart of category scores for {name}" in labels


# --- downloads ---------------------------------------------------------------------------------


def test_the_json_download_round_trips_every_string_exactly(site, data):
    document = json.loads((site / "data" / "scorecard.json").read_text(encoding="utf-8"))
    by_slug = {lab["slug"]: lab for lab in document["labs"]}
    for slug in ("lab-a", "lab-b", "lab-c"):
        lab = data[f"labs/{slug}.yaml"]
        exported = by_slug[slug]
        assert exported["name"] == lab["name"]
        for assessment in exported["assessments"]:
            written = lab["assessments"][assessment["criterion"]]
            assert assessment["summary"] == written["summary"]
            for got, item in zip(assessment["evidence"], written.get("evidence", []), strict=True):
                for key in ("quote", "locator", "note"):
                    assert got[key] == item.get(key)
    # Every text the download carries is there exactly as written: same characters, same line
    # breaks. (It leaves descriptions, questions, reasons and source notes to the pages.)
    exported = set(all_strings(document))
    sources = [{k: v for k, v in s.items() if k != "note"} for s in data["sources.yaml"]["sources"]]
    shared = {**data, "sources.yaml": {"sources": sources}}
    written = {t for doc in shared.values() for t in text_values(doc, exported_only=True)}
    assert written - exported == set()


def all_strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in all_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in all_strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_csv_download_has_no_cell_a_spreadsheet_would_run(site):
    rows = list(csv.reader(io.StringIO((site / "data" / "scores.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["lab", "criterion", "category", "level", "points", "as_of", "stale"]
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", row


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("https://evil.example/","x")', "+1", "-1", "@SUM(1+1)", "\t=1", "\r=1"],
    ids=["an equals sign", "a plus", "a minus", "an at sign", "a tab", "a carriage return"],
)
def test_a_csv_cell_starting_with_a_formula_character_is_quoted_for_spreadsheets(cell):
    safe = spreadsheet_safe(cell)
    assert safe == "'" + cell
    assert safe[0] not in "=+-@\t\r"


def test_a_csv_cell_without_a_formula_character_is_unchanged():
    for cell in ("lab-a", "0.5", "2024-06-01", "true", ""):
        assert spreadsheet_safe(cell) == cell


# --- CI annotations ----------------------------------------------------------------------------

ANNOTATION = re.compile(r"::(error|warning) file=[^:,\n]*,line=\d+,col=\d+,title=[^:,\n]*::[^\n]*")


def test_annotations_cannot_start_a_second_workflow_command(data_folder, scorecard, monkeypatch):
    """Invalid hostile text reaches the messages (an unknown key, a bad value, a file name);
    with GITHUB_ACTIONS=true each problem is one `::error` line whose properties and message
    are escaped, so nothing the contributor typed starts or ends a command."""
    lab = (HOSTILE / "labs" / "lab-c.yaml").read_text(encoding="utf-8")
    injected = "x\\n::error file=.github/workflows/x.yml,line=1::pwned\\r\\n::add-mask::y %0A"
    data = data_folder(
        {
            "labs/lab-c.yaml": lab + f'"{injected}": 1\n',
            "sources.yaml": (HOSTILE / "sources.yaml")
            .read_text(encoding="utf-8")
            .replace("kind: news", 'kind: "news\\n::warning::pwned, title=x"'),
            "labs/bad\n::error file=x,line=1::pwned.yaml": lab,
            "labs/a,b::c.yaml": lab,
        },
        fixture="hostile",
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    lines = run.err.splitlines()
    commands = [line for line in lines if line.startswith(("::", "##["))]
    problems = [line for line in lines if line.startswith("data/")]
    assert len(problems) == 4, run.err
    assert len(commands) == len(problems), run.err
    for command in commands:
        assert ANNOTATION.fullmatch(command), command
    # Every line is a problem, its annotation, or the closing summary.
    assert len(lines) == len(problems) + len(commands) + 1, run.err
    assert "%250A" in run.err  # a literal %0A stays literal text
    assert "file=data/labs/bad%0A%3A%3Aerror file=x%2Cline=1%3A%3Apwned.yaml," in run.err


# --- the change feed ---------------------------------------------------------------------------

COMMIT_MESSAGE = (
    "<script>alert(1)</script> \x1b[31mred\x1b[0m ]]> <!-- {{ 7*7 }}\n\n"
    "::error::pwned\n<img src=x onerror=alert(2)> \u202eevil"
)


@pytest.fixture(scope="module")
def feed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose second commit brings the hostile data with a hostile message (a pull
    request's title and description become the merge commit's message)."""
    repo = tmp_path_factory.mktemp("feed")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(repo),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Contributor",
        "GIT_AUTHOR_EMAIL": "contributor@example.org",
        "GIT_COMMITTER_NAME": "Contributor",
        "GIT_COMMITTER_EMAIL": "contributor@example.org",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    shutil.copytree(FIXTURES / "minimal", repo / "data")
    git("init", "--quiet")
    git("add", "--all")
    git("commit", "--quiet", "--no-gpg-sign", "--message", "Start")
    shutil.rmtree(repo / "data")
    shutil.copytree(HOSTILE, repo / "data")
    git("add", "--all")
    git("commit", "--quiet", "--no-gpg-sign", "--message", COMMIT_MESSAGE)
    return build_site(repo / "data", repo / "site", DATE)


def test_a_hostile_commit_message_leaves_the_feeds_well_formed_and_inert(feed_site):
    assert (feed_site / "feed.xml").is_file() and (feed_site / "feed.json").is_file()
    assert [str(f) for f in scan_site(feed_site)] == []  # includes: feed.xml is well-formed XML
    expected = COMMIT_MESSAGE.replace("\x1b", "\ufffd").replace("\u202e", "\ufffd")
    feed = json.loads((feed_site / "feed.json").read_text(encoding="utf-8"))
    [newest] = [item for item in feed["items"] if item["summary"] != "Start"]
    assert newest["content_text"].startswith(expected)
    text = Page(newest["content_html"]).visible  # line breaks are <br> there
    assert "".join(expected.split()) in "".join(text.split())


def test_the_atom_feed_holds_the_message_as_text(feed_site):
    atom = ET.fromstring((feed_site / "feed.xml").read_text(encoding="utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    summaries = [e.findtext("a:summary", namespaces=ns) for e in atom.findall("a:entry", ns)]
    assert summaries[0] == COMMIT_MESSAGE.splitlines()[0].replace("\x1b", "\ufffd")


def test_the_explore_data_holds_every_text_as_a_json_string(site, data):
    """The explore page's script reads its data from one attribute and sets texts with
    textContent only; the attribute is JSON whose texts are the data's, unchanged."""
    [document] = [
        json.loads(v)
        for tag, name, v in read(site / "explore" / "index.html").text_attributes
        if name == "data-explore"
    ]
    names = {lab["slug"]: lab["name"] for lab in document["labs"]}
    assert names["lab-a"] == data["labs/lab-a.yaml"]["name"]
