"""The cohort report: its figures (``data``), item analysis, the HTML page with its
charts, the CSV files, and ``write`` that puts them in a folder.

Part of :mod:`grader.cohort`; imports what that step may.
"""
