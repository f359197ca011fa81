"""The eight guidelines the course teaches, in the order it teaches them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Guideline:
    """One guideline: a stable slug used by the item bank, its number and its title."""

    slug: str
    number: int
    title: str


GUIDELINES: tuple[Guideline, ...] = (
    Guideline("confidential", 1, "Don't leak confidential information"),
    Guideline("black-period", 2, "During a black period, stay vague"),
    Guideline("work-private", 3, "Work and private life blur"),
    Guideline("transparency", 4, "Be transparent about who you are"),
    Guideline("expertise", 5, "Stay within your own area of expertise"),
    Guideline("count-to-ten", 6, "Count to ten before you post"),
    Guideline("relevance", 7, "Be relevant"),
    Guideline("respect", 8, "Be respectful"),
)

BY_SLUG: dict[str, Guideline] = {g.slug: g for g in GUIDELINES}


def guideline(slug: str) -> Guideline:
    """Return the guideline with this slug; raise KeyError naming the known slugs."""
    try:
        return BY_SLUG[slug]
    except KeyError:
        known = ", ".join(BY_SLUG)
        raise KeyError(f"unknown guideline {slug!r} (known: {known})") from None
