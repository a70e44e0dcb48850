"""The package as a user installs it: a wheel built from the sources, installed into a fresh
virtual environment outside the checkout, runs validate, scores and build on a copy of the data.

Offline: the fresh environment reaches the dependencies through a .pth file naming the test
environment's site-packages (whose editable-install hook is not run from there), and the wheel
is built without build isolation by the pinned setuptools.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin` folder of a fresh environment with only the wheel installed into it."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = root / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
        "-w", wheels, source, cwd=root)
    (wheel,) = wheels.glob("scorecard-*.whl")
    venv = root / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=root)
    python = venv / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root)
    deps = Path(sysconfig.get_paths()["purelib"])
    (Path(purelib.stdout.strip()) / "scorecard-test-deps.pth").write_text(f"{deps}\n")
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=root)
    return venv / "bin"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled data and the site configuration, outside any checkout."""
    folder = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


def test_the_wheel_carries_the_package_not_the_checkout(installed: Path, project: Path) -> None:
    where = run(installed / "python", "-c", "import generator; print(generator.__file__)", cwd=project)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)


def test_the_installed_tool_validates_scores_and_builds(installed: Path, project: Path) -> None:
    scorecard = installed / "scorecard"
    checked = run(scorecard, "validate", "--data", "data", cwd=project)
    assert ": valid: " in checked.stdout
    scores = json.loads(run(scorecard, "scores", "--format", "json", cwd=project).stdout)
    assert len(scores["labs"]) >= 5
    run(scorecard, "build", "--out", "site", cwd=project)
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "schema" / "lab.schema.json").is_file()
    assert (project / "site" / "assets" / "javascripts" / "charts.js").is_file()
