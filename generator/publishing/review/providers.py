"""The providers of evidence: the GitHub and Gitea/Forgejo review APIs, and merge commits signed
by the forge's key (for a forge whose API CI cannot reach). `none` (local preview) has none.

Everything a provider needs comes from the command line or the CI environment, never from a
file in the repository.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from generator.publishing.review.evidence import (
    Evidence,
    NoEvidence,
    ReviewError,
    commit_people,
    latest_approvals,
    part,
)
from generator.publishing.review.forge import Forge, NotFound
from generator.publishing.review.people import Person
from generator.publishing.review.repo import Change, Repo

PROVIDERS = ("github", "gitea", "signed", "none")
_PULL_NUMBER = re.compile(r"/pulls?/(\d+)")


def _short(sha: str) -> str:
    return sha[:10]


def _pushed(change: Change, branch: str) -> NoEvidence:
    return NoEvidence(
        f"提交 {_short(change.sha)} 是直接推送到 {branch} 的，不属于任何已合并的合并请求"
    )


class _ForgeProvider:
    name = ""
    match_by = "login"

    def __init__(self, forge: Forge, branch: str):
        self.forge = forge
        self.branch = branch

    @property
    def calls(self) -> int:
        return self.forge.calls

    def _evidence(self, change: Change, pull: dict) -> Evidence:
        number = pull.get("number")
        if not isinstance(number, int):
            raise ReviewError(f"{self.forge.label} API 的答复中合并请求编号不对")
        head = str(part(pull, "head", self.forge.label).get("sha") or "")
        merged_at = str(pull.get("merged_at") or "")
        reviews = self.forge.get_all(f"pulls/{number}/reviews")
        approvals, outdated = latest_approvals(reviews, head, merged_at)
        authors: list[Person] = []
        commits: list = []
        if approvals:  # the authors matter only when someone approved
            commits = self.forge.get_all(f"pulls/{number}/commits")
            authors = commit_people(commits, self.forge.label)
        opener = pull.get("user")
        if isinstance(opener, dict) and isinstance(opener.get("login"), str):
            authors.append(Person(login=opener["login"]))
        return Evidence(
            key=f"#{number}",
            number=number,
            link=str(pull.get("html_url") or ""),
            head=head,
            approvers=tuple(person for person, _ in approvals),
            authors=tuple(authors),
            merged_at=merged_at,
            approved_at=max((at for _, at in approvals), default=""),
            outdated=tuple(outdated),
            commits=tuple(str(c.get("sha")) for c in commits if isinstance(c, dict)),
        )


class GitHub(_ForgeProvider):
    name = "github"

    def evidence(self, change: Change) -> Evidence | NoEvidence:
        pulls = [
            p for p in self.forge.get_all(f"commits/{change.sha}/pulls") if isinstance(p, dict)
        ]
        merged = [
            p
            for p in pulls
            if p.get("merged_at")
            and part(p, "base", self.forge.label).get("ref") == self.branch
            and p.get("merge_commit_sha") == change.sha
        ]
        if merged:
            return self._evidence(change, merged[0])
        if pulls:
            numbers = "、".join(f"#{p.get('number')}" for p in pulls)
            return NoEvidence(
                f"提交 {_short(change.sha)} 属于合并请求 {numbers}，但不是合并请求合并进 {self.branch} "
                "时产生的提交（例如合并请求中的中间提交，或合并到其他分支的提交被推送到这里）"
            )
        return _pushed(change, self.branch)


class Gitea(_ForgeProvider):
    name = "gitea"

    def __init__(self, forge: Forge, branch: str):
        super().__init__(forge, branch)
        self._repository_seen = False

    def evidence(self, change: Change) -> Evidence | NoEvidence:
        try:
            pull = self.forge.get_one(f"commits/{change.sha}/pull")
        except NotFound:
            self._check_repository()  # a 404 means "no pull request" only if the repo exists
            return _pushed(change, self.branch)
        if (
            pull.get("merged") is True
            and part(pull, "base", self.forge.label).get("ref") == self.branch
            and pull.get("merge_commit_sha") == change.sha
        ):
            return self._evidence(change, pull)
        return NoEvidence(
            f"提交 {_short(change.sha)} 不是合并请求 #{pull.get('number')} 合并进 {self.branch} 时产生的提交"
        )

    def _check_repository(self) -> None:
        if not self._repository_seen:
            self.forge.get(f"{self.forge.api_url}/repos/{self.forge.repository}")
            self._repository_seen = True


class Signed:
    """A merge commit (exactly two parents) signed by the forge's SSH key (allowed signers from
    the CI environment); only then is its trailer block read: Reviewed-by approvers and the
    Reviewed-on link.

    Gitea signs more than merges (web-editor edits with CRUD_ACTIONS, initial commits), and
    those carry whatever trailers their author typed; a squash or fast-forward commit cannot
    be told apart from such an edit by its signature. Only the merge style "create merge
    commit" of an approved pull request (MERGES = approved) gives a signed two-parent commit
    on the protected branch: see docs/publishing.md for the settings this relies on."""

    name = "signed"
    match_by = "email"
    calls = 0

    def __init__(self, repo: Repo, allowed_signers: str):
        self.repo = repo
        self.allowed_signers = allowed_signers

    def evidence(self, change: Change) -> Evidence | NoEvidence:
        if len(change.parents) != 2:
            return NoEvidence(
                f"提交 {_short(change.sha)} 不是合并请求的合并提交（有 {len(change.parents)} 个父提交）："
                "signed 方式只承认平台签名的两个父提交的合并提交，压缩合并、快进合并和网页编辑的提交"
                "即使有平台签名也不能证明审核"
            )
        signature = self.repo.signature(change.sha, self.allowed_signers)
        if signature.status != "G":
            return NoEvidence(
                f"提交 {_short(change.sha)} 没有平台密钥的有效签名：未经签名的 Reviewed-by 是普通文字，"
                "任何能推送的人都能写上，不能证明审核"
            )
        trailers = self.repo.trailers(change.sha)
        approvers = tuple(_person(v) for k, v in trailers if k == "reviewed-by" and v)
        link = next((v for k, v in trailers if k == "reviewed-on"), "")
        number = _PULL_NUMBER.search(link)
        # the merge message's own Co-authored-by count as authors too (the pull request's
        # commits are read from the second parent's history by the judge)
        authors = tuple(_person(v) for k, v in trailers if k == "co-authored-by" and v)
        return Evidence(
            key=f"#{number.group(1)}" if number else change.sha,
            number=int(number.group(1)) if number else None,
            link=link,
            head=change.parents[1],
            approvers=approvers,
            authors=authors,
            merged_at=signature.committed,
            approved_at=signature.committed,
        )


def _person(text: str) -> Person:
    name, _, rest = text.partition("<")
    return Person(name=name.strip(), email=rest.partition(">")[0].strip())


def _timeout(env: Mapping[str, str]) -> float:
    """Seconds to wait for one API answer (GONGKAI_API_TIMEOUT, default 30)."""
    try:
        return max(float(env.get("GONGKAI_API_TIMEOUT", "30")), 1.0)
    except ValueError:
        return 30.0


def make(name: str, repo: Repo, branch: str, env: Mapping[str, str] = os.environ):
    """The provider called `name`, configured from the environment; ReviewError if it cannot be."""
    if name == "github":
        repository = env.get("GITHUB_REPOSITORY", "")
        if not repository:
            raise ReviewError(
                "使用 github 审核记录时须由流水线提供 GITHUB_REPOSITORY（owner/仓库名）"
            )
        api = env.get("GITHUB_API_URL") or "https://api.github.com"
        forge = Forge("GitHub", api, repository, env.get("GITHUB_TOKEN"), _timeout(env))
        return GitHub(forge, branch)
    if name == "gitea":
        repository = env.get("GITHUB_REPOSITORY", "")
        server = env.get("GITHUB_SERVER_URL", "")
        api = env.get("GITHUB_API_URL") or (server.rstrip("/") + "/api/v1" if server else "")
        if not repository or not api:
            raise ReviewError(
                "使用 gitea 审核记录时须由流水线提供 GITHUB_REPOSITORY 和 GITHUB_API_URL"
                "（Gitea Actions 会自动设置）"
            )
        token = env.get("GITEA_TOKEN") or env.get("GITHUB_TOKEN")
        return Gitea(Forge("Gitea", api, repository, token, _timeout(env)), branch)
    if name == "signed":
        signers = env.get("GONGKAI_ALLOWED_SIGNERS", "")
        if not signers or not os.path.isfile(signers):
            raise ReviewError(
                "使用 signed 审核记录时须由流水线设置 GONGKAI_ALLOWED_SIGNERS,"
                "指向记有平台签名公钥的 allowed signers 文件"
                + (f"（找不到 {signers}）" if signers else "")
            )
        return Signed(repo, signers)
    raise ReviewError(f"不认识的审核记录来源“{name}”：可用 github、gitea、signed 或 none")
