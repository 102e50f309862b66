"""Streamlit views of the explorer (UI code only: each reads widgets, calls `siting`, draws)."""
