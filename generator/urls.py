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
# A host name as it must be written in a cited address: ASCII letters, digits, hyphens and
# underscores in non-empty labels (an international name in its xn-- form). Browsers decode
# `%31` and map full-width digits in a host before using it, so anything else could name a host
# other than the one the check saw.
_HOST_LABEL = re.compile(r"[a-z0-9_-]+")
# WHATWG URL: a host whose last label is a number is an IPv4 address, and its parts may be
# octal (0177), hexadecimal (0x7f) or fewer than four (127.1 is 127.0.0.1).
_NUMBER_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")


def url_problem(url: str, *, local_ok: bool = False) -> str | None:
    """Why `url` is not an acceptable public http(s) address, or None when it is.

    local_ok: also accept this computer and local networks (the site's own address when a
    maintainer previews it locally; never for cited data)."""
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
    if local_ok:
        return None
    if host in _LOCAL_NAMES or host.endswith(".localhost") or host.endswith(".local"):
        return "points at this computer or a local network, not a public site"
    try:
        address = _ip_address(host)
    except ValueError:
        return "is not a well-formed address"
    if address is None:
        if not all(_HOST_LABEL.fullmatch(label) for label in host.split(".")):
            return "has a host name with characters other than letters, digits, hyphens and dots"
        if "." not in host:
            return "has a host name without a domain (e.g. example.org)"
        return None
    if not address.is_global:
        return "points at a private, loopback or reserved address, not a public site"
    return None


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a browser would connect to when `host` is an IP address, read the way a
    browser reads it; None for a host name. ValueError when a browser would refuse the host."""
    if ":" in host:  # an IPv6 literal (urlsplit has removed the brackets)
        address = ipaddress.IPv6Address(host)
        embedded = address.ipv4_mapped or _nat64(address)
        return embedded if embedded is not None else address
    labels = host.split(".")
    if not _NUMBER_LABEL.fullmatch(labels[-1]):
        return None
    if len(labels) > 4 or not all(_NUMBER_LABEL.fullmatch(label) for label in labels):
        raise ValueError(host)
    numbers = [_ipv4_number(label) for label in labels]
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(host)
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return ipaddress.IPv4Address(value)


def _ipv4_number(label: str) -> int:
    if label.startswith("0x"):
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8)
    return int(label)


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _nat64(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a NAT64 address reaches (Python counts the prefix as global)."""
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
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
