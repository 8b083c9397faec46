"""What reads seats and usage for people: the report, the explanation of one seat, and the
selection (and YAML edit) of idle seats to reclaim.

Everything here is pure except :mod:`reconciler.report.collect`, which reads through a
:class:`~reconciler.github.GitHubClient`; renderers live in :mod:`reconciler.render`.
"""
