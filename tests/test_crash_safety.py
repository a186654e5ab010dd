"""A few rounds of the SIGKILL crash script (bench/crash.py runs hundreds and reports the figures)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_killed_mid_questionnaire_loses_no_acknowledged_step_and_resumes() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "bench/crash.py"), "--rounds", "3", "--seed", "7"],
                          capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "lost 0, integrity failures 0" in proc.stdout and "wrong resumes 0" in proc.stdout
    acknowledged = int(proc.stdout.split("acknowledged steps ")[1].split(",")[0])
    assert acknowledged > 0  # the kills really happened mid-walk
