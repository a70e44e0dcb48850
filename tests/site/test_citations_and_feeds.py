"""Citations that hold, feeds that validate, structured data: in a site built from a repository
with editions and a change feed, with and without `site_url`.

Every BibTeX block is parsed with pybtex and rendered with its `unsrt` style (which sentence-cases
titles, as most styles do), both feeds are validated against their schemas (Atom: RFC 4287's
RELAX NG schema with lxml; JSON Feed 1.1: a JSON Schema of the specification, formats checked),
and the JSON-LD of the leaderboard, downloads and criterion pages is read back."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import lxml.etree
import pytest
import rnc2rng
from pybtex.backends.plaintext import Backend
from pybtex.database import parse_string
from pybtex.style.formatting.unsrt import Style
from tests.site.test_editions import make_history
from tests.support import AMBIENT, FIXTURES, ROOT, run_scorecard

SITE_URL = "https://scorecard.test/sc/"
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = FIXTURES / "feeds"
CITATION = re.compile(r'<pre class="sc-citation"><code>(.*?)</code></pre>', re.S)
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
WARNING = "site_url is not set"


@pytest.fixture(scope="module")
def history_sites(tmp_path_factory: pytest.TempPathFactory):
    """The history repository of test_editions (editions 2024.05 and 2024.06, then a change to
    lab A), built on 2024-07-02 without and with a site URL: lab B says what edition 2024.06
    says, lab A and the framework criterion have changed since. Built once for the module."""
    top = tmp_path_factory.mktemp("history")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for role in ("AUTHOR", "COMMITTER"):
            patch.setenv(f"GIT_{role}_NAME", "Test")
            patch.setenv(f"GIT_{role}_EMAIL", "test@example.invalid")
        for name in AMBIENT:
            patch.delenv(name, raising=False)
        patch.setenv("SCORECARD_DEBUG", "1")
        repo = make_history(top / "repo", run_scorecard)
        sites = {}
        for site_url in (None, SITE_URL):
            site = top / ("with" if site_url else "without")
            extra = ("--site-url", site_url) if site_url else ()
            run = run_scorecard(
                "build",
                "--data",
                repo / "data",
                "--out",
                site,
                "--date",
                "2024-07-02",
                "--config",
                ROOT / "mkdocs.yml",
                *extra,
            )
            assert run.code == 0, run.err
            sites[site_url] = (site, site_url, run)
        yield repo, sites


@pytest.fixture(params=[None, SITE_URL], ids=["without site_url", "with site_url"])
def built(request, history_sites):
    return history_sites[1][request.param]


def pages(site: Path) -> dict[str, str]:
    return {
        _url(p.parent.relative_to(site).as_posix()): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("index.html"))
    }


def _url(folder: str) -> str:
    return "" if folder == "." else folder + "/"


def citations(text: str) -> tuple[str, str] | None:
    blocks = [html.unescape(b) for b in CITATION.findall(text)]
    if not blocks:
        return None
    plain, entry = blocks
    return plain, entry


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def absolute(url: str) -> bool:
    return bool(urlsplit(url).scheme)


# -- the warning -------------------------------------------------------------------------------


def test_a_build_without_site_url_warns_once_and_says_what_it_affects(built) -> None:
    _, site_url, run = built
    lines = [line for line in run.err.splitlines() if WARNING in line]
    if site_url:
        assert lines == []
        return
    assert len(lines) == 1
    for affected in ("citations", "feeds", "sitemap", "--site-url"):
        assert affected in lines[0]


# -- citations ---------------------------------------------------------------------------------


def test_every_bibtex_block_parses_and_keeps_its_fields(built) -> None:
    site, site_url, _ = built
    seen = 0
    for url, text in pages(site).items():
        found = citations(text)
        if found is None:
            continue
        plain, entry = found
        seen += 1
        data = parse_string(entry, "bibtex")
        assert len(data.entries) == 1, url
        (fields,) = [e.fields for e in data.entries.values()]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["urldate"]), url
        assert fields["urldate"] in plain
        assert fields["year"] in plain and fields["month"]
        assert fields["title"].startswith("{") and fields["title"].endswith("}"), url
        if site_url:
            assert fields["url"].startswith(site_url), url
        else:
            assert fields["url"].startswith("/") and not absolute(fields["url"]), url
        assert fields["url"] in plain
        cites_edition = url.startswith("editions/") or "editions/2024.06/" in fields["url"]
        if cites_edition:
            assert fields["edition"] in plain and fields["edition"] in fields["howpublished"]
        else:
            assert "edition" not in fields, url
            assert "newer than the latest edition, 2024.06" in fields["note"], url
        rendered = next(Style().format_entries(data.entries.values())).text.render(Backend())
        title = html.unescape(re.search(r"<h1[^>]*>(.*?)<", text).group(1)).strip()
        if url.startswith("labs/"):
            assert f"{title}: external evaluation scorecard" in rendered, rendered
    assert seen >= 10


def test_a_page_that_matches_the_latest_edition_cites_its_permanent_address_first(
    built,
) -> None:
    site, site_url, _ = built
    root = site_url or "/"
    plain, entry = citations(page(site, "labs/lab-b"))
    edition, current = f"{root}editions/2024.06/labs/lab-b/", f"{root}labs/lab-b/"
    assert plain.index(edition) < plain.index(current)
    assert "edition 2024.06" in plain and "current version: " + current in plain
    fields = parse_string(entry, "bibtex").entries.values().__iter__().__next__().fields
    assert fields["url"] == edition and fields["edition"] == "2024.06"
    assert current in fields["note"]
    assert "names the edition's permanent address first" in page(site, "labs/lab-b")
    # lab A has changed since: the current page, newer than the edition, is cited
    plain, _ = citations(page(site, "labs/lab-a"))
    assert f"{root}labs/lab-a/" in plain and "editions/2024.06" not in plain
    assert "newer than the latest edition, 2024.06" in plain


def test_citations_are_byte_identical_across_rebuilds(
    history_sites, scorecard, tmp_path: Path
) -> None:
    history_repo = history_sites[0]
    texts = []
    for name in ("one", "two"):
        out = tmp_path / name
        run = scorecard(
            "build", "--data", history_repo / "data", "--out", out, "--config", ROOT / "mkdocs.yml"
        )
        assert run.code == 0, run.err
        texts.append(page(out, "labs/lab-a"))
    assert citations(texts[0]) == citations(texts[1])
    assert "urldate = {2024-07-01}" in citations(texts[0])[1]  # the data's commit date


# -- feeds -------------------------------------------------------------------------------------


def atom_schema() -> lxml.etree.RelaxNG:
    rng = rnc2rng.dumps(rnc2rng.loads((FEEDS / "atom.rnc").read_text(encoding="utf-8")))
    # rnc2rng declares `local = ""` as an XML prefix, which XML namespaces forbid; it is only
    # used as nsName ns="", so the declaration can go.
    rng = re.sub(r'\s+xmlns:local=""', "", rng)
    return lxml.etree.RelaxNG(lxml.etree.fromstring(rng.encode("utf-8")))


def test_the_atom_feed_is_valid_rfc_4287(built) -> None:
    site, site_url, _ = built
    document = lxml.etree.parse(str(site / "feed.xml"))
    schema = atom_schema()
    assert schema.validate(document), schema.error_log
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    # RFC 4287 in prose (4.2.6): atom:id is an absolute IRI; and its Schematron rules
    for node in [feed, *entries]:
        assert absolute(node.findtext(f"{ATOM}id")), node.findtext(f"{ATOM}id")
    assert feed.find(f"{ATOM}author") is not None
    for entry in entries:
        assert entry.find(f"{ATOM}content") is not None or entry.find(f"{ATOM}link") is not None
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    hrefs += re.findall(r'href="([^"]*)"', "".join(e.findtext(f"{ATOM}content") for e in entries))
    for href in hrefs:
        if site_url:
            assert href.startswith(site_url), href
        else:  # relative to the feed, at the site's root: right wherever the site is served
            assert not absolute(href) and not href.startswith("/"), href
    if not site_url:
        assert 'href="labs/lab-a/#framework"' in entries[0].findtext(f"{ATOM}content")


def test_a_broken_atom_feed_fails_the_schema() -> None:
    broken = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'
    assert not atom_schema().validate(lxml.etree.fromstring(broken))


def jsonfeed_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((FEEDS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator
    validator.check_schema(schema)
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


def test_the_json_feed_is_valid_json_feed_1_1(built) -> None:
    site, site_url, _ = built
    document = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    errors = [e.message for e in jsonfeed_validator().iter_errors(document)]
    assert errors == []
    assert document["items"]
    if site_url:
        assert document["home_page_url"] == site_url
        assert document["feed_url"] == site_url + "feed.json"
        assert all(item["url"].startswith(site_url) for item in document["items"])
    else:
        assert "home_page_url" not in document and "feed_url" not in document
        assert all("url" not in item for item in document["items"])


def test_the_json_feed_schema_refuses_relative_urls() -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}
    assert not list(jsonfeed_validator().iter_errors(feed))
    assert list(jsonfeed_validator().iter_errors({**feed, "home_page_url": "/"}))


# -- sitemap -----------------------------------------------------------------------------------


def test_the_sitemap_lists_every_page_with_a_site_url_and_none_without(built) -> None:
    site, site_url, _ = built
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locations = [n.text for n in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    if not site_url:
        assert locations == []  # mkdocs writes no <url> without site_url: nothing misleading
        return
    listed = {loc.removeprefix(site_url) for loc in locations}
    assert all(loc.startswith(site_url) for loc in locations)
    assert len(locations) == len(listed)
    for url in pages(site):
        if url not in ("404/",):
            assert url.lstrip("/") in listed, url


# -- JSON-LD -----------------------------------------------------------------------------------


def jsonld(text: str) -> dict:
    (block,) = JSONLD.findall(text)
    return json.loads(block)


def test_the_leaderboard_and_downloads_describe_the_dataset_with_its_downloads(built) -> None:
    site, site_url, _ = built
    for url in ("", "downloads"):
        data = jsonld(page(site, url))
        assert data["@type"] == "Dataset" and data["name"] and data["license"]
        downloads = data["distribution"]
        formats = {d["encodingFormat"] for d in downloads}
        assert formats == {"application/json", "text/csv"}
        for download in downloads:
            assert download["@type"] == "DataDownload"
            target = download["contentUrl"]
            if site_url:
                assert target.startswith(site_url + "data/")
                assert (site / target.removeprefix(site_url)).is_file()
            else:
                assert not absolute(target) and not target.startswith("/")
                assert (site / url / target).resolve().is_file()
        if site_url:
            assert data["url"] == site_url
        else:
            assert "url" not in data


def test_criterion_pages_are_web_pages_of_the_dataset(built) -> None:
    site, site_url, _ = built
    data = jsonld(page(site, "criteria/framework"))
    assert data["@type"] == "WebPage"
    assert data["name"] and data["dateModified"] == "2024-07-02"
    assert data["isPartOf"]["@type"] == "Dataset"
    if site_url:
        assert data["url"] == site_url + "criteria/framework/"
        assert data["isPartOf"]["url"] == site_url
    else:
        assert "url" not in data


def test_json_ld_goes_through_json_script(built) -> None:
    site, _, _ = built
    for text in pages(site).values():
        for block in JSONLD.findall(text):
            assert "<" not in block and ">" not in block and "&" not in block
