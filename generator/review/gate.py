"""The publish gate: an item is published only when an authorized reviewer of its department,
who is not an author of the change, approved the change that last touched it on main.

Providers of evidence: `trailers` (Reviewed-by in the merge commit: Gitea/Forgejo, Gerrit,
kernel style), `github` (the merged pull request's reviews), `none` (local preview only).
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Catalog, Department
from ..loader import CONTENT_DIR, Project
from ..model import Item
from .history import Change, head, last_changes

PROVIDERS = ("trailers", "github", "none")
RECORD_FILE = "gongkai-publish.json"


class ReviewError(Exception):
    """Approval evidence could not be obtained; the gate then publishes nothing."""


@dataclass(frozen=True)
class Approval:
    approvers: tuple[str, ...]
    at: str
    link: str
    change: str  # the commit on main that brought the change in
    authors: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    item: Item
    approval: Approval | None
    reason: str = ""

    @property
    def approved(self) -> bool:
        return self.approval is not None


def _who(people) -> tuple[str, ...]:
    return tuple(sorted(str(p) for p in people))


def _trailer_verdict(item: Item, change: Change, department: Department | None) -> Verdict:
    approvers = change.trailers()
    short = change.sha[:8]
    if not approvers:
        kind = "合并提交" if change.is_merge else "直接推送到主分支的提交"
        return Verdict(item, None, f"最后一次修改({kind} {short})没有 Reviewed-by 审核记录")
    emails = {r.email.lower() for r in (department.reviewers if department else []) if r.email}
    authorized = [a for a in approvers if a.email in emails]
    if not authorized:
        names = "、".join(str(a) for a in approvers)
        dept = department.name if department else item.department
        return Verdict(
            item, None, f"审核人 {names} 不是“{dept}”在 catalog.yml 中登记的审核人(提交 {short})"
        )
    author_emails = {a.email for a in change.authors}
    independent = [a for a in authorized if a.email not in author_emails]
    if not independent:
        return Verdict(
            item,
            None,
            f"审核人 {authorized[0]} 也是这次修改的作者,不能审核自己的修改"
            f"(谁制作、谁审查、谁负责;提交 {short})",
        )
    return Verdict(
        item,
        Approval(
            _who(independent),
            change.committed,
            change.reviewed_on(),
            change.sha,
            _who(change.authors),
        ),
    )


class GitHub:
    """Reads merged pull requests and their reviews; at most one call per commit and per PR."""

    def __init__(self, repository: str, api_url: str, token: str | None = None):
        self.repository = repository
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.calls = 0
        self._pulls: dict[str, list[dict]] = {}
        self._reviews: dict[int, list[dict]] = {}

    def _get(self, url: str) -> tuple[object, str | None]:
        request = urllib.request.Request(
            url,
            headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        self.calls += 1
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = json.loads(response.read().decode("utf-8"))
                links = response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            raise ReviewError(f"GitHub API 返回 {exc.code}({url}),无法确认审核记录") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise ReviewError(f"无法访问 GitHub API({exc}),无法确认审核记录") from None
        next_url = re.search(r'<([^>]+)>;\s*rel="next"', links)
        return body, next_url.group(1) if next_url else None

    def _all(self, url: str) -> list[dict]:
        items: list[dict] = []
        while url:
            page, url = self._get(url)
            if not isinstance(page, list):
                raise ReviewError("GitHub API 的答复格式不对,无法确认审核记录")
            items.extend(page)
        return items

    def pulls(self, sha: str) -> list[dict]:
        if sha not in self._pulls:
            self._pulls[sha] = self._all(
                f"{self.api_url}/repos/{self.repository}/commits/{sha}/pulls?per_page=100"
            )
        return self._pulls[sha]

    def reviews(self, number: int) -> list[dict]:
        if number not in self._reviews:
            self._reviews[number] = self._all(
                f"{self.api_url}/repos/{self.repository}/pulls/{number}/reviews?per_page=100"
            )
        return self._reviews[number]

    def verdict(self, item: Item, change: Change, department: Department | None) -> Verdict:
        short = change.sha[:8]
        merged = [p for p in self.pulls(change.sha) if p.get("merged_at")]
        if not merged:
            return Verdict(item, None, f"提交 {short} 不属于任何已合并的合并请求(直接推送到主分支)")
        pull = merged[0]
        number, author = pull["number"], pull.get("user", {}).get("login", "")
        final = pull.get("head", {}).get("sha", "")
        latest: dict[str, dict] = {}
        for review in sorted(self.reviews(number), key=lambda r: r.get("submitted_at") or ""):
            latest[review.get("user", {}).get("login", "")] = review
        logins = {r.login for r in (department.reviewers if department else []) if r.login}
        approved = [login for login, r in latest.items() if r.get("state") == "APPROVED"]
        on_final = [login for login in approved if latest[login].get("commit_id") == final]
        authorized = [login for login in on_final if login in logins]
        independent = [login for login in authorized if login != author]
        link = pull.get("html_url", "")
        if independent:
            at = max(latest[login].get("submitted_at", "") for login in independent)
            return Verdict(
                item, Approval(tuple(sorted(independent)), at, link, change.sha, (author,))
            )
        if authorized:
            reason = f"唯一的批准来自作者 {author} 本人,不能审核自己的修改(合并请求 #{number})"
        elif on_final:
            reason = f"批准人 {'、'.join(on_final)} 不是该科室登记的审核人(合并请求 #{number})"
        elif approved:
            reason = f"批准之后又有新的修改,最终版本未经批准(合并请求 #{number})"
        else:
            reason = f"合并请求 #{number} 没有任何批准"
        return Verdict(item, None, reason)


def _record(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.get("verified", {}).items()}
    except (ValueError, AttributeError):
        return {}


def github_from(catalog_review: dict) -> GitHub:
    repository = catalog_review.get("repository") or os.environ.get("GITHUB_REPOSITORY", "")
    if not repository:
        raise ReviewError(
            "使用 github 审核记录时须在 catalog.yml 的 review.repository 写明仓库(owner/name)"
        )
    api = catalog_review.get("api_url") or os.environ.get(
        "GITHUB_API_URL", "https://api.github.com"
    )
    return GitHub(repository, api, os.environ.get("GITHUB_TOKEN"))


def check(
    project: Project,
    items: list[Item],
    provider: str,
    record: Path | None = None,
    github: GitHub | None = None,
) -> list[Verdict]:
    """A verdict for every item; raises ReviewError when evidence cannot be obtained."""
    if provider == "none":
        return [Verdict(i, None, "本地预览,未核对审核记录") for i in items]
    paths = {f"{CONTENT_DIR}/{i.rel.as_posix()}": i for i in items}
    changes = last_changes(project.root, set(paths))
    verified = _record(record)
    verdicts = []
    for path, item in paths.items():
        change = changes.get(path)
        department = project.catalog.departments.get(item.department or "")
        if change is None:
            verdicts.append(Verdict(item, None, "该文件尚未提交到主分支"))
        elif verified.get(item.index_no or "") == change.sha:
            verdicts.append(
                Verdict(
                    item, Approval(("已于上次发布时核验",), change.committed, "", change.sha, ())
                )
            )
        elif provider == "github":
            verdicts.append((github or github_from({})).verdict(item, change, department))
        else:
            verdicts.append(_trailer_verdict(item, change, department))
    return verdicts


def write_record(site_dir: Path, project: Project, verdicts: list[Verdict]) -> None:
    """What this deploy verified, so the next one only asks about newer changes."""
    data = {
        "commit": head(project.root),
        "verified": {
            v.item.index_no: v.approval.change for v in verdicts if v.approval and v.item.index_no
        },
    }
    (site_dir / RECORD_FILE).write_text(
        json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def provider_of(catalog: Catalog) -> str:
    return catalog.review.get("provider", "trailers")
