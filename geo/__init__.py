"""Talks Atlas data pipeline: articles -> place mentions -> venues -> meetings -> maps.

This package never imports streamlit; the Streamlit pages in ``pages/`` and helpers in
``ui/`` call into it.
"""
