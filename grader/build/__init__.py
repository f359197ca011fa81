"""Step 2, build: the course data turned into lesson notebooks, nbgrader source
notebooks (``solutions/``) and, through ``nbgrader generate_assignment``, the learner
versions (``exercises/``), with the public questions and practice files beside them.

May import :mod:`grader.course`.
"""
