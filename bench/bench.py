"""The whole-build benchmark: every stage of `scorecard build` at 20, 200 and 1000 labs, the
libyaml parse floor for the same files, the search index against a page, and how long
`scorecard serve` takes to show an edit to one lab file.

Usage (from the repository root; see bench/README.md):

    .venv/bin/python bench/bench.py [--labs 20 200 1000] [--criteria 15] [--runs 3]
                                    [--serve-edits 5] [--profile N]

For each size, a synthetic dataset (bench_data.generate: deterministic, every assessment with two
quoted pieces of evidence) is written to a temporary folder outside git, and a child process
builds it stage by stage, as `scorecard build` does:

  load      our strict loader (load.load_file) on every file
  validate  the rest of validate_folder: schemas and cross-file rules, building the model
  score     score_dataset
  render    every page's Markdown, the downloads, assets and mkdocs.yml into a build folder
  mkdocs    mkdocs-material building the site from that folder
  floor     yaml.load with libyaml's CSafeLoader on the same files: the least any loader can do

Times are CPU seconds of the child process (time.process_time), the best of --runs, so that
other work on a shared machine does not inflate them; the data stage is also compared with the
floor this way, in the same process. Peak memory is the child's maximum resident set size.
The serve figure is wall-clock time: from writing the lab file to the served page showing the
edit, through the file watcher, the rebuild and the HTTP server, with `scorecard serve` running
as a separate process exactly as a contributor runs it.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import gzip
import http.client
import json
import os
import platform
import pstats
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import yaml  # noqa: E402
from bench_data import REFERENCE, cpu_model, files_of, floor_load, generate  # noqa: E402

STAGES = ("load", "validate", "score", "render", "mkdocs")
OURS = ("load", "validate", "score", "render")
KB = 1000


# -- the child: one size, every stage ---------------------------------------------------------


def best_of(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The least CPU time of `runs` calls, and the last call's result."""
    best, result = float("inf"), None
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        result = action()
        best = min(best, time.process_time() - start)
    return best, result


def measure(data: Path, runs: int, profile: bool) -> dict[str, Any]:
    """Time each stage of a build of `data`; runs in a child process of its own."""
    from generator.load import load_file
    from generator.score import score_dataset
    from generator.site import assemble, load_history, provenance_for, run_mkdocs, site_inputs
    from generator.validate import validate_folder

    files = files_of(data)
    inputs = site_inputs(ROOT / "mkdocs.yml")

    def validate() -> Any:
        result = validate_folder(data, latest=REFERENCE, reference=REFERENCE)
        assert result.dataset is not None, [p.format() for p in result.errors[:5]]
        return result

    validate()  # warm up: imports, compiled schemas, the page cache
    floor_load(data)
    times: dict[str, float] = {}
    times["floor"], _ = best_of(runs, lambda: floor_load(data))
    times["load"], _ = best_of(runs, lambda: [load_file(path) for path in files])
    validated, result = best_of(runs, validate)
    times["validate"] = max(validated - times["load"], 0.0)
    times["score"], card = best_of(runs, lambda: score_dataset(result.dataset, REFERENCE))

    work = Path(tempfile.mkdtemp(prefix="scorecard-bench-build-"))
    build_runs = runs if len(card.labs) <= 200 else 1
    render, mkdocs = float("inf"), float("inf")
    try:
        for run in range(build_runs):
            stage = work / f"stage-{run}"
            gc.collect()
            start = time.process_time()
            history = load_history(data)
            assemble(stage, card, provenance_for(data, inputs), inputs, history)
            middle = time.process_time()
            run_mkdocs(stage, card.reference_date)
            end = time.process_time()
            render, mkdocs = min(render, middle - start), min(mkdocs, end - middle)
        site = work / f"stage-{build_runs - 1}" / "site"
        sizes = site_sizes(site)
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            validate()
            stage = work / "profiled"
            assemble(stage, card, provenance_for(data, inputs), inputs, load_history(data))
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    times["render"], times["mkdocs"] = render, mkdocs
    return {
        "labs": len(card.labs),
        "pages": sizes.pop("pages"),
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "times": times,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **sizes,
    }


def site_sizes(site: Path) -> dict[str, Any]:
    """The search index and a lab page as a first visit loads them, gzipped at level 6 (the
    page with everything it loads, as tests/test_budgets.py counts it)."""
    from tests.site.test_budgets import page_files  # the one definition of a page's weight

    def gz(path: Path) -> int:
        return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))

    lab = sorted((site / "labs").glob("*/index.html"))[0]
    lab_files, _ = page_files(site, lab)
    home_files, _ = page_files(site, site / "index.html")
    return {
        "pages": sum(1 for _ in site.rglob("*.html")),
        "index_gz": gz(site / "search" / "search_index.json"),
        "lab_page_gz": gz(lab),
        "lab_weight_gz": sum(gz(f) for f in dict.fromkeys(lab_files)),
        "home_page_gz": gz(site / "index.html"),
        "home_weight_gz": sum(gz(f) for f in dict.fromkeys(home_files)),
    }


