"""The ``annotator`` command as a user runs it: a subprocess, its output captured.

Every test that runs the command goes through ``cli``; a test file's own helper only adds the
arguments or environment it always passes (``--db``, ``ANNOTATOR_DB``, ``COLUMNS``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def cli(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``annotator ARGS`` run from ``cwd`` (default: the test's own directory), with ``env`` over the
    test's environment and ``stdin`` as its input (none: no input at all)."""
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        cwd=cwd,
        **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}),
    )
