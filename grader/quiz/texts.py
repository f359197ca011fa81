"""The words of the quiz pages that the notebooks do not use: the page's header, its
title, the end of a lesson, who to ask when a link cannot be opened, and the pages of a
learner waiting for their page (the waiting page and an exam's first paint).

Kept beside the pages rather than in :data:`grader.course.i18n.MESSAGES`, which the
widgets and the notebooks share; the exam's result speaks the feedback page's words
(:mod:`grader.grading.feedback_texts`).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "page_title": "{page} \u2013 {organisation}",
        "page_header": "About this page",
        "learner": "Taking part: {name}",
        "answered_one": "{done} of 1 question answered",
        "answered_many": "{done} of {count} questions answered",
        "contact": "Questions about the course? Ask {name}, {role}:",
        "contact_no_role": "Questions about the course? Ask {name}:",
        "exercise_ready": "Ready to test yourself? Try the graded exercise:",
        "exercise_ask": (
            "Ready to test yourself? Ask your trainer for the graded exercise “{title}”."
        ),
        "exercise_counts": (
            "It counts towards nothing but your own insight; the certification exam comes at "
            "the end of the course."
        ),
        "next_heading": "Next lesson",
        "course_done": "This was the last lesson of the course.",
        "result_region": "Your result",
        "submit_box": "Submit your exam",
        "wait_heading": "Your page is on its way",
        "wait_why": (
            "Many colleagues are opening their page at this moment, so the server prepares "
            "the pages one after another."
        ),
        "wait_next": "You are next in line.",
        "wait_place": "You are number {place} in line.",
        "wait_nothing_to_do": (
            "Your exam or lesson opens here by itself in a few seconds; there is no need to "
            "reload the page. Any answers you have already given are kept."
        ),
        "wait_try_again": "Try again now",
        "paint_now": (
            "You can read and answer now: each answer is saved as you give it. The submit "
            "button comes with the full page, which opens here by itself in a moment."
        ),
        "paint_saving": "Saving…",
        "paint_submit_later": (
            "You can submit as soon as the full page has opened, which it does by itself."
        ),
        "paint_retrying": "Not saved yet: the server does not answer. Trying again…",
    },
    "nl": {
        "page_title": "{page} \u2013 {organisation}",
        "page_header": "Over deze pagina",
        "learner": "Deelnemer: {name}",
        "answered_one": "{done} van 1 vraag beantwoord",
        "answered_many": "{done} van {count} vragen beantwoord",
        "contact": "Vragen over de cursus? Neem contact op met {name}, {role}:",
        "contact_no_role": "Vragen over de cursus? Neem contact op met {name}:",
        "exercise_ready": "Zin om jezelf te testen? Doe de beoordeelde oefening:",
        "exercise_ask": (
            "Zin om jezelf te testen? Vraag je trainer om de beoordeelde oefening “{title}”."
        ),
        "exercise_counts": (
            "Die telt alleen voor je eigen inzicht; het certificeringsexamen volgt aan het eind "
            "van de cursus."
        ),
        "next_heading": "Volgende les",
        "course_done": "Dit was de laatste les van de cursus.",
        "result_region": "Je resultaat",
        "submit_box": "Je examen inleveren",
        "wait_heading": "Je pagina komt eraan",
        "wait_why": (
            "Veel collega's openen op dit moment hun pagina, dus de server maakt de pagina's "
            "één voor één klaar."
        ),
        "wait_next": "Jij bent de volgende.",
        "wait_place": "Je bent nummer {place} in de rij.",
        "wait_nothing_to_do": (
            "Je examen of les opent hier over een paar seconden vanzelf; je hoeft de pagina "
            "niet opnieuw te laden. Antwoorden die je al hebt gegeven, blijven bewaard."
        ),
        "wait_try_again": "Nu opnieuw proberen",
        "paint_now": (
            "Je kunt nu lezen en antwoorden: elk antwoord wordt meteen opgeslagen. De knop "
            "om in te leveren komt met de volledige pagina, die hier zo vanzelf opent."
        ),
        "paint_saving": "Bezig met opslaan…",
        "paint_submit_later": (
            "Inleveren kan zodra de volledige pagina is geopend; dat gebeurt vanzelf."
        ),
        "paint_retrying": (
            "Nog niet opgeslagen: de server antwoordt niet. We proberen het opnieuw…"
        ),
    },
}


def text(language: str, key: str, **values: object) -> str:
    """One text of the quiz pages in ``language`` (English if the page's is unknown)."""
    return TEXTS.get(language, TEXTS["en"])[key].format(**values)


def answered(language: str, done: int, count: int) -> str:
    """``12 of 32 questions answered``."""
    key = "answered_one" if count == 1 else "answered_many"
    return text(language, key, done=done, count=count)
