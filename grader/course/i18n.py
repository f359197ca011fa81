"""Languages of the course and the words of its user interface in each of them.

Course content carries its own translations (``{en: ..., nl: ...}`` in the YAML files);
this module holds only the short texts that the widgets and the grader print.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "nl")


def split_assignment(assignment: str) -> tuple[str, str]:
    """``certification-exam-nl`` → (``certification-exam``, ``nl``)."""
    assessment, _, language = assignment.rpartition("-")
    if language not in LANGUAGES or not assessment:
        raise KeyError(f"{assignment!r} is not an assessment built in a language ({LANGUAGES})")
    return assessment, language


LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "answers_missing": "no answers file was found ({name})",
        "answers_not_a_file": "{name} is not a regular file",
        "answers_too_large": "{name} is larger than {limit} bytes",
        "answers_corrupt": "{name} is corrupt ({error})",
        "answers_wrong_format": "{name} is not an answers file of version {version}",
        "answer_not_single": "a choice answer must be a single option",
        "answer_unknown_option": "{option} is not one of the options",
        "answer_not_list": "a multi-select answer must be a list of options",
        "answer_picked_twice": "the same option is picked more than once",
        "answer_not_text": "a written answer must be text",
        "answer_too_long": "the answer is longer than {limit} characters",
        "answer_unknown_kind": "unknown item kind {kind}",
        "practice_heading": "Practice",
        "practice_intro": (
            "Try these situations. Your answer is saved at once and you see straight away "
            "whether it is the best choice, and why. Nothing here is graded."
        ),
        "situation_number": "Situation {number}",
        "local_note": "At {organisation}",
        "exercise_heading": "Graded exercise",
        "exercise_text": (
            "Ready? Your trainer releases the graded exercise *{title}* "
            "(assignment `{assignment}`). It counts towards nothing but your own insight; "
            "the certification exam comes at the end of the course."
        ),
        "your_progress": "Your progress",
        "question_number": "Question {number}",
        "you_are": "You are",
        "where": "Where",
        "scored_later": "# This question is scored when your trainer grades the assessment.",
        "written_answer_stub": (
            "*Type your answer in the box above; it is saved there. Your trainer reads it here.*"
        ),
        "rubric": "Rubric ({points} points)",
        "why_heading": "Why",
        "learner_answer": "The learner's answer",
        "preview_not_saved": (
            "Instructor version: your answers here are not saved beside the notebook."
        ),
        "assessment_summary": "{count} questions, {points} points in all, on guidelines {numbers}.",
        "how_it_works": (
            "**How it works.** Run the notebook from the top (or open it as a web page). "
            "Each answer is saved the moment you give it, so you can stop and come back "
            "later. When you are done, submit the assignment; your trainer grades it and "
            "you receive feedback with an explanation for every question."
        ),
        "points": "pt",
        "not_answered_yet": "Not answered yet.",
        "saved_answer_shown": "Your saved answer is shown.",
        "saved_at": "Saved at {time}.",
        "save_failed": "Your answer could not be saved ({reason}).",
        "not_saved": "Not saved: {reason}.",
        "save_again": "Save again",
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
        "link_missing": (
            "This page needs your personal link. Open the link from the e-mail your trainer "
            "sent you."
        ),
        "link_altered": (
            "This link is not valid: it may have been cut off or changed. Open the link from "
            "your e-mail again, or ask your trainer for a new one."
        ),
        "link_expired": "This link expired on {date}. Ask your trainer for a new one.",
        "link_other_assignment": (
            "This link belongs to another exam. Open the link that came with this exam."
        ),
        "link_other_learner": (
            "This link belongs to someone else, and you are logged in as {user}. Open the "
            "course from your own account instead."
        ),
        "hub_not_enrolled_title": "Not on the list of learners",
        "hub_not_enrolled": (
            "You are logged in as {user}, who is not on this course's list of learners. "
            "Ask your trainer to add you, or to send you a personal link."
        ),
        "page_unknown": "There is no exam or lesson at this address. Check the link you were sent.",
        "link_page_title": "This link cannot be opened",
        "page_error": (
            "Sorry, something went wrong on our side. Reload the page; if it happens again, "
            "tell your trainer."
        ),
        "how_it_works_web": (
            "**How it works.** Each answer is saved the moment you give it, so you can close "
            "this page and come back later with the same link. When you are done, submit "
            "your exam at the bottom of the page: you see your score as soon as it is graded."
        ),
        "submit_intro": (
            "Answered everything? Submit your exam to have it graded. Attempts left: {left} of "
            "{attempts}."
        ),
        "submit": "Submit my exam",
        "submit_confirm": "Yes, submit now",
        "submit_sure": "Submit your exam now? Afterwards your answers can no longer change.",
        "submit_unanswered": "{unanswered} of {count} questions are not answered yet: {numbers}.",
        "submit_all_answered": "All {count} questions are answered.",
        "submit_cancel": "Back to the exam",
        "answers_frozen": "Your exam has been submitted: this change was not saved.",
        "grading": "Your exam is submitted and being graded. This takes a few seconds.",
        "page_connecting": "Connecting to the server: an answer you give now is saved in a moment.",
        "page_pending": "Saved as soon as the page is connected.",
        "page_stalled": (
            "This page cannot reach the server, so answers are not being saved. Check your "
            "connection and reload the page."
        ),
        "attempts_left": "Attempts left: {left}. You may change your answers and submit again.",
        "no_attempts_left": "This exam is submitted; no attempts are left.",
        "grading_failed": (
            "Your exam is submitted, but it could not be graded automatically. Your trainer "
            "will grade it."
        ),
    },
    "nl": {
        "answers_missing": "er is geen antwoordbestand gevonden ({name})",
        "answers_not_a_file": "{name} is geen gewoon bestand",
        "answers_too_large": "{name} is groter dan {limit} bytes",
        "answers_corrupt": "{name} is beschadigd ({error})",
        "answers_wrong_format": "{name} is geen antwoordbestand van versie {version}",
        "answer_not_single": "bij deze vraag hoort één antwoord",
        "answer_unknown_option": "{option} is geen van de antwoordmogelijkheden",
        "answer_not_list": "bij deze vraag hoort een lijst met antwoorden",
        "answer_picked_twice": "hetzelfde antwoord is meer dan eens gekozen",
        "answer_not_text": "een geschreven antwoord moet tekst zijn",
        "answer_too_long": "het antwoord is langer dan {limit} tekens",
        "answer_unknown_kind": "onbekend soort vraag {kind}",
        "practice_heading": "Oefenen",
        "practice_intro": (
            "Probeer deze situaties. Je antwoord wordt meteen bewaard en je ziet direct of "
            "het de beste keuze is, en waarom. Hier wordt niets beoordeeld."
        ),
        "situation_number": "Situatie {number}",
        "local_note": "Bij {organisation}",
        "exercise_heading": "Beoordeelde oefening",
        "exercise_text": (
            "Klaar? Je trainer zet de beoordeelde oefening *{title}* voor je klaar "
            "(opdracht `{assignment}`). Die telt alleen voor je eigen inzicht; het "
            "certificeringsexamen volgt aan het eind van de cursus."
        ),
        "your_progress": "Je voortgang",
        "question_number": "Vraag {number}",
        "you_are": "Jij bent",
        "where": "Waar",
        "scored_later": "# Deze vraag wordt gescoord als je trainer de opdracht nakijkt.",
        "written_answer_stub": (
            "*Typ je antwoord in het vak hierboven; daar wordt het bewaard. "
            "Je trainer leest het hier.*"
        ),
        "rubric": "Beoordelingsschema ({points} punten)",
        "why_heading": "Waarom",
        "learner_answer": "Het antwoord van de cursist",
        "preview_not_saved": (
            "Versie voor de trainer: je antwoorden hier worden niet naast het notebook bewaard."
        ),
        "assessment_summary": "{count} vragen, samen {points} punten, over richtlijn {numbers}.",
        "how_it_works": (
            "**Zo werkt het.** Voer het notebook van boven naar beneden uit (of open het als "
            "webpagina). Elk antwoord wordt opgeslagen zodra je het geeft, dus je kunt "
            "stoppen en later verdergaan. Ben je klaar, lever de opdracht dan in; je trainer "
            "kijkt hem na en je krijgt bij elke vraag feedback met uitleg."
        ),
        "points": "pt",
        "not_answered_yet": "Nog niet beantwoord.",
        "saved_answer_shown": "Je opgeslagen antwoord staat hier.",
        "saved_at": "Opgeslagen om {time}.",
        "save_failed": "Je antwoord kon niet worden opgeslagen ({reason}).",
        "not_saved": "Niet opgeslagen: {reason}.",
        "save_again": "Opnieuw opslaan",
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
        "link_missing": (
            "Voor deze pagina heb je je persoonlijke link nodig. Open de link uit de e-mail "
            "van je trainer."
        ),
        "link_altered": (
            "Deze link is niet geldig: misschien is hij afgebroken of veranderd. Open de link "
            "uit je e-mail opnieuw, of vraag je trainer om een nieuwe."
        ),
        "link_expired": "Deze link is verlopen op {date}. Vraag je trainer om een nieuwe.",
        "link_other_assignment": (
            "Deze link hoort bij een ander examen. Open de link die bij dit examen hoort."
        ),
        "link_other_learner": (
            "Deze link is van iemand anders, en je bent ingelogd als {user}. Open de cursus "
            "vanuit je eigen account."
        ),
        "hub_not_enrolled_title": "Niet op de deelnemerslijst",
        "hub_not_enrolled": (
            "Je bent ingelogd als {user}, en die naam staat niet op de deelnemerslijst van "
            "deze cursus. Vraag je trainer om je toe te voegen, of om een persoonlijke link."
        ),
        "link_page_title": "Deze link kan niet worden geopend",
        "page_unknown": (
            "Op dit adres staat geen examen of les. Controleer de link die je hebt gekregen."
        ),
        "page_error": (
            "Sorry, er ging bij ons iets mis. Laad de pagina opnieuw; gebeurt het weer, "
            "meld het dan aan je trainer."
        ),
        "how_it_works_web": (
            "**Zo werkt het.** Elk antwoord wordt opgeslagen zodra je het geeft, dus je kunt "
            "deze pagina sluiten en later met dezelfde link verdergaan. Ben je klaar, lever "
            "je examen dan onderaan de pagina in: je ziet je score zodra het is nagekeken."
        ),
        "submit_intro": (
            "Alles beantwoord? Lever je examen in om het te laten nakijken. Pogingen over: "
            "{left} van {attempts}."
        ),
        "submit": "Examen inleveren",
        "submit_confirm": "Ja, nu inleveren",
        "submit_sure": "Je examen nu inleveren? Daarna kun je je antwoorden niet meer wijzigen.",
        "submit_unanswered": (
            "{unanswered} van de {count} vragen zijn nog niet beantwoord: {numbers}."
        ),
        "submit_all_answered": "Alle {count} vragen zijn beantwoord.",
        "submit_cancel": "Terug naar het examen",
        "answers_frozen": "Je examen is ingeleverd: deze wijziging is niet opgeslagen.",
        "grading": "Je examen is ingeleverd en wordt nagekeken. Dat duurt een paar seconden.",
        "page_connecting": (
            "Verbinding maken met de server: een antwoord dat je nu geeft, wordt zo opgeslagen."
        ),
        "page_pending": "Wordt opgeslagen zodra de pagina verbonden is.",
        "page_stalled": (
            "Deze pagina bereikt de server niet, dus antwoorden worden niet opgeslagen. Controleer "
            "je verbinding en laad de pagina opnieuw."
        ),
        "attempts_left": (
            "Pogingen over: {left}. Je kunt je antwoorden aanpassen en opnieuw inleveren."
        ),
        "no_attempts_left": "Dit examen is ingeleverd; er zijn geen pogingen meer over.",
        "grading_failed": (
            "Je examen is ingeleverd, maar kon niet automatisch worden nagekeken. Je trainer "
            "kijkt het na."
        ),
    },
}


def message(language: str, key: str, **values: object) -> str:
    """One interface text in ``language``, with ``{placeholders}`` filled in."""
    return MESSAGES[language][key].format(**values)
