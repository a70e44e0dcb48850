"""Answering back (a lab, an evaluator or a reader who disputes a reading): every page links the
correction form, the corrections page and the repository; each criterion's "suggest a
correction" opens the form prefilled; a lab's response and a contested mark are shown beside the
reading and never change a score; /corrections/ lists what was corrected, with dates and
reasons; the maintainers are named once; the 404 page leads to every lab.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from tests.support import FIXTURES, ROOT, build_site, edit, run_scorecard

REPO = "https://github.com/example-org/scorecard"
DATE = "2024-06-01"
RESPONSE = """    response:
      date: 2024-05-02
      summary: The lab states that evaluators could fine-tune a research checkpoint.
      evidence:
        - {source: news-b, quote: Evaluators fine-tuned a research checkpoint., locator: para. 4}
    contested:
      since: 2024-05-03
      note: A reader points to a later interview; the maintainers are checking it.
      link: https://example.org/discussion/7
"""
CORRECTIONS = """corrections:
  - date: 2024-05-20
    lab: lab-a
    criterion: pre-deployment
    was: partial
    now: full
    reason: The report names the evaluator on p. 3; the earlier reading missed it.
    requested_by: the lab
    sources: [report-a]
  - date: 2024-04-01
    lab: lab-b
    reason: A model release date was a year off.
"""


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append((values["href"] or "", values))


def links(path: Path) -> list[str]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return [href for href, _ in parser.links]


def answered_data(root: Path) -> Path:
    data = shutil.copytree(FIXTURES / "minimal", root / "data")
    edit(
        data / "labs" / "lab-a.yaml",
        "    evidence: [{source: report-a, locator: p. 4}]\n",
        "    evidence: [{source: report-a, locator: p. 4}]\n" + RESPONSE,
    )
    (data / "corrections.yaml").write_text(CORRECTIONS, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return answered_data(tmp_path_factory.mktemp("answered"))


@pytest.fixture(scope="module")
def site(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("answered-site") / "site"
    return build_site(data, out, DATE, None, "--repo-url", REPO)


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same data built without a repository address."""
    root = tmp_path_factory.mktemp("plain")
    return build_site(answered_data(root), root / "site", DATE)


def pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "assets" not in p.parts)


def form_fields() -> set[str]:
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "correction.yml").read_text())
    return {item["id"] for item in form["body"] if "id" in item}


def test_every_page_links_the_form_the_corrections_page_and_the_repository(site):
    form = f"{REPO}/issues/new?template=correction.yml"
    for page in pages(site):
        hrefs = links(page)
        assert form in hrefs, page
        assert REPO in hrefs, page
        here = page.relative_to(site).parent.as_posix() + "/"
        targets = {
            posixpath.normpath(posixpath.join(here, urlsplit(h).path)).lstrip("/") for h in hrefs
        }
        assert "corrections" in targets, page


def test_each_criterion_section_opens_the_form_prefilled(site):
    lab_page = site / "labs" / "lab-a" / "index.html"
    form = f"{REPO}/issues/new?"
    prefilled = [h for h in links(lab_page) if h.startswith(form) and "criterion%20" in h]
    criteria = ("pre-deployment", "depth", "framework")
    for href, criterion in zip(prefilled, criteria, strict=True):
        query = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
        assert query["template"] == "correction.yml"
        assert query["title"] == f"Correction: Lab A, {criterion}"
        assert query["entry"].startswith(f"Lab A, criterion {criterion} (")
        assert query["page"] == f"/labs/lab-a/#{criterion}"
        # Every field the link fills is a field of the form (GitHub fills fields by id).
        assert set(query) - {"template", "title"} <= form_fields()
    # The head of the page and its end ask about the lab as a whole (the footer, last, is bare).
    whole = [h for h in links(lab_page) if h.startswith(form) and "criterion%20" not in h][:-1]
    assert len(whole) == 2 and all("entry=Lab%20A&page=%2Flabs%2Flab-a%2F" in h for h in whole)


