"""The whole site (SPEC 7): assembled in a build folder, built by mkdocs-material, swapped into
place; and the live site of `scorecard serve`, rebuilt from what an edit touched.

Steps: write the generated Markdown, the hand-written pages, the assets and the downloads into a
build folder next to the output; build it with mkdocs-material (strict); then replace the output
folder. On any failure the output is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from mkdocs import exceptions
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from generator import editions, export, feed, gitinfo, paths, schemas
from generator.errors import BuildError, UsageError
from generator.render import PageCache, Renderer
from generator.revisions import Repository
from generator.score import Scorecard, score_dataset
from generator.urls import url_problem
from generator.validate import FileCache, validate_with_dates
from generator.views import EditionRef, Provenance

ASSETS = Path(__file__).resolve().parent / "assets"
OVERRIDES = "overrides"  # theme overrides folder inside the docs folder; not copied as pages
SEARCH_INDEX = "search/search_index.json"


@dataclass(frozen=True)
class SiteInputs:
    config_path: Path  # the project's mkdocs.yml
    docs_dir: Path  # hand-written pages and theme overrides
    config: dict[str, Any] = field(default_factory=dict, compare=False)  # mkdocs.yml, as read
    schema_kinds: tuple[str, ...] = schemas.KINDS + schemas.DOWNLOAD_KINDS
    site_url: str | None = None  # where the site is published (ends with /), if known
    repository: str | None = None  # the project's repository, for corrections (no trailing /)
    maintainers: tuple[tuple[str, str | None], ...] = ()  # (name, contact), from extra


def site_inputs(
    config_path: Path, site_url: str | None = None, repository: str | None = None
) -> SiteInputs:
    """The site's inputs; `site_url` (from --site-url) and `repository` (--repo-url) override
    the configuration's `site_url` and `extra.repository`."""
    config = read_config(config_path)
    url = site_url or config.get("site_url") or None
    if url is not None:
        reason = url_problem(url, local_ok=True)
        if reason:
            option = "--site-url" if site_url else f"site_url in {config_path}"
            raise UsageError(f"{option}: the address {reason}")
        url = url if url.endswith("/") else url + "/"
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    repo = repository or extra.get("repository") or None
    if repo is not None:
        option = "--repo-url" if repository else f"extra.repository in {config_path}"
        reason = url_problem(repo) if isinstance(repo, str) else "is not text"
        if reason:
            raise UsageError(f"{option}: the address {reason}")
        repo = repo.rstrip("/")
    docs_dir = config_path.parent / config.get("docs_dir", "docs")
    return SiteInputs(
        config_path,
        docs_dir,
        config,
        site_url=url,
        repository=repo,
        maintainers=_maintainers(extra.get("maintainers"), config_path),
    )


def _maintainers(value: Any, config_path: Path) -> tuple[tuple[str, str | None], ...]:
    """`extra.maintainers` in mkdocs.yml: the people who review corrections, named once."""
    if value is None:
        return ()
    where = f"extra.maintainers in {config_path}"
    if not isinstance(value, list):
        raise UsageError(f"{where}: should be a list of {{name, contact}}")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise UsageError(f"{where}: each entry needs a `name` (text)")
        contact = item.get("contact")
        if contact is not None and not isinstance(contact, str):
            raise UsageError(f"{where}: `contact` of {item['name']!r} should be text")
        out.append((item["name"], contact))
    return tuple(out)


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
    return Provenance(
        commit.sha if commit else None,
        date,
        inputs.site_url,
        inputs.repository,
        inputs.maintainers,
    )


def check_output_folder(out: Path, protected: list[Path]) -> None:
    """Refuse to replace a folder that holds the project's inputs or is not a built site."""
    target = out.resolve()
    for path in protected:
        inside = path.resolve()
        if target == inside or target in inside.parents:
            raise UsageError(f"--out: '{out}' contains '{path}'; choose a separate folder")
    if target.exists():
        if not target.is_dir() or out.is_symlink():
            raise UsageError(f"--out: '{out}' exists and is not a folder")
        if any(target.iterdir()) and not (target / "index.html").is_file():
            raise UsageError(
                f"--out: '{out}' exists and does not look like a built site (no index.html); "
                "refusing to replace it"
            )


# -- what the site shows from git history ----------------------------------------------------


