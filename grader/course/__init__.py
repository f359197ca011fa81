"""Step 1, the course as data: guidelines, organisation settings, languages and
messages, the item bank with its schemas, lessons and practice scenarios, the scoring
rules, and where a course folder keeps each of them.

Imports nothing of the other steps; everything else builds on it. Modules a learner's
kernel loads (``i18n``, ``scoring``, ``points``, ``paths``) import no third-party package.
"""
