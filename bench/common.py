"""What the benchmark scripts set up first: models offline, this repository importable.

`import common` (bench/ is on the path when a script runs as `python bench/<name>.py`) before
importing `placement`; ROOT is the repository.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def stop(server: subprocess.Popen, grace: float = 30) -> None:
    """Stop a server started by a benchmark: SIGTERM, then kill after `grace` seconds."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(grace)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(5)
