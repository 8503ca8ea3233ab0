"""Peak resident memory of this process, for the benchmark's memory figures."""

from __future__ import annotations

import resource
import sys


def peak_rss_mib() -> float:
    """The process's peak resident memory so far, in MiB.

    Linux: ``VmHWM`` from /proc/self/status, the high-water mark of this
    process image. ``ru_maxrss`` is not used there because the kernel folds
    the parent's peak into it at exec, so a child started by a big parent
    (the bench, after its 100k-statement groups) reports the parent's memory.
    Elsewhere: ``ru_maxrss``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1 if sys.platform != "darwin" else 1 / 1024  # KiB on Linux, bytes on macOS
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1024
