"""The ``annotator`` command as a user runs it: a subprocess with no input, its output captured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``annotator ARGS`` run from ``cwd`` (default: the test's own directory)."""
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )
