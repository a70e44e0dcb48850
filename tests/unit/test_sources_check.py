"""`scorecard sources check` against a local web of cited documents (tests/sourceserver.py):
every case the issue names, reached through --resolve; nothing here touches the network."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from generator import refdate, sourcecheck
from generator.cli import main
from generator.sourcecheck import Limits, check_sources, markdown, parse_resolve
from generator.validate import validate_folder
from tests import sourceserver
from tests.sourceserver import CAPTURE, LAB, QUOTE, Response, serving
from tests.support import FIXTURES, REFERENCE, run_scorecard

DATA = FIXTURES / "sources-check"
TIMEOUT = "0.5"


def dataset(folder: Path = DATA):
    validation = validate_folder(folder, latest=REFERENCE, reference=REFERENCE)
    assert validation.dataset is not None, [p.format() for p in validation.errors]
    return validation.dataset


@pytest.fixture(scope="module")
def whole_run(tmp_path_factory):
    """One run of the command over every case, with both reports written."""
    out = tmp_path_factory.mktemp("report")
    with serving() as server:
        run = run_scorecard(
            "sources",
            "check",
            "--data",
            DATA,
            "--timeout",
            TIMEOUT,
            "--report",
            out / "report.md",
            "--report",
            out / "report.json",
            *server.resolve_options(),
        )
        requests = list(server.requests)
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {
        "run": run,
        "json": document,
        "by_id": {source["id"]: source for source in document["sources"]},
        "markdown": (out / "report.md").read_text(encoding="utf-8"),
        "requests": requests,
    }


def source(whole_run, source_id: str) -> dict:
    return whole_run["by_id"][source_id]


# --- The cases ------------------------------------------------------------------------------


def test_a_page_with_its_quote_is_ok_and_the_quote_is_found(whole_run):
    checked = source(whole_run, "html-quote")
    assert checked["url"]["status"] == "ok"
    assert checked["archive"]["status"] == "ok"
    assert checked["quotes"]["status"] == "found"
    assert checked["attention"] == []
    [quote] = checked["quotes"]["items"]
    # The same quote cited twice is looked for once, with both places that cite it.
    assert quote["cited_by"] == ["lab-a: pre-deployment", "access log: Model One by evals-org"]
    assert quote["original"] == quote["archive"] == "found"


def test_the_quote_is_found_through_markup_entities_and_line_breaks(whole_run):
    page = sourceserver.pages()[f"{LAB}/html-quote"].body.decode()
    assert QUOTE not in page  # split by <a>, <em>, a newline and &nbsp; on the page
    assert source(whole_run, "html-quote")["quotes"]["status"] == "found"


def test_a_reworded_quote_is_missing_and_the_nearest_passage_is_shown(whole_run):
    checked = source(whole_run, "quote-changed")
    [quote] = checked["quotes"]["items"]
    assert quote["verdict"] == "missing"
    # The archived copy still has it: the page changed after it was quoted.
    assert (quote["original"], quote["archive"]) == ("missing", "found")
    assert quote["nearest"] == (
        "We gave METR access to a near-final model for one week before release."
    )
    assert 0.7 < quote["similarity"] < 1
    assert checked["attention"] == ["1 of 1 quotes not found"]
    assert "gone from the original, still in the archived copy" in whole_run["markdown"]
    assert "% alike): `We gave METR access to a near-final model" in whole_run["markdown"]


def test_a_quote_on_page_three_of_a_pdf_is_found_on_page_three(whole_run):
    checked = source(whole_run, "pdf-report")
    assert checked["url"]["content_type"] == "application/pdf"
    [quote] = checked["quotes"]["items"]
    # On the page the word is broken at a line end ("danger-" / "ous") and the apostrophe is
    # whatever the font's encoding makes of it.
    assert (quote["verdict"], quote["page"]) == ("found", 3)
    pdf = sourceserver.pages()[f"{LAB}/report.pdf"].body
    assert checked["url"]["sha256"] == hashlib.sha256(pdf).hexdigest()


def test_a_redirect_chain_is_reported_as_a_moved_page_with_its_new_address(whole_run):
    checked = source(whole_run, "redirected")
    url = checked["url"]
    assert url["status"] == "redirected"
    # One Location was relative, one absolute: both are read against the cited address.
    assert url["redirects"] == [f"{LAB}/moved-1", f"{LAB}/moved-2"]
    assert url["final_address"] == f"{LAB}/moved-2"
    assert checked["quotes"]["status"] == "found"  # "..." stands for the words left out
    assert checked["attention"] == [f"the address moved: it now answers from {LAB}/moved-2"]


def test_a_redirect_loop_is_an_error_not_an_endless_fetch(whole_run):
    url = source(whole_run, "redirect-loop")["url"]
    assert url["status"] == "error"
    assert url["detail"] == f"redirect loop: back to {LAB}/loop-a"


@pytest.mark.parametrize(
    ("source_id", "status", "detail"),
    [
        ("gone-404", "gone", "HTTP 404"),
        ("gone-410", "gone", "HTTP 410"),
        ("server-error", "error", "HTTP 500"),
        ("members-only", "blocked", "HTTP 403"),
        ("slow", "error", f"no answer within {TIMEOUT} s"),
        ("huge", "error", "the body is 10.0 GiB, over the limit of 64.0 MiB"),
    ],
)
def test_each_failing_address_is_classified(whole_run, source_id, status, detail):
    url = source(whole_run, source_id)["url"]
    assert (url["status"], url["detail"]) == (status, detail)
    assert url["sha256"] is None
    assert source(whole_run, source_id)["attention"]


def test_a_latin_1_page_is_decoded_as_a_browser_would(whole_run):
    # Declared iso-8859-1, with windows-1252 curly quotes (0x93, 0x94), as such pages are.
    checked = source(whole_run, "latin-1")
    assert checked["quotes"]["status"] == "found"


def test_a_page_that_needs_javascript_is_not_read_as_a_missing_quote(whole_run):
    checked = source(whole_run, "needs-javascript")
    assert checked["url"]["status"] == "ok"
    assert checked["url"]["reading"] == "the page shows its text only with JavaScript"
    assert checked["quotes"]["status"] == "unreadable"
    assert checked["attention"] == [
        "its quotes could not be checked: the page shows its text only with JavaScript"
    ]


def test_an_archived_copy_that_works_while_the_original_is_gone_holds_the_quote(whole_run):
    checked = source(whole_run, "archived-only")
    assert checked["url"]["status"] == "gone"
    assert checked["archive"]["status"] == "ok"
    [quote] = checked["quotes"]["items"]
    assert (quote["original"], quote["archive"], quote["verdict"]) == (None, "found", "found")
    assert checked["attention"] == ["the address is gone (HTTP 404)"]
    assert "1 quote found in the archived copy" in whole_run["markdown"]


def test_the_archived_copy_is_fetched_in_its_raw_form_without_the_toolbar(whole_run):
    paths = [path for path, _ in whole_run["requests"]]
    assert f"/archive/web/20240101000000id_/{LAB}/withdrawn" in paths
    assert f"/archive/web/20240101000000/{LAB}/withdrawn" not in paths
    archive = source(whole_run, "archived-only")["archive"]
    assert archive["address"] == f"{CAPTURE}/{LAB}/withdrawn"  # the report names it as cited


def test_every_request_says_what_it_is_and_each_address_is_asked_once(whole_run):
    agents = {agent for _, agent in whole_run["requests"]}
    assert agents == {sourcecheck.USER_AGENT}
    assert "scorecard-sources-check" in sourcecheck.USER_AGENT
    paths = [path for path, _ in whole_run["requests"]]
    assert len(paths) == len(set(paths))


def test_the_run_exits_1_and_names_every_source_that_needs_attention(whole_run):
    run = whole_run["run"]
    assert run.code == 1, run.err
    assert "internal error" not in run.err
    assert run.err.rstrip().endswith("14 sources checked: 11 need attention")
    assert set(whole_run["json"]["needs_attention"]) == {
        "quote-changed",
        "redirected",
        "redirect-loop",
        "gone-404",
        "gone-410",
        "server-error",
        "members-only",
        "slow",
        "huge",
        "needs-javascript",
        "archived-only",
    }


def test_the_markdown_report_is_printed_and_written(whole_run):
    run = whole_run["run"]
    assert run.out == whole_run["markdown"]
    text = run.out
    assert text.startswith(f"# Source check, {refdate.today_utc().isoformat()}\n")
    assert "14 sources checked (3 archived copies, 9 quotes): 11 sources need attention." in text
    assert "| `pdf-report` | ok | none | 1 found | `" in text
    assert "| `gone-410` | gone | none | none to check | — |" in text


def test_the_json_report_records_the_limits_and_the_date(whole_run):
    document = whole_run["json"]
    assert document["checked"] == refdate.today_utc().isoformat()
    assert document["limits"]["timeout_seconds"] == float(TIMEOUT)
    assert document["user_agent"] == sourcecheck.USER_AGENT


# --- More cases, with the library -----------------------------------------------------------


def check_with(routes: dict[str, Response], *ids: str, limits: Limits | None = None, data=None):
    with serving(routes) as server:
        report = check_sources(
            data or dataset(),
            date=REFERENCE,
            only=ids,
            limits=limits or Limits(timeout=2),
            resolves=[parse_resolve(text) for text in server.resolves()],
        )
        return report, server


def test_a_body_without_a_length_is_cut_off_at_the_size_limit():
    routes = {f"{LAB}/huge": sourceserver.pages()[f"{LAB}/stream"]}  # 8 × 5 KB, no length
    report, _ = check_with(routes, "huge", limits=Limits(timeout=2, max_bytes=10_000))
    [result] = report.results
    assert (result.url.status, result.url.detail) == (
        "error",
        "the body is over the limit of 9.8 KiB",
    )


def test_more_redirects_than_the_limit_is_an_error():
    routes = {f"{LAB}/old-address": Response(302, b"", None, {"Location": "/old-address?1"})}
    routes |= {
        f"{LAB}/old-address?{i}": Response(302, b"", None, {"Location": f"/old-address?{i + 1}"})
        for i in range(1, 20)
    }
    report, _ = check_with(routes, "redirected", limits=Limits(timeout=2, max_redirects=3))
    assert report.results[0].url.detail == "more than 3 redirects"


def test_a_redirect_to_this_computer_is_refused_even_from_a_public_address():
    routes = {f"{LAB}/old-address": Response(302, b"", None, {"Location": "http://127.0.0.1/"})}
    report, server = check_with(routes, "redirected")
    url = report.results[0].url
    assert url.status == "error"
    assert url.detail.startswith("redirected to an address that points at a private, loopback")
    assert [path for path, _ in server.requests] == ["/lab/old-address"]


def test_a_bot_challenge_counts_as_blocked():
    routes = {f"{LAB}/broken": Response(503, b"", headers={"cf-mitigated": "challenge"})}
    report, _ = check_with(routes, "server-error")
    assert report.results[0].url.status == "blocked"
    assert report.results[0].url.detail == "HTTP 503 (a bot challenge)"


def test_one_request_at_a_time_per_host_while_hosts_are_asked_together():
    slow = {
        address: Response(page.status, page.body, page.content_type, page.headers, delay=0.2)
        for address, page in sourceserver.pages().items()
        if address.startswith(f"{LAB}/html") or address.startswith(CAPTURE)
    }
    ids = ("html-quote", "quote-changed", "archived-only")
    routes = slow | {f"{LAB}/quote-changed": slow[f"{LAB}/html-quote"]}
    routes |= {f"{LAB}/withdrawn": slow[f"{LAB}/html-quote"]}
    report, server = check_with(routes, *ids, limits=Limits(timeout=5, workers=4))
    assert len(report.results) == 3
    assert server.busy["lab"][1] == 1
    assert server.busy["archive"][1] == 1
    assert len(server.requests) == 6


def test_a_source_whose_document_changed_since_its_recorded_hash_is_listed(tmp_path):
    folder = shutil.copytree(DATA, tmp_path / "data")
    sources = folder / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    old = "    url: https://lab.example.org/html-quote\n"
    sources.write_text(text.replace(old, old + f"    sha256: {'0' * 64}\n"), encoding="utf-8")
    report, _ = check_with(sourceserver.pages(), "html-quote", data=dataset(folder))
    [result] = report.results
    assert result.changed
    assert not result.attention  # a changed page is news, not drift: its quotes are all there
    text = markdown(report)
    assert "## Changed since the last check" in text
    assert "- `html-quote`: <https://lab.example.org/html-quote>" in text
    assert "(changed) |" in text


def test_text_from_the_web_and_the_data_cannot_become_markdown_in_the_report():
    # As text on the page (escaped in its HTML): `x` | <img src=x onerror=alert(1)> ...
    hostile = (
        "`x` | &lt;img src=x onerror=alert(1)&gt; @octocat [a](javascript:alert(1))\n# heading"
    )
    routes = {
        f"{LAB}/quote-changed": Response(body=sourceserver.html(f"<p>{hostile}</p>")),
        f"{CAPTURE}id_/{LAB}/quote-changed": Response(404),
    }
    report, _ = check_with(routes, "quote-changed")
    text = markdown(report)
    line = next(line for line in text.splitlines() if "nearest passage" in line)
    # The passage is one code span on one line, its backticks made quotes.
    passage = line.split("alike): ", 1)[1]
    assert passage.startswith("`") and passage.endswith("`") and passage.count("`") == 2
    assert "<img src=x onerror=alert(1)>" in passage and "'x'" in passage
    assert not any(line.startswith("# heading") for line in text.splitlines())


# --- The command line -----------------------------------------------------------------------


def test_all_is_well_exits_0(tmp_path):
    with serving() as server:
        run = run_scorecard(
            "sources",
            "check",
            "--data",
            DATA,
            "--only",
            "html-quote",
            "pdf-report",
            "--only",
            "latin-1",
            *server.resolve_options(),
        )
    assert run.code == 0, run.err
    assert "3 sources checked (1 archived copy, 3 quotes): all is well." in run.out
    assert "## Needs attention" not in run.out
    assert run.err.rstrip().endswith("3 sources checked: all is well")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--only", "html-qoute"], "no source 'html-qoute'; did you mean 'html-quote'?"),
        (["--resolve", "https://lab.example.org"], "--resolve: expected PREFIX=LOCAL"),
        (["--resolve", "lab.example.org=http://127.0.0.1:1"], "'lab.example.org' must start"),
        (["--timeout", "0"], "expected more than 0 and at most 600"),
        (["--timeout", "soon"], "expected a number of seconds"),
        (["--report", "/nonexistent/folder/report.md"], "--report: the folder of"),
    ],
)
def test_usage_errors_exit_2_before_anything_is_fetched(arguments, message):
    run = run_scorecard("sources", "check", "--data", DATA, *arguments)
    assert run.code == 2
    assert message in run.err


def test_sources_without_an_action_is_a_usage_error():
    run = run_scorecard("sources")
    assert run.code == 2
    assert "check" in run.err or "ACTION" in run.err


def test_invalid_data_exits_1_without_fetching(tmp_path):
    folder = shutil.copytree(DATA, tmp_path / "data")
    (folder / "sources.yaml").write_text("sources: [{id: x}]\n", encoding="utf-8")
    with serving() as server:
        run = run_scorecard("sources", "check", "--data", folder, *server.resolve_options())
        assert server.requests == []
    assert run.code == 1
    assert "the data must be valid before its sources are checked" in run.err


def test_the_help_names_every_option(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["sources", "check", "--help"])
    assert raised.value.code == 0
    out = capsys.readouterr().out
    for option in ("--only", "--timeout", "--report", "--resolve", "--update", "--data"):
        assert option in out


def test_a_loopback_address_stays_refused_in_the_data(tmp_path):
    folder = shutil.copytree(DATA, tmp_path / "data")
    sources = folder / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(
            "https://lab.example.org/html-quote\n", "http://127.0.0.1:8123/html-quote\n", 1
        ),
        encoding="utf-8",
    )
    run = run_scorecard("sources", "check", "--data", folder)
    assert run.code == 1
    assert re.search(r"sources/0/url: the address points at a private, loopback", run.err)


def test_a_source_without_a_public_address_is_not_fetched_and_says_so(tmp_path):
    folder = shutil.copytree(DATA, tmp_path / "data")
    sources = folder / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    address = "    url: https://lab.example.org/latin1\n"
    assert address in text
    note = "    note: Read in a stored copy of the page; no public address is known.\n"
    sources.write_text(
        text.replace(address, "").replace("    kind: news\n", "    kind: news\n" + note, 1),
        encoding="utf-8",
    )
    report, server = check_with(sourceserver.pages(), "latin-1", "html-quote", data=dataset(folder))
    assert [r.source.id for r in report.results] == ["html-quote"]
    assert report.unchecked == ("latin-1",)
    assert not any("latin1" in path for path, _ in server.requests)
    assert "1 source without a public address was not checked: `latin-1`." in markdown(report)
    assert sourcecheck.json_document(report)["unchecked"] == ["latin-1"]
