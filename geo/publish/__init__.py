"""Publish: the build — venues, extraction and curation written as the tables in ``data/``
(``build.build`` is what ``python -m geo build`` runs)."""
