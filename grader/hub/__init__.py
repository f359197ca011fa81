"""The deployment beside the flow: the course on a JupyterHub for a whole organisation.

What a hub needs, as data (:mod:`~grader.hub.plan`), and the files made from it: the
hub's ``jupyterhub_config.py`` with the formgrader, the quiz pages and the idle culler as
hub services (:mod:`~grader.hub.config_file`), the learners' nbgrader configuration
(:mod:`~grader.hub.learner_config`) and, for Kubernetes, a zero-to-jupyterhub values
file with the services' manifests and the single-user image (:mod:`~grader.hub.kubernetes`).

May import any step; nothing but the command line imports it.
"""