@dataclass(frozen=True)
class SiteHistory:
    """Editions and the change feed. Read once per build (and once per `serve` session), since
    editing data/ does not change them."""

    editions: editions.Editions
    feed: feed.History

    @property
    def has_feed(self) -> bool:
        return bool(self.feed.entries)

    @property
    def notes(self) -> tuple[str, ...]:
        return self.editions.notes + self.feed.notes


def load_history(data_dir: Path) -> SiteHistory:
    """The editions declared in editions.yaml at the root of the data's repository, and the
    change feed of the data's history."""
    repository = Repository.of(data_dir)
    declared = repository.root / editions.FILE if repository else None
    return SiteHistory(editions.load(repository, declared), feed.data_history(repository))


def _edition_ref(edition: editions.Edition, fingerprints: dict[str, str]) -> EditionRef:
    return EditionRef(
        edition.name,
        edition.date,
        edition.card.dataset.rubric.version,
        edition.data_commit,
        fingerprints,
    )


def _edition_provenance(edition: editions.Edition, site_url: str | None) -> Provenance:
    return Provenance(edition.data_commit, edition.date, site_url)


class EditionPages:
    """The editions' pages and downloads. They do not change while a contributor edits the
    data, so `serve` renders them once."""

    def __init__(self, history: SiteHistory, site_url: str | None) -> None:
        self.history = history
        self.site_url = site_url
        self.latest: EditionRef | None = None
        found = history.editions.editions
        if found:  # only the newest is compared with the current pages: fingerprint it alone
            newest = found[0]
            renderer = Renderer(newest.card, _edition_provenance(newest, site_url))
            self.latest = _edition_ref(newest, renderer.fingerprints())
        self._files: list[tuple[str, bytes]] | None = None

    def files(self, current_urls: frozenset[str]) -> list[tuple[str, bytes]]:
        if self._files is None:
            self._files = list(self._render(current_urls))
        return self._files

    def _render(self, current_urls: frozenset[str]) -> Iterator[tuple[str, bytes]]:
        for index, edition in enumerate(self.history.editions.editions):
            ref = self.latest if index == 0 and self.latest else _edition_ref(edition, {})
            renderer = Renderer(
                edition.card,
                _edition_provenance(edition, self.site_url),
                edition=ref,
                current_urls=current_urls,
            )
            for page in renderer.pages(schema_kinds=()):
                yield page.source, page.markdown.encode("utf-8")
            prefix = paths.edition(edition.name)
            for path, content in downloads(edition.card):
                yield prefix + path, content


