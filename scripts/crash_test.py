"""kill -9 mansioni's write commands at random moments, a few hundred times, and check the
store after each kill: integrity, foreign keys, all or nothing of each command, the journal
in agreement with the tables, one running timer per person, and undo working afterwards.

    python scripts/crash_test.py --kills 300
    python scripts/crash_test.py --seed 20261127 --kills 66 --commands import,start

The same loop runs in the test suite (tests/test_crash.py, a few dozen kills); it lives in
tests/crashes.py. Exit status 1 when any kill left the store wrong; the failed runs' stores
are kept in --store-dir (a temporary folder by default, printed).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import crashes  # noqa: E402

if __name__ == "__main__":
    sys.exit(crashes.main())
