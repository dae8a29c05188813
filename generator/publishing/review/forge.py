"""A small client for a forge's REST API (GitHub, Gitea, Forgejo): JSON pages, pagination, and
every failure as a Chinese message (a ReviewError), never a traceback.

The address, the repository and the token come from the CI environment only, never from a file
in the repository, so no change can send the workflow's token elsewhere. Pagination follows only
links on the same host as the API.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

from generator.core.clock import beijing_time
from generator.publishing.review.evidence import ReviewError

TIMEOUT = 30
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class NotFound(ReviewError):
    """The API answered 404 (for Gitea's commit → pull request look-up: no pull request)."""


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only on the API's own host: the token is never sent elsewhere."""

    def __init__(self, origin: tuple[str, str]):
        self.origin = origin

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl)[:2] != self.origin:
            raise ReviewError(f"平台接口把请求转到了另一个网站（{newurl}），为保护令牌未继续读取")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Forge:
    def __init__(
        self, label: str, api_url: str, repository: str, token: str | None, timeout: float = TIMEOUT
    ):
        self.label = label  # "GitHub" or "Gitea"
        self.timeout = timeout
        self.api_url = api_url.rstrip("/")
        self.repository = repository
        self.token = token or None
        self.calls = 0
        self._cache: dict[str, object] = {}
        self._origin = urllib.parse.urlsplit(self.api_url)[:2]
        self._opener = urllib.request.build_opener(_SameHost(self._origin))

    def repo_url(self, tail: str) -> str:
        return f"{self.api_url}/repos/{self.repository}/{tail.lstrip('/')}"

    def _request(self, url: str) -> urllib.request.Request:
        headers = {"Accept": "application/json", "User-Agent": "gongkai-gate"}
        if self.label == "GitHub":
            headers["Accept"] = "application/vnd.github+json"
            headers["X-GitHub-Api-Version"] = "2022-11-28"
        if self.token:
            scheme = "Bearer" if self.label == "GitHub" else "token"
            headers["Authorization"] = f"{scheme} {self.token}"
        return urllib.request.Request(url, headers=headers)

    def get(self, url: str) -> tuple[object, dict[str, str]]:
        """One call: the decoded JSON and the response headers."""
        self.calls += 1
        try:
            with self._opener.open(self._request(url), timeout=self.timeout) as response:
                raw = response.read()
                headers = {k.lower(): v for k, v in response.headers.items()}
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, url) from None
        except TimeoutError:
            raise ReviewError(
                f"{self.label} API 在 {self.timeout:g} 秒内没有答复（{self._short(url)}），无法确认审核记录"
            ) from None
        except (urllib.error.URLError, ConnectionError, OSError, http.client.HTTPException) as exc:
            # HTTPException: a status line that is not HTTP, a body cut short of its length
            reason = getattr(exc, "reason", exc)
            raise ReviewError(
                f"无法连接 {self.label} API（{self._short(url)}：{self._network(reason)}），"
                "无法确认审核记录"
            ) from None
        try:
            return json.loads(raw.decode("utf-8")), headers
        except (UnicodeDecodeError, ValueError, RecursionError):  # nested past Python's limit
            raise ReviewError(
                f"{self.label} API 的答复不是有效的 JSON（{self._short(url)}），无法确认审核记录"
            ) from None

    def get_one(self, tail: str) -> dict:
        url = self.repo_url(tail)
        if url not in self._cache:
            body, _ = self.get(url)
            if not isinstance(body, dict):
                raise ReviewError(f"{self.label} API 的答复格式不对（{self._short(url)}）")
            self._cache[url] = body
        return self._cache[url]  # type: ignore[return-value]

    def get_all(self, tail: str) -> list:
        """Every page of a list, following `Link: rel="next"`, or `page=` while pages are full
        and fewer than `X-Total-Count` items have arrived (Gitea lists reviews that way)."""
        sep = "&" if "?" in tail else "?"
        # Gitea caps a page at its MAX_RESPONSE_ITEMS (50 by default)
        size = "per_page=100" if self.label == "GitHub" else "limit=50"
        first = self.repo_url(f"{tail}{sep}{size}")
        if first in self._cache:
            return self._cache[first]  # type: ignore[return-value]
        items: list = []
        url: str | None = first
        page = 1
        while url:
            body, headers = self.get(url)
            if not isinstance(body, list):
                raise ReviewError(
                    f"{self.label} API 的答复格式不对（{self._short(url)}），应为列表"
                )
            items.extend(body)
            url = self._next(headers, first, page, len(body), len(items))
            page += 1
            if page > 1000:
                raise ReviewError(f"{self.label} API 的分页没有尽头（{self._short(first)}）")
        self._cache[first] = items
        return items

    def _next(
        self, headers: dict[str, str], first: str, page: int, got: int, total: int
    ) -> str | None:
        link = _NEXT.search(headers.get("link", ""))
        if link:
            target = urllib.parse.urljoin(first, link.group(1))
            if urllib.parse.urlsplit(target)[:2] != self._origin:
                raise ReviewError(
                    f"{self.label} API 的分页链接指向另一个网站（{target}），为保护令牌未继续读取"
                )
            return target
        if self.label == "GitHub" or not got:
            return None  # GitHub always links the next page when there is one
        count = headers.get("x-total-count", "")
        if count.isdigit():
            return f"{first}&page={page + 1}" if total < int(count) else None
        return f"{first}&page={page + 1}"  # no count: read on until an empty page

    def _short(self, url: str) -> str:
        return url.split("?")[0]

    def _network(self, reason: object) -> str:
        text = str(reason)
        if isinstance(reason, ConnectionResetError) or "reset" in text.lower():
            return "连接被对方重置"
        if isinstance(reason, ConnectionRefusedError) or "refused" in text.lower():
            return "连接被拒绝"
        if isinstance(reason, socket.gaierror) or "name" in text.lower():
            return "找不到服务器地址"
        if "timed out" in text.lower():
            return "连接超时"
        if isinstance(reason, http.client.HTTPException):  # not HTTP, or a body cut short
            return "答复不完整或不是有效的 HTTP 答复"
        return text

    def _http_error(self, exc: urllib.error.HTTPError, url: str) -> ReviewError:
        code = exc.code
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        where = self._short(url)
        if code in (403, 429) and (
            headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers or code == 429
        ):
            return ReviewError(
                f"{self.label} API 的调用次数已达上限（速率限制，{code}），"
                f"{_reset_time(headers)}。本次未发布新内容，请在那之后重新运行发布流水线"
            )
        if code == 401:
            return ReviewError(
                f"{self.label} API 拒绝了访问令牌（401,{where}）：请检查流水线提供的令牌"
                "（GITHUB_TOKEN,Gitea 也可用 GITEA_TOKEN）是否有效"
            )
        if code == 403:
            return ReviewError(
                f"{self.label} API 拒绝访问（403,{where}）：流水线的令牌须能读取合并请求"
                "（GitHub 工作流中设置 permissions: pull-requests: read）"
            )
        if code == 404:
            return NotFound(
                f"{self.label} API 找不到 {where}（404）：请检查仓库名 GITHUB_REPOSITORY"
                f"“{self.repository}”和接口地址“{self.api_url}”"
            )
        if code >= 500:
            return ReviewError(
                f"{self.label} API 服务器出错（{code},{where}），无法确认审核记录，请稍后重新运行"
            )
        return ReviewError(f"{self.label} API 返回 {code}（{where}），无法确认审核记录")


def _reset_time(headers: dict[str, str]) -> str:
    reset = headers.get("x-ratelimit-reset", "")
    if reset.isdigit():
        moment = datetime.fromtimestamp(int(reset), UTC)
        return f"将于北京时间 {beijing_time(moment)} 恢复"
    retry = headers.get("retry-after", "")
    if retry.isdigit():
        moment = datetime.now(UTC) + timedelta(seconds=int(retry))
        return f"约 {retry} 秒后（北京时间 {beijing_time(moment)}）恢复"
    return "恢复时间未知"
