"""The built site: every page and download, anchors, links, staleness, privacy and rebuilds."""

from __future__ import annotations

import html
import html.parser
import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator import export, paths
from generator.render import Renderer
from generator.score import score_dataset
from generator.site import assemble, load_history, site_inputs
from generator.validate import validate_folder
from generator.views import Provenance
from tests.support import (
    FIXTURES,
    REFERENCE,
    ROOT,
    build_site,
    check_golden,
    copy_fixture,
    edit,
    tree_bytes,
)

DATE = "2024-06-01"
MINIMAL = FIXTURES / "minimal"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(MINIMAL, tmp_path_factory.mktemp("site") / "site", DATE)


@pytest.fixture(scope="module")
def card():
    import datetime as dt

    day = dt.date.fromisoformat(DATE)
    result = validate_folder(MINIMAL, latest=day, reference=day)
    assert result.dataset is not None
    return score_dataset(result.dataset, day)


class _Anchors(html.parser.HTMLParser):
    """Collects ids, hrefs and srcs of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])  # type: ignore[arg-type]
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])  # type: ignore[arg-type]
        if tag in ("script", "img", "iframe", "source") and values.get("src"):
            self.assets.append(values["src"])  # type: ignore[arg-type]
        if tag == "link" and values.get("href"):
            self.assets.append(values["href"])  # type: ignore[arg-type]


def parse(page: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def page_file(site: Path, url: str) -> Path:
    return site / url / "index.html"


def test_every_page_and_download_exists(site: Path, card) -> None:
    expected = [paths.HOME, paths.COMPARE, paths.EVALUATIONS, paths.METHODOLOGY, paths.SOURCES]
    expected += [paths.DOWNLOADS, "about/", "contributing/", "licence/"]
    expected += [paths.lab(ls.lab.slug) for ls in card.labs]
    expected += [paths.criterion(c.id) for c in card.dataset.rubric.criteria]
    for url in expected:
        assert page_file(site, url).is_file(), url
    for download in [paths.SCORECARD_JSON, paths.SCORES_CSV] + [
        paths.schema(kind) for kind in ("rubric", "lab", "sources", "evaluators", "evaluations")
    ]:
        assert (site / download).is_file(), download


def test_each_lab_page_has_an_anchor_for_every_criterion(site: Path, card) -> None:
    for ls in card.labs:
        ids = parse(page_file(site, paths.lab(ls.lab.slug))).ids
        for criterion in card.dataset.rubric.criteria:
            assert criterion.id in ids, (ls.lab.slug, criterion.id)


def test_the_sources_page_has_an_anchor_for_every_source(site: Path, card) -> None:
    ids = parse(page_file(site, paths.SOURCES)).ids
    assert {s.id for s in card.dataset.sources} <= ids


def test_every_piece_of_evidence_links_to_its_source(site: Path, card) -> None:
    for ls in card.labs:
        links = parse(page_file(site, paths.lab(ls.lab.slug))).links
        for result in ls.results:
            for item in result.assessment.current.evidence:
                source = card.dataset.source(item.source_id)
                assert source.url in links
                assert f"../../sources/#{source.id}" in links
                if source.archive_url:
                    assert source.archive_url in links


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    pages = {p: parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, parsed in pages.items():
        for href in parsed.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            if page.name == "404.html" and href.startswith("/"):
                continue  # mkdocs writes root-relative links on the 404 page, served at any depth
            base = page.parent.relative_to(site).as_posix()
            target_path = (
                posixpath.normpath(posixpath.join(base, parts.path)) if parts.path else base
            )
            target = site / target_path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if parts.fragment not in ids:
                    broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    assert not broken, "\n".join(broken[:20])


def test_a_stale_assessment_is_flagged_and_a_fresh_one_is_not(site: Path) -> None:
    text = page_file(site, paths.lab("lab-a")).read_text(encoding="utf-8")
    depth = text.split('id="depth"', 1)[1].split("<h2", 1)[0]
    framework = text.split('id="framework"', 1)[1].split("<h2", 1)[0]
    assert "Stale: 121 days old" in depth
    assert "Stale" not in framework


def test_history_is_listed_with_its_dates(site: Path) -> None:
    text = page_file(site, paths.lab("lab-a")).read_text(encoding="utf-8")
    section = text.split('id="pre-deployment"', 1)[1].split("<h2", 1)[0]
    assert '<time datetime="2023-06-01">2023-06-01</time>' in section


def test_downloads_are_the_documents_of_the_scores_command(site: Path, scorecard) -> None:
    json_out = scorecard("scores", "--data", MINIMAL, "--date", DATE, "--format", "json")
    csv_out = scorecard("scores", "--data", MINIMAL, "--date", DATE, "--format", "csv")
    assert (site / paths.SCORECARD_JSON).read_text(encoding="utf-8") == json_out.out
    assert (site / paths.SCORES_CSV).read_text(encoding="utf-8") == csv_out.out
    assert json.loads(json_out.out)["labs"][0]["slug"] == "lab-a"


def test_published_schemas_are_the_repository_schemas(site: Path) -> None:
    for kind in ("rubric", "sources", "evaluators", "evaluations", "corrections"):
        published = (site / paths.schema(kind)).read_bytes()
        assert published == (ROOT / "schema" / f"{kind}.schema.json").read_bytes()
    # The lab schema lists the criteria of the rubric this site scores (here the fixture's).
    lab = json.loads((site / paths.schema("lab")).read_text(encoding="utf-8"))
    assert set(lab["properties"]["assessments"]["properties"]) == {
        "pre-deployment",
        "depth",
        "framework",
    }


def test_no_page_loads_an_asset_from_another_host(site: Path) -> None:
    offenders = []
    for page in site.rglob("*.html"):
        for asset in parse(page).assets:
            if urlsplit(asset).netloc or asset.startswith("//"):
                offenders.append(f"{page.relative_to(site)}: {asset}")
    for sheet in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^)'\"]+)", sheet.read_text(encoding="utf-8")):
            if urlsplit(url).netloc or url.startswith("//"):
                offenders.append(f"{sheet.relative_to(site)}: {url}")
    assert not offenders, "\n".join(offenders)


def test_charts_carry_their_figure_and_a_table_of_the_same_numbers(site: Path) -> None:
    text = page_file(site, paths.lab("lab-a")).read_text(encoding="utf-8")
    match = re.search(r'data-figure="([^"]+)"', text)
    assert match
    figure = json.loads(html.unescape(match.group(1)))
    assert figure["config"]["displaylogo"] is False
    assert figure["config"]["showSendToCloud"] is False
    assert figure["layout"]["template"] == {} or "data" in figure["layout"]["template"]
    assert figure["data"][0]["x"] == [25.0, 66.7]
    assert '<td class="sc-num">66.7</td>' in text and '<td class="sc-num">25.0</td>' in text
    assert "<figcaption>" in text


def test_the_page_title_is_the_lab_name(site: Path) -> None:
    text = page_file(site, paths.lab("lab-a")).read_text(encoding="utf-8")
    assert "<title>Lab A - External Evaluation Scorecard</title>" in text


def test_lab_and_leaderboard_pages_carry_citation_data(site: Path) -> None:
    for url in (paths.HOME, paths.lab("lab-a")):
        text = page_file(site, url).read_text(encoding="utf-8")
        assert '<meta name="citation_publication_date" content="2024-06-01">' in text
        ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
        assert ld and json.loads(ld.group(1))["@type"] == "Dataset"
    lab = page_file(site, paths.lab("lab-a")).read_text(encoding="utf-8")
    assert "@misc{scorecard-labs-lab-a-2024-06-01," in lab
    assert "methodology 0.1, data as of 2024-06-01" in lab


def test_two_builds_of_the_same_data_are_identical(site: Path, tmp_path: Path) -> None:
    again = build_site(MINIMAL, tmp_path / "again", DATE)
    assert tree_bytes(again) == tree_bytes(site)


def test_the_generated_input_builds_with_plain_mkdocs_strict(card, tmp_path: Path) -> None:
    inputs = site_inputs(ROOT / "mkdocs.yml")
    assemble(tmp_path, card, Provenance(None, None, None), inputs, load_history(MINIMAL))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "labs" / "lab-a" / "index.html").is_file()


def test_a_failed_build_leaves_the_output_untouched(scorecard, data_folder, tmp_path: Path) -> None:
    data = data_folder({"labs/lab-b.yaml": "name: Lab B\nassessments: 5\n"})
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous site", encoding="utf-8")
    run = scorecard(
        "build", "--data", data, "--out", out, "--date", DATE, "--config", ROOT / "mkdocs.yml"
    )
    assert run.code == 1
    assert "data/labs/lab-b.yaml:2:14: error: assessments: expected a mapping" in run.err
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous site"


def test_build_refuses_an_output_folder_that_is_not_a_site(scorecard, tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    run = scorecard(
        "build", "--data", MINIMAL, "--out", out, "--date", DATE, "--config", ROOT / "mkdocs.yml"
    )
    assert run.code == 2
    assert "does not look like a built site" in run.err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_building_leaves_the_repository_clean(tmp_path: Path) -> None:
    before = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    build_site(MINIMAL, tmp_path / "site", DATE)
    after = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert after == before


@pytest.mark.golden
def test_the_lab_page_markdown_matches_its_golden_file(card) -> None:
    renderer = Renderer(card, Provenance("0" * 40, None, "https://scorecard.test/"))
    page = renderer.render(renderer.views.lab(card.lab("lab-a")))
    check_golden("lab-a.md", page.markdown)


def test_the_json_download_ranks_labs_and_lists_categories(card) -> None:
    document = json.loads(export.to_json(card))
    assert [lab["slug"] for lab in document["labs"]] == ["lab-a", "lab-b"]
    assert document["labs"][0]["categories"] == [
        {"id": "access", "score": 66.7},
        {"id": "commitments", "score": 25.0},
    ]


def test_the_site_url_makes_citations_and_the_sitemap_absolute(tmp_path: Path, scorecard) -> None:
    out = tmp_path / "site"
    run = scorecard(
        "build",
        "--data",
        MINIMAL,
        "--out",
        out,
        "--date",
        DATE,
        "--config",
        ROOT / "mkdocs.yml",
        "--site-url",
        "https://scorecard.test/sc",
    )
    assert run.code == 0, run.err
    lab = page_file(out, paths.lab("lab-a")).read_text(encoding="utf-8")
    assert "https://scorecard.test/sc/labs/lab-a/ (version of " in lab
    assert '<link rel="canonical" href="https://scorecard.test/sc/labs/lab-a/">' in lab
    assert "<loc>https://scorecard.test/sc/labs/lab-a/</loc>" in (out / "sitemap.xml").read_text()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://user:pw@x.org/", "ftp://x.org/"])
def test_a_site_url_that_is_not_a_plain_web_address_is_refused(
    url: str, tmp_path: Path, scorecard
) -> None:
    run = scorecard(
        "build",
        "--data",
        MINIMAL,
        "--out",
        tmp_path / "site",
        "--date",
        DATE,
        "--config",
        ROOT / "mkdocs.yml",
        "--site-url",
        url,
    )
    assert run.code == 2
    assert "--site-url: the address" in run.err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    "config_text",
    ["site_name: [unclosed\n", "- a list, not a mapping\n", "site_name: x\n  bad: indent\n"],
)
@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_malformed_site_configuration_fails_with_exit_1_not_an_internal_error(
    command: str, config_text: str, tmp_path: Path, scorecard
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(config_text, encoding="utf-8")
    out = tmp_path / "site"
    options = ["--out", out] if command == "build" else ["--port", "0"]
    run = scorecard(
        command, "--data", MINIMAL, "--date", DATE, "--config", config, *options, debug=False
    )
    assert run.code == 1, run.err
    assert "internal error" not in run.err
    assert f"{config}" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert not out.exists()


def test_serve_refuses_a_configured_site_url_that_is_not_a_public_address(
    tmp_path: Path, scorecard
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: ftp://x.org/\n", encoding="utf-8")
    run = scorecard("serve", "--data", MINIMAL, "--config", config, "--port", "0", debug=False)
    assert run.code == 2, run.err
    assert "site_url in" in run.err and "internal error" not in run.err


def test_the_history_chart_and_table_on_the_page_agree_with_the_yaml(tmp_path) -> None:
    site = build_site(FIXTURES / "minimal", tmp_path / "site", DATE)
    text = (site / "labs" / "lab-a" / "index.html").read_text(encoding="utf-8")
    section = text.split('id="sc_history"', 1)[1].split('id="sc_evaluations"', 1)[0]
    figure = json.loads(html.unescape(re.search(r'data-figure="([^"]+)"', section).group(1)))
    assert figure["data"][0]["x"] == ["2023-06-01", "2024-02-01", "2024-06-01"]
    assert figure["data"][0]["y"] == [0.0, 56.3, 56.3]
    assert "none (0) → full (1)" in section


def test_evidence_current_to_is_the_newest_reading_that_rests_on_evidence(tmp_path) -> None:
    """A no-disclosure reading is dated by when the search ended; it does not make the
    evidence newer than the newest reading that cites any."""
    data = copy_fixture("minimal", tmp_path / "data")
    edit(data / "labs" / "lab-b.yaml", "    level: no-disclosure\n    as_of: 2024-03-02",
         "    level: no-disclosure\n    as_of: 2024-05-30")  # fmt: skip
    validation = validate_folder(data, latest=REFERENCE, reference=REFERENCE)
    assert validation.dataset is not None
    card = score_dataset(validation.dataset, REFERENCE)
    renderer = Renderer(card, Provenance("0" * 40, None, None))
    page = renderer.render(renderer.views.lab(card.lab("lab-b"))).markdown
    assert 'evidence current to <time datetime="2024-03-02">2024-03-02</time>' in page
