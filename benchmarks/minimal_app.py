"""The smallest Streamlit page with one slider: the baseline for the UI benchmark."""

import streamlit as st

value = st.slider("Value", 0, 100, 50)
st.write(f"The value is {value}")
