"""Keep the process's resident memory at its live size over weeks of running.

Measured in the 20-minute soak (bench/load.py): the Python heap (tracemalloc) and the number of live objects
stay flat, and SQLite's page cache stops at its cap, yet resident memory kept creeping up by about 0.45 MB a
minute. The creep is glibc's heap: freed chunks in the middle of the heap (aiohttp buffers, JSON bodies,
SQLite pages) are reused only in part and are not given back to the system, because only the top of a heap
can be shrunk. ``malloc_trim(0)`` returns every whole free page, wherever it lies. Elsewhere (musl, macOS)
there is no such call and ``trim`` does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

logger = logging.getLogger(__name__)

TRIM_INTERVAL_SECONDS = 60


@functools.cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        func = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_size_t]
    func.restype = ctypes.c_int
    return func


def trim() -> bool:
    """Give free heap pages back to the system; True if the C library could and some memory was released."""
    func = _malloc_trim()
    return bool(func is not None and func(0))


async def trim_job(context: object) -> None:
    """The job-queue callback: cheap (a walk over free chunks, well under a millisecond for this heap)."""
    trim()
