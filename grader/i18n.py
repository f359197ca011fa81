"""Languages of the course and the words of its user interface in each of them.

Course content carries its own translations (``{en: ..., nl: ...}`` in the YAML files);
this module holds only the short texts that the widgets and the grader print.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "nl")
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "answer": "Answer",
        "points": "pt",
        "not_answered_yet": "Not answered yet.",
        "saved_answer_shown": "Your saved answer is shown.",
        "saved_at": "Saved at {time}.",
        "save_failed": "Your answer could not be saved ({reason}). Please try again.",
        "unreadable_answers": (
            "Your earlier answers could not be read: {reason}. "
            "The old file is kept aside when you answer."
        ),
        "write_here": "Write your answer here.",
        "check": "Check my answer",
        "right": "Right.",
        "partly_right": "Partly right.",
        "not_quite": "Not quite.",
        "best_answer": "Best answer",
        "your_answer": "Your answer",
        "nothing_picked": "(nothing picked)",
        "score": "Score: {score} of {points}",
        "why": "Why",
        "not_answered": "Not answered.",
        "no_score": "No score: {reason}.",
        "invalid_answer": "No score: the saved answer is not valid ({reason}).",
        "guideline": "Guideline {number}: {title}",
        "progress_module": "This module: {done} of {total} practice scenarios answered.",
        "progress_course": "Whole course: {done} of {total} practice scenarios answered.",
        "model_answer": "A model answer",
        "show_model_answer": "Compare with a model answer",
    },
    "nl": {
        "answer": "Antwoord",
        "points": "pt",
        "not_answered_yet": "Nog niet beantwoord.",
        "saved_answer_shown": "Je opgeslagen antwoord staat hier.",
        "saved_at": "Opgeslagen om {time}.",
        "save_failed": "Je antwoord kon niet worden opgeslagen ({reason}). Probeer het nog eens.",
        "unreadable_answers": (
            "Je eerdere antwoorden konden niet worden gelezen: {reason}. "
            "Het oude bestand wordt apart bewaard zodra je antwoordt."
        ),
        "write_here": "Schrijf hier je antwoord.",
        "check": "Controleer mijn antwoord",
        "right": "Goed.",
        "partly_right": "Gedeeltelijk goed.",
        "not_quite": "Niet helemaal.",
        "best_answer": "Beste antwoord",
        "your_answer": "Jouw antwoord",
        "nothing_picked": "(niets gekozen)",
        "score": "Score: {score} van {points}",
        "why": "Waarom",
        "not_answered": "Niet beantwoord.",
        "no_score": "Geen score: {reason}.",
        "invalid_answer": "Geen score: het opgeslagen antwoord is ongeldig ({reason}).",
        "guideline": "Richtlijn {number}: {title}",
        "progress_module": "Deze module: {done} van {total} oefensituaties beantwoord.",
        "progress_course": "Hele cursus: {done} van {total} oefensituaties beantwoord.",
        "model_answer": "Een voorbeeldantwoord",
        "show_model_answer": "Vergelijk met een voorbeeldantwoord",
    },
}


def message(language: str, key: str, **values: object) -> str:
    """One interface text in ``language``, with ``{placeholders}`` filled in."""
    return MESSAGES[language][key].format(**values)
