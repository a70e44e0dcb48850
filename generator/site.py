"""`scorecard build`: the whole site (SPEC 7), assembled in a build folder and swapped into place.

Steps: validate and score; write the generated Markdown, the hand-written pages, the assets and
the downloads into a fresh build folder next to the output; build it with mkdocs-material
(strict); then replace the output folder. On any failure the output is left exactly as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as dt
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator import editions, export, feed, gitinfo, paths, schemas
from generator.render import Provenance, Renderer
from generator.score import Scorecard, score_dataset
from generator.urls import url_problem

ASSETS = Path(__file__).resolve().parent / "assets"
OVERRIDES = "overrides"  # theme overrides folder inside the docs folder; not copied as pages


class BuildError(Exception):
    """The site could not be built; the message says why. Exit 1."""


class SiteOptionError(Exception):
    """An option names something the build must not use (an --out that is not a site, a bad
    site address). Exit 2."""


@dataclass(frozen=True)
class SiteInputs:
    config_path: Path  # the project's mkdocs.yml
    docs_dir: Path  # hand-written pages and theme overrides
    config: dict[str, Any] = field(default_factory=dict, compare=False)  # mkdocs.yml, as read
    schema_kinds: tuple[str, ...] = schemas.KINDS
    site_url: str | None = None  # where the site is published (ends with /), if known


def register(commands: Any) -> None:
    from generator.cli import _add_data

    p = commands.add_parser("build", help="validate, score and build the site")
    _add_data(p)
    p.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="where the site goes (default: site); replaced only on success",
    )
    add_config(p)
    p.add_argument(
        "--site-url",
        metavar="URL",
        help="the address the site is published at, e.g. https://example.org/scorecard/ "
        "(default: site_url in the configuration); used for citations, feeds and the sitemap",
    )
    p.set_defaults(run=cmd_build)


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="the site configuration (default: mkdocs.yml)",
    )


def cmd_build(args: argparse.Namespace) -> int:
    from generator.cli import EXIT_INVALID, EXIT_OK, UsageError, run_validation

    if not args.config.is_file():
        raise UsageError(
            f"--config: expected the site configuration file, '{args.config}' not found"
        )
    try:
        check_output_folder(args.out, [args.data, args.config.parent, Path.cwd()])
        inputs = site_inputs(args.config, args.site_url)
    except SiteOptionError as error:
        raise UsageError(str(error)) from None
    except BuildError as error:
        print(f"scorecard: build failed: {error}; {args.out} was not changed", file=sys.stderr)
        return EXIT_INVALID
    result = run_validation(args)
    if result.dataset is None:
        return EXIT_INVALID
    card = score_dataset(result.dataset, result.reference_date)
    started = time.perf_counter()
    history = load_history(args.data)
    for note in history.notes:
        print(f"note: {note}", file=sys.stderr)
    try:
        build_site(card, provenance_for(args.data, inputs), inputs, args.out, history)
    except BuildError as error:
        print(f"scorecard: build failed: {error}; {args.out} was not changed", file=sys.stderr)
        return EXIT_INVALID
    seconds = time.perf_counter() - started
    print(
        f"built {args.out}/: {len(card.labs)} labs, reference date "
        f"{card.reference_date.isoformat()} ({seconds:.1f} s)"
    )
    return EXIT_OK


def site_inputs(config_path: Path, site_url: str | None = None) -> SiteInputs:
    """The site's inputs; `site_url` (from --site-url) overrides the configuration's."""
    config = read_config(config_path)
    url = site_url or config.get("site_url") or None
    if url is not None:
        reason = url_problem(url, local_ok=True)
        if reason:
            option = "--site-url" if site_url else f"site_url in {config_path}"
            raise SiteOptionError(f"{option}: the address {reason}")
        url = url if url.endswith("/") else url + "/"
    docs_dir = config_path.parent / config.get("docs_dir", "docs")
    return SiteInputs(config_path, docs_dir, config, site_url=url)


def read_config(config_path: Path) -> dict[str, Any]:
    try:
        with open(config_path, encoding="utf-8") as handle:
            config = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        reason = " ".join(str(error).split())  # one line: a YAML error spans several
        raise BuildError(f"{config_path} cannot be read: {reason}") from None
    if not isinstance(config, dict):
        raise BuildError(f"{config_path} is not a mapping")
    return config


def provenance_for(data_dir: Path, inputs: SiteInputs) -> Provenance:
    commit = gitinfo.last_commit(data_dir)
    date = commit.date if commit else None
    return Provenance(commit.sha if commit else None, date, inputs.site_url)


def check_output_folder(out: Path, protected: list[Path]) -> None:
    """Refuse to replace a folder that holds the project's inputs or is not a built site."""
    target = out.resolve()
    for path in protected:
        inside = path.resolve()
        if target == inside or target in inside.parents:
            raise SiteOptionError(f"--out: '{out}' contains '{path}'; choose a separate folder")
    if target.exists():
        if not target.is_dir() or out.is_symlink():
            raise SiteOptionError(f"--out: '{out}' exists and is not a folder")
        if any(target.iterdir()) and not (target / "index.html").is_file():
            raise SiteOptionError(
                f"--out: '{out}' exists and does not look like a built site (no index.html); "
                "refusing to replace it"
            )


