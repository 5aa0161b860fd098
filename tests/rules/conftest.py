"""Make ``src/`` importable when the package is not installed (pure tests run with -p no:django)."""

import sys
from pathlib import Path

try:
    import liuhen  # noqa: F401
except ImportError:  # pragma: no cover - depends on how the venv was set up
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
