"""Turning results into words, tables and charts a VA can show her client."""
