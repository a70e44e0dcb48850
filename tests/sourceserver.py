"""A web of cited documents on 127.0.0.1 for the source checker's tests: one page per case
(a quote present, changed or removed, a PDF, redirects, a loop, 404, 410, 500, a timeout, a
huge body, Latin-1, a page that needs JavaScript, an archived copy of a page that is gone).

The fixture data (tests/fixtures/sources-check/) cites these pages at their public-looking
addresses; `resolve_options` maps those to this server, as `--resolve` does for a mirror.
Nothing here reaches the network.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

LAB = "https://lab.example.org"
ARCHIVE = "https://web.archive.org"
CAPTURE = "https://web.archive.org/web/20240101000000"

QUOTE = "We gave METR access to the final model for two weeks before release."
PDF_QUOTE = "External evaluators tested the model's dangerous capabilities before deployment."
LATIN_QUOTE = 'The "Café" evaluation ran for ten days.'
JS_QUOTE = "Evaluators had access before launch."
WITHDRAWN_QUOTE = "Outside testers found the model could replicate itself."


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    chunks: int = 0  # send the body this many times, without a Content-Length


def html(body: str, title: str = "A page") -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        "<style>p { color: black }</style></head>"
        f"<body><header><nav>Home · Research · News</nav></header><main>{body}</main>"
        "<footer>© Example Lab</footer></body></html>"
    ).encode()


def pdf_document(pages: list[list[str]]) -> bytes:
    """A small valid PDF: one list of lines per page, in Helvetica (made here, not committed)."""
    objects: list[bytes] = []

    def add(content: bytes) -> int:
        objects.append(content)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for lines in pages:
        text = b"".join(
            b"("
            + line.encode("latin-1")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
            + b") Tj T* "
            for line in lines
        )
        stream = b"BT /F1 11 Tf 14 TL 72 720 Td " + text + b"ET"
        contents = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (tree, font, contents)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def _redirect(status: int, location: str) -> Response:
    return Response(status, b"", None, {"Location": location})


def pages() -> dict[str, Response]:
    """Every page by its public address (what the fixture data cites)."""
    quote_page = html(
        "<h1>Safety testing</h1><p>Before we launched, we did many things.</p>"
        # The quote as a browser shows it: split by inline markup, a non-breaking space and
        # typographic marks, which normalised matching must see through.
        "<p>We gave <a href='https://metr.org'>METR</a> access to the <em>final</em>\n"
        "   model for two&nbsp;weeks before release.</p><p>Other text.</p>"
    )
    pdf = pdf_document(
        [
            ["Model Card", "Page one: an introduction to the model."],
            ["Page two: training data and methods."],
            [
                "3 Evaluations",
                "External evaluators tested the model's danger-",
                "ous capabilities before deployment.",
            ],
            ["Page four: limitations."],
        ]
    )
    return {
        f"{LAB}/html-quote": Response(body=quote_page),
        f"{CAPTURE}id_/{LAB}/html-quote": Response(body=quote_page),
        f"{LAB}/quote-changed": Response(
            body=html("<p>We gave METR access to a near-final model for one week before release.")
        ),
        f"{CAPTURE}id_/{LAB}/quote-changed": Response(body=quote_page),
        f"{LAB}/report.pdf": Response(body=pdf, content_type="application/pdf"),
        f"{LAB}/old-address": _redirect(301, "/moved-1"),
        f"{LAB}/moved-1": _redirect(302, f"{LAB}/moved-2"),
        f"{LAB}/moved-2": Response(body=quote_page),
        f"{LAB}/loop-a": _redirect(302, f"{LAB}/loop-b"),
        f"{LAB}/loop-b": _redirect(302, "/loop-a"),
        f"{LAB}/missing": Response(404, html("<p>Not found</p>")),
        f"{LAB}/removed": Response(410, html("<p>Gone</p>")),
        f"{LAB}/broken": Response(500, html("<p>Internal error</p>")),
        f"{LAB}/members": Response(403, html("<p>Forbidden</p>")),
        f"{LAB}/slow": Response(body=quote_page, delay=2.0),
        f"{LAB}/huge": Response(body=b"x", headers={"Content-Length": str(10 * 2**30)}),
        f"{LAB}/stream": Response(body=b"<p>" + b"word " * 1000 + b"</p>", chunks=8),
        f"{LAB}/latin1": Response(
            body=(
                "<html><body><p>The \x93Caf\xe9\x94 evaluation ran for ten days.</p></body></html>"
            ).encode("latin-1"),
            content_type="text/html; charset=iso-8859-1",
        ),
        f"{LAB}/app": Response(
            body=b'<!doctype html><html><head><script src="/app.js"></script></head>'
            b'<body><div id="root"></div><noscript>You need to enable JavaScript to run this '
            b"app.</noscript></body></html>"
        ),
        f"{LAB}/withdrawn": Response(404, html("<p>Not found</p>")),
        f"{CAPTURE}id_/{LAB}/withdrawn": Response(
            body=html(f"<p>Findings.</p><p>{WITHDRAWN_QUOTE}</p>")
        ),
    }


class _Handler(http.server.BaseHTTPRequestHandler):
    # Set on the subclass each server makes (see `serving`).
    routes: ClassVar[dict[str, Response]]
    requests: ClassVar[list[tuple[str, str]]]  # (path, user agent) of each request, in order
    busy: ClassVar[dict[str, list[int]]]  # host part of the path: [requests now, most at once]
    busy_lock: ClassVar[threading.Lock]

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("User-Agent", "")))
        self._answer()

    def _answer(self) -> None:
        response = self.routes.get(self.path)
        if response is None:
            response = Response(404, b"no such page in the test server")
        # A request counts as being answered until its answer starts: the client may send its
        # next request as soon as it has read this one, before this handler has returned.
        host = self.path.split("/")[1]
        with self.busy_lock:
            count = self.busy.setdefault(host, [0, 0])
            count[0] += 1
            count[1] = max(count)
        try:
            if response.delay:
                time.sleep(response.delay)
        finally:
            with self.busy_lock:
                count[0] -= 1
        try:
            self.send_response(response.status)
            if response.content_type:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if not response.chunks and "Content-Length" not in response.headers:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            for _ in range(max(1, response.chunks)):
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):  # the checker gave up, as it should
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    requests: list[tuple[str, str]]
    busy: dict[str, list[int]]  # "lab" or "archive": [requests being answered, most at once]

    def resolve_options(self) -> list[str]:
        """`--resolve` options mapping the fixture's public hosts onto this server."""
        return [
            "--resolve",
            f"{LAB}={self.base}/lab",
            "--resolve",
            f"{ARCHIVE}={self.base}/archive",
        ]

    def resolves(self) -> list[str]:
        """The same as PREFIX=LOCAL texts, for `sourcecheck.parse_resolve`."""
        return self.resolve_options()[1::2]


def _local_path(address: str) -> str:
    for public, prefix in ((LAB, "/lab"), (ARCHIVE, "/archive")):
        if address.startswith(public):
            return prefix + address[len(public) :]
    raise ValueError(address)


@contextlib.contextmanager
def serving(routes: dict[str, Response] | None = None) -> Iterator[Server]:
    """Serve `routes` (default: every page) on a free port of 127.0.0.1 while in the block."""
    local = {_local_path(address): page for address, page in (routes or pages()).items()}
    requests: list[tuple[str, str]] = []
    busy: dict[str, list[int]] = {}
    handler = type(
        "Handler",
        (_Handler,),
        {"routes": local, "requests": requests, "busy": busy, "busy_lock": threading.Lock()},
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.block_on_close = False  # a handler still sleeping on a timed-out request
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_address[1]}", requests, busy)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