# -- assembling the build folder --------------------------------------------------------------


@dataclass(frozen=True)
class SiteHistory:
    """What the site shows from git history: editions and the change feed. Read once per build
    (and once per `serve` session), since editing data/ does not change them."""

    editions: editions.Loaded
    feed: feed.History | None

    @property
    def has_feed(self) -> bool:
        return self.feed is not None and bool(self.feed.entries)

    @property
    def notes(self) -> tuple[str, ...]:
        return self.editions.notes + (self.feed.notes if self.feed else ())


def load_history(data_dir: Path) -> SiteHistory:
    return SiteHistory(editions.load_editions(data_dir), feed.data_history(data_dir))


def generated_files(
    card: Scorecard, provenance: Provenance, inputs: SiteInputs, history: SiteHistory
) -> Iterator[tuple[str, bytes]]:
    """Every file the generator contributes to the docs folder, as (relative path, bytes)."""
    site_url = provenance.site_url
    latest = editions.latest_ref(history.editions, site_url)
    renderer = Renderer(card, provenance, latest=latest)
    pages = list(renderer.pages(inputs.schema_kinds))
    has_feed = history.has_feed
    listing = [
        {
            "name": e.name,
            "prefix": paths.edition(e.name),
            "date": e.date,
            "version": e.card.dataset.rubric.version,
            "reference_date": e.card.reference_date,
            "labs": len(e.card.labs),
            "short_commit": e.data_commit[:12] if e.data_commit else None,
        }
        for e in history.editions.editions
    ]
    pages.append(renderer.editions_page(listing, history.notes, has_feed))
    for page in pages:
        yield page.source, page.markdown.encode("utf-8")
    yield paths.SCORECARD_JSON, export.to_json(card).encode("utf-8")
    yield paths.SCORES_CSV, export.to_csv(card).encode("utf-8")
    for kind in inputs.schema_kinds:
        yield paths.schema(kind), schemas.schema_path(kind).read_bytes()
    current_urls = frozenset(page.url for page in pages)
    for edition, edition_renderer in editions.edition_renderers(
        history.editions, latest, site_url, current_urls
    ):
        for page in edition_renderer.pages(schema_kinds=()):
            yield page.source, page.markdown.encode("utf-8")
        prefix = paths.edition(edition.name)
        yield prefix + paths.SCORECARD_JSON, export.to_json(edition.card).encode("utf-8")
        yield prefix + paths.SCORES_CSV, export.to_csv(edition.card).encode("utf-8")
    if has_feed:
        title = card.dataset.rubric.title
        yield "feed.xml", feed.to_atom(history.feed, title, site_url).encode("utf-8")  # type: ignore[arg-type]
        yield "feed.json", feed.to_json_feed(history.feed, title, site_url).encode("utf-8")  # type: ignore[arg-type]
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file() and asset.suffix != ".md":  # notes for maintainers, not pages
            yield paths.ASSETS + asset.relative_to(ASSETS).as_posix(), asset.read_bytes()


