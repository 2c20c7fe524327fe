"""Talks Atlas data pipeline: articles -> place mentions -> venues -> meetings -> maps.

One subpackage per stage, imports flowing one way (commands -> stages -> core):
``core`` (shared), ``ingest`` (articles), ``places`` (venues), ``meetings`` (extraction and
curation), ``publish`` (the build), ``present`` (map, briefing, exports) and ``commands`` (CLI).
This package never imports streamlit; the pages in ``app_pages/`` and helpers in ``ui/`` call into it.
"""
