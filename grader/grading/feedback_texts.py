"""The words of the learner's feedback page, in each language of the course.

Kept beside the page rather than in :data:`grader.course.i18n.MESSAGES`, which the
widgets and the quiz share; the scenario's labels (``you_are``, ``where``, the question
number) still come from there, so the page names them as the exam did.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Your feedback: {title}",
        "for_learner": "Feedback for {learner}",
        "result_heading": "Your result",
        "passed": "Passed",
        "not_passed": "Not passed",
        "not_final": "Not final yet",
        "score_final": "You scored {score} of {points} points ({percent}).",
        "score_so_far": "Points so far: {score} of {points}.",
        "pending_one": (
            "Your trainer still has to grade 1 written answer. Your final result, and "
            "whether you pass, follow once that is done."
        ),
        "pending_many": (
            "Your trainer still has to grade {count} written answers. Your final result, "
            "and whether you pass, follow once that is done."
        ),
        "passed_text": "Well done: you meet every requirement to pass.",
        "rule": (
            "To pass you need at least {pass_mark} of all points and at least {minimum} "
            "on every guideline."
        ),
        "rule_no_minimum": "To pass you need at least {pass_mark} of all points.",
        "below_pass_mark": "Your overall score, {percent}, is below the {pass_mark} you need.",
        "below_minimum": "Guideline {number}, {title}: {percent}, below the minimum of {minimum}.",
        "below_minimum_many": "Guidelines {numbers} are below the minimum of {minimum}; see below.",
        "and": "and",
        "nothing_scored": "None of the questions has been scored yet.",
        "answers_unreadable": (
            "Your answers could not be read: {reason}. Every question counts as not "
            "answered; if you did answer them, tell your trainer."
        ),
        "guidelines_heading": "Per guideline",
        "minimum_reached": "minimum reached",
        "minimum_missed": "below the minimum",
        "guideline_pending": "waiting for your trainer",
        "questions_heading": "Per question",
        "questions_nav": "Go to a question",
        "right": "Right",
        "partly": "Partly right",
        "wrong": "Wrong",
        "unanswered": "Not answered",
        "pending": "To be graded by your trainer",
        "ungraded": "No score recorded",
        "points_one": "{score} of 1 point",
        "points_many": "{score} of {points} points",
        "your_answer": "Your answer",
        "your_choices": "Your choices",
        "you_flagged": "The lines you flagged",
        "best_answer": "Best answer",
        "best_choices": "The best choices",
        "to_flag": "The lines to flag",
        "missed": "you missed this one",
        "pick_right": "right",
        "pick_wrong": "wrong",
        "nothing_picked": "You picked nothing.",
        "not_answered": "You did not answer this question.",
        "invalid": "Your saved answer could not be scored: {reason}.",
        "comment": "Your trainer's comment",
        "model_answer": "A model answer",
        "why": "Why",
    },
    "nl": {
        "title": "Je feedback: {title}",
        "for_learner": "Feedback voor {learner}",
        "result_heading": "Je resultaat",
        "passed": "Geslaagd",
        "not_passed": "Niet geslaagd",
        "not_final": "Nog niet definitief",
        "score_final": "Je hebt {score} van de {points} punten gehaald ({percent}).",
        "score_so_far": "Punten tot nu toe: {score} van {points}.",
        "pending_one": (
            "Je trainer moet nog 1 geschreven antwoord beoordelen. Daarna volgen je "
            "eindresultaat en of je bent geslaagd."
        ),
        "pending_many": (
            "Je trainer moet nog {count} geschreven antwoorden beoordelen. Daarna volgen je "
            "eindresultaat en of je bent geslaagd."
        ),
        "passed_text": "Goed gedaan: je voldoet aan alle eisen om te slagen.",
        "rule": (
            "Om te slagen heb je minstens {pass_mark} van alle punten nodig, en minstens "
            "{minimum} op elke richtlijn."
        ),
        "rule_no_minimum": "Om te slagen heb je minstens {pass_mark} van alle punten nodig.",
        "below_pass_mark": (
            "Je totaalscore van {percent} ligt onder de {pass_mark} die je nodig hebt."
        ),
        "below_minimum": "Richtlijn {number}, {title}: {percent}, onder het minimum van {minimum}.",
        "below_minimum_many": (
            "Richtlijnen {numbers} zitten onder het minimum van {minimum}; zie hieronder."
        ),
        "and": "en",
        "nothing_scored": "Er is nog geen enkele vraag gescoord.",
        "answers_unreadable": (
            "Je antwoorden konden niet worden gelezen: {reason}. Elke vraag telt daardoor als "
            "niet beantwoord; heb je ze wel beantwoord, meld dat dan aan je trainer."
        ),
        "guidelines_heading": "Per richtlijn",
        "minimum_reached": "minimum gehaald",
        "minimum_missed": "onder het minimum",
        "guideline_pending": "wacht op je trainer",
        "questions_heading": "Per vraag",
        "questions_nav": "Naar een vraag",
        "right": "Goed",
        "partly": "Deels goed",
        "wrong": "Fout",
        "unanswered": "Niet beantwoord",
        "pending": "Wordt nog beoordeeld door je trainer",
        "ungraded": "Geen score geregistreerd",
        "points_one": "{score} van 1 punt",
        "points_many": "{score} van {points} punten",
        "your_answer": "Jouw antwoord",
        "your_choices": "Jouw keuzes",
        "you_flagged": "Deze regels wees je aan",
        "best_answer": "Beste antwoord",
        "best_choices": "De beste keuzes",
        "to_flag": "Deze regels had je moeten aanwijzen",
        "missed": "deze had je gemist",
        "pick_right": "goed",
        "pick_wrong": "fout",
        "nothing_picked": "Je hebt niets gekozen.",
        "not_answered": "Je hebt deze vraag niet beantwoord.",
        "invalid": "Je opgeslagen antwoord kon niet worden gescoord: {reason}.",
        "comment": "Opmerking van je trainer",
        "model_answer": "Een voorbeeldantwoord",
        "why": "Waarom",
    },
}


def words(language: str, key: str, **values: object) -> str:
    """One text of the feedback page in ``language``, placeholders filled in."""
    return WORDS[language][key].format(**values)


def number(value: str, language: str) -> str:
    """A number as the language writes it: ``0.67`` in English, ``0,67`` in Dutch."""
    return value.replace(".", ",") if language == "nl" else value
