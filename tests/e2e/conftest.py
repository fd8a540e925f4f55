"""Browser journeys against the real app: a server process, a SQLite file, Debian's chromium.

The server is started with the same commands a user runs (``flask db upgrade``,
``flask seed-demo``, ``flask run``) in a temporary instance folder. Chromium is driven by
Playwright with the system executable; without chromium the tests skip, unless
``MATCHTAFEL_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
#: Screenshots of the journeys' key pages, for reviewers (named in the README).
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "matchtafel-demo"


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _chromium() or os.environ.get("MATCHTAFEL_REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@dataclass
class LiveServer:
    url: str
    instance: Path
    process: subprocess.Popen[bytes]

    @property
    def mail_dir(self) -> Path:
        return self.instance / "mail"

    def flask(self, *args: str) -> str:
        """Run a ``flask --app coordinator`` command against the server's database."""
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "coordinator", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    @property
    def env(self) -> dict[str, str]:
        return _server_env(self.instance, self.url)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(instance: Path, url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("COORDINATOR_")}
    env.update(
        {
            "FLASK_DEBUG": "0",
            "COORDINATOR_SECRET_KEY": "e2e-secret-key-0123456789-abcdefghijklmnop",
            "COORDINATOR_SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'e2e.sqlite'}",
            "COORDINATOR_MAIL_DIR": str(instance / "mail"),
            "COORDINATOR_BASE_URL": url,
            # Plain http on 127.0.0.1: session cookies cannot be Secure here.
            "COORDINATOR_SESSION_COOKIE_SECURE": "false",
            "COORDINATOR_REMEMBER_COOKIE_SECURE": "false",
        }
    )
    return env


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the app server exited during start-up")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the app server did not become healthy within 30 s")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    instance = tmp_path_factory.mktemp("e2e-instance")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _server_env(instance, url)
    flask = [sys.executable, "-m", "flask", "--app", "coordinator"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*flask, "seed-demo"], env=env, check=True, capture_output=True)
    log = (instance / "server.log").open("wb")
    process = subprocess.Popen(
        [*flask, "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_healthy(url, process)
        yield LiveServer(url=url, instance=instance, process=process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    if executable is None:
        pytest.fail("MATCHTAFEL_REQUIRE_BROWSER=1 but chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _context(browser, live_server: LiveServer, viewport: dict[str, int], **options: object):  # noqa: ANN001, ANN202
    # bypass_csp lets the tests inject axe-core; the app's own pages run under the real CSP.
    return browser.new_context(
        base_url=live_server.url,
        viewport=viewport,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        bypass_csp=True,
        **options,
    )


@pytest.fixture
def page(browser, live_server: LiveServer) -> Iterator[object]:  # noqa: ANN001
    context = _context(browser, live_server, DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, live_server: LiveServer) -> Iterator[object]:  # noqa: ANN001
    context = _context(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()
