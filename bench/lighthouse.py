"""Lighthouse (mobile) on the site built from the bundled data, served from 127.0.0.1.

    .venv/bin/python bench/lighthouse.py                 # 5 pages, median of 3 runs each
    .venv/bin/python bench/lighthouse.py --runs 5 --page / --page /compare/
    .venv/bin/python bench/lighthouse.py --site site     # an already built site, not rebuilt

It builds the site (`scorecard build`, the bundled data and mkdocs.yml) into bench/out/site,
serves it on 127.0.0.1 with gzip (as GitHub Pages and most servers do), and runs Lighthouse's
default mobile configuration (simulated throttling, Moto G Power screen) against Debian's
Chromium, headless. Lighthouse itself is pinned in bench/package.json and package-lock.json and
installed into bench/node_modules with `npm ci` on first use. Prints a Markdown table: each
category's median score, the median total bytes transferred, and the biggest resources of the
median run. The JSON reports are kept in bench/out/lighthouse/.

A benchmark, not a test: `make test` does not run it.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = ("/", "/labs/openai/", "/compare/", "/evaluations/", "/explore/")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".map")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped at level 6 when the client accepts it, as a production server
    would; the search index and plotly.js are measured as a reader's browser receives them."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def build(out: Path) -> Path:
    site = out / "site"
    scorecard = ROOT / ".venv" / "bin" / "scorecard"
    subprocess.run([str(scorecard), "build", "--out", str(site)], cwd=ROOT, check=True)
    return site


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BENCH, check=True)


def run_lighthouse(url: str, report: Path, cpu_slowdown: float | None) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cpu_slowdown is not None:
        command.append(f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(command, check=True, env=env)
    return json.loads(report.read_text(encoding="utf-8"))


def summary(result: dict) -> dict:
    scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
    weight = result["audits"]["total-byte-weight"]
    items = weight.get("details", {}).get("items", [])
    failing = [
        audit_id
        for c in CATEGORIES
        for ref in result["categories"][c]["auditRefs"]
        if ref["weight"] > 0
        for audit_id in [ref["id"]]
        if (result["audits"][audit_id].get("score") is not None)
        and result["audits"][audit_id]["score"] < 0.9
        and c != "performance"
    ]
    metrics = {
        key: result["audits"][key].get("numericValue")
        for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")
    }
    return {
        "scores": scores,
        "bytes": weight["numericValue"],
        "benchmark": result["environment"]["benchmarkIndex"],
        "biggest": [(item["url"], item["totalBytes"]) for item in items[:3]],
        "failing": failing,
        "metrics": metrics,
    }


def short(url: str, base: str) -> str:
    return url.removeprefix(base) or "/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--page", action="append", help="a path to measure (repeatable)")
    parser.add_argument("--site", type=Path, help="measure this built site, do not build")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="where the site and the reports go (bench/out)"
    )
    parser.add_argument(
        "--cpu-slowdown",
        type=float,
        help="Lighthouse's CPU slowdown (default 4, calibrated for a fast desktop); this "
        "machine's benchmarkIndex / 264 (DevTools' figure for the emulated Moto G Power) "
        "emulates that phone on a slower host",
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"no Chromium at {CHROMIUM} (set CHROME_PATH)")
    ensure_lighthouse()
    site = args.site or build(args.out)
    reports = args.out / "lighthouse"
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True)
    server, base = serve(site)
    rows = []
    try:
        for page in args.page or PAGES:
            runs = []
            for n in range(args.runs):
                name = page.strip("/").replace("/", "-") or "index"
                runs.append(
                    summary(
                        run_lighthouse(base + page, reports / f"{name}-{n}.json", args.cpu_slowdown)
                    )
                )
            median = {c: statistics.median(r["scores"][c] for r in runs) for c in CATEGORIES}
            middle = sorted(runs, key=lambda r: r["scores"]["performance"])[len(runs) // 2]
            rows.append((page, median, runs, middle))
    finally:
        server.shutdown()
    benchmark = statistics.median(r["benchmark"] for _p, _m, runs, _x in rows for r in runs)
    slowdown = args.cpu_slowdown or 4
    print(
        f"Lighthouse mobile, median of {args.runs} runs; bytes transferred (gzip); "
        f"CPU slowdown {slowdown:g}, benchmarkIndex {benchmark:.0f}\n"
    )
    print("| page | performance | accessibility | best practices | SEO | KiB | biggest (KiB) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for page, median, runs, middle in rows:
        kib = statistics.median(r["bytes"] for r in runs) / 1024
        biggest = ", ".join(f"{short(u, base)} {b / 1024:.0f}" for u, b in middle["biggest"])
        cells = " | ".join(f"{median[c]:g}" for c in CATEGORIES)
        print(f"| {page} | {cells} | {kib:.0f} | {biggest} |")
    print()
    for page, _median, _runs, middle in rows:
        m = middle["metrics"]
        print(
            f"{page}: FCP {m['first-contentful-paint'] / 1000:.1f} s, "
            f"LCP {m['largest-contentful-paint'] / 1000:.1f} s, "
            f"TBT {m['total-blocking-time']:.0f} ms"
            + (f"; below 0.9: {', '.join(middle['failing'])}" if middle["failing"] else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
