"""A real headless Chromium for the page tests: find it, run it, read what it left.

Chromium comes from a system package (Debian's ``chromium``, ``/usr/bin/chromium``),
which ``.ci/run`` installs when it runs as root, or any Chromium or Chrome binary named
by ``MANSIONI_CHROMIUM``. The browser tests carry ``@pytest.mark.requires("chromium")``:
where :func:`missing` says none is found they are skipped with that reason, and with
``MANSIONI_TEST_REQUIRE_ALL=1`` (as ``.ci/run`` sets) they fail instead.

Every run is headless, with a profile of its own in a temporary folder, most of
Chromium's own background traffic turned off, every host name resolving to nothing
(``--host-resolver-rules``) and, where the system allows it, in a network namespace
of its own with no interface up (``unshare --net``): even a page that tried to fetch
something could not reach the network. Its net log (``--log-net-log``) then shows
whether the page tried: :func:`page_requests` picks the requests made on behalf of
the page (Chromium's own update and account checks are made for no page, and are
left aside).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Where a screenshot is kept for a person to look at (git-ignored).
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 25  # seconds for one Chromium run
INSTALL = (
    "no Chromium found: install it (as root: apt-get install chromium) or set "
    "MANSIONI_CHROMIUM to a Chromium or Chrome binary"
)
QUIET = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--no-pings",
    "--hide-scrollbars",
    "--mute-audio",
    "--disable-quic",
    "--no-service-autorun",
    "--disable-field-trial-config",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,"
    "NetworkTimeServiceQuerying,CertificateTransparencyComponentUpdater",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def artifacts() -> Path:
    folder = Path(os.environ.get("MANSIONI_TEST_ARTIFACTS") or ARTIFACTS)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def find() -> str | None:
    """The Chromium binary: ``$MANSIONI_CHROMIUM`` if set (and only it), else one on the PATH."""
    explicit = os.environ.get("MANSIONI_CHROMIUM")
    if explicit:
        candidates = [explicit]
    else:
        candidates = [shutil.which(name) or "" for name in NAMES] + ["/usr/bin/chromium"]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def missing() -> str | None:
    """Why the browser tests cannot run here (what is missing, how to get it), or None."""
    if find() is not None:
        return None
    explicit = os.environ.get("MANSIONI_CHROMIUM")
    if explicit:
        return f"MANSIONI_CHROMIUM={explicit} is not an executable file"
    return INSTALL


def chromium() -> str:
    """The Chromium binary, or a failed test that says how to get one."""
    path = find()
    if path is None:
        pytest.fail(missing() or INSTALL, pytrace=False)
    return path


_ISOLATION: list[list[str]] = []


def isolation() -> list[str]:
    """A prefix running a command with no network at all, if this system allows one."""
    if not _ISOLATION:
        prefix: list[str] = []
        unshare = shutil.which("unshare")
        if unshare:
            for flags in (["--net"], ["--map-root-user", "--net"]):
                probe = subprocess.run(
                    [unshare, *flags, "true"], capture_output=True, timeout=10, check=False
                )
                if probe.returncode == 0:
                    prefix = [unshare, *flags]
                    break
        _ISOLATION.append(prefix)
    return _ISOLATION[0]


def version() -> str:
    done = subprocess.run(
        [chromium(), "--version"], capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    return done.stdout.strip()


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str
    net_log: Path


def run(url: str, *args: str, workdir: Path) -> Run:
    """Load ``url`` headless with ``args`` (``--screenshot=...``, ``--dump-dom``, ...)."""
    profile = workdir / "profile"
    profile.mkdir(parents=True, exist_ok=True)
    net_log = workdir / f"net-log-{len(list(workdir.glob('net-log-*')))}.json"
    command = [
        *isolation(),
        chromium(),
        *QUIET,
        f"--user-data-dir={profile}",
        f"--log-net-log={net_log}",
        *(["--no-sandbox"] if os.geteuid() == 0 else []),
        *args,
        url,
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its helpers too can be ended by this group's id
        env={**os.environ, "HOME": str(workdir)},
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"Chromium took over {TIMEOUT} s: {' '.join(command)}", pytrace=False)
    if process.returncode != 0:
        pytest.fail(f"Chromium exited {process.returncode}: {err[-2000:]}", pytrace=False)
    return Run(out, err, net_log)


# -- the net log -------------------------------------------------------------------


def url_requests(net_log: Path) -> list[dict]:
    """The parameters of every URL request the net log shows starting."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]
        for event in log.get("events", [])
        if event.get("type") == start and "url" in (event.get("params") or {})
    ]


