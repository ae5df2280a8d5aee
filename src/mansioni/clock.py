"""The clock and the user's zone: the only place that reads the real time.

Services take ``now`` as a parameter; the command line asks this module once per
command. Tests replace ``now`` (``monkeypatch.setattr(clock, "now", ...)``).
"""

from __future__ import annotations

import os
import time


def now() -> int:
    """The current instant, whole seconds since the epoch (UTC)."""
    return int(time.time())


def zone_name() -> str:
    """The IANA name of the user's zone: ``MANSIONI_TZ``, ``TZ``, the system's, else UTC."""
    explicit = os.environ.get("MANSIONI_TZ", "").strip()
    if explicit:
        if not _valid(explicit):
            from mansioni.errors import InputError
            from mansioni.i18n import _

            raise InputError(
                _("MANSIONI_TZ={zone} is not a time zone.").format(zone=explicit),
                hint=_("Use an IANA name, like Europe/Rome or America/New_York"),
            )
        return explicit
    value = os.environ.get("TZ", "").lstrip(":")
    if value and _valid(value):
        return value
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target and _valid(target.split("zoneinfo/", 1)[1]):
        return target.split("zoneinfo/", 1)[1]
    try:
        with open("/etc/timezone", encoding="utf-8") as file:
            name = file.read().strip()
    except OSError:
        name = ""
    return name if name and _valid(name) else "UTC"


def _valid(name: str) -> bool:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def person() -> str:
    """Who is working: ``MANSIONI_USER``, else the login name. Either is refused when it
    holds a control character (``domain.text``): it is stored with every entry."""
    explicit = os.environ.get("MANSIONI_USER", "").strip()
    if explicit:
        if len(explicit) > 100:
            from mansioni.errors import InputError
            from mansioni.i18n import _

            raise InputError(
                _("MANSIONI_USER is too long (100 characters at most)."),
                hint=_("For example: MANSIONI_USER=giulia"),
            )
        from mansioni.domain.text import check_text

        return check_text(explicit, field="MANSIONI_USER", example="MANSIONI_USER=giulia")
    import getpass

    try:
        name = getpass.getuser()
    except Exception:  # no passwd entry (containers): any name will do, consistently
        return "me"
    # LOGNAME and USER come from the environment, like MANSIONI_USER: the same rule.
    from mansioni.domain.text import check_text
    from mansioni.i18n import _

    return check_text(name, field=_("Your login name"), example="MANSIONI_USER=giulia")
