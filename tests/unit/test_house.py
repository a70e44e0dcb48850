"""The house rules of STYLE.md, checked: the import contract, the command layer's lightness,
and a wheel that installs and works outside the checkout."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support import FIXTURES, ROOT

PACKAGE = ROOT / "generator"


def test_the_import_contract_holds() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _layer_modules() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return {name.strip() for layer in contract["layers"] for name in layer.split("|")}


def test_every_module_of_the_package_has_its_layer() -> None:
    # A module in no layer would escape the contract: nothing would stop it importing anything.
    modules = {
        path.relative_to(PACKAGE).with_suffix("").parts[0]
        for path in PACKAGE.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py") or path.parent != PACKAGE
    }
    assert modules == _layer_modules()


def test_no_module_imports_inside_a_function_to_dodge_a_circle() -> None:
    # Imports belong at the top of a module: the command table keeps the light commands light.
    allowed: set[tuple[str, str]] = set()
    found = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        found.add((path.relative_to(PACKAGE).as_posix(), node.name))
    assert found <= allowed, sorted(found - allowed)


@pytest.mark.parametrize("command", ["validate", "scores"])
def test_validate_and_scores_load_no_site_dependency(command: str) -> None:
    script = (
        "import json, sys\n"
        "from generator.cli import main\n"
        f"code = main([{command!r}, '--data', {str(FIXTURES / 'minimal')!r}, "
        "'--date', '2024-06-01'])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    code, modules = json.loads(result.stdout.splitlines()[-1])
    assert code == 0
    heavy = {"mkdocs", "jinja2", "plotly", "http.server", "watchdog", "generator.site"}
    assert not heavy & {m for m in modules if m in heavy or m.split(".")[0] in heavy}