# -- history: a repository with many data commits ---------------------------------------------


def git(repo: Path, *args: str, day: int = 0) -> None:
    stamp = f"2024-0{1 + day // 28 % 9}-{1 + day % 28:02d}T12:00:00+00:00"
    env = dict(
        os.environ,
        GIT_CONFIG_GLOBAL="/dev/null",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="Bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
        GIT_AUTHOR_DATE=stamp,
        GIT_COMMITTER_DATE=stamp,
    )
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def history_repo(folder: Path, labs: int, criteria: int, commits: int) -> Path:
    """A repository whose data folder has `commits` commits: the first adds the data, each
    later one edits one lab's summary, and every tenth also changes a level (a feed entry)."""
    repo = folder / "repo"
    data = repo / "data"
    generate(data, labs, criteria)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "data", day=0)
    files = sorted((data / "labs").glob("*.yaml"))
    for n in range(1, commits):
        lab = files[n % len(files)]
        text = lab.read_text(encoding="utf-8")
        text = text.replace("    summary: >-\n      ", f"    summary: >-\n      Edit {n}. ", 1)
        if n % 10 == 0:
            text = text.replace("level: partial", "level: full", 1)
        lab.write_text(text, encoding="utf-8")
        git(repo, "commit", "-q", "-am", f"edit {n}", day=min(n, 250))
    return data


