"""The project's files outside the Python package: CI workflows, Dependabot, contributor
templates, citation, licences, editor and pre-commit settings. Everything here runs offline:
zizmor and check-jsonschema (with its vendored schemas) come from the pinned environment."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.support import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))

FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"^\s+# v\d+\.\d+\.\d+$")
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")
CHECKOUT = "actions/checkout"


def tool(name: str) -> str:
    """A console script of the environment running the tests (pinned in requirements.txt)."""
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    assert found, f"{name} is not installed; it is pinned in requirements.txt"
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on or {})


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job["steps"]]


def with_dates_as_strings(value: Any) -> Any:
    """What the project's loader does: dates stay the strings they were written as."""
    if isinstance(value, dict):
        return {key: with_dates_as_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_dates_as_strings(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def schema_validator(name: str, folder: Path = ROOT / "schema") -> jsonschema.Draft202012Validator:
    schema = json.loads((folder / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def errors_of(name: str, document: Any, folder: Path = ROOT / "schema") -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in schema_validator(name, folder).iter_errors(with_dates_as_strings(document))
    ]


def assert_builtin_schema_accepts(schema: str, *paths: Path) -> None:
    assert paths, f"no files to check against {schema}"
    result = run(tool("check-jsonschema"), "--builtin-schema", schema, *map(str, paths))
    assert result.returncode == 0, result.stdout + result.stderr


# --- Workflows ------------------------------------------------------------------------------


def test_there_are_workflows_for_pull_requests_pages_and_the_weekly_source_check():
    events = {path.name: set(triggers(load_yaml(path))) for path in WORKFLOWS}
    assert any("pull_request" in on for on in events.values())
    assert any({"push", "workflow_dispatch"} <= on for on in events.values())
    assert any("schedule" in on for on in events.values())


def test_zizmor_finds_nothing_in_the_workflows_dependabot_or_pre_commit_config():
    result = run(
        tool("zizmor"),
        "--offline",
        "--no-progress",
        "--format=json",
        ".github",
        ".pre-commit-config.yaml",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []
    audited = set(re.findall(r"completed (\S+)", result.stderr))
    expected = {p.relative_to(ROOT).as_posix() for p in WORKFLOWS}
    expected |= {".github/dependabot.yml", ".pre-commit-config.yaml"}
    assert expected <= audited, f"zizmor did not audit {sorted(expected - audited)}"


def test_workflows_match_the_github_workflow_schema():
    assert_builtin_schema_accepts("vendor.github-workflows", *WORKFLOWS)


def test_every_job_has_a_timeout():
    assert_builtin_schema_accepts("custom.github-workflows-require-timeout", *WORKFLOWS)
    for path in WORKFLOWS:
        for job_id, job in load_yaml(path)["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: {job_id}"


COMMENT_WORKFLOW = GITHUB / "workflows" / "score-diff-comment.yml"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_runs_with_a_write_token_on_someone_elses_code(path):
    on = set(triggers(load_yaml(path)))
    assert "pull_request_target" not in on
    # workflow_run (a write token, for a run that may have tested a fork) only for the comment.
    assert "workflow_run" not in on or path == COMMENT_WORKFLOW


def test_the_comment_workflow_never_checks_out_or_runs_the_pull_requests_code():
    workflow = load_yaml(COMMENT_WORKFLOW)
    assert triggers(workflow)["workflow_run"] == {"workflows": ["Check"], "types": ["completed"]}
    (job,) = workflow["jobs"].values()
    assert job["if"] == "github.event.workflow_run.event == 'pull_request'"
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    text = COMMENT_WORKFLOW.read_text(encoding="utf-8")
    assert "head_sha" not in text and "head_branch" not in text and "ref:" not in text
    (checkout, script) = job["steps"]
    assert checkout["uses"].startswith(f"{CHECKOUT}@")
    assert set(checkout["with"]) == {"persist-credentials", "sparse-checkout"}  # no `ref`
    assert script["run"] == "python3 .github/scripts/post_score_diff.py"
    assert script["env"] == {"GH_TOKEN": "${{ github.token }}"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_grants_nothing_by_default(path):
    assert load_yaml(path).get("permissions") == {}


def test_only_the_deploy_the_source_check_issue_and_the_comment_jobs_can_write():
    writes = {
        (path.name, job_id, scope)
        for path in WORKFLOWS
        for job_id, job in load_yaml(path)["jobs"].items()
        for scope, access in (job.get("permissions") or {}).items()
        if access != "read"
    }
    assert writes == {
        ("pages.yml", "deploy", "pages"),
        ("pages.yml", "deploy", "id-token"),
        ("links.yml", "issue", "issues"),
        ("score-diff-comment.yml", "comment", "pull-requests"),
    }


def test_every_checkout_leaves_no_credentials_behind():
    checkouts = [
        (path.name, job_id, step)
        for path in WORKFLOWS
        for job_id, step in steps(load_yaml(path))
        if step.get("uses", "").startswith(f"{CHECKOUT}@")
    ]
    assert checkouts
    for name, job_id, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, f"{name}: {job_id}"


def test_no_script_expands_an_expression_since_event_data_must_come_through_env():
    for path in WORKFLOWS:
        for job_id, step in steps(load_yaml(path)):
            assert "${{" not in step.get("run", ""), f"{path.name}: {job_id}: {step.get('name')}"


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_in_a_comment():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if match := USES_LINE.match(line):
                where = f"{path.name}:{number}"
                assert FULL_SHA.match(match["ref"]), f"{where}: {match['ref']} is not a full SHA"
                assert VERSION_COMMENT.match(match["rest"]), f"{where}: no '# vX.Y.Z' comment"
                pins.setdefault(match["action"], set()).add(match["ref"] + match["rest"].strip())
    assert pins
    for action, versions in pins.items():
        assert len(versions) == 1, f"{action} is pinned differently in different places"


def test_the_check_validates_builds_and_diffs_before_the_tests_even_when_a_step_fails():
    (path,) = [p for p in WORKFLOWS if "pull_request" in triggers(load_yaml(p))]
    workflow = load_yaml(path)
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    all_steps = [step for _, step in steps(workflow)]
    runs = [step.get("run", "") for step in all_steps]

    def position(command: str) -> int:
        (index,) = [i for i, script in enumerate(runs) if command in script]
        return index

    order = [position(c) for c in ("scorecard validate", "scorecard build --out site")]
    order += [position(c) for c in ("scorecard diff", "ruff check", "pytest")]
    assert order == sorted(order), "validate, build, score diff, lint, then the tests"
    validate = position("scorecard validate")
    for step in all_steps[validate + 1 :]:
        assert step.get("if", "").startswith("${{ !cancelled()"), step["name"]
    (diff,) = [step for step in all_steps if "scorecard diff" in step.get("run", "")]
    assert "$GITHUB_STEP_SUMMARY" in diff["run"]
    assert diff["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    changed = "${{ github.event.pull_request.base.sha }}"
    assert all_steps[validate]["env"]["SCORECARD_CHANGED_BASE"] == changed
    (checkout,) = [s for s in all_steps if s.get("uses", "").startswith(f"{CHECKOUT}@")]
    assert checkout["with"]["fetch-depth"] == 0, "the score diff needs the base commit"
    uploads = {
        s["with"]["name"]: s["with"]["path"]
        for s in all_steps
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploads == {"score-diff": "${{ runner.temp }}/score-diff/", "site": "site/"}
    assert "score-diff.md" in diff["run"] and "$RUNNER_TEMP/score-diff" in diff["run"]


def test_pages_deploys_one_run_at_a_time_without_cancelling_a_deployment():
    workflow = load_yaml(GITHUB / "workflows" / "pages.yml")
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert set(triggers(workflow)) == {"push", "workflow_dispatch"}
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    used = [step.get("uses", "").split("@")[0] for _, step in steps(workflow)]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(used)


def test_the_source_check_runs_weekly_and_never_on_pull_requests():
    workflow = load_yaml(GITHUB / "workflows" / "links.yml")
    assert set(triggers(workflow)) == {"schedule", "workflow_dispatch"}
    (check,) = [s for _, s in steps(workflow) if "scorecard sources check" in s.get("run", "")]
    assert "--report" in check["run"]
    assert "$GITHUB_STEP_SUMMARY" in check["run"]
    assert not check.get("continue-on-error"), "exit 1 (drift) is handled in the script"


def test_the_page_fetching_job_reads_only_and_the_issue_job_only_writes_issues_on_schedule():
    jobs = load_yaml(GITHUB / "workflows" / "links.yml")["jobs"]
    assert jobs["check"]["permissions"] == {"contents": "read"}
    issue = jobs["issue"]
    assert issue["permissions"] == {"issues": "write"}
    assert issue["if"] == "github.event_name == 'schedule'"
    assert issue["needs"] == "check"
    # It runs no code of the repository, and reads the report through the environment.
    assert not [s for s in issue["steps"] if "uses" in s]
    assert issue["env"]["REPORT"] == "${{ needs.check.outputs.report }}"
    (script,) = [s["run"] for s in issue["steps"]]
    for command in ("gh issue list --label source-check", "gh issue edit", "gh issue create"):
        assert command in script


# --- Dependabot -----------------------------------------------------------------------------


def test_dependabot_matches_its_schema():
    assert_builtin_schema_accepts("vendor.dependabot", GITHUB / "dependabot.yml")


def test_dependabot_updates_actions_and_pip_pins_after_a_cooldown():
    updates = load_yaml(GITHUB / "dependabot.yml")["updates"]
    assert {update["package-ecosystem"] for update in updates} == {"github-actions", "pip"}
    for update in updates:
        assert update["cooldown"]["default-days"] >= 3, update["package-ecosystem"]


# --- Contributor documents ------------------------------------------------------------------


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", markdown, re.S | re.M)


def contributing_block(key: str) -> str:
    """The one YAML example in CONTRIBUTING.md whose document has the top-level `key`."""
    blocks = yaml_blocks((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    [block] = [b for b in blocks if key in (yaml.safe_load(b) or {})]
    return block


def test_the_lab_template_in_contributing_is_a_valid_lab_file():
    lab = contributing_block("assessments")
    assert lab.splitlines()[0] == "# yaml-language-server: $schema=../../schema/lab.schema.json"
    document = yaml.safe_load(lab)
    # The template shows a few criteria, not all: it is checked against the package's schema of
    # the format; that its criteria and levels are the rubric's is checked below.
    assert errors_of("lab", document, ROOT / "generator" / "schema") == []
    levels = {assessment["level"] for assessment in document["assessments"].values()}
    assert {"no-disclosure", "not-applicable"} <= levels
    evidence_fields = {
        field
        for assessment in document["assessments"].values()
        for item in assessment.get("evidence", [])
        for field in item
    }
    assert evidence_fields == {"source", "quote", "locator", "note", "status", "via"}
    assert any(assessment.get("history") for assessment in document["assessments"].values())
    assert [model["frontier"] for model in document["models"]] == [True, True]


def test_the_lab_template_uses_criteria_and_levels_of_the_rubric():
    lab = contributing_block("assessments")
    rubric = load_yaml(ROOT / "data" / "rubric.yaml")
    levels_of = {
        criterion["id"]: {level["id"] for level in criterion["levels"]}
        | {"no-disclosure", "not-applicable"}
        for category in rubric["categories"]
        for criterion in category["criteria"]
    }
    for criterion, assessment in yaml.safe_load(lab)["assessments"].items():
        assert criterion in levels_of, f"{criterion} is not a criterion of the rubric"
        for state in [assessment, *assessment.get("history", [])]:
            assert state["level"] in levels_of[criterion], f"{criterion}: {state['level']}"


def test_the_sources_example_in_contributing_is_valid():
    sources = contributing_block("sources")
    assert errors_of("sources", yaml.safe_load(sources)) == []


def test_the_access_log_example_in_contributing_is_valid():
    events = contributing_block("evaluations")
    document = with_dates_as_strings(yaml.safe_load(events))
    assert errors_of("evaluations", document) == []
    [event] = document["evaluations"]
    assert {"stage", "window", "access", "terms", "risk_domains"} <= set(event)


def test_the_corrections_example_in_contributing_is_valid():
    document = with_dates_as_strings(yaml.safe_load(contributing_block("corrections")))
    assert errors_of("corrections", document) == []
    [correction] = document["corrections"]
    assert {"was", "now", "requested_by", "sources", "link"} <= set(correction)


def test_contributing_explains_every_source_kind_the_schema_allows():
    schema = json.loads((ROOT / "schema" / "sources.schema.json").read_text(encoding="utf-8"))
    kinds = schema["properties"]["sources"]["items"]["properties"]["kind"]["enum"]
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for kind in kinds:
        assert f"| `{kind}` |" in text


def test_contributing_shows_the_commands_a_contributor_needs():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for command in ("scorecard new-lab", "make test", ".venv/bin/scorecard validate", "diff"):
        assert command in text


def test_the_pull_request_template_asks_for_sources_and_conflicts_of_interest():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## Sources" in text
    assert "## Conflict of interest" in text


def test_issue_forms_match_their_schema():
    assert_builtin_schema_accepts("vendor.github-issue-forms", *ISSUE_FORMS)


def test_a_correction_cannot_be_filed_without_sources():
    form = load_yaml(GITHUB / "ISSUE_TEMPLATE" / "correction.yml")
    fields = {item.get("id"): item for item in form["body"]}
    assert fields["sources"]["validations"]["required"] is True
    assert fields["affiliation"]["validations"]["required"] is True


def test_there_is_an_issue_form_for_a_new_lab():
    form = load_yaml(GITHUB / "ISSUE_TEMPLATE" / "new-lab.yml")
    assert {item.get("id") for item in form["body"]} >= {"name", "website", "affiliation"}


def test_code_owners_review_the_schema_generator_ci_and_rubric():
    owned = {}
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            owned[pattern] = owners
    for pattern in ("/schema/", "/generator/", "/.github/", "/data/rubric.yaml"):
        assert owned.get(pattern), pattern


# --- Citation and licences ------------------------------------------------------------------


def test_citation_file_matches_the_citation_file_format_schema():
    assert_builtin_schema_accepts("vendor.citation-file-format", ROOT / "CITATION.cff")


def test_the_preferred_citation_is_the_dataset_at_the_packages_version_and_a_date():
    citation = load_yaml(ROOT / "CITATION.cff")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    preferred = citation["preferred-citation"]
    assert preferred["type"] == "data"
    assert preferred["license"] == "CC-BY-4.0"
    assert str(preferred["version"]) == str(citation["version"]) == project["version"]
    datetime.date.fromisoformat(str(preferred["date-released"]))


def test_the_code_is_mit_licensed_to_the_scorecard_contributors():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} The Scorecard contributors$", text, re.M)
    assert "Permission is hereby granted, free of charge" in text


def test_the_data_licence_names_cc_by_4_0_with_its_canonical_address():
    text = (ROOT / "data" / "LICENSE").read_text(encoding="utf-8")
    assert "https://creativecommons.org/licenses/by/4.0/" in text
    assert "CC BY 4.0" in text


# --- Editor support -------------------------------------------------------------------------


def vscode_schema_map() -> dict[str, list[str]]:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    return settings["yaml.schemas"]


def test_vscode_recommends_the_yaml_extension():
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_vscode_maps_every_published_schema_onto_data_files():
    mapped = {(ROOT / schema).resolve() for schema in vscode_schema_map()}
    published = {path.resolve() for path in (ROOT / "schema").glob("*.schema.json")}
    assert mapped == published
    for globs in vscode_schema_map().values():
        assert globs and all(glob.startswith("data/") or glob == "editions.yaml" for glob in globs)


def test_every_data_file_names_its_schema_in_a_modeline_that_agrees_with_vscode():
    schema_for = {(ROOT / schema).resolve(): globs for schema, globs in vscode_schema_map().items()}
    data_files = sorted((ROOT / "data").glob("*.yaml")) + sorted((ROOT / "data").glob("*/*.yaml"))
    for path in data_files:
        first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = MODELINE.match(first_line)
        name = path.relative_to(ROOT).as_posix()
        assert match, f"{name} does not start with a schema modeline"
        schema = (path.parent / match["path"]).resolve()
        assert schema.exists(), f"{name}: {match['path']} does not exist"
        assert any(path.relative_to(ROOT).match(glob) for glob in schema_for.get(schema, [])), (
            f"{name}: its modeline and .vscode/settings.json name different schemas"
        )


def test_pre_commit_hooks_are_local_and_need_no_network():
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = config["repos"][0]["hooks"]
    assert all(hook["language"] == "system" for hook in hooks)
    entries = " ".join(hook["entry"] for hook in hooks)
    assert "scorecard validate" in entries
    assert "ruff check" in entries
