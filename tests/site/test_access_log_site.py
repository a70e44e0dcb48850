"""The access log 2.0 pages and downloads, on a real build of the access-log fixture."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from generator import paths
from generator.render import Renderer
from generator.score import score_dataset
from generator.validate import validate_folder
from generator.views import Provenance
from tests.support import FIXTURES, ROOT, build_site, check_golden

ACCESS_LOG = FIXTURES / "access-log"
DATE = "2024-06-10"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(ACCESS_LOG, tmp_path_factory.mktemp("access-log") / "site", DATE)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    day = dt.date.fromisoformat(DATE)
    result = validate_folder(ACCESS_LOG, latest=day, reference=day)
    assert result.dataset is not None
    card = score_dataset(result.dataset, day)
    return Renderer(card, Provenance("0" * 40, None, "https://scorecard.test/"))


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def test_every_new_page_is_built(site: Path) -> None:
    for url in (
        paths.MODELS,
        paths.model("lab-a", "model-two"),
        paths.model("lab-a", "model-one"),
        paths.model("lab-a", "internal-models"),
        paths.EVALUATORS,
        paths.evaluator("evals-org"),
        paths.evaluator("unnamed-groups"),
    ):
        assert (site / url / "index.html").is_file(), url


def test_the_models_page_lists_frontier_releases_newest_first_with_their_testing(site: Path) -> None:
    shown = text(page(site, paths.MODELS))
    assert shown.index("Model Two") < shown.index("Model One")
    assert "Model Small" not in shown  # not a frontier release
    assert "Evals Org" in shown and "20 business days" in shown
    assert "AL2: raw chain of thought, helpful-only version" in shown
    assert "Evals Org: lab review: approval required, NDA, unpaid" in shown
    assert 'id="lab-a-model-two"' in page(site, paths.MODELS)  # a stable anchor per release
    assert 'data-filter-table="sc-models"' in page(site, paths.MODELS)


def test_a_model_page_shows_its_events_depth_terms_and_card(site: Path) -> None:
    shown = text(page(site, paths.model("lab-a", "model-two")))
    assert "the lab's latest frontier model on the reference date" in shown
    assert "access level AL2" in shown and "window: 20 business days" in shown
    assert "Helpful-only or least-mitigated version ✓ yes" in shown
    assert "Lab review of the write-up approval required" in shown
    assert "Model Two System Card" in shown and "p. 7" in shown


def test_an_evaluator_page_shows_its_terms_over_time(site: Path) -> None:
    shown = text(page(site, paths.evaluator("evals-org")))
    assert "Publication terms over time" in shown
    assert shown.index("Model B") < shown.index("Model Two")  # by release date
    unnamed = text(page(site, paths.evaluator("unnamed-groups")))
    assert "do not count as a named evaluator" in unnamed


def test_the_lab_page_has_its_models_and_their_external_testing(site: Path) -> None:
    lab = page(site, paths.lab("lab-a"))
    assert 'id="sc_models"' in lab
    assert "Models and their external testing" in text(lab)
    assert "The data lists no model releases" in text(page(site, paths.lab("lab-b")))


def test_relayed_evidence_says_quoted_via_its_relay(site: Path) -> None:
    shown = text(page(site, paths.lab("lab-a")))
    assert "Quoted via A tracker that quotes Report A : not read in the source itself." in shown
    assert "Described, not quoted, via A tracker that quotes Report A" in shown


def test_the_timeline_colours_points_by_lab_with_a_legend(site: Path) -> None:
    markup = page(site, paths.EVALUATIONS)
    figure = json.loads(html.unescape(re.search(r'data-figure="([^"]+)"', markup).group(1)))
    assert [trace["name"] for trace in figure["data"]] == ["Lab A", "Lab B"]
    assert figure["layout"]["showlegend"] is True
    colours = {trace["marker"]["color"] for trace in figure["data"]}
    assert len(colours) == 2
    assert "coloured by lab" in text(markup)


def test_the_methodology_explains_access_levels_windows_and_the_version_history(site: Path) -> None:
    shown = text(page(site, paths.METHODOLOGY))
    assert "arXiv 2601.11916" in shown and "AL3" in shown
    assert "full from 20 business days" in shown
    assert "What version 2.0 against 1.0 did to each lab's score" in shown
    assert re.search(r"Lab A 80\.0 70\.0 −10\.0", shown)
    assert re.search(r"Lab B 50\.0 52\.5 \+2\.5", shown)


@pytest.mark.parametrize(
    ("download", "schema"),
    [
        (paths.SCORECARD_JSON, "scorecard"),
        (paths.MODELS_JSON, "models"),
        (paths.EVENTS_JSON, "events"),
    ],
)
def test_each_json_download_matches_its_published_schema(site: Path, download: str, schema: str) -> None:
    document = json.loads((site / download).read_text(encoding="utf-8"))
    published = json.loads((site / paths.schema(schema)).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(published)
    errors = list(jsonschema.Draft202012Validator(published).iter_errors(document))
    assert not errors, errors[:3]


def test_the_csv_downloads_have_one_row_per_model_and_event(site: Path) -> None:
    models = list(csv.DictReader(io.StringIO((site / paths.MODELS_CSV).read_text())))
    assert len(models) == 4 and models[2]["model"] == "model-two"
    assert models[2]["latest_frontier"] == "true"
    events = list(csv.DictReader(io.StringIO((site / paths.EVENTS_CSV).read_text())))
    assert len(events) == 4
    two = next(e for e in events if e["model"] == "model-two")
    assert (two["business_days_before_release"], two["access_level"], two["lab_review"]) == (
        "20",
        "AL2",
        "approval-required",
    )


def test_the_bundled_scorecard_download_matches_its_schema(tmp_path: Path) -> None:
    schema = json.loads((ROOT / "generator" / "schema" / "scorecard.schema.json").read_text())
    site = build_site(ROOT / "data", tmp_path / "site", "2026-12-02")
    document = json.loads((site / paths.SCORECARD_JSON).read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(document))


@pytest.mark.golden
def test_a_model_page_matches_its_golden_file(renderer: Renderer) -> None:
    lab = renderer.views.card.dataset.lab("lab-a")
    view = renderer.views.model_page(lab, lab.model("model-two"))
    check_golden("model-two.md", renderer.render(view).markdown)


@pytest.mark.golden
def test_an_evaluator_page_matches_its_golden_file(renderer: Renderer) -> None:
    evaluator = renderer.views.card.dataset.evaluator("evals-org")
    check_golden("evals-org.md", renderer.render(renderer.views.evaluator_page(evaluator)).markdown)


def test_without_javascript_the_explore_page_shows_the_published_ranking(site: Path) -> None:
    markup = page(site, paths.EXPLORE)
    shown = text(markup)
    assert "The controls on this page need JavaScript" in shown
    assert shown.index("Lab A") < shown.index("Lab B")
    assert "70.0" in shown and "52.5" in shown
    data = json.loads(html.unescape(re.search(r'data-explore="([^"]+)"', markup).group(1)))
    assert data["labs"][0]["points"]["evaluator-may-publish"] == "1/4"
    assert [c["weight"] for c in data["categories"]] == ["60/1", "40/1"]
