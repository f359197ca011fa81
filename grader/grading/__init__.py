"""Step 4, grading: nbgrader's configuration of a course folder, the sanitize
preprocessors that rebuild a submission from the released cells and its answers file,
:func:`~grader.grading.check.check_answer` that hidden test cells call, and the parallel
autograde workers, here or on Dask workers elsewhere.

May import :mod:`grader.course`, :mod:`grader.build` and :mod:`grader.learner`.
"""
