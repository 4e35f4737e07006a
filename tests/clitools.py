"""Running the real ``trucewatch`` console script in a subprocess, as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TRUCEWATCH = str(Path(sys.executable).parent / "trucewatch")


def run(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TRUCEWATCH, *args], input=stdin, capture_output=True, text=True, timeout=timeout)
