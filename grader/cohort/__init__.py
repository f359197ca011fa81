"""Step 5, the cohort: the roster, submissions from the exchange or an LMS download,
the gradebook reader, the one pass rule, the export and the cohort report.

May import the steps before it (course, build, learner, grading).
"""