def generated_files(
    card: Scorecard,
    provenance: Provenance,
    inputs: SiteInputs,
    history: SiteHistory,
    editions_pages: EditionPages,
    cache: PageCache | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Every file the generator contributes to the docs folder, as (relative path, bytes)."""
    renderer = Renderer(card, provenance, latest=editions_pages.latest, cache=cache)
    urls = []  # each page is written as it is made, not held: 1,000 labs' pages are 100s of MB
    for page in renderer.pages(inputs.schema_kinds):
        urls.append(page.url)
        yield page.source, page.markdown.encode("utf-8")
    listing = [
        renderer.views.edition_row(
            e.name, e.date, e.card, e.data_commit[:12] if e.data_commit else None
        )
        for e in history.editions.editions
    ]
    page = renderer.editions_page(listing, history.notes, history.has_feed)
    urls.append(page.url)
    yield page.source, page.markdown.encode("utf-8")
    yield from downloads(card)
    rubric = card.dataset.rubric
    outline = schemas.RubricOutline.of_model(rubric.version, rubric.criteria)
    for kind in inputs.schema_kinds:
        yield paths.schema(kind), schemas.published(kind, outline)
    yield from editions_pages.files(frozenset(urls))
    if history.has_feed:
        title = card.dataset.rubric.title
        site_url = provenance.site_url
        yield paths.FEED_ATOM, feed.to_atom(history.feed, title, site_url).encode("utf-8")
        yield paths.FEED_JSON, feed.to_json_feed(history.feed, title, site_url).encode("utf-8")
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file() and asset.suffix != ".md":  # notes for maintainers, not pages
            yield paths.ASSETS + asset.relative_to(ASSETS).as_posix(), asset.read_bytes()


def downloads(card: Scorecard) -> Iterator[tuple[str, bytes]]:
    """The data downloads (SPEC 7): the same bytes as `scorecard scores` and its peers."""
    yield paths.SCORECARD_JSON, export.to_json(card)
    yield paths.SCORES_CSV, export.to_csv(card).encode("utf-8")
    yield paths.MODELS_JSON, export.models_json(card)
    yield paths.MODELS_CSV, export.models_csv(card).encode("utf-8")
    yield paths.EVENTS_JSON, export.events_json(card)
    yield paths.EVENTS_CSV, export.events_csv(card).encode("utf-8")


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
    stage: Path,
    card: Scorecard,
    provenance: Provenance,
    inputs: SiteInputs,
    history: SiteHistory,
    editions_pages: EditionPages | None = None,
    cache: PageCache | None = None,
) -> list[str]:
    """Fill `stage` with docs/, overrides/ and mkdocs.yml; returns the docs files that changed.
    Files no longer produced are removed, so `stage` can be reused between builds."""
    editions_pages = editions_pages or EditionPages(history, provenance.site_url)
    docs = stage / "docs"
    # Each file is written as it comes, and only its name kept: the bytes of every page and
    # download at once were a third of the peak memory of a 1,000-lab build.
    wanted: set[str] = set()
    changed: list[str] = []
    # Read now, as listed: an editor's temporary file can be gone by the time pages are made.
    hand_written = {rel: path.read_bytes() for rel, path in hand_written_files(inputs.docs_dir)}
    generated = generated_files(card, provenance, inputs, history, editions_pages, cache)
    for rel, content in generated:
        if rel in hand_written:
            raise BuildError(f"docs/{rel} would be replaced by a generated file; rename it")
        if rel in wanted:
            raise BuildError(f"docs/{rel} is generated twice")  # a bug, never the data
        wanted.add(rel)
        if write_if_changed(docs / rel, content):
            changed.append(rel)
    for rel, content in hand_written.items():
        wanted.add(rel)
        if write_if_changed(docs / rel, content):
            changed.append(rel)
    changed.sort()
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
        # For the footer of every page and the 404 page (docs/overrides), which print them
        # escaped: where to send a correction, and the labs to go to from a missing page.
        "repository": inputs.repository,
        "corrections": paths.CORRECTIONS,
        "labs": [
            {"name": ls.lab.name, "url": paths.lab(ls.lab.slug)}
            for ls in sorted(card.labs, key=lambda ls: ls.lab.slug)
        ],
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


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates as compiled by Jinja, kept in memory between the builds of one
    process: mkdocs makes a new template environment for each build and would compile all of
    them again, a third of a `serve` rebuild. Jinja stores each template's code with a checksum
    of its source and compiles again when the source changed (an edited override)."""

    # Jinja's key is the template's name and file, so each build folder's overrides add a few
    # entries: a long-lived process (the tests) empties the store past this many.
    LIMIT = 1024

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self._code) >= self.LIMIT:
            self._code.clear()
        self._code[bucket.key] = bucket.bytecode_to_string()


# One store per kind of environment: compiled code depends on the environment's extensions
# (mkdocs sets its other options the same way for every build).
_TEMPLATE_CODE: dict[tuple[str, ...], _CompiledTemplates] = {}


def _keep_compiled_templates(config: Any) -> None:
    """Give the environment mkdocs makes for this build (Theme.get_env) the process's store."""
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        kind = tuple(sorted(env.extensions))
        env.bytecode_cache = _TEMPLATE_CODE.setdefault(kind, _CompiledTemplates())
        return env

    theme.get_env = get_env


class _ReleasePages(BasePlugin):  # type: ignore[type-arg]
    """Lets go of each page's text once mkdocs is done with it. mkdocs keeps every page's
    Markdown and HTML until the build ends; at 1,000 labs that is most of a build's memory.
    The Markdown is not read again once converted, and the HTML not once the page is written
    (the title comes from the render, the anchor checks from the anchors it found)."""

    def on_page_content(self, html: str, page: Any, **_: Any) -> str:
        page.markdown = ""  # not None: mkdocs reads None as "not loaded", and titles with it
        return html

    def on_post_page(self, output: str, page: Any, **_: Any) -> str:
        page.content = ""
        return output


def run_mkdocs(stage: Path, reference_date: dt.date, *, dirty: bool = False) -> None:
    """Build stage/mkdocs.yml into stage/site in this process, strictly."""
    stage = stage.resolve()
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_dirty_notice)
    try:
        with _build_date(reference_date), contextlib.chdir(stage):
            config = load_config(config_file=str(stage / "mkdocs.yml"), strict=True)
            _keep_compiled_templates(config)
            config.plugins["scorecard/release-pages"] = _ReleasePages()  # registers its events
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


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A build folder next to `out` (so the swap is a rename), removed afterwards. A build is
    `assemble` into it, then `publish`; the caller can let go of the scores in between, and
    mkdocs, which needs most of a build's memory, reuses theirs."""
    out_parent = out.resolve().parent
    out_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".scorecard-build-", dir=out_parent) as tmp:
        yield Path(tmp)


