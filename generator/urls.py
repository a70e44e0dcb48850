"""The one URL check: which addresses may be cited in data and become links on the site."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# Characters that have no business in a cited address and could break out of an attribute or
# Markdown link even after escaping elsewhere went wrong.
_UNSAFE = re.compile(r"[\s\"'<>\\^`{|}\x00-\x1f\x7f]")
_ARCHIVE = re.compile(r"https://web\.archive\.org/web/([0-9]{4,14})/(.+)")
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable public http(s) address, or None when it is."""
    if _UNSAFE.search(url):
        return "contains a space, quote, angle bracket or other character not allowed in an address"
    if not (url.startswith("https://") or url.startswith("http://")):
        return "must start with https:// (or http://), in lowercase"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a bad port
    except ValueError:
        return "is not a well-formed address"
    del port
    if "@" in parts.netloc:
        return "must not contain a user name or password"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "has no host name"
    if host in _LOCAL_NAMES or host.endswith(".localhost") or host.endswith(".local"):
        return "points at this computer or a local network, not a public site"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if "." not in host:
            return "has a host name without a domain (e.g. example.org)"
        return None
    if not address.is_global:
        return "points at a private, loopback or reserved address, not a public site"
    return None


def is_safe_link(url: object) -> bool:
    """True when the value may be rendered as a link (the site calls this before every href)."""
    return isinstance(url, str) and url_problem(url) is None


def archive_problem(url: str) -> str | None:
    """An archive_url must be a Wayback Machine capture of a public address."""
    match = _ARCHIVE.fullmatch(url)
    if not match:
        return "must look like https://web.archive.org/web/<timestamp>/<original address>"
    inner = match.group(2)
    if url_problem(inner) is not None:
        return "the archived address after the timestamp must itself be a public http(s) address"
    return url_problem(url)
