"""The ``grader`` command: one module per verb group that parses arguments, calls the
library and prints the outcome, plus the demo.

May import everything; nothing imports it.
"""
