"""Run one benchmark job in this fresh interpreter: ``python -m benchmarks._child module:function``.

Reads the job's arguments as JSON on stdin, prints the job's result dict as JSON on the last
line of stdout, with this process's peak resident memory before and after the job.
"""

from __future__ import annotations

import importlib
import json
import resource
import sys


def _rss_mb() -> float:
    """Peak resident memory of this process image (VmHWM: unlike ``ru_maxrss``, it does not
    inherit the parent's peak across fork + exec)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    target = sys.argv[1]
    payload = json.loads(sys.stdin.read() or "{}")
    module_name, func_name = target.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    base = _rss_mb()
    result = func(**payload) or {}
    result["rss_base_mb"] = round(base, 1)
    result["rss_peak_mb"] = round(_rss_mb(), 1)
    sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
