"""`scorecard migrate`: a data folder in the first format moved to the access-log 2.0 format.

Only what is certain is written: an event's `stage` from its `pre_deployment` (true is
pre-deployment, false post-release, unknown unknown), and every new field of the access and the
terms as `unknown`, so a contributor sees what is still to be found. Nothing is guessed: a
lab's models, a quote's relay or a window are left for a person to add from the sources. The
file keeps its comments and layout (ruamel.yaml's round trip).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from generator.model import UNKNOWN

NEW_ACCESS = ("model_given", "reasoning_traces", "weights")
NEW_TERMS = ("nda", "lab_review", "paid")
STAGES = {True: "pre-deployment", False: "post-release", UNKNOWN: UNKNOWN}


@dataclass(frozen=True)
class Migration:
    path: Path
    events: int  # events rewritten
    text: str  # the file's new text


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line the contributor wrote
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def migrate_evaluations(path: Path) -> Migration:
    """The access log with every event in the 2.0 format; events already in it are kept."""
    yaml = _yaml()
    document = yaml.load(path.read_text(encoding="utf-8"))
    changed = 0
    for event in document.get("evaluations") or ():
        if not isinstance(event, CommentedMap) or "stage" in event:
            continue
        stage = STAGES.get(event.get("pre_deployment", UNKNOWN), UNKNOWN)
        keys = list(event.keys())
        at = (
            keys.index("pre_deployment")
            if "pre_deployment" in event
            else keys.index("evaluator") + 1
        )
        event.pop("pre_deployment", None)
        event.insert(at, "stage", stage)
        access = event.get("access")
        if access is None:
            access = CommentedMap()
            event.insert(list(event.keys()).index("stage") + 1, "access", access)
        for key in NEW_ACCESS:
            access.setdefault(key, UNKNOWN)
        terms = event.get("terms")
        if terms is None:
            terms = CommentedMap()
            position = list(event.keys()).index("access") + 1
            event.insert(position, "terms", terms)
        for key in NEW_TERMS:
            terms.setdefault(key, UNKNOWN)
        changed += 1
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return Migration(path, changed, buffer.getvalue())
