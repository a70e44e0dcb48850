"""The report card's words: one generated line per lab, and the distance across a grade line.

Nothing here is written per lab by hand. A lab's line names the criterion that earns it the most
points and the one that costs it the most, with the level it has there, each weighed by what it
can move the overall score (its share of its category's weight times the category's share of
the overall weight): the same data always gives the same sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from generator.model import Grade
from generator.score import CriterionResult, LabScore, round_score

CLOSE = Decimal(5)  # two neighbours this close with different grades: show the distance
TENTH = Decimal("0.1")


def reach(ls: LabScore) -> dict[str, Fraction]:
    """For each applicable criterion, the overall points (of 100) it is worth to this lab:
    100 × its share of its category's weight × its category's share of the overall weight."""
    categories = [c for c in ls.categories if c.score is not None]
    total = sum((c.category.weight for c in categories), Fraction(0))
    out: dict[str, Fraction] = {}
    for c in categories:
        applicable = [r for r in c.results if r.applicable]
        within = sum((r.criterion.weight for r in applicable), Fraction(0))
        for r in applicable:
            out[r.criterion.id] = 100 * (c.category.weight / total) * (r.criterion.weight / within)
    return out


@dataclass(frozen=True)
class Reason:
    """A lab's line: `lead`, then the level it has where it loses most (`level`), as one
    sentence (`text`). The site may set the level in smaller type; the words are the same."""

    lead: str
    level: str | None = None

    @property
    def text(self) -> str:
        return self.lead + (f" ({self.level})" if self.level else "") + "."


def reason(ls: LabScore) -> Reason:
    """The criterion that earns the lab the most points and the one that costs it the most,
    each by what it is worth to the overall score (ties: rubric order)."""
    worth = reach(ls)
    applicable = [r for r in ls.results if r.applicable]
    if not applicable:
        return Reason("No criterion applies to this lab, so it has no score")
    if all(r.points == 1 for r in applicable):
        return Reason("Full marks on every criterion that applies")
    order = {r.criterion.id: i for i, r in enumerate(ls.results)}

    def most(results: list[CriterionResult], amount) -> CriterionResult:
        return min(results, key=lambda r: (-amount(r), order[r.criterion.id]))

    losing = [r for r in applicable if r.points != 1]
    loss = most(losing, lambda r: worth[r.criterion.id] * (1 - r.points))
    second = f"loses most on {loss.criterion.title}"
    earning = [r for r in applicable if r.points]
    if not earning:
        return Reason(f"No points on any criterion; {second}", _lower(loss.level.label))
    gain = most(earning, lambda r: worth[r.criterion.id] * r.points)
    if gain.criterion.id == loss.criterion.id:
        # Part of a criterion's points can be both the largest gain and the largest loss.
        lead = f"Earns most on {gain.criterion.title}, and loses most there too"
        return Reason(lead, _lower(loss.level.label))
    return Reason(f"Earns most on {gain.criterion.title}; {second}", _lower(loss.level.label))


def _lower(label: str) -> str:
    """A level's label inside a sentence: "No public information" -> "no public information"
    (a label that starts with an acronym, e.g. "AL2 access", keeps its capitals)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def grade_gaps(labs: tuple[LabScore, ...], grades: tuple[Grade, ...]) -> dict[str, str]:
    """How far a lab is from a grade line that falls between close scores: for each line that
    two neighbours in the ranking straddle within CLOSE points of each other, every lab within
    CLOSE of that line (below: "x points short of a B"; at or above: "x points above the B
    line"). A lab near two such lines gets the nearer one. By slug."""
    lines = set()
    for upper, lower in pairwise(labs):
        high, low = upper.rounded, lower.rounded
        if high is None or low is None or upper.grade == lower.grade or high - low > CLOSE:
            continue
        lines.update(g for g in grades if Fraction(low) < g.min <= Fraction(high))
    nearest: dict[str, tuple[Decimal, str]] = {}
    for line in sorted(lines, key=lambda g: g.min):
        at = round_score(line.min)  # the line as the site shows it
        for ls in labs:
            if ls.rounded is None or abs(ls.rounded - at) > CLOSE:
                continue
            distance = (ls.rounded - at).quantize(TENTH)
            if distance < 0:
                text = f"{-distance} points short of {_article(line.grade)} {line.grade}"
            elif distance == 0:
                text = f"Exactly on the {line.grade} line"
            else:
                text = f"{distance} points above the {line.grade} line"
            slug = ls.lab.slug
            if slug not in nearest or abs(distance) < nearest[slug][0]:
                nearest[slug] = (abs(distance), text)
    return {slug: text for slug, (_d, text) in nearest.items()}


def _article(grade: str) -> str:
    return "an" if grade[:1] in "AEFHILMNORSX" else "a"
