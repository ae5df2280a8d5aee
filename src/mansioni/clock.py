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
    """The IANA name of the user's zone (:func:`zone_source`)."""
    return zone_source()[0]


def zone_source() -> tuple[str, str, str]:
    """The user's zone and where it comes from: ``(name, kind, origin)``. ``MANSIONI_TZ``
    (``env``), the configuration file's ``timezone`` (``file``), ``TZ`` (``env``), the
    system's (``system``: ``/etc/localtime``, ``/etc/timezone``), else UTC (``default``)."""
    explicit = os.environ.get("MANSIONI_TZ", "").strip()
    if explicit:
        if not valid_zone(explicit):
            from mansioni.errors import InputError
            from mansioni.i18n import _

            raise InputError(
                _("MANSIONI_TZ={zone} is not a time zone.").format(zone=explicit),
                hint=_("Use an IANA name, like Europe/Rome or America/New_York"),
            )
        return explicit, "env", "MANSIONI_TZ"
    from mansioni import config

    configured = config.value("timezone")
    if configured:
        return configured, "file", config.file_path()
    value = os.environ.get("TZ", "").lstrip(":")
    if value and valid_zone(value):
        return value, "env", "TZ"
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target and valid_zone(target.split("zoneinfo/", 1)[1]):
        return target.split("zoneinfo/", 1)[1], "system", "/etc/localtime"
    try:
        with open("/etc/timezone", encoding="utf-8") as file:
            name = file.read().strip()
    except OSError:
        name = ""
    if name and valid_zone(name):
        return name, "system", "/etc/timezone"
    return "UTC", "default", ""


def valid_zone(name: str) -> bool:
    """True when ``name`` is a time zone this machine knows."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def person() -> str:
    """Who is working (:func:`person_source`)."""
    return person_source()[0]


def person_source() -> tuple[str, str, str]:
    """Who is working and where it comes from: ``MANSIONI_USER`` (``env``), the
    configuration file's ``user`` (``file``), else the login name (``system``). Either is
    refused when it holds a control character (``domain.text``): it is stored with every
    entry."""
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

        checked = check_text(explicit, field="MANSIONI_USER", example="MANSIONI_USER=giulia")
        return checked, "env", "MANSIONI_USER"
    from mansioni import config

    configured = config.value("user")
    if configured:
        return configured, "file", config.file_path()
    import getpass

    try:
        name = getpass.getuser()
    except Exception:  # no passwd entry (containers): any name will do, consistently
        return "me", "default", ""
    # LOGNAME and USER come from the environment, like MANSIONI_USER: the same rule.
    from mansioni.domain.text import check_text
    from mansioni.i18n import _

    checked = check_text(name, field=_("Your login name"), example="MANSIONI_USER=giulia")
    return checked, "system", ""
