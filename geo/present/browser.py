"""Headless Debian Chromium through Playwright: one place that knows how to start it.

Never downloads a browser: it drives ``/usr/bin/chromium`` (override with TALKS_ATLAS_CHROMIUM).
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from geo.core.errors import TalksAtlasError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    # Quiet on the network: Chromium resolves Google hosts (accounts, update, DNS-over-HTTPS
    # probes) at start despite the flags above. Every host name but the loopback resolves to
    # nothing, without asking any DNS server.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--dns-prefetch-disable",
    "--disable-features=DnsOverHttps,AsyncDns,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-default-apps",
    "--no-pings",
]


def chromium_path() -> Path | None:
    env = os.environ.get("TALKS_ATLAS_CHROMIUM")
    for candidate in (env, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


class BrowserUnavailable(TalksAtlasError):
    pass


def start(playwright, **kwargs):
    """A Playwright Browser on Debian's Chromium with the offline flags, in a running Playwright
    (``sync_playwright().start()``); the caller closes it. The one place Chromium is launched."""
    exe = chromium_path()
    if exe is None:
        raise BrowserUnavailable(
            "Chromium is not installed at /usr/bin/chromium; run scripts/setup.sh "
            "(it installs Debian's chromium package)"
        )
    return playwright.chromium.launch(executable_path=str(exe), headless=True, args=CHROMIUM_ARGS, **kwargs)


@contextmanager
def launch(**kwargs):
    """Yield a Playwright Browser on Debian's Chromium, closed on exit."""
    if chromium_path() is None:
        start(None)  # raises BrowserUnavailable before Playwright starts
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = start(p, **kwargs)
        try:
            yield browser
        finally:
            browser.close()
