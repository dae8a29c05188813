"""The built demo served on localhost and a real headless Chromium (Debian's, via Playwright)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bench.chromium import CHROMIUM, launch
from generator.core.project import load_project
from generator.site.build import build_site_dir

ROOT = Path(__file__).parents[2]
SCREENSHOTS = ROOT / "screenshots"
TODAY = date(2026, 11, 23)
# Small search groups and shards, so the demo's ~45 indexed items fall in three token groups
# and two index shards, and every browser test also exercises what a large site does (the
# recall test also builds with the defaults: one group, one shard).
GROUPED = {"search_group_pages": 16, "search_shard_pages": 32}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(tmp_path_factory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("browser") / "site"
    build_site_dir(load_project(ROOT), site, TODAY, progress=False, options=GROUPED)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir()
    return SCREENSHOTS
