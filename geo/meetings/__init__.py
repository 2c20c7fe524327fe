"""Meetings: the lexicons (mediators, participants), dates in article text, candidate meetings
extracted from articles, analyst curation, and evaluation against a gold table."""
