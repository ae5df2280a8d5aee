"""Showing durations. Kept apart from the parsers so that ``status`` need not compile them."""

from __future__ import annotations


def format_duration(seconds: int) -> str:
    """``seconds`` as ``h:mm`` (whole minutes, truncated): 3599 -> ``0:59``."""
    if seconds < 0:
        return "-" + format_duration(-seconds)
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}:{rest // 60:02d}"