def hand_written_files(docs_dir: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir)
        if rel.parts[0] == OVERRIDES or not path.is_file() or path.is_symlink():
            continue
        yield rel.as_posix(), path


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write only when the bytes differ, so unchanged pages keep their times (for serve)."""
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def assemble(
    stage: Path, card: Scorecard, provenance: Provenance, inputs: SiteInputs, history: SiteHistory
) -> list[str]:
    """Fill `stage` with docs/, overrides/ and mkdocs.yml; returns the docs files that changed.
    Files no longer produced are removed, so `stage` can be reused between builds."""
    docs = stage / "docs"
    wanted: dict[str, bytes] = {}
    for rel, path in hand_written_files(inputs.docs_dir):
        wanted[rel] = path.read_bytes()
    for rel, content in generated_files(card, provenance, inputs, history):
        if rel in wanted:
            raise BuildError(f"docs/{rel} would be replaced by a generated file; rename it")
        wanted[rel] = content
    changed = [
        rel for rel, content in sorted(wanted.items()) if write_if_changed(docs / rel, content)
    ]
    if docs.is_dir():
        for path in sorted(docs.rglob("*"), reverse=True):
            rel = path.relative_to(docs).as_posix()
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    overrides = inputs.docs_dir / OVERRIDES
    if overrides.is_dir():
        for path in sorted(overrides.rglob("*")):
            if path.is_file():
                write_if_changed(stage / OVERRIDES / path.relative_to(overrides), path.read_bytes())
    config = stage_config(card, provenance, inputs, has_feed=history.has_feed)
    write_if_changed(stage / "mkdocs.yml", config.encode("utf-8"))
    return changed


def stage_config(
    card: Scorecard, provenance: Provenance, inputs: SiteInputs, *, has_feed: bool
) -> str:
    config = copy.deepcopy(inputs.config)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    if inputs.site_url:
        config["site_url"] = inputs.site_url
    theme = dict(config.get("theme") or {})
    if (inputs.docs_dir / OVERRIDES).is_dir():
        theme["custom_dir"] = OVERRIDES
    config["theme"] = theme
    extra = dict(config.get("extra") or {})
    extra["scorecard"] = {
        "version": card.dataset.rubric.version,
        "reference_date": card.reference_date.isoformat(),
        "commit": provenance.commit,
        "feed": has_feed,
    }
    config["extra"] = extra
    header = "# Generated by `scorecard build` from mkdocs.yml; builds with plain `mkdocs build`.\n"
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


# -- running mkdocs and swapping --------------------------------------------------------------


@contextlib.contextmanager
def _build_date(reference_date: dt.date) -> Iterator[None]:
    """mkdocs dates the sitemap from SOURCE_DATE_EPOCH: make it the data's reference date."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if previous is None:
        midnight = dt.datetime.combine(reference_date, dt.time(), tzinfo=dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _not_dirty_notice(record: logging.LogRecord) -> bool:
    """mkdocs warns on every dirty build that it is one, and strict mode turns any warning into
    a failure: `serve`'s incremental rebuilds drop that one notice, and keep every other."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(stage: Path, reference_date: dt.date, *, dirty: bool = False) -> None:
    """Build stage/mkdocs.yml into stage/site in this process, strictly."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stage = stage.resolve()
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_dirty_notice)
    try:
        with _build_date(reference_date), contextlib.chdir(stage):
            config = load_config(config_file=str(stage / "mkdocs.yml"), strict=True)
            build(config, dirty=dirty)
    except (exceptions.MkDocsException, exceptions.Abort, OSError) as error:
        details = "; ".join(collect.messages[:5])
        raise BuildError(f"mkdocs: {error}" + (f" ({details})" if details else "")) from None
    finally:
        logger.removeHandler(collect)
        build_logger.removeFilter(_not_dirty_notice)


def swap_into_place(built: Path, out: Path) -> None:
    out = out.resolve()
    if not out.exists():
        os.replace(built, out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, old)
    try:
        os.replace(built, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def build_site(
    card: Scorecard, provenance: Provenance, inputs: SiteInputs, out: Path, history: SiteHistory
) -> None:
    out_parent = out.resolve().parent
    out_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".scorecard-build-", dir=out_parent) as tmp:
        stage = Path(tmp)
        assemble(stage, card, provenance, inputs, history)
        run_mkdocs(stage, card.reference_date)
        _normalise_permissions(stage / "site")
        swap_into_place(stage / "site", out)


def _normalise_permissions(root: Path) -> None:
    """Files 0644 and folders 0755 whatever the umask, so two builds compare byte for byte
    and the site is readable when served."""
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
