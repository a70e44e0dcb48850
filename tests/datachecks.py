"""The invariants the bundled data keeps (tests/unit/test_bundled_data.py), as checks on any
validated folder: a lab a contributor starts with `scorecard new-lab` must pass them too.

Each check fails with the problems in the SPEC's PATH:LINE:COL format and what to do, so a
contributor who runs `make test` reads the same words `scorecard validate` prints.
"""

from __future__ import annotations

from generator.model import NO_DISCLOSURE, NOT_APPLICABLE
from generator.problems import Problem
from generator.score import score_dataset
from generator.validate import Validation

PLACEHOLDER_MESSAGE = "still starts with TODO"
STALE_MESSAGE = "is stale"


def _lines(problems: list[Problem] | tuple[Problem, ...]) -> str:
    return "\n".join(p.format() for p in problems)


def is_placeholder_warning(problem: Problem) -> bool:
    return PLACEHOLDER_MESSAGE in problem.message


def valid(validation: Validation) -> None:
    assert validation.dataset is not None, "the data is not valid:\n" + _lines(validation.errors)


def no_placeholder_left(validation: Validation) -> None:
    left = [p for p in validation.warnings if is_placeholder_warning(p)]
    assert not left, (
        f"{len(left)} placeholder(s) left, which `scorecard build` refuses to publish. "
        "Replace each TODO text (for a criterion left at no-disclosure, say what was searched "
        "for and found):\n" + _lines(left)
    )


def only_stale_warnings(validation: Validation) -> None:
    """Warnings other than stale readings (and the placeholders, checked on their own) are
    mistakes to fix: an unused source, ..."""
    other = [
        p
        for p in validation.warnings
        if STALE_MESSAGE not in p.message and not is_placeholder_warning(p)
    ]
    assert not other, "warnings to fix:\n" + _lines(other)


def no_source_uncited(validation: Validation) -> None:
    uncited = [p for p in validation.problems if "is not cited anywhere" in p.message]
    assert not uncited, "cite these sources or remove them:\n" + _lines(uncited)


def every_lab_assesses_every_criterion(validation: Validation) -> None:
    data = validation.dataset
    assert data is not None
    criteria = [c.id for c in data.rubric.criteria]
    for lab in data.labs:
        assert [a.criterion_id for a in lab.assessments] == criteria, lab.slug


def every_address_is_https(validation: Validation) -> None:
    """https everywhere, but where the only address the sources give is http (METR's older
    GitHub Pages reports)."""
    data = validation.dataset
    assert data is not None
    urls = [s.url for s in data.sources if s.url]
    urls += [s.archive_url for s in data.sources if s.archive_url]
    urls += [lab.website for lab in data.labs if lab.website]
    urls += [e.website for e in data.evaluators if e.website]
    plain = [u for u in urls if not u.startswith("https://")]
    plain = [u for u in plain if not u.startswith("http://metr.github.io/")]
    assert urls and not plain, f"use https:// addresses: {plain}"


def every_scored_level_carries_evidence_and_a_summary(validation: Validation) -> None:
    data = validation.dataset
    assert data is not None
    for lab in data.labs:
        for assessment in lab.assessments:
            for state in (assessment.current, *assessment.history):
                where = (lab.slug, assessment.criterion_id, state.as_of.isoformat())
                assert state.summary.strip(), where
                if state.level_id not in (NO_DISCLOSURE, NOT_APPLICABLE):
                    assert state.evidence, where


def labs_are_ranked(validation: Validation) -> list[str]:
    """The labs' slugs, ranked; every lab has a rank and a score from 0 to 100."""
    assert validation.dataset is not None
    card = score_dataset(validation.dataset, validation.reference_date)
    ranked = [ls.lab.slug for ls in card.labs]
    assert [ls.rank for ls in card.labs] == list(range(1, len(ranked) + 1))
    assert all(ls.rounded is not None and 0 <= ls.rounded <= 100 for ls in card.labs)
    return ranked


CHECKS = (
    valid,
    no_placeholder_left,
    only_stale_warnings,
    no_source_uncited,
    every_lab_assesses_every_criterion,
    every_address_is_https,
    every_scored_level_carries_evidence_and_a_summary,
    labs_are_ranked,
)


def check_everything(validation: Validation) -> None:
    """Every invariant of the bundled data, in order (the first failure stops)."""
    for check in CHECKS:
        check(validation)
