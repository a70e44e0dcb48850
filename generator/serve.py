"""`scorecard serve`: build, serve on 127.0.0.1, and rebuild what changed when data or docs change.

The build folder persists between rebuilds (`.scorecard-build/`): pages whose Markdown did not
change keep their files and times, and mkdocs' dirty mode renders only the pages that did. An
invalid edit is reported and the last good site stays up.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.score import score_dataset
from generator.site import (
    BuildError,
    SiteInputs,
    SiteOptionError,
    add_config,
    assemble,
    load_history,
    provenance_for,
    run_mkdocs,
    site_inputs,
)
from generator.validate import validate_with_dates

STAGE = Path(".scorecard-build")


def register(commands: Any) -> None:
    from generator.cli import _add_data

    p = commands.add_parser("serve", help="build, serve locally and rebuild on changes")
    _add_data(p)
    add_config(p)
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    p.set_defaults(run=cmd_serve)


@dataclass
class Rebuild:
    ok: bool
    seconds: float
    changed: int


class LiveSite:
    """Rebuilds a persistent build folder incrementally."""

    def __init__(self, data_dir: Path, inputs: SiteInputs, cli_date: Any, stage: Path) -> None:
        self.data_dir = data_dir
        self.inputs = inputs
        self.cli_date = cli_date
        self.stage = stage
        self.built_once = False
        self.history = load_history(data_dir)  # git history does not change while editing

    @property
    def site_dir(self) -> Path:
        return self.stage / "site"

    def rebuild(self) -> Rebuild:
        from generator.cli import report

        started = time.perf_counter()
        result = validate_with_dates(self.data_dir, self.cli_date)
        errors = [p for p in result.problems if p.is_error]
        if result.dataset is None:
            report(errors)
            return Rebuild(False, time.perf_counter() - started, 0)
        card = score_dataset(result.dataset, result.reference_date)
        changed = assemble(
            self.stage, card, provenance_for(self.data_dir, self.inputs), self.inputs, self.history
        )
        if changed or not self.built_once:
            run_mkdocs(self.stage, card.reference_date, dirty=self.built_once)
        self.built_once = True
        return Rebuild(True, time.perf_counter() - started, len(changed))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.cli import EXIT_INVALID, UsageError, _require_folder

    _require_folder(args.data)
    if not args.config.is_file():
        raise UsageError(
            f"--config: expected the site configuration file, '{args.config}' not found"
        )
    try:
        inputs = site_inputs(args.config)
    except SiteOptionError as error:
        raise UsageError(str(error)) from None
    except BuildError as error:
        print(f"scorecard: build failed: {error}", file=sys.stderr)
        return EXIT_INVALID
    live = LiveSite(args.data, inputs, args.date, STAGE)
    try:
        first = live.rebuild()
    except BuildError as error:
        print(f"scorecard: build failed: {error}", file=sys.stderr)
        return EXIT_INVALID
    if not first.ok:
        return EXIT_INVALID
    # An absolute path: each rebuild runs mkdocs in the build folder (chdir), and a relative
    # one would then resolve there, answering 404 for every page until the rebuild ends.
    handler = functools.partial(_QuietHandler, directory=str(live.site_dir.resolve()))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        raise UsageError(
            f"--port: cannot listen on 127.0.0.1:{args.port} ({error.strerror})"
        ) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(
        f"serving http://127.0.0.1:{args.port}/ (built in {first.seconds:.2f} s); "
        f"watching {args.data}/ and {inputs.docs_dir}/; Ctrl-C stops"
    )
    try:
        watch(live, [args.data, inputs.docs_dir, args.config])
    finally:
        server.shutdown()
    return 0


def watch(live: LiveSite, paths: list[Path]) -> None:
    """Rebuild after each burst of file changes until interrupted."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    changed = threading.Event()

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            if event.event_type in ("created", "modified", "deleted", "moved"):
                changed.set()

    observer = Observer()
    for path in paths:
        target = path if path.is_dir() else path.parent
        observer.schedule(OnChange(), str(target), recursive=path.is_dir())
    observer.start()
    try:
        while True:
            changed.wait()
            time.sleep(0.05)  # let an editor finish writing
            changed.clear()
            try:
                result = live.rebuild()
            except BuildError as error:
                print(f"build failed: {error}; still serving the last good site", file=sys.stderr)
                continue
            if result.ok:
                print(
                    f"rebuilt in {result.seconds:.2f} s ({result.changed} files changed)",
                    flush=True,
                )
            else:
                print("data has errors (above); still serving the last good site", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
