"""`scorecard serve`: build, serve on 127.0.0.1, and rebuild what changed when data or docs change.

The build folder persists between rebuilds (`.scorecard-build/`, see `site.LiveSite`). An invalid
edit is reported and the last good site stays up.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import time
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from generator.cli.common import (
    add_config,
    add_data,
    add_repo_url,
    report,
    require_config,
    require_folder,
)
from generator.errors import EXIT_INVALID, EXIT_OK, BuildError, UsageError
from generator.site import LiveSite, site_inputs

STAGE = Path(".scorecard-build")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data(parser)
    add_config(parser)
    add_repo_url(parser)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def run(args: argparse.Namespace) -> int:
    require_folder(args.data)
    require_config(args.config)
    inputs = site_inputs(args.config, repository=args.repo_url)
    live = LiveSite(args.data, inputs, args.date, STAGE)
    first = live.rebuild()
    if not first.ok:
        report(first.problems)
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
        f"watching {args.data}/ and {inputs.docs_dir}/; Ctrl-C stops",
        flush=True,
    )
    try:
        watch(live, [args.data, inputs.docs_dir, args.config])
    finally:
        server.shutdown()
    return EXIT_OK


def watch(live: LiveSite, paths: list[Path]) -> None:
    """Rebuild after each burst of file changes until interrupted."""
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
                report(result.problems)
                print("data has errors (above); still serving the last good site", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
