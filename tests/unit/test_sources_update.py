"""`scorecard sources check --update` writes each check into sources.yaml and nothing else:
comments, blank lines, quoting and key order stay byte for byte (generator.sourcefile)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator import refdate
from generator.errors import InvalidData
from generator.sourcefile import update_sources
from generator.validate import validate_folder
from tests.sourceserver import serving
from tests.support import FIXTURES, run_scorecard

DATA = FIXTURES / "sources-check"
WRITTEN = re.compile(r"^    (checked|sha256|check): ")
SHA = re.compile(r"[0-9a-f]{64}")

# An entry that already has the three fields, out of their usual place, with comments.
SEEDED = (
    "    url: https://lab.example.org/html-quote\n"
    "    checked: 2024-05-01   # the last check, kept by the command\n"
    "    sha256: 0000000000000000000000000000000000000000000000000000000000000000\n"
    "    # the outcome, as the command writes it\n"
    "    check: {status: gone, quotes: missing, missing: 1}\n"
)


def without_written_fields(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not WRITTEN.match(line))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = shutil.copytree(DATA, tmp_path / "data")
    sources = data / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    old = "    url: https://lab.example.org/html-quote\n"
    sources.write_text(text.replace(old, SEEDED, 1), encoding="utf-8")
    return data


def check(folder: Path, *extra: str):
    with serving() as server:
        return run_scorecard(
            "sources",
            "check",
            "--data",
            folder,
            "--timeout",
            "0.5",
            "--update",
            *extra,
            *server.resolve_options(),
        )


def test_update_changes_only_the_written_fields_byte_for_byte(folder):
    sources = folder / "sources.yaml"
    before = sources.read_text(encoding="utf-8")
    run = check(folder)
    assert run.code == 1  # the fixture has drift; it is recorded all the same
    after = sources.read_text(encoding="utf-8")
    assert after != before
    assert without_written_fields(after) == without_written_fields(before)
    assert f"{folder / 'sources.yaml'}: recorded the check of 14 sources" in run.err


def test_a_field_already_there_changes_in_place_with_its_comment(folder):
    check(folder)
    text = (folder / "sources.yaml").read_text(encoding="utf-8")
    today = refdate.today_utc().isoformat()
    start = text.index("  - id: html-quote")
    entry = text[start : text.index("\n\n", start)]
    sha = SHA.search(entry.split("sha256: ", 1)[1]).group(0)
    assert entry.splitlines()[4:8] == [
        f"    checked: {today}   # the last check, kept by the command",
        f"    sha256: {sha}",
        "    # the outcome, as the command writes it",
        "    check: {status: ok, archive: ok, quotes: found}",
    ]
    assert sha != "0" * 64


def test_new_fields_go_after_the_archived_copy_or_the_access_date_in_schema_order(folder):
    check(folder)
    text = (folder / "sources.yaml").read_text(encoding="utf-8")
    today = refdate.today_utc().isoformat()
    start = text.index("  - id: quote-changed")
    lines = text[start:].splitlines()[:11]
    assert (
        lines[0]
        == "  - id: quote-changed           # the lab reworded the page since it was quoted"
    )
    assert lines[5:10] == [
        "    archive_url: https://web.archive.org/web/20240101000000/https://lab.example.org/quote-changed",
        f"    checked: {today}",
        lines[7],
        "    check: {status: ok, archive: ok, quotes: missing, missing: 1}",
        "    kind: lab-statement",
    ]
    assert SHA.fullmatch(lines[7].removeprefix("    sha256: "))
    start = text.index("  - id: gone-404")
    lines = text[start:].splitlines()[:7]
    # Nothing was fetched: no hash, and the outcome says why.
    assert lines[4:7] == [
        "    accessed: 2024-05-01",
        f"    checked: {today}",
        "    check: {status: gone, quotes: unreadable}",
    ]


def test_the_updated_file_is_valid_and_the_model_reads_the_check(folder):
    check(folder)
    today = refdate.today_utc()
    validation = validate_folder(folder, latest=today, reference=dt.date(2024, 6, 1))
    assert validation.dataset is not None, [p.format() for p in validation.errors]
    sources = {s.id: s for s in validation.dataset.sources}
    changed = sources["quote-changed"]
    assert changed.checked == today
    assert (changed.check.status, changed.check.archive) == ("ok", "ok")
    assert (changed.check.quotes, changed.check.missing) == ("missing", 1)
    assert sources["members-only"].check.status == "blocked"
    assert sources["members-only"].sha256 is None


def test_a_second_update_the_same_day_with_the_same_results_writes_nothing(folder):
    check(folder)
    sources = folder / "sources.yaml"
    first = sources.read_bytes()
    run = check(folder, "--only", "html-quote", "pdf-report")
    assert run.code == 0
    assert sources.read_bytes() == first
    assert "recorded the check of 0 sources" in run.err


def test_without_update_the_file_is_not_touched(folder):
    sources = folder / "sources.yaml"
    before = sources.read_bytes()
    with serving() as server:
        run_scorecard("sources", "check", "--data", folder, "--only", "html-quote",
                      *server.resolve_options())  # fmt: skip
    assert sources.read_bytes() == before


def test_a_layout_the_round_trip_cannot_keep_is_refused_and_left_alone(tmp_path):
    sources = tmp_path / "sources.yaml"
    text = "sources:\n- id: a\n  title:  two spaces after the colon\n"
    sources.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidData, match="its layout cannot be kept"):
        update_sources(sources, {"a": {"checked": dt.date(2026, 1, 1)}})
    assert sources.read_text(encoding="utf-8") == text


def test_flow_style_entries_and_unknown_ids_are_handled(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "# comment\nsources:\n  - {id: a, url: 'https://example.org/', accessed: 2024-01-01}\n",
        encoding="utf-8",
    )
    changed = update_sources(
        sources,
        {"a": {"checked": dt.date(2026, 1, 2), "check": {"status": "ok", "quotes": "none"}},
         "not-there": {"checked": dt.date(2026, 1, 2)}},
    )  # fmt: skip
    assert changed == ["a"]
    assert sources.read_text(encoding="utf-8") == (
        "# comment\nsources:\n  - {id: a, url: 'https://example.org/', accessed: 2024-01-01, "
        "checked: 2026-01-02, check: {status: ok, quotes: none}}\n"
    )
