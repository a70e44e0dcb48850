"""Whether every cited document is still where the data says, and still says what is quoted.

For each source, `check_sources` fetches its address (`url`) and its archived copy
(`archive_url`) within bounds of time, redirects and size; classifies each answer (ok,
redirected, gone, error, blocked); reads its text and looks for every quote citing the source
(`sourcetext`: normalised, with the nearest passage when a quote is not there); and hashes
what was fetched. The results are values: `markdown` and `json_document`
render them, `recorded_fields` gives what `--update` writes back. The command layer prints and
chooses the exit code. This is the package's only module that uses the network, and only here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.message
import hashlib
import http.client
import json
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from generator.errors import UsageError
from generator.model import Dataset, Evidence, Source
from generator.sourcetext import Match, Text, find_quote, read_text
from generator.urls import url_problem

# --- Outcomes (the words of the schema's `check`) ------------------------------------------

OK, REDIRECTED, GONE, ERROR, BLOCKED = "ok", "redirected", "gone", "error", "blocked"
FOUND, MISSING, UNREADABLE, NONE = "found", "missing", "unreadable", "none"

USER_AGENT = (
    "scorecard-sources-check/1.0 (checks that the documents cited by the Scorecard dataset, "
    "and the quotes taken from them, are still online; one request at a time per host)"
)
# Statuses that show a server is there but turns away an automated client (bot walls, logins,
# rate limits); 999 is LinkedIn's. A person with a browser usually gets through.
_REFUSING = frozenset({401, 403, 429, 999})
_GONE = frozenset({404, 410})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ARCHIVE_CAPTURE = re.compile(r"(https://web\.archive\.org/web/)([0-9]{4,14})(/.+)")
_ARCHIVE_HOST = "web.archive.org"


@dataclass(frozen=True)
class Limits:
    """How far the checker goes for one address."""

    timeout: float = 30.0  # seconds for each request: to connect, to answer, between reads
    max_redirects: int = 10
    max_bytes: int = 64 * 1024 * 1024  # system cards run to tens of megabytes
    workers: int = 4  # hosts asked at the same time; each host gets one request at a time


@dataclass(frozen=True)
class Resolve:
    """`--resolve PREFIX=LOCAL`: fetch addresses that start with PREFIX from LOCAL instead
    (tests and mirrors); the data and the report keep the real addresses."""

    prefix: str
    local: str


def parse_resolve(text: str) -> Resolve:
    prefix, sep, local = text.partition("=")
    if not sep or not prefix or not local:
        raise UsageError(
            f"--resolve: expected PREFIX=LOCAL, e.g. "
            f"https://lab.example.org=http://127.0.0.1:8123, not '{text}'"
        )
    for name, value in (("PREFIX", prefix), ("LOCAL", local)):
        reason = url_problem(value, local_ok=True)
        if reason:
            raise UsageError(f"--resolve: {name} '{value}' {reason}")
    return Resolve(prefix, local)


def _fetch_address(address: str, resolves: Sequence[Resolve]) -> tuple[str, bool]:
    """The address to ask, and whether a --resolve rule chose it (the longest prefix wins)."""
    matches = [r for r in resolves if address.startswith(r.prefix)]
    if not matches:
        return address, False
    rule = max(matches, key=lambda r: len(r.prefix))
    return rule.local + address[len(rule.prefix) :], True


def raw_capture(archive_url: str) -> str:
    """A Wayback Machine capture in its raw form (`<timestamp>id_`): the archived bytes as they
    were served, without the archive's toolbar, so its text and hash are the original's."""
    match = _ARCHIVE_CAPTURE.fullmatch(archive_url)
    if not match:
        return archive_url
    return f"{match.group(1)}{match.group(2)}id_{match.group(3)}"


# --- What was fetched ----------------------------------------------------------------------


@dataclass(frozen=True)
class LinkCheck:
    """How one address answered."""

    address: str  # as cited in the data
    status: str  # OK | REDIRECTED | GONE | ERROR | BLOCKED
    detail: str  # in a few words: "HTTP 404", "no answer within 20 s", ...
    http_status: int | None = None  # the last HTTP status received
    final_address: str | None = None  # where the document was served from, after redirects
    redirects: tuple[str, ...] = ()  # each address a redirect led to, in order
    sha256: str | None = None  # of the body served
    size: int | None = None  # bytes
    content_type: str | None = None
    reading: str | None = None  # why no text could be read from it (None when it could)

    @property
    def answered(self) -> bool:
        return self.status in (OK, REDIRECTED)


class _Failure(Exception):
    def __init__(self, status: str, detail: str, http_status: int | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.http_status = http_status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers, so the checker follows them itself: it counts them,
    notices loops and applies --resolve to each address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: email.message.Message
    body: bytes | None  # None for a redirect or an error status
    location: str | None = None


class Fetcher:
    """Fetches addresses politely: at most one request at a time to any host."""

    def __init__(self, limits: Limits, resolves: Sequence[Resolve] = ()) -> None:
        self.limits = limits
        self.resolves = tuple(resolves)
        self._public = urllib.request.build_opener(_NoRedirects())
        # A --resolve address is a test server or a mirror: never through a proxy.
        self._direct = urllib.request.build_opener(_NoRedirects(), urllib.request.ProxyHandler({}))
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    @contextlib.contextmanager
    def _turn(self, host: str) -> Iterator[None]:
        with self._locks_lock:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            yield

    def fetch(self, address: str, first: str | None = None) -> tuple[LinkCheck, Text | None]:
        """Ask for `address` (starting at `first` when given, e.g. an archive's raw form) and
        follow redirects; classify the answer and read its text."""
        current = first or address
        seen = {current}
        redirects: list[str] = []
        last_status: int | None = None
        try:
            for _hop in range(self.limits.max_redirects + 1):
                answer = self._request(current)
                last_status = answer.status
                if answer.location is None:
                    break
                target = urljoin(current, answer.location)
                reason = url_problem(target)
                if reason:
                    raise _Failure(ERROR, f"redirected to an address that {reason}", last_status)
                if target in seen:
                    raise _Failure(ERROR, f"redirect loop: back to {target}", last_status)
                seen.add(target)
                redirects.append(target)
                current = target
            else:
                raise _Failure(
                    ERROR, f"more than {self.limits.max_redirects} redirects", last_status
                )
        except _Failure as failure:
            return (
                LinkCheck(
                    address,
                    failure.status,
                    failure.detail,
                    failure.http_status,
                    redirects=tuple(redirects),
                ),
                None,
            )
        status = _classify(answer.status, answer.headers)
        if status != OK:
            detail = f"HTTP {answer.status}" + (
                " (a bot challenge)" if _challenge(answer.headers) else ""
            )
            failed = LinkCheck(address, status, detail, answer.status, redirects=tuple(redirects))
            return failed, None
        body = answer.body or b""
        declared = answer.headers.get("Content-Type")
        content_type = answer.headers.get_content_type() if declared else None
        text, reading = read_text(body, declared)
        moved = bool(redirects)
        return (
            LinkCheck(
                address,
                REDIRECTED if moved else OK,
                f"HTTP {answer.status}" + (f" after {len(redirects)} redirect(s)" if moved else ""),
                answer.status,
                current,
                tuple(redirects),
                hashlib.sha256(body).hexdigest(),
                len(body),
                content_type,
                reading,
            ),
            text,
        )

    def _request(self, address: str) -> _Answer:
        target, resolved = _fetch_address(address, self.resolves)
        opener = self._direct if resolved else self._public
        request = urllib.request.Request(
            target,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,"
                "*/*;q=0.5",
                "Accept-Language": "en",
            },
        )
        timeout = self.limits.timeout
        with self._turn(urlsplit(address).hostname or ""):
            deadline = time.monotonic() + timeout
            try:
                try:
                    response = opener.open(request, timeout=timeout)
                except urllib.error.HTTPError as error:  # redirects and error statuses
                    error.close()  # their bodies are not read
                    location = error.headers.get("Location") if error.headers else None
                    headers = error.headers or email.message.Message()
                    if error.code in _REDIRECTS and location:
                        return _Answer(error.code, headers, None, location.strip())
                    return _Answer(error.code, headers, None)
                with response:
                    body = self._body(response, deadline)
                    return _Answer(response.status, response.headers, body)
            except TimeoutError:
                raise _Failure(ERROR, f"no answer within {_seconds(timeout)}") from None
            except urllib.error.URLError as error:
                if isinstance(error.reason, TimeoutError):
                    raise _Failure(ERROR, f"no answer within {_seconds(timeout)}") from None
                raise _Failure(ERROR, _reason(error.reason)) from None
            except (http.client.HTTPException, ssl.SSLError, OSError, ValueError) as error:
                raise _Failure(ERROR, _reason(error)) from None

    def _body(self, response: Any, deadline: float) -> bytes:
        cap = self.limits.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > cap:
            raise _Failure(
                ERROR, f"the body is {_size(int(length))}, over the limit of {_size(cap)}"
            )
        chunks: list[bytes] = []
        total = 0
        while True:
            if time.monotonic() > deadline:
                raise _Failure(ERROR, f"the body took longer than {_seconds(self.limits.timeout)}")
            chunk = response.read1(64 * 1024)
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > cap:
                raise _Failure(ERROR, f"the body is over the limit of {_size(cap)}")
            chunks.append(chunk)


def _classify(status: int, headers: email.message.Message) -> str:
    if 200 <= status < 300:
        return OK
    if status in _GONE:
        return GONE
    if status in _REFUSING or _challenge(headers):
        return BLOCKED
    return ERROR


def _challenge(headers: email.message.Message) -> bool:
    return headers.get("cf-mitigated", "").strip().lower() == "challenge"


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    if isinstance(reason, socket.gaierror):
        return "the host name was not found"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return f"secure connection failed: {getattr(reason, 'reason', None) or reason}"
    text = str(reason).strip() or type(reason).__name__
    return " ".join(text.split())[:200]


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _size(count: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


# --- Checking the sources ------------------------------------------------------------------


@dataclass(frozen=True)
class CitedQuote:
    quote: str
    cited_by: tuple[str, ...]  # "lab-a: pre-deployment", "access log: Model One by evals-org"


def quotes_by_source(data: Dataset) -> dict[str, tuple[CitedQuote, ...]]:
    """Every distinct quote citing each source, with where it is cited, in data order."""
    places: dict[str, dict[str, list[str]]] = {source.id: {} for source in data.sources}

    def add(items: Sequence[Evidence], where: str) -> None:
        for item in items:
            if item.quote and item.source_id in places:
                cited = places[item.source_id].setdefault(item.quote, [])
                if where not in cited:
                    cited.append(where)

    for lab in data.labs:
        for assessment in lab.assessments:
            add(assessment.current.evidence, f"{lab.slug}: {assessment.criterion_id}")
            for state in assessment.history:
                where = f"{lab.slug}: {assessment.criterion_id} (history, {state.as_of})"
                add(state.evidence, where)
    for event in data.evaluations:
        add(event.evidence, f"access log: {event.model} by {event.evaluator}")
    return {
        source_id: tuple(CitedQuote(quote, tuple(where)) for quote, where in quotes.items())
        for source_id, quotes in places.items()
    }


@dataclass(frozen=True)
class QuoteCheck:
    quote: str
    cited_by: tuple[str, ...]
    original: str | None  # FOUND | MISSING in the document at `url`; None without its text
    archive: str | None  # the same in the archived copy
    page: int | None  # where it was found in the text it was judged by (a PDF)
    nearest: str | None  # the nearest passage there, when it was not found
    similarity: float | None

    @property
    def verdict(self) -> str:
        """Judged by the original when its text could be read, else by the archived copy:
        a quote that only the archive still has was changed or removed at the source."""
        judged = self.original if self.original is not None else self.archive
        return judged if judged is not None else UNREADABLE


@dataclass(frozen=True)
class SourceResult:
    source: Source
    url: LinkCheck
    archive: LinkCheck | None
    quotes: tuple[QuoteCheck, ...]

    @property
    def quote_status(self) -> str:
        if not self.quotes:
            return NONE
        verdicts = {quote.verdict for quote in self.quotes}
        if UNREADABLE in verdicts:
            return UNREADABLE
        return MISSING if MISSING in verdicts else FOUND

    @property
    def missing(self) -> int:
        return sum(quote.verdict == MISSING for quote in self.quotes)

    @property
    def changed(self) -> bool:
        """The document at `url` is not the one hashed at the last check."""
        previous, now = self.source.sha256, self.url.sha256
        return previous is not None and now is not None and previous != now

    @property
    def attention(self) -> tuple[str, ...]:
        """What a maintainer needs to look at, in words; empty when all is well. A source
        without an archived copy is not in it: validation already warns about that."""
        notes = []
        url, archive = self.url, self.archive
        if url.status == REDIRECTED:
            notes.append(f"the address moved: it now answers from {url.final_address}")
        elif url.status == GONE:
            notes.append(f"the address is gone ({url.detail})")
        elif url.status == BLOCKED:
            notes.append(f"the address refuses automated clients ({url.detail}): check by hand")
        elif url.status == ERROR:
            notes.append(f"the address could not be fetched: {url.detail}")
        if archive is not None:
            if archive.status == GONE:
                notes.append(f"the archived copy is gone ({archive.detail})")
            elif archive.status == REDIRECTED and _host(archive.final_address) != _ARCHIVE_HOST:
                notes.append(f"the archived copy moved to {archive.final_address}")
            elif archive.status in (BLOCKED, ERROR):
                notes.append(f"the archived copy could not be fetched: {archive.detail}")
        if self.missing:
            notes.append(f"{self.missing} of {len(self.quotes)} quotes not found")
        if self.quote_status == UNREADABLE:
            notes.append(f"its quotes could not be checked: {self.unreadable_reason}")
        return tuple(notes)

    @property
    def unreadable_reason(self) -> str:
        readings = [link.reading for link in (self.url, self.archive) if link and link.reading]
        return readings[0] if readings else "no text could be fetched"


def _host(address: str | None) -> str:
    return (urlsplit(address).hostname or "") if address else ""


@dataclass(frozen=True)
class Report:
    date: dt.date  # when the check ran
    results: tuple[SourceResult, ...]
    limits: Limits = field(default_factory=Limits)
    # Sources without a public address (`url`): read where their note says, nothing to fetch.
    unchecked: tuple[str, ...] = ()

    @property
    def needs_attention(self) -> tuple[SourceResult, ...]:
        return tuple(result for result in self.results if result.attention)


def check_sources(
    data: Dataset,
    *,
    date: dt.date,
    only: Sequence[str] = (),
    limits: Limits | None = None,
    resolves: Sequence[Resolve] = (),
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Check the sources of `data` (those in `only`, when given), a few hosts at a time."""
    limits = limits or Limits()
    wanted = set(only)
    selected = [s for s in data.sources if not wanted or s.id in wanted]
    sources = [s for s in selected if s.url]
    unchecked = tuple(s.id for s in selected if not s.url)
    quotes = quotes_by_source(data)
    fetcher = Fetcher(limits, resolves)
    jobs: dict[tuple[str, str | None], None] = {}
    for source in sources:
        jobs[(source.url, None)] = None  # type: ignore[index]
        if source.archive_url:
            jobs[(source.archive_url, raw_capture(source.archive_url))] = None
    by_host: dict[str, list[tuple[str, str | None]]] = {}
    for job in jobs:
        by_host.setdefault(_host(job[0]), []).append(job)
    fetched: dict[str, tuple[LinkCheck, Text | None]] = {}

    def run(group: list[tuple[str, str | None]]) -> None:
        for address, first in group:
            try:
                outcome = fetcher.fetch(address, first)
            except Exception as error:  # one page must not sink the report on every other
                detail = f"the checker failed on it: {type(error).__name__}: {error}"
                outcome = (LinkCheck(address, ERROR, " ".join(detail.split())[:300]), None)
            fetched[address] = outcome
            if progress:
                progress(f"{outcome[0].status}: {address} ({outcome[0].detail})")

    with ThreadPoolExecutor(max_workers=max(1, limits.workers)) as pool:
        for future in [pool.submit(run, group) for _host_name, group in sorted(by_host.items())]:
            future.result()
    results = []
    for source in sources:
        url, url_text = fetched[source.url]  # type: ignore[index]
        archive, archive_text = fetched[source.archive_url] if source.archive_url else (None, None)
        checks = _check_quotes(quotes[source.id], url, url_text, archive, archive_text)
        results.append(SourceResult(source, url, archive, checks))
    return Report(date, tuple(results), limits, unchecked)


def _check_quotes(
    quotes: Sequence[CitedQuote],
    url: LinkCheck,
    url_text: Text | None,
    archive: LinkCheck | None,
    archive_text: Text | None,
) -> tuple[QuoteCheck, ...]:
    # A page that needs JavaScript shows no text to look in: its quotes are unreadable there.
    original = url_text if url.reading is None else None
    archived = archive_text if archive is not None and archive.reading is None else None
    checks = []
    for cited in quotes:
        in_original = find_quote(cited.quote, original) if original else None
        in_archive = find_quote(cited.quote, archived) if archived else None
        judged = in_original or in_archive
        checks.append(
            QuoteCheck(
                cited.quote,
                cited.cited_by,
                _verdict(in_original),
                _verdict(in_archive),
                judged.page if judged else None,
                judged.nearest if judged else None,
                judged.similarity if judged else None,
            )
        )
    return tuple(checks)


def _verdict(match: Match | None) -> str | None:
    if match is None:
        return None
    return FOUND if match.found else MISSING


# --- What --update records -----------------------------------------------------------------


def recorded_fields(result: SourceResult, date: dt.date) -> dict[str, Any]:
    """The source's fields after this check: `checked`, `sha256` (kept when the address gave
    nothing to hash) and `check`, in the words of the schema."""
    check: dict[str, Any] = {"status": result.url.status}
    if result.archive is not None:
        check["archive"] = result.archive.status
    check["quotes"] = result.quote_status
    if result.quote_status == MISSING:
        check["missing"] = result.missing
    fields: dict[str, Any] = {"checked": date}
    if result.url.sha256:
        fields["sha256"] = result.url.sha256
    fields["check"] = check
    return fields


# --- Reports -------------------------------------------------------------------------------

_EXCERPT = 240


def _code(text: str, limit: int = _EXCERPT) -> str:
    """Text from the data or the web, shown literally in Markdown (a code span on one line):
    it cannot become a link, a mention, markup or a table cell."""
    flat = " ".join(str(text).split()).replace("`", "'")
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f"`{flat}`" if flat else "(empty)"


def _link(address: str) -> str:
    """An address from the data (checked by validation) as a link; any other as code."""
    return f"<{address}>" if url_problem(address) is None else _code(address)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def markdown(report: Report) -> str:
    """The report as Markdown (the command's output and the weekly issue's body). Everything
    that came from the web or from contributors is shown as code."""
    results = report.results
    attention = report.needs_attention
    quotes = sum(len(r.quotes) for r in results)
    archived = sum(r.archive is not None for r in results)
    lines = [
        f"# Source check, {report.date.isoformat()}",
        "",
        f"{_plural(len(results), 'source')} checked "
        f"({_plural(archived, 'archived copy', 'archived copies')}, {_plural(quotes, 'quote')}): "
        + (
            f"{_plural(len(attention), 'source needs', 'sources need')} attention."
            if attention
            else "all is well."
        ),
    ]
    if report.unchecked:
        lines += [
            "",
            f"{_plural(len(report.unchecked), 'source')} without a public address "
            f"{'was' if len(report.unchecked) == 1 else 'were'} not checked: "
            + ", ".join(f"`{source_id}`" for source_id in report.unchecked)
            + ".",
        ]
    unarchived = len(results) - archived
    if unarchived:
        lines += [
            "",
            f"{_plural(unarchived, 'source has', 'sources have')} no archived copy to fall "
            "back on: `scorecard sources gaps` lists them, with the evidence from long "
            "documents that has no locator.",
        ]
    if attention:
        lines += ["", "## Needs attention"]
        for result in attention:
            lines += ["", *_attention_lines(result)]
    changed = [r for r in results if r.changed]
    if changed:
        lines += [
            "",
            "## Changed since the last check",
            "",
            "What these addresses serve is not what was hashed at the last check (expected of "
            "a page that changes every day; worth a look for a PDF):",
            "",
        ]
        lines += [f"- `{r.source.id}`: {_link(r.source.url)}" for r in changed]
    lines += [
        "",
        "## Every source",
        "",
        "| source | address | archived copy | quotes | SHA-256 |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        quotes_cell = {
            NONE: "none to check",
            FOUND: f"{len(r.quotes)} found",
            MISSING: f"{r.missing} of {len(r.quotes)} missing",
            UNREADABLE: "unreadable",
        }[r.quote_status]
        digest = f"`{r.url.sha256[:12]}…`" if r.url.sha256 else "—"
        lines.append(
            f"| `{r.source.id}` | {r.url.status} | {r.archive.status if r.archive else 'none'} "
            f"| {quotes_cell} | {digest}{' (changed)' if r.changed else ''} |"
        )
    if attention:
        lines += [
            "",
            "For a moved or gone address, find the document's new address (or rely on its "
            "archived copy) and change `url` in data/sources.yaml. For a quote not found, read "
            "the source again and correct the evidence, or cite the archived copy. "
            "`scorecard sources check --update` records each check in data/sources.yaml.",
        ]
    return "\n".join(lines) + "\n"


def _attention_lines(result: SourceResult) -> list[str]:
    source = result.source
    lines = [f"### `{source.id}`", "", f"{_code(source.title)} ({source.kind})", ""]
    lines.append(_link_line("address", result.url))
    if result.archive is not None:
        lines.append(_link_line("archived copy", result.archive))
    else:
        lines.append("- no archived copy")
    if result.quote_status == UNREADABLE:
        lines.append(
            f"- {_plural(len(result.quotes), 'quote')} not checked: {result.unreadable_reason}"
        )
    by_archive = [q for q in result.quotes if q.original is None and q.archive == FOUND]
    if by_archive:
        lines.append(
            f"- {_plural(len(by_archive), 'quote')} found in the archived copy "
            "(the address gave no text to look in)"
        )
    for quote in result.quotes:
        if quote.verdict == MISSING:
            lines.append(_quote_line(quote))
    return lines


def _link_line(label: str, link: LinkCheck) -> str:
    line = f"- {label} {_link(link.address)}: **{link.status}**, {_code(link.detail, 160)}"
    if link.status == REDIRECTED and link.final_address:
        line += f", now served from {_code(link.final_address)}"
    if link.reading:
        line += f"; {link.reading}"
    return line


def _quote_line(quote: QuoteCheck) -> str:
    if quote.original == MISSING and quote.archive == FOUND:
        state = "gone from the original, still in the archived copy"
    elif quote.original == MISSING:
        state = "not found in the original"
    else:
        state = "not found in the archived copy (the original gave no text)"
    cited_by = _code("; ".join(quote.cited_by), 160)
    line = f"- quote {state}, cited by {cited_by}: {_code(quote.quote)}"
    if quote.nearest is not None and quote.similarity is not None:
        line += (
            f"\n  - nearest passage ({round(quote.similarity * 100)} % alike): "
            f"{_code(quote.nearest)}"
        )
    return line


def json_document(report: Report) -> dict[str, Any]:
    """The report as a JSON document: every source, address, quote and hash."""

    def link(check: LinkCheck | None) -> dict[str, Any] | None:
        if check is None:
            return None
        return {
            "address": check.address,
            "status": check.status,
            "detail": check.detail,
            "http_status": check.http_status,
            "final_address": check.final_address,
            "redirects": list(check.redirects),
            "sha256": check.sha256,
            "size": check.size,
            "content_type": check.content_type,
            "reading": check.reading,
        }

    return {
        "checked": report.date.isoformat(),
        "limits": {
            "timeout_seconds": report.limits.timeout,
            "max_redirects": report.limits.max_redirects,
            "max_bytes": report.limits.max_bytes,
        },
        "user_agent": USER_AGENT,
        "needs_attention": [r.source.id for r in report.needs_attention],
        "unchecked": list(report.unchecked),
        "sources": [
            {
                "id": r.source.id,
                "kind": r.source.kind,
                "attention": list(r.attention),
                "url": link(r.url),
                "archive": link(r.archive),
                "sha256": {
                    "previous": r.source.sha256,
                    "now": r.url.sha256,
                    "changed": r.changed,
                },
                "quotes": {
                    "status": r.quote_status,
                    "missing": r.missing,
                    "items": [
                        {
                            "quote": q.quote,
                            "cited_by": list(q.cited_by),
                            "verdict": q.verdict,
                            "original": q.original,
                            "archive": q.archive,
                            "page": q.page,
                            "nearest": q.nearest,
                            "similarity": q.similarity,
                        }
                        for q in r.quotes
                    ],
                },
            }
            for r in report.results
        ],
    }


def json_report(report: Report) -> str:
    """`json_document` as text: indented, non-ASCII kept, keys in a fixed order."""
    return json.dumps(json_document(report), indent=2, ensure_ascii=False) + "\n"
