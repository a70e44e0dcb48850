"""`scorecard serve`'s rebuilds (site.LiveSite): a full build first, then only what an edit
changed, and the last good site kept when an edit is invalid."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from tests.support import FIXTURES, ROOT

from generator.errors import BuildError
from generator.site import LiveSite, site_inputs

DATE = dt.date(2024, 6, 1)


def test_an_edit_rebuilds_only_what_changed(tmp_path: Path) -> None:
    data = shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    live = LiveSite(data, site_inputs(ROOT / "mkdocs.yml"), DATE, tmp_path / "stage")
    first = live.rebuild()
    assert first.ok
    lab_page = live.site_dir / "labs" / "lab-a" / "index.html"
    assert "Evaluators could not fine-tune." in lab_page.read_text(encoding="utf-8")

    lab = data / "labs" / "lab-a.yaml"
    lab.write_text(
        lab.read_text(encoding="utf-8").replace(
            "Evaluators could not fine-tune.", "Evaluators could not fine-tune, edited."
        ),
        encoding="utf-8",
    )
    second = live.rebuild()
    assert second.ok
    assert "Evaluators could not fine-tune, edited." in lab_page.read_text(encoding="utf-8")
    # The lab's page, the criterion page that quotes it, and the downloads; not every page.
    assert 0 < second.changed < first.changed

    unchanged = live.rebuild()
    assert unchanged.ok and unchanged.changed == 0


def test_an_invalid_edit_keeps_the_last_good_site(tmp_path: Path, capsys) -> None:
    data = shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    live = LiveSite(data, site_inputs(ROOT / "mkdocs.yml"), DATE, tmp_path / "stage")
    assert live.rebuild().ok
    lab_page = live.site_dir / "labs" / "lab-a" / "index.html"
    before = lab_page.read_bytes()
    lab = data / "labs" / "lab-a.yaml"
    lab.write_text(lab.read_text(encoding="utf-8").replace("level: weak", "level: wek"), "utf-8")
    failed = live.rebuild()
    assert not failed.ok
    assert any("wek" in p.message for p in failed.problems)
    assert lab_page.read_bytes() == before


def _index(live: LiveSite) -> dict:
    return json.loads((live.site_dir / "search" / "search_index.json").read_text("utf-8"))


def _pages(index: dict) -> set[str]:
    return {doc["location"].split("#", 1)[0] for doc in index["docs"]}


def test_after_an_edit_the_search_index_still_covers_every_page(tmp_path: Path) -> None:
    data = shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    live = LiveSite(data, site_inputs(ROOT / "mkdocs.yml"), DATE, tmp_path / "stage")
    assert live.rebuild().ok
    before = _index(live)
    lab = data / "labs" / "lab-a.yaml"
    lab.write_text(
        lab.read_text(encoding="utf-8").replace(
            "Evaluators could not fine-tune.", "Evaluators could not fine-tune, zanzibar."
        ),
        encoding="utf-8",
    )
    second = live.rebuild()
    assert second.ok and 0 < second.changed
    after = _index(live)
    # mkdocs' dirty build indexes only the pages it rebuilt; the live site puts the rest back
    assert _pages(after) == _pages(before)
    assert len(after["docs"]) == len(before["docs"])
    assert any("zanzibar" in doc["text"] for doc in after["docs"])
    assert not any("zanzibar" in doc["text"] for doc in before["docs"])


def test_an_edit_renders_only_the_pages_whose_view_changed(tmp_path: Path) -> None:
    data = shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    live = LiveSite(data, site_inputs(ROOT / "mkdocs.yml"), DATE, tmp_path / "stage")
    assert live.rebuild().ok
    lab = data / "labs" / "lab-b.yaml"
    lab.write_text(
        lab.read_text(encoding="utf-8").replace("No framework was found.", "None found."), "utf-8"
    )
    assert live.rebuild().ok
    assert live.pages.last_rendered == 2  # lab B's page and the criterion page that quotes it


def test_a_failed_rebuild_is_made_good_by_the_next(tmp_path: Path) -> None:
    # A rebuild that fails part-way (here: a hand-written file at a generated file's path) has
    # written some files; the next good rebuild must still build them and index them.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    data = shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    live = LiveSite(data, site_inputs(project / "mkdocs.yml"), DATE, tmp_path / "stage")
    assert live.rebuild().ok
    clash = project / "docs" / "assets" / "stylesheets" / "scorecard.css"
    clash.parent.mkdir(parents=True, exist_ok=True)
    clash.write_text("/* a contributor's own */\n", encoding="utf-8")
    lab = data / "labs" / "lab-a.yaml"
    lab.write_text(
        lab.read_text(encoding="utf-8").replace(
            "Evaluators could not fine-tune.", "Evaluators could not fine-tune, zanzibar."
        ),
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match="would be replaced by a generated file"):
        live.rebuild()
    clash.unlink()
    again = live.rebuild()
    assert again.ok
    page = (live.site_dir / "labs" / "lab-a" / "index.html").read_text(encoding="utf-8")
    assert "zanzibar" in page
    assert any("zanzibar" in doc["text"] for doc in _index(live)["docs"])
