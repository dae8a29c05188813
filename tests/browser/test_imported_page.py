"""A Word document full of script, imported and built, loaded in real headless Chromium.

The document's title, text, link and image text carry `alert(…)`; the page must show them as
text and run none of it on load, on hover or on click.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_docx import hostile_site
from playwright.sync_api import Page


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def imported_page_url(tmp_path: Path) -> Iterator[str]:
    site, index_no = hostile_site(tmp_path)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/item/{index_no}/"
    server.shutdown()
    server.server_close()


def test_imported_hostile_document_runs_no_script_on_load_hover_or_click(
    page: Page, imported_page_url: str
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route("https://www.gov.cn/**", lambda route: route.fulfill(body="ok"))  # stay offline
    page.goto(imported_page_url)
    body = page.locator(".gk-body")
    assert "<script>alert(document.domain)</script>正文<img src=x onerror=alert(2)>" in (
        body.inner_text()
    )
    assert (
        "<script>alert(document.domain)</script>关于检查的通知" in page.locator("h1").inner_text()
    )
    hrefs = body.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == ["https://www.gov.cn/"]
    for element in body.locator("p, img").all():
        element.hover()
    with page.expect_navigation(wait_until="commit"):  # the only link leaves the page
        body.locator("a").click()
    assert page.url == "https://www.gov.cn/"
    page.go_back()
    page.wait_for_load_state()
    assert dialogs == []
    assert page.evaluate("document.body.innerText").count("alert(") >= 3  # shown, not run