def test_without_a_repository_the_links_lead_to_the_corrections_page(plain_site):
    for page in pages(plain_site):
        assert not any("github.com" in h for h in links(page)), page
    lab_links = links(plain_site / "labs" / "lab-a" / "index.html")
    assert lab_links.count("../../corrections/#ask") >= 4  # the head, three criteria, the end


def test_a_bad_repository_address_is_refused_with_a_clear_error(data, tmp_path):
    run = run_scorecard(
        "build", "--data", data, "--out", tmp_path / "s", "--date", DATE,
        "--repo-url", "javascript:alert(1)",
    )  # fmt: skip
    assert run.code == 2
    assert "--repo-url" in run.err and "Traceback" not in run.err


def text_of(path: Path) -> str:
    raw = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", raw.replace("&#39;", "'").replace("&quot;", '"'))


def test_the_response_and_the_contested_mark_are_shown_beside_the_reading(site):
    page = (site / "labs" / "lab-a" / "index.html").read_text(encoding="utf-8")
    depth = page[page.index('id="depth"') : page.index('id="framework"')]
    section = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", depth))
    assert "Contested since 2024-05-03" in section
    assert "A reader points to a later interview" in section
    assert "The lab states that evaluators could fine-tune a research checkpoint." in section
    assert "2024-05-02" in section
    assert "Evaluators fine-tuned a research checkpoint." in section
    assert 'href="https://example.org/discussion/7"' in depth
    # Nothing else on the page is contested.
    assert page.count("Contested since") == 1


def test_a_response_never_changes_a_score(data, tmp_path):
    plain = shutil.copytree(FIXTURES / "minimal", tmp_path / "plain")
    scores = []
    for folder in (data, plain):
        run = run_scorecard("scores", "--data", folder, "--date", DATE, "--format", "json")
        assert run.code == 0, run.err
        doc = json.loads(run.out)
        scores.append([(lab["slug"], lab["score"], lab["grade"]) for lab in doc["labs"]])
    assert scores[0] == scores[1]


def test_the_corrections_page_lists_corrections_reviews_responses_and_maintainers(site):
    text = text_of(site / "corrections" / "index.html")
    assert "2024-05-20" in text and "The report names the evaluator on p. 3" in text
    assert "Requested by the lab" in text
    assert "A model release date was a year off." in text
    assert text.index("2024-05-20") < text.index("2024-04-01")  # newest first
    assert "A reader points to a later interview" in text  # under review
    assert "The lab states that evaluators could fine-tune" in text  # responses
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for person in config["extra"]["maintainers"]:
        assert person["name"] in text
    hrefs = links(site / "corrections" / "index.html")
    assert f"{REPO}/issues/new?template=correction.yml" in hrefs


def test_the_corrections_page_says_so_when_there_is_nothing_to_list(tmp_path):
    site = build_site(FIXTURES / "minimal", tmp_path / "site", DATE)
    text = text_of(site / "corrections" / "index.html")
    assert "No published reading has been corrected yet." in text
    assert "No reading is contested at present." in text


def test_the_json_download_carries_responses_contested_marks_and_corrections(site):
    doc = json.loads((site / "data" / "scorecard.json").read_text(encoding="utf-8"))
    [lab_a] = [lab for lab in doc["labs"] if lab["slug"] == "lab-a"]
    depth = next(a for a in lab_a["assessments"] if a["criterion"] == "depth")
    assert depth["response"]["date"] == "2024-05-02"
    assert depth["response"]["evidence"][0]["source"] == "news-b"
    assert depth["contested"] == {
        "since": "2024-05-03",
        "note": "A reader points to a later interview; the maintainers are checking it.",
        "link": "https://example.org/discussion/7",
    }
    assert [c["date"] for c in doc["corrections"]] == ["2024-05-20", "2024-04-01"]


def test_the_404_page_lists_every_lab(site):
    hrefs = links(site / "404.html")
    text = text_of(site / "404.html")
    for slug, name in (("lab-a", "Lab A"), ("lab-b", "Lab B")):
        assert any(h.rstrip("/").endswith(f"labs/{slug}") for h in hrefs), slug
        assert name in text
