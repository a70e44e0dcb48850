"""Writing fields back into a sources file (`scorecard sources check --update`), keeping its
comments, blank lines, quoting, folded text and key order.

ruamel.yaml's round-trip mode does the work. Before changing anything, the file is written
back unchanged in memory: if that copy differs from the file by a single byte, the file uses a
layout the round trip cannot keep, and nothing is written. A field a source lacks goes after
`archive_url` (or `accessed`), in the schema's order, never at the end of an entry, where it
would land after the comment or blank line that ends the entry.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from generator.errors import InvalidData

# Where new fields go: after the last of these a source has, in this order.
_AFTER = ("accessed", "archive_url")
_WRITTEN = ("checked", "sha256", "check")


def _yaml(text: str) -> tuple[YAML, Any]:
    _, indent, offset = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the file kept on one line
    sequence = indent or 2
    offset = offset or 0
    yaml.indent(mapping=max(sequence - offset, 2), sequence=sequence, offset=offset)
    # One date written into many entries would otherwise become an anchor and aliases, which
    # the data's loader refuses.
    yaml.representer.ignore_aliases = lambda _data: True
    return yaml, yaml.load(text)


def _dump(yaml: YAML, document: Any) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def update_sources(path: Path, fields_by_id: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Set the given fields of each source (by id) in the file; returns the ids changed.
    A mapping value (`check`) is written in flow style on one line."""
    text = path.read_text(encoding="utf-8")
    try:
        yaml, document = _yaml(text)
    except YAMLError as error:
        raise InvalidData(f"{path}: cannot be read for --update: {error}") from None
    if _dump(yaml, document) != text:
        raise InvalidData(
            f"{path}: its layout cannot be kept by the round-trip writer, so --update wrote "
            "nothing (indent it as the bundled data/sources.yaml is and try again)"
        )
    entries = document.get("sources") if isinstance(document, Mapping) else None
    changed: list[str] = []
    for entry in entries if isinstance(entries, Sequence) else ():
        fields = fields_by_id.get(entry.get("id")) if isinstance(entry, Mapping) else None
        if fields and _set_fields(entry, fields):
            changed.append(entry["id"])
    if changed:
        _write(path, _dump(yaml, document))
    return changed


def _set_fields(entry: CommentedMap, fields: Mapping[str, Any]) -> bool:
    changed = False
    for key, value in fields.items():
        if isinstance(value, Mapping):
            if isinstance(entry.get(key), Mapping) and dict(entry[key]) == dict(value):
                continue
            flow = CommentedMap(value)
            flow.fa.set_flow_style()
            value = flow
        elif key in entry and entry[key] == value:
            continue
        if key in entry:
            entry[key] = value
        else:
            entry.insert(_position(entry, key), key, value)
        changed = True
    return changed


def _position(entry: CommentedMap, key: str) -> int:
    keys = list(entry)
    before = [k for k in _AFTER if k in keys]
    if key in _WRITTEN:
        before += [k for k in _WRITTEN[: _WRITTEN.index(key)] if k in keys]
    if not before:
        return len(keys)
    return max(keys.index(k) for k in before) + 1


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, so an interrupted run leaves the old file whole."""
    mode = path.stat().st_mode & 0o777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
