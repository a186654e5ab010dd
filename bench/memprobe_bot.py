"""The bot with a memory probe: on SIGUSR1 it appends one line of accounting to $PROBE_OUT.

Used by ``python bench/load.py soak --probe FILE`` to tell apart what grows: the process's resident memory,
SQLite's own allocations (``sqlite3_memory_used``), glibc's heap (in use, free inside it), and the number of
live Python objects. Linux with glibc only.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_SQLITE = ctypes.CDLL("libsqlite3.so.0")
_SQLITE.sqlite3_memory_used.restype = ctypes.c_int64
_LIBC = ctypes.CDLL("libc.so.6")


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


_LIBC.mallinfo2.restype = _MallInfo2
_START = time.monotonic()


def _probe(*_: object) -> None:
    info = _LIBC.mallinfo2()
    status = dict(line.split(":", 1) for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines()
                  if ":" in line)
    line = (f"t={time.monotonic() - _START:.0f} rss_kb={status['VmRSS'].split()[0]} "
            f"anon_kb={status['RssAnon'].split()[0]} sqlite_mb={_SQLITE.sqlite3_memory_used() / 1e6:.2f} "
            f"heap_mb={info.arena / 1e6:.1f} heap_used_mb={info.uordblks / 1e6:.1f} "
            f"heap_free_mb={info.fordblks / 1e6:.1f} objects={len(gc.get_objects())} "
            f"threads={threading.active_count()}\n")
    with open(os.environ["PROBE_OUT"], "a") as out:
        out.write(line)


if __name__ == "__main__":
    signal.signal(signal.SIGUSR1, _probe)
    from bot.__main__ import main

    sys.exit(main(["run"]))
