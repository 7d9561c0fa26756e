"""Folium map layers built from geo/ outputs (no Streamlit)."""
