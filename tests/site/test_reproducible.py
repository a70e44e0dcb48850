"""Reproducible builds (SPEC 8): the same checkout builds byte-identical output regardless of where
it is checked out, the hash seed, the time zone, the locale and the umask.

Two copies of the project (the generator, schemas, hand-written pages, site configuration and
the bundled data) are committed as identical git histories in two unrelated folders, and each
is built by `python -m generator build` in a fresh interpreter with its own environment. Every
output file must match byte for byte, with the same permissions.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support import ROOT

# What a checkout needs to build the site (tests and tooling are not part of the output).
CHECKOUT = ("generator", "schema", "docs", "data", "mkdocs.yml", "pyproject.toml")
# A fixed commit: identical trees, author, committer and dates give identical commit ids.
COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "Scorecard contributors",
    "GIT_AUTHOR_EMAIL": "contributors@example.org",
    "GIT_COMMITTER_NAME": "Scorecard contributors",
    "GIT_COMMITTER_EMAIL": "contributors@example.org",
    "GIT_AUTHOR_DATE": "2026-01-15T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-15T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
# The two builds differ in everything that must not matter.
ENVIRONMENTS = (
    {"PYTHONHASHSEED": "0", "TZ": "UTC", "LANG": "C", "LC_ALL": "C", "umask": 0o022},
    {
        "PYTHONHASHSEED": "4242",
        "TZ": "Pacific/Kiritimati",  # UTC+14: another calendar day than UTC for part of it
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "umask": 0o077,
    },
)


def checkout(destination: Path) -> Path:
    """A copy of the project at `destination`, committed as the fixed commit."""
    destination.mkdir(parents=True)
    for name in CHECKOUT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / name)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(destination), **COMMIT_ENV}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=destination, env=env, check=True, capture_output=True)

    git("init", "--quiet")
    git("add", "--all")
    git("commit", "--quiet", "--no-gpg-sign", "--message", "Data as published")
    return destination


def build(project: Path, settings: dict) -> Path:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(project),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **{k: v for k, v in settings.items() if k != "umask"},
    }
    umask = settings["umask"]
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--out", "site"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=lambda: os.umask(umask),  # before exec; the test starts no threads
    )
    assert result.returncode == 0, result.stderr
    return project / "site"


def files(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        path.relative_to(root).as_posix(): (stat.S_IMODE(path.stat().st_mode), path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_two_checkouts_build_byte_identical_sites_whatever_the_environment(tmp_path):
    first = checkout(tmp_path / "a" / "scorecard")
    second = checkout(tmp_path / "elsewhere" / "with a space" / "checkout")
    sites = [build(first, ENVIRONMENTS[0]), build(second, ENVIRONMENTS[1])]
    one, two = files(sites[0]), files(sites[1])
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert not different, f"these files differ between the two builds: {different[:20]}"
    assert len(one) > 50
    assert {mode for mode, _ in one.values()} == {0o644}
    # Nothing in the output names the folder it was built in.
    for name, (_mode, content) in one.items():
        assert str(first).encode() not in content, name
