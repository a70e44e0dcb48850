"""Time how long `scorecard validate` takes to refuse the most expensive files an attacker can
put in a pull request (the issue asks for well under a second each; tests only check that each
limit gives its error, speed is measured here).

Each case is a copy of tests/fixtures/minimal with one or two files replaced by a hostile one of
at most 1 MiB: too many values, too deep, too long, thousands of problems in one file, or many
references that each ask for a "did you mean" suggestion. Prints, slowest first, the best of N
runs of `validate_folder` on the whole folder, the number of problems and the first one.

    .venv/bin/python bench/bench_hostile.py [--runs 3] [--only NAME] [--max-seconds 1]

With --max-seconds, exits 1 when any case takes longer (for a manual check; CI does not run it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_STRING_CHARS
from generator.validate import validate_folder

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
DATE = dt.date(2024, 6, 1)
LAB = (MINIMAL / "labs" / "lab-b.yaml").read_text(encoding="utf-8")
SOURCES = (MINIMAL / "sources.yaml").read_text(encoding="utf-8")


def fill(unit: str, head: str = "", tail: str = "", limit: int = MAX_FILE_BYTES) -> str:
    """`head`, then `unit` repeated as often as fits in `limit` bytes with `tail`."""
    room = limit - len((head + tail).encode())
    return head + unit * (room // len(unit.encode())) + tail


def assessments(count: int, key: Callable[[int], str], body: str) -> str:
    entries = "".join(f"  {key(i)}: {body}\n" for i in range(count))
    return LAB.replace("assessments:\n", "assessments:\n" + entries)


def many_references(count: int) -> dict[str, str]:
    """Thousands of sources, and a lab citing as many ids that are close to none of them: each
    unknown id is compared with every known one for a suggestion."""
    sources = "sources:\n" + "".join(
        f"  - {{id: s{i}, title: t, publisher: p, url: 'https://example.org/{i}', "
        f"accessed: 2024-01-01, kind: news}}\n"
        for i in range(3000)
    )
    evidence = ", ".join(f"{{source: unknown-{i}}}" for i in range(50))
    history = ", ".join(
        f"{{level: none, as_of: 2020-01-{1 + i % 28:02d}, summary: x, evidence: [{evidence}]}}"
        for i in range(1)
    )
    lab = LAB.replace(
        "evidence: [{source: news-b}]",
        f"evidence: [{evidence}]\n    history: [{history}]",
    )
    return {"sources.yaml": sources, "labs/lab-b.yaml": lab}


CASES: dict[str, Callable[[], dict[str, str | bytes]]] = {
    "1 MiB flow list (500,000 values)": lambda: {"labs/lab-b.yaml": fill("a,", "x: [", "]\n")},
    "1 MiB block list (250,000 values)": lambda: {"labs/lab-b.yaml": fill("- a\n", "x:\n")},
    "1 MiB of '[' (nesting)": lambda: {"labs/lab-b.yaml": fill("[", "x: ", "\n")},
    "1 MiB of '{a: ' (nesting)": lambda: {"labs/lab-b.yaml": fill("{a: ", "x: ", "\n")},
    f"block mappings {MAX_DEPTH + 8} deep": lambda: {
        "labs/lab-b.yaml": "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 8))
    },
    "1 MiB single string": lambda: {"labs/lab-b.yaml": fill("x", "name: ", "\n")},
    "1 MiB of escapes in one quoted string": lambda: {
        "labs/lab-b.yaml": fill("\\t", 'name: "', '"\n')
    },
    f"100 strings of {MAX_STRING_CHARS:,} characters": lambda: {
        "labs/lab-b.yaml": LAB + "".join(f"k{i}: {'x' * MAX_STRING_CHARS}\n" for i in range(100))
    },
    "1 MiB of control characters": lambda: {"labs/lab-b.yaml": fill("\x01", "name: ")},
    "1 MiB, not UTF-8 in the last byte": lambda: {
        "labs/lab-b.yaml": fill("#", "", "", MAX_FILE_BYTES - 1).encode() + b"\xff"
    },
    "alias bomb (9 levels of 9)": lambda: {
        "labs/lab-b.yaml": "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    },
    f"{MAX_NODES // 4:,} anchors": lambda: {
        "labs/lab-b.yaml": "".join(f"k{i}: &a{i} v\n" for i in range(MAX_NODES // 4))
    },
    f"{MAX_NODES // 2 - 100:,} duplicate keys": lambda: {
        "labs/lab-b.yaml": LAB + "name: x\n" * (MAX_NODES // 2 - 100)
    },
    f"{MAX_NODES // 2 - 100:,} unknown fields": lambda: {
        "labs/lab-b.yaml": LAB + "".join(f"k{i}: v\n" for i in range(MAX_NODES // 2 - 100))
    },
    f"{MAX_NODES // 2 - 100:,} assessment keys that are not ids": lambda: {
        "labs/lab-b.yaml": assessments(MAX_NODES // 2 - 100, lambda i: f"C{i}", "x")
    },
    "8,000 assessments of unknown criteria": lambda: {
        "labs/lab-b.yaml": assessments(
            8000, lambda i: f"c{i}", "{level: none, as_of: 2024-01-01, summary: x}"
        )
    },
    "50 unknown sources among 3,000": lambda: many_references(3000),
    "5,000 lab files": lambda: {
        f"labs/lab-{i}.yaml": LAB.replace("source: news-b", "source: news-c") for i in range(5000)
    },
}


def make_folder(root: Path, files: dict[str, str | bytes]) -> Path:
    data = root / "data"
    shutil.copytree(MINIMAL, data)
    for relative, content in files.items():
        path = data / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="run the cases whose name contains this text")
    parser.add_argument("--max-seconds", type=float, help="exit 1 if any case is slower")
    args = parser.parse_args()
    results = []
    for name, build in CASES.items():
        if args.only and args.only not in name:
            continue
        with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
            data = make_folder(Path(tmp), build())
            size = max(p.stat().st_size for p in data.rglob("*.yaml"))
            best = float("inf")
            for _ in range(args.runs):
                started = time.perf_counter()
                result = validate_folder(data, latest=DATE, reference=DATE)
                best = min(best, time.perf_counter() - started)
            errors = result.errors
            first = errors[0].format().split(": error: ", 1)[-1][:70] if errors else "(valid!)"
            results.append((best, name, size, len(errors), first))
    print(f"{'seconds':>8}  {'largest file':>12}  {'errors':>6}  case: first error")
    for best, name, size, count, first in sorted(results, reverse=True):
        print(f"{best:8.3f}  {size:12,}  {count:6,}  {name}: {first}")
    slowest = max(results)[0] if results else 0.0
    print(f"slowest: {slowest:.3f} s")
    if args.max_seconds is not None and slowest > args.max_seconds:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
