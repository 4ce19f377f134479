"""annotator: a keyboard-first terminal workbench for span annotation."""

__version__ = "0.1.0"
