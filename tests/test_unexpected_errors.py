"""An unexpected error shows where it happened, never the values of local variables."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import sys
from mansioni.services import catalog

def broken(store, *, include_archived=False):
    client_secret = "IBAN IT60X0542811101000000123456"
    raise RuntimeError("boom")

catalog.list_clients = broken
from mansioni.__main__ import main
main(["client", "list"])
"""


def test_traceback_without_locals(cli):
    cli("client", "add", "Studio Rossi")  # a store exists, so the failure is in the service
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "RuntimeError" in result.stderr and "boom" in result.stderr
    assert "IBAN" not in result.stderr + result.stdout
