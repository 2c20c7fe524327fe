"""Streamlit-side helpers: cached data loading, the shared sidebar (filters in the URL), the
current view handed to every page, and messages. The logic lives in ``geo/``."""
