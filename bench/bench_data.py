"""Benchmark the data stage against libyaml's own parse time, in the same run.

Generates a synthetic, deterministic dataset (by default 200 labs × 40 criteria × 2 evidence items
with quotes) in a temporary folder, then times, best of N:

  floor   read every file and `yaml.load(text, Loader=yaml.CSafeLoader)` (also `yaml.compose`)
  ours    `validate_folder` + `score_dataset` + `export.to_json`, in-process

and prints the ratio ours / floor. Target: within 1.3x. Usage (see bench/README.md):

    .venv/bin/python bench/bench_data.py [--labs 200] [--criteria 40] [--runs 5] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import export  # noqa: E402
from generator.score import score_dataset  # noqa: E402
from generator.validate import validate_folder  # noqa: E402

REFERENCE = dt.date(2024, 6, 1)
CATEGORIES = 5
EVIDENCE_PER_ASSESSMENT = 2
VOCABULARY = (
    "the lab model evaluator access external testing before release safety framework report "
    "government institute red team results published weights fine-tuning filters commitments "
    "independent pre-deployment capability dangerous system card partners days weeks agreed "
    "shared version checkpoint findings summary R&D policy threshold mitigations review"
)
WORDS = VOCABULARY.split()


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def yaml_text(text: str) -> str:
    """Text as a contributor would write it: plain when YAML allows, else single-quoted."""
    return "'" + text.replace("'", "''") + "'" if ":" in text or "#" in text else text


def generate(folder: Path, labs: int, criteria: int, seed: int = 2024) -> int:
    """Write the synthetic dataset; returns its size in bytes."""
    rng = random.Random(seed)
    (folder / "labs").mkdir(parents=True)
    per_category = criteria // CATEGORIES
    criterion_ids = [f"criterion-{i:02d}" for i in range(criteria)]
    rubric = [
        'title: Benchmark Scorecard\nversion: "1.0"\n',
        "grades:\n  - {grade: A, min: 80}\n  - {grade: B, min: 60}\n  - {grade: F, min: 0}\n",
        "stale_after_days: 540\ncategories:\n",
    ]
    for c in range(CATEGORIES):
        rubric.append(
            f"  - id: category-{c}\n    title: Category {c}\n    weight: {rng.randint(10, 40)}\n"
            f"    description: {sentence(rng, 8, 14)}\n    criteria:\n"
        )
        for criterion_id in criterion_ids[c * per_category : (c + 1) * per_category]:
            rubric.append(
                f"      - id: {criterion_id}\n        title: {criterion_id.title()}\n"
                f"        question: {sentence(rng, 8, 14)[:-1]}?\n"
                f"        why: {sentence(rng, 20, 40)}\n"
                f"        weight: {rng.randint(1, 3)}\n        levels:\n"
                + "".join(
                    f"          - {{id: {level}, label: {level.title()}, points: {points},"
                    f" description: {sentence(rng, 8, 20)}}}\n"
                    for level, points in (("full", 1), ("partial", 0.5), ("none", 0))
                )
            )
    (folder / "rubric.yaml").write_text("".join(rubric), encoding="utf-8")

    source_ids = [f"source-{i:04d}" for i in range(labs * 2)]
    sources = ["sources:\n"]
    for source_id in source_ids:
        sources.append(
            f"  - id: {source_id}\n    title: {sentence(rng, 4, 9)}\n    publisher: Publisher\n"
            f"    url: https://example.org/{source_id}\n    published: 2024-0{rng.randint(1, 4)}\n"
            f"    accessed: 2024-05-{rng.randint(10, 28)}\n    kind: lab-document\n"
        )
    (folder / "sources.yaml").write_text("".join(sources), encoding="utf-8")
    (folder / "evaluators.yaml").write_text(
        "evaluators:\n" + "".join(
            f"  - {{id: evaluator-{i}, name: Evaluator {i}, kind: nonprofit}}\n" for i in range(10)
        ),
        encoding="utf-8",
    )  # fmt: skip

    slugs = [f"lab-{i:03d}" for i in range(labs)]
    evaluations = ["evaluations:\n"]
    for i, slug in enumerate(slugs):
        for e in range(2):
            evaluations.append(
                f"  - lab: {slug}\n    model: Model {e}\n    evaluator: evaluator-{(i + e) % 10}\n"
                f"    released: 2024-0{rng.randint(1, 5)}-1{rng.randint(0, 9)}\n"
                f"    pre_deployment: {rng.choice(['true', 'false', 'unknown'])}\n"
                "    access: {final_model: true, no_safety_filters: unknown}\n"
                f"    publication: lab-summary\n    evidence: [{{source: {source_ids[2 * i]}}}]\n"
            )
    (folder / "evaluations.yaml").write_text("".join(evaluations), encoding="utf-8")

    for i, slug in enumerate(slugs):
        own_sources = source_ids[2 * i : 2 * i + 2]
        lines = [
            "# yaml-language-server: $schema=../../schema/lab.schema.json\n",
            f"name: Lab {i}\nwebsite: https://lab-{i}.example.org\n",
            f"description: {sentence(rng, 10, 20)}\nassessments:\n",
        ]
        for criterion_id in criterion_ids:
            level = rng.choice(["full", "partial", "none", "partial"])
            lines.append(
                f"  {criterion_id}:\n    level: {level}\n"
                f"    as_of: 2024-0{rng.randint(1, 5)}-{rng.randint(10, 28)}\n"
                f"    summary: >-\n      {sentence(rng, 15, 25)}\n      {sentence(rng, 15, 25)}\n"
                "    evidence:\n"
            )
            for e in range(EVIDENCE_PER_ASSESSMENT):
                lines.append(
                    f"      - source: {own_sources[e]}\n"
                    f"        quote: {yaml_text(sentence(rng, 12, 30))}\n"
                    f"        locator: p. {rng.randint(1, 120)}\n"
                )
        (folder / "labs" / f"{slug}.yaml").write_text("".join(lines), encoding="utf-8")
    return sum(path.stat().st_size for path in folder.rglob("*.yaml"))


def files_of(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) + sorted((folder / "labs").glob("*.yaml"))


def floor_load(folder: Path) -> None:
    for path in files_of(folder):
        yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)


def floor_compose(folder: Path) -> None:
    for path in files_of(folder):
        yaml.compose(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)


def validate(folder: Path):
    result = validate_folder(folder, latest=REFERENCE, reference=REFERENCE)
    assert result.dataset is not None, [p.format() for p in result.errors[:5]]
    return result


def ours(folder: Path) -> str:
    result = validate(folder)
    return export.to_json(score_dataset(result.dataset, result.reference_date))


def ours_table(folder: Path) -> str:
    """What `scorecard validate` + `scorecard scores` (its default table) do, without printing."""
    result = validate(folder)
    return export.to_table(score_dataset(result.dataset, result.reference_date))


def best_of(runs: int, actions: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The fastest of `runs` timings of each action, in CPU seconds of this process.

    CPU time rather than wall-clock time, and the actions taken in turns, so that other work on
    a shared machine slows neither side of the ratio more than the other (on an idle machine the
    two clocks agree for this single-threaded code).
    """
    best = dict.fromkeys(actions, float("inf"))
    for _ in range(runs):
        for name, action in actions.items():
            gc.collect()
            start = time.process_time()
            action()
            best[name] = min(best[name], time.process_time() - start)
    return best