def cpu() -> float:
    """CPU seconds of this process and of the processes it waited for (git)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def history_child(data: Path) -> dict[str, Any]:
    """CPU seconds (git's included) of reading the history (editions and feed) with a cold
    cache, then warm, and of a whole build with the warm cache."""
    from generator.score import score_dataset
    from generator.site import assemble, load_history, provenance_for, publish, site_inputs, staging
    from generator.validate import validate_folder

    inputs = site_inputs(ROOT / "mkdocs.yml")
    cold_start = cpu()
    history = load_history(data)
    cold = cpu() - cold_start
    warm_start = cpu()
    load_history(data)
    warm = cpu() - warm_start
    build_start = cpu()
    result = validate_folder(data, latest=REFERENCE, reference=REFERENCE)
    card = score_dataset(result.dataset, REFERENCE)
    again = load_history(data)
    out = data.parent / "site"
    with staging(out) as stage:  # as `scorecard build` does
        assemble(stage, card, provenance_for(data, inputs), inputs, again)
        publish(stage, REFERENCE, out)
    build = cpu() - build_start
    return {"cold": cold, "warm": warm, "build": build, "entries": len(history.feed.entries)}


# -- serve: edit to visible -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_edits(data: Path, edits: int) -> dict[str, Any]:
    """Start `scorecard serve` on `data` and time `edits` edits of one lab file, each from the
    write to the served lab page containing the new text."""
    work = data.parent
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    command = [sys.executable, "-m", "generator", "serve", "--data", str(data)]
    command += ["--config", str(ROOT / "mkdocs.yml"), "--date", REFERENCE.isoformat()]
    command += ["--port", str(port)]
    server = subprocess.Popen(
        command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in server.stdout:  # type: ignore[union-attr]
            lines.append(line.rstrip())
            if line.startswith("serving "):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 600
        while not ready.wait(0.1):
            if server.poll() is not None or time.monotonic() > deadline:
                time.sleep(0.2)  # the reader's last lines
                raise RuntimeError("scorecard serve did not start:\n" + "\n".join(lines[-20:]))
        first_build = lines[-1]
        lab = sorted((data / "labs").glob("*.yaml"))[0]
        url = f"http://127.0.0.1:{port}/labs/{lab.stem}/"
        original = lab.read_text(encoding="utf-8")
        marker = "    summary: >-\n      "
        assert marker in original
        seconds = []
        for edit in range(edits):
            time.sleep(0.5)  # let the watcher settle after the previous rebuild
            token = f"Benchmark edit number {edit} zqx"
            text = original.replace(marker, marker + token + " ", 1)
            start = time.perf_counter()
            lab.write_text(text, encoding="utf-8")
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        if token in response.read().decode("utf-8"):
                            break
                except (OSError, http.client.HTTPException):
                    pass  # the page is being rewritten by the rebuild: ask again
                if time.perf_counter() - start > 60:
                    raise RuntimeError("the edit never appeared:\n" + "\n".join(lines[-20:]))
                time.sleep(0.005)
            seconds.append(time.perf_counter() - start)
        rebuilds = [line for line in lines if line.startswith("rebuilt in")]
        return {"seconds": seconds, "first_build": first_build, "rebuilds": rebuilds}
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


# -- the parent: sizes, table -----------------------------------------------------------------


def run_child(data: Path, runs: int, profile: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(data), "--runs", str(runs)]
    if profile:
        command.append("--profile-child")
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=env, check=True)
    return json.loads(done.stdout)


def machine() -> str:
    return (
        f"{cpu_model()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if hasattr(yaml, 'CSafeLoader') else 'no'})"
    )


def versions() -> str:
    from importlib.metadata import version

    names = ("mkdocs", "mkdocs-material", "Jinja2", "jsonschema-rs", "plotly")
    return ", ".join(f"{name} {version(name)}" for name in names)


def table(results: list[dict[str, Any]]) -> str:
    head = ["labs", "pages", *STAGES, "total", "ours ÷ total", "ours ms/lab", "mkdocs ms/page"]
    head += ["floor", "data ÷ floor", "peak RSS"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in results:
        t = r["times"]
        total = sum(t[s] for s in STAGES)
        ours = sum(t[s] for s in OURS)
        data = t["load"] + t["validate"] + t["score"]
        cells = [str(r["labs"]), str(r["pages"])]
        cells += [f"{t[s]:.3f}" for s in STAGES]
        cells += [f"{total:.2f}", f"{100 * ours / total:.0f}%"]
        cells += [f"{1000 * ours / r['labs']:.1f}", f"{1000 * t['mkdocs'] / r['pages']:.1f}"]
        cells += [f"{t['floor']:.3f}", f"{data / t['floor']:.2f}×", f"{r['peak_rss_mb']:.0f} MB"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def search_table(results: list[dict[str, Any]]) -> str:
    rows = [
        "| labs | search index | a lab page | lab page + what it loads | index ÷ that |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r['labs']} | {r['index_gz'] / KB:.0f} KB | {r['lab_page_gz'] / KB:.1f} KB | "
            f"{r['lab_weight_gz'] / KB:.0f} KB | {r['index_gz'] / r['lab_weight_gz']:.1f}× |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labs", type=int, nargs="+", default=[20, 200, 1000])
    parser.add_argument(
        "--criteria",
        type=int,
        default=15,
        help="a multiple of 5 (15)",
    )
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs (3)")
    parser.add_argument("--serve-labs", type=int, default=20)
    parser.add_argument("--serve-edits", type=int, default=5, help="0 skips the serve timing")
    parser.add_argument("--profile", type=int, metavar="LABS", help="cProfile ours at this size")
    parser.add_argument(
        "--history",
        type=int,
        nargs="*",
        default=[50, 100, 200],
        help="data commits of the history benchmark (none: skip it)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--history-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not hasattr(yaml, "CSafeLoader"):
        print("libyaml is not installed: PyYAML has no CSafeLoader", file=sys.stderr)
        return 2
    if args.child:
        print(json.dumps(measure(args.child, args.runs, args.profile_child)))
        return 0
    if args.history_child:
        print(json.dumps(history_child(args.history_child)))
        return 0

    print(f"Machine: {machine()}\n{versions()}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as temp:
        for labs in args.labs:
            data = Path(temp) / f"labs-{labs}" / "data"
            generate(data, labs, args.criteria)
            print(f"... {labs} labs × {args.criteria} criteria", file=sys.stderr, flush=True)
            results.append(run_child(data, args.runs, args.profile == labs))
        histories = []
        for commits in args.history:
            data = history_repo(Path(temp) / f"history-{commits}", 20, args.criteria, commits)
            print(f"... history, {commits} data commits", file=sys.stderr, flush=True)
            command = [sys.executable, __file__, "--history-child", str(data)]
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
            histories.append((commits, json.loads(done.stdout)))
        serve = None
        if args.serve_edits:
            data = Path(temp) / "serve" / "data"
            generate(data, args.serve_labs, args.criteria)
            print(f"... serve, {args.serve_labs} labs", file=sys.stderr, flush=True)
            serve = serve_edits(data, args.serve_edits)

    print(
        f"\n{args.criteria} criteria, 2 quoted pieces of evidence per assessment. Stages in CPU "
        f"seconds, best of {args.runs} (render and mkdocs: 1 run above 200 labs); ours = load + "
        "validate + score + render; data = load + validate + score; floor = yaml.load with "
        "CSafeLoader on the same files\n"
    )
    print(table(results))
    print("\nSearch index against a page, gzip -6:\n")
    print(search_table(results))
    if histories:
        print("\nHistory (editions and change feed) of a 20-lab repository, CPU seconds:\n")
        print(
            "| data commits | first read (cold cache) | per commit | second read | second build "
            "| history ÷ build |"
        )
        print("|---:|---:|---:|---:|---:|---:|")
        for commits, h in histories:
            print(
                f"| {commits} | {h['cold']:.2f} | {1000 * h['cold'] / commits:.1f} ms | "
                f"{h['warm']:.3f} | {h['build']:.2f} | {100 * h['warm'] / h['build']:.1f}% |"
            )
    if serve:
        s = serve["seconds"]
        print(
            f"\nscorecard serve, {args.serve_labs} labs: an edit to one lab file is visible in "
            f"{statistics.median(s):.2f} s (median of {len(s)}; "
            f"{min(s):.2f}–{max(s):.2f} s), wall clock"
        )
        print(f"  {serve['first_build']}")
        for line in serve["rebuilds"]:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
