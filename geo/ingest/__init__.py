"""Ingest: read a corpus of articles (.txt, .md, .html) into ``Article`` records with their
metadata (title, publication date, source) and the text that evidence offsets index into."""
