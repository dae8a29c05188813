"""One local HTTP server that answers GitHub's and Gitea's REST formats from a ForgeRepo's real
data, with faults on request (status codes, rate limits, bad JSON, resets, hangs)."""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from gatekit import REPOSITORY, TODAY, USERS, ForgeRepo, Pull, base_env, gongkai, login_of


class Stub:
    """Which repository the server answers from, page size, faults, and the calls it got."""

    repo: ForgeRepo | None = None
    page_size: int | None = None  # smaller than the client asks, to force pagination
    fault: dict | None = None
    calls: list[str] = []


def _user(login: str) -> dict:
    name, email = USERS.get(login, (login, f"{login}@example.gov.cn"))
    return {"login": login, "full_name": name, "email": email, "id": abs(hash(login)) % 10000}


def _pull_json(pull: Pull, gitea: bool) -> dict:
    data = {
        "number": pull.number,
        "user": _user(pull.user),
        "state": "closed" if pull.merged_at else "open",
        "html_url": f"https://forge.example.gov.cn/{REPOSITORY}/pull{'s' if gitea else ''}/{pull.number}",
        "merged_at": pull.merged_at or None,
        "merge_commit_sha": pull.merge_sha or None,
        "base": {"ref": pull.base},
        "head": {"ref": pull.branch, "sha": pull.head},
    }
    if gitea:
        data["merged"] = bool(pull.merged_at)
    return data


def _review_json(entry: dict, index: int, gitea: bool) -> dict:
    login = entry["login"]
    data = {
        "id": index + 1,
        "user": None if login is None else _user(login),
        "state": entry["state"],
        "commit_id": entry["commit_id"],
        "submitted_at": entry["submitted_at"],
    }
    if gitea:
        state = {"CHANGES_REQUESTED": "REQUEST_CHANGES", "COMMENTED": "COMMENT"}.get(
            entry["state"], entry["state"]
        )
        data.update(
            state=state,
            stale=entry.get("stale", False),
            dismissed=entry.get("dismissed", False),
            official=True,
        )
    return data


def _commit_json(entry: dict) -> dict:
    (an, ae), (cn, ce) = entry["author"], entry["committer"]
    return {
        "sha": entry["sha"],
        "commit": {"author": {"name": an, "email": ae}, "committer": {"name": cn, "email": ce}},
        "author": {"login": login_of(ae)} if login_of(ae) else None,
        "committer": {"login": login_of(ce)} if login_of(ce) else None,
    }


def _shas(repo: ForgeRepo, pull: Pull) -> list[str]:
    if pull.commits is not None:
        return pull.commits
    return repo.git("rev-list", f"{pull.base}..{pull.head}").split()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status: int, body, headers: dict | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Stub.calls.append(self.path)
        fault = Stub.fault
        if fault and fault.get("match", "") in self.path:
            if fault.get("times", 1) <= 0:
                pass
            elif fault.get("reset"):  # an abortive close: the client sees a connection reset
                fault["times"] = fault.get("times", 1) - 1
                self.request.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.request.close()
                self.close_connection = True
                return
            elif fault.get("raw") is not None:  # bytes as they are: not HTTP, or cut short
                fault["times"] = fault.get("times", 1) - 1
                self.wfile.write(fault["raw"])
                self.close_connection = True
                return
            elif fault.get("hang"):
                time.sleep(fault["hang"])
                return
            else:
                fault["times"] = fault.get("times", 1) - 1
                self._send(
                    fault.get("status", 500),
                    fault.get("body", {"message": "boom"}),
                    fault.get("headers"),
                )
                return
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        gitea = parts[:2] == ["api", "v1"]
        parts = parts[2:] if gitea else parts[1:]  # after /api/v1 or /github
        repo = Stub.repo
        if repo is None or parts[:3] != ["repos", *REPOSITORY.split("/")]:
            return self._send(404, {"message": "Not Found"})
        rest = parts[3:]
        if not rest:
            return self._send(200, {"full_name": REPOSITORY})
        if rest[0] == "commits" and len(rest) == 3:
            return self._commit_pulls(repo, rest[1], rest[2], gitea)
        if rest[0] == "pulls" and len(rest) == 3:
            pull = repo.pulls.get(int(rest[1]))
            if pull is None:
                return self._send(404, {"message": "Not Found"})
            if rest[2] == "reviews":
                items = [_review_json(r, i, gitea) for i, r in enumerate(pull.reviews)]
            else:
                items = [_commit_json(c) for c in repo.commits_of(pull)]
            return self._page(items, query, gitea)
        return self._send(404, {"message": "Not Found"})

    def _commit_pulls(self, repo: ForgeRepo, sha: str, kind: str, gitea: bool) -> None:
        if gitea and kind == "pull":
            found = [p for p in repo.pulls.values() if p.merge_sha == sha]
            if not found:
                return self._send(404, {"message": "pull request does not exist"})
            return self._send(200, _pull_json(found[0], True))
        related = [p for p in repo.pulls.values() if p.merge_sha == sha or sha in _shas(repo, p)]
        return self._send(200, [_pull_json(p, False) for p in related])

    def _page(self, items: list, query: dict, gitea: bool) -> None:
        asked = int(query.get("limit" if gitea else "per_page", 30))
        size = min(asked, Stub.page_size or asked)
        page = int(query.get("page", 1))
        chunk = items[(page - 1) * size : page * size]
        headers = {}
        if gitea:
            headers["X-Total-Count"] = str(len(items))
        elif page * size < len(items):
            host = self.headers["Host"]
            path = urlsplit(self.path).path
            per = query.get("per_page", asked)
            headers["Link"] = f'<http://{host}{path}?per_page={per}&page={page + 1}>; rel="next"'
        self._send(200, chunk, headers)


class Server:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def env(self, provider: str, **extra: str) -> dict[str, str]:
        env = base_env()
        env["GITHUB_REPOSITORY"] = REPOSITORY
        env["GITHUB_TOKEN"] = "test-token"
        env["GONGKAI_API_TIMEOUT"] = "3"
        if provider == "github":
            env["GITHUB_API_URL"] = f"{self.base}/github"
        elif provider == "gitea":
            env["GITHUB_API_URL"] = f"{self.base}/api/v1"
        env.update(extra)
        return env

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def reset_stub(repo: ForgeRepo | None) -> None:
    Stub.repo, Stub.page_size, Stub.fault, Stub.calls = repo, None, None, []


def gated_build(
    repo: ForgeRepo, server: Server, site, *args: str, cwd=None
) -> subprocess.CompletedProcess[str]:
    """`gongkai build --gate` of `repo` against the GitHub stub, into `site` (fresh stub state),
    with `args` added; run in `cwd` (default: the repository)."""
    reset_stub(repo)
    return gongkai(
        "build",
        "--gate",
        "--provider",
        "github",
        "--site-dir",
        str(site),
        "--today",
        TODAY,
        *args,
        cwd=cwd or repo.root,
        env=server.env("github"),
    )
