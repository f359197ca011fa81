"""The quiz site beside the flow: exams and lessons as Voila pages with personal links.
Tokens and links, the page notebook's kernel side (page, parts, lesson, exam, snapshot),
submission and grading, the site folder and its Voila template (``share/``).

May import any step; nothing but the command line imports it.
"""
