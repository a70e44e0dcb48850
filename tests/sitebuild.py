"""Building a fixture site once per test session, shared by site, hardening and browser tests."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from generator.cli import main

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"


def build(data: Path, out: Path, date: str = "2024-06-01", config: Path | None = None) -> Path:
    """Run `scorecard build` in-process; fail loudly with its output if it does not succeed."""
    args = ["build", "--data", str(data), "--out", str(out), "--date", date]
    args += ["--config", str(config or ROOT / "mkdocs.yml")]
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            code = main(args)
    finally:
        if previous is not None:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    if code != 0:
        raise AssertionError(f"scorecard build exited {code}:\n{stderr.getvalue()}")
    return out


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, for byte-for-byte comparisons."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
