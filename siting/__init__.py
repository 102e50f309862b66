"""Siting model for AI data centres in France: data, proximity, scoring, maps.

Nothing in this package imports Streamlit; the app and the command line both call it.
"""

__version__ = "0.1.0"
