"""Step 3, the learner: what runs in a learner's kernel in JupyterLab or Voila. The
question widgets, the answers file they save to, the questions file they read, practice
with instant feedback, and simulated learners for the demo, tests and benchmarks.

May import :mod:`grader.course` and :mod:`grader.build`; kept light, since every page
kernel imports it (no nbformat, no nbgrader).
"""