def parts(folder: Path, runs: int) -> dict[str, float]:
    """The stages of ours, each timed on its own from the previous stage's result."""
    times = best_of(runs, {"validate": lambda: validate(folder)})
    dataset = validate(folder).dataset
    times |= best_of(runs, {"score": lambda: score_dataset(dataset, REFERENCE)})
    card = score_dataset(dataset, REFERENCE)
    return times | best_of(runs, {"json": lambda: export.to_json(card)})


# The floor as a whole process: start Python, import PyYAML, parse every file with libyaml.
FLOOR_PROCESS = (
    "import sys, pathlib, yaml\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    yaml.load(p.read_bytes().decode('utf-8'), Loader=yaml.CSafeLoader)\n"
)


def processes(folder: Path, rounds: int) -> dict[str, list[float]]:
    """CPU seconds (user + system) of whole processes: the floor and each command, in turns,
    `rounds` times, as a contributor runs them (`python -m generator` is `scorecard`)."""
    date = REFERENCE.isoformat()
    command = [sys.executable, "-m", "generator"]
    commands = {
        "floor": [sys.executable, "-c", FLOOR_PROCESS, str(folder)],
        "validate": [*command, "validate", "--data", str(folder), "--date", date],
        "scores": [*command, "scores", "--data", str(folder), "--date", date],
        "scores --format json": [
            *command,
            "scores",
            "--format",
            "json",
            "--data",
            str(folder),
            "--date",
            date,
        ],
    }
    # Compiled bytecode is written as a user's machine writes it: the first run pays, not each.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(rounds + 1):  # the first round warms up and is not counted
        for name, args in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if round_:
                times[name].append(cpu)
    return times


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labs", type=int, default=200)
    parser.add_argument("--criteria", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5, help="best of this many runs")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of ours")
    parser.add_argument(
        "--rounds", type=int, default=9, help="rounds of whole-process runs (0: none)"
    )
    args = parser.parse_args(argv)
    if not hasattr(yaml, "CSafeLoader"):
        print("libyaml is not installed: PyYAML has no CSafeLoader", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as temp:
        folder = Path(temp) / "data"
        size = generate(folder, args.labs, args.criteria)
        count = len(files_of(folder))
        ours(folder)  # warm up: compile the schemas, import everything, fill the page cache
        floor_load(folder)
        # Nothing else is kept alive while the floor and ours are timed: live objects make the
        # cycle collector slower for whichever runs next.
        times = best_of(
            args.runs,
            {
                "load": lambda: floor_load(folder),
                "compose": lambda: floor_compose(folder),
                "ours": lambda: ours(folder),
                "ours_table": lambda: ours_table(folder),
            },
        )
        times |= parts(folder, args.runs)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(ours, folder)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        whole = processes(folder, args.rounds) if args.rounds else {}

    print(
        f"{args.labs} labs × {args.criteria} criteria × {EVIDENCE_PER_ASSESSMENT} evidence: "
        f"{count} files, {size / 1e6:.1f} MB; best of {args.runs}, CPU seconds; "
        f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__}, "
        f"{os.cpu_count()} CPUs, {cpu_model()}"
    )
    load_s, ours_s = times["load"], times["ours"]
    rows = [
        ("floor: yaml.load, CSafeLoader", load_s),
        ("yaml.compose, CSafeLoader", times["compose"]),
        ("ours: validate + score + table", times["ours_table"]),
        ("ours: validate + score + JSON", ours_s),
        ("  of which validate_folder", times["validate"]),
        ("  of which score_dataset", times["score"]),
        ("  of which export.to_json", times["json"]),
    ]
    for name, seconds in rows:
        print(f"  {name:<32} {seconds:8.3f} s   {seconds / load_s:5.2f}×")
    for label, seconds in (
        ("scores (table)", times["ours_table"]),
        ("scores --format json", ours_s),
    ):
        print(f"in-process ratio validate + {label} / floor = {seconds / load_s:.2f}×")
    if whole:
        print(
            f"whole processes, {args.rounds} rounds in turns (CPU s: min, median; the ratio to "
            "the floor run in the same round: median, and min over min):"
        )
        floor = whole["floor"]
        for name, runs in whole.items():
            ratios = sorted(run / base for run, base in zip(runs, floor, strict=True))
            verdict = (
                ""
                if name == "floor"
                else ("  within 1.2×" if statistics.median(ratios) <= 1.2 else "  OVER 1.2×")
            )
            print(
                f"  {name:<22} {min(runs):6.3f} {statistics.median(runs):6.3f} s   "
                f"{statistics.median(ratios):5.2f}×  {min(runs) / min(floor):5.2f}×{verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
