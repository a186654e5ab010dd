"""Returning freed heap memory to the system (bot/memory.py)."""

from __future__ import annotations

import ctypes.util
import sys
from pathlib import Path

import pytest

from bot import memory


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux") or ctypes.util.find_library("c") is None,
                    reason="malloc_trim is glibc's")
def test_trim_gives_freed_heap_pages_back() -> None:
    """Many small blocks pin the heap; free all but every 64th and the freed pages stay resident until trimmed."""
    blocks = [bytearray(1000) for _ in range(60_000)]  # ~60 MB below the mmap threshold: on the heap
    keep = blocks[::64]
    del blocks
    before = _rss_kib()
    assert memory.trim()
    after = _rss_kib()
    assert before - after > 20_000, (before, after)  # tens of MB back
    assert len(keep) == 938


def test_trim_is_harmless_without_the_call(monkeypatch) -> None:
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    assert memory.trim() is False
