"""Rendering for the command line: Rich tables and lines built from services' typed results."""