def page_requests(net_log: Path) -> list[str]:
    """The URLs requested on behalf of a page opened from a file: those whose
    network isolation key, initiator or site is the ``file://`` page's."""
    found = []
    for params in url_requests(net_log):
        on_behalf = (
            "file://" in str(params.get("network_isolation_key", ""))
            or "file://" in str(params.get("site_for_cookies", ""))
            or params.get("initiator") in ("null", "file://")
        )
        if on_behalf:
            found.append(params["url"])
    return found


# -- PNG ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Png:
    width: int
    height: int
    channels: int
    rows: list[bytes]  # unfiltered, ``width * channels`` bytes each

    def pixel(self, x: int, y: int) -> tuple[int, ...]:
        row = self.rows[y]
        return tuple(row[x * self.channels : x * self.channels + 3])


def read_png(data: bytes) -> Png:
    """Decode an 8-bit RGB or RGBA PNG (what Chromium writes) with zlib alone."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    at, idat, header = 8, [], None
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        at += 12 + length
    assert header is not None, "no IHDR"
    width, height, depth, colour, _compression, _filter, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:  # Up
            line = bytearray((a + b) & 255 for a, b in zip(line, previous, strict=True))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                near = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + near) & 255
        rows.append(bytes(line))
        previous = line
    return Png(width, height, channels, rows)


# -- PDF ---------------------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)


def headed_blocks(data: bytes) -> tuple[int, dict[int, set[int]]]:
    """How many pages a PDF printed by Chromium has, and on which pages (0-based) each
    block under a second-level heading lies: ``{object number of the heading: pages}``.

    Chromium tags what it prints (a structure tree, as for screen readers): each
    heading's element has its block (``<section>``) as parent, and every piece of
    painted content names its page (``/Pg``). A block printed whole lies on one page.
    Only the uncompressed objects Chromium writes are read (no object streams)."""
    objects = {int(k): body for k, body in _OBJECT.findall(data)}
    kids = {
        k: [
            int(x)
            for x in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", b, re.S).group(1))
        ]
        for k, b in objects.items()
        if re.match(rb"<<\s*/Type\s*/Pages\b", b)
    }
    inner = {c for v in kids.values() for c in v}
    order: list[int] = []

    def walk(k: int) -> None:
        for child in kids.get(k, []):
            if child in kids:
                walk(child)
            else:
                order.append(child)

    for root in (k for k in kids if k not in inner):
        walk(root)
    page = {k: i for i, k in enumerate(order)}
    elements = {k: b for k, b in objects.items() if re.match(rb"<<\s*/Type\s*/StructElem\b", b)}

    def children(body: bytes) -> list[int]:
        found = re.search(rb"/K\s*(\[.*?\]|\d+ 0 R)", body, re.S)
        return [int(x) for x in re.findall(rb"(\d+) 0 R", found.group(1))] if found else []

    def pages(k: int, seen: set[int]) -> set[int]:
        seen.add(k)
        body = elements[k]
        out = {page[int(p)] for p in re.findall(rb"/Pg (\d+) 0 R", body) if int(p) in page}
        for child in children(body):
            if child in elements and child not in seen:
                out |= pages(child, seen)
        return out

    blocks = {}
    for k, body in elements.items():
        if re.search(rb"/S\s*/H2\b", body):
            parent = int(re.search(rb"/P (\d+) 0 R", body).group(1))
            if parent in elements and not re.search(rb"/S\s*/Document\b", elements[parent]):
                blocks[k] = pages(parent, set())
    return len(order), blocks