def publish(stage: Path, reference_date: dt.date, out: Path) -> None:
    """Build the assembled folder with mkdocs and put the site in place of `out`."""
    run_mkdocs(stage, reference_date)
    _normalise_permissions(stage / "site")
    swap_into_place(stage / "site", out)


def _normalise_permissions(root: Path) -> None:
    """Files 0644 and folders 0755 whatever the umask, so two builds compare byte for byte
    and the site is readable when served."""
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


# -- the live site of `scorecard serve` -------------------------------------------------------


@dataclass(frozen=True)
class Rebuild:
    ok: bool
    seconds: float
    changed: int  # docs files written
    problems: tuple = ()  # the errors that stopped it (ok is False)


class LiveSite:
    """A persistent build folder rebuilt from what an edit touched: files whose bytes did not
    change are not read again (FileCache), pages whose view did not change are not rendered
    again (PageCache), mkdocs' dirty mode builds only the pages whose Markdown changed, and the
    search index is merged so that it keeps every page."""

    def __init__(
        self, data_dir: Path, inputs: SiteInputs, cli_date: dt.date | None, stage: Path
    ) -> None:
        self.data_dir = data_dir
        self.inputs = inputs
        self.cli_date = cli_date
        self.stage = stage
        self.built_once = False
        self.files = FileCache()
        self.pages = PageCache()
        self.history = load_history(data_dir)  # git history does not change while editing
        self.editions = EditionPages(self.history, inputs.site_url)
        self._index: dict[str, Any] | None = None  # the whole search index, by location

    @property
    def site_dir(self) -> Path:
        return self.stage / "site"

    def rebuild(self) -> Rebuild:
        started = time.perf_counter()
        result = validate_with_dates(self.data_dir, self.cli_date, cache=self.files)
        self.files.forget_unused()
        if result.dataset is None:
            return Rebuild(False, time.perf_counter() - started, 0, result.errors)
        card = score_dataset(result.dataset, result.reference_date)
        provenance = provenance_for(self.data_dir, self.inputs)
        try:
            changed = assemble(
                self.stage, card, provenance, self.inputs, self.history, self.editions, self.pages
            )
            self.pages.forget_unused()
            if changed or not self.built_once:
                run_mkdocs(self.stage, card.reference_date, dirty=self.built_once)
                self._keep_search_index_whole(changed if self.built_once else None)
        except Exception:
            # Some files may be written and not built: the next rebuild would find them
            # unchanged and leave them out of the site and its search index. Build all again.
            self.built_once = False
            raise
        self.built_once = True
        return Rebuild(True, time.perf_counter() - started, len(changed))

    def _keep_search_index_whole(self, changed: list[str] | None) -> None:
        """A dirty build writes a search index of the rebuilt pages only: put back the entries
        of every page it did not rebuild. `changed` is None after a full build."""
        path = self.site_dir / SEARCH_INDEX
        if not path.is_file():
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        if changed is None or self._index is None:
            self._index = index
            return
        rebuilt = {_page_location(rel) for rel in changed if rel.endswith(".md")}
        kept = [d for d in self._index["docs"] if _location_page(d["location"]) not in rebuilt]
        fresh = [d for d in index["docs"] if _location_page(d["location"]) in rebuilt]
        order = {page: i for i, page in enumerate(_pages_in_order(self._index, fresh))}
        docs = sorted(kept + fresh, key=lambda d: order.get(_location_page(d["location"]), 0))
        self._index = {**index, "docs": docs}
        path.write_text(json.dumps(self._index, ensure_ascii=False), encoding="utf-8")


def _page_location(source: str) -> str:
    """The site location of a docs file: 'labs/x.md' -> 'labs/x/', 'index.md' -> ''."""
    stem = source[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _location_page(location: str) -> str:
    """The page of a search index location: 'labs/x/#section' -> 'labs/x/'."""
    return location.split("#", 1)[0]


def _pages_in_order(index: dict[str, Any], fresh: list[dict[str, Any]]) -> list[str]:
    pages: list[str] = []
    for doc in [*index["docs"], *fresh]:
        page = _location_page(doc["location"])
        if page not in pages:
            pages.append(page)
    return pages
