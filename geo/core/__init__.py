"""Core: what every stage shares — paths, errors that name file/row/field, atomic writes,
text folding, dates at their precision (``When``) and the catalogue of tables in ``data/``.
Imports nothing else from ``geo``."""
