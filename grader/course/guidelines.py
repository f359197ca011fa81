"""The eight guidelines the course teaches, in the order it teaches them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Guideline:
    """One guideline: a stable slug used by the item bank, its number and its titles."""

    slug: str
    number: int
    titles: dict[str, str]

    def title(self, language: str = "en") -> str:
        return self.titles[language]


GUIDELINES: tuple[Guideline, ...] = (
    Guideline(
        "confidential",
        1,
        {"en": "Don't leak confidential information", "nl": "Lek geen vertrouwelijke informatie"},
    ),
    Guideline(
        "black-period",
        2,
        {"en": "During a black period, stay vague", "nl": "Blijf vaag in de gesloten periode"},
    ),
    Guideline(
        "work-private",
        3,
        {"en": "Work and private life blur", "nl": "Werk en privé lopen door elkaar"},
    ),
    Guideline(
        "transparency",
        4,
        {"en": "Be transparent about who you are", "nl": "Wees open over wie je bent"},
    ),
    Guideline(
        "expertise",
        5,
        {"en": "Stay within your own area of expertise", "nl": "Blijf bij je eigen vakgebied"},
    ),
    Guideline(
        "count-to-ten",
        6,
        {"en": "Count to ten before you post", "nl": "Tel tot tien voordat je iets plaatst"},
    ),
    Guideline("relevance", 7, {"en": "Be relevant", "nl": "Wees relevant"}),
    Guideline("respect", 8, {"en": "Be respectful", "nl": "Wees respectvol"}),
)

BY_SLUG: dict[str, Guideline] = {g.slug: g for g in GUIDELINES}


def guideline(slug: str) -> Guideline:
    """Return the guideline with this slug; raise KeyError naming the known slugs."""
    try:
        return BY_SLUG[slug]
    except KeyError:
        known = ", ".join(BY_SLUG)
        raise KeyError(f"unknown guideline {slug!r} (known: {known})") from None
