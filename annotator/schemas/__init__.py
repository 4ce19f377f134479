"""Pydantic shapes: label schemas (labels.py) and the records we import and export (records.py)."""
