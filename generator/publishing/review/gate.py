"""The review gate: the approved state of the published branch, from trusted evidence only.

    previous publish record (or genesis) ─► walk first-parent commits ─► approved state
                                              (evidence per commit from the provider)

Everything that decides comes from outside the change being judged: the provider from the
command line, the CI environment or the catalog approved before; the API address, repository
and token from the CI environment; the reviewers from the approved catalog. A record whose
commit is not an ancestor of HEAD is refused, so a force push cannot republish a withdrawn text.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.core.clock import beijing_today
from generator.core.git_history import GitError
from generator.publishing.review import providers, settle, versions
from generator.publishing.review.evidence import ReviewError
from generator.publishing.review.heldpages import held_pages
from generator.publishing.review.paths import is_gated
from generator.publishing.review.record import Record, Result, read_record
from generator.publishing.review.repo import Repo, Value
from generator.publishing.review.state import Catalogs, State, genesis, walk

ENV_PROVIDER = "GONGKAI_REVIEW_PROVIDER"
ENV_BRANCH = "GONGKAI_BRANCH"


@dataclass
class GateRun:
    result: Result
    head: str
    head_tree: dict[str, Value]  # HEAD's gated files
    repo: Repo
    attributes: bool = False  # HEAD has a .gitattributes file somewhere

    @property
    def state(self) -> State:
        return self.result.state

    @property
    def preview(self) -> bool:
        return self.result.provider == "none"

    @property
    def held(self) -> dict[str, str]:
        return self.state.held

    def approved_value(self, path: str) -> Value:
        return self.state.exceptions.get(path, self.head_tree.get(path))

    def gated_paths(self) -> set[str]:
        return set(self.head_tree) | set(self.state.exceptions)


def _branch(repo: Repo, branch: str | None, env: Mapping[str, str]) -> str:
    if branch:
        return branch
    if env.get(ENV_BRANCH):
        return env[ENV_BRANCH]
    try:
        return repo.run("symbolic-ref", "--short", "-q", "HEAD").decode().strip() or "main"
    except GitError:
        return "main"  # a detached checkout (CI) should name the branch with --branch


def choose_provider(flag: str | None, env: Mapping[str, str], catalog_review: dict) -> str:
    """--provider, else GONGKAI_REVIEW_PROVIDER, else review.provider of the approved catalog."""
    name = flag or env.get(ENV_PROVIDER, "").strip() or str(catalog_review.get("provider") or "")
    if name == "trailers":
        raise ReviewError(
            "审核记录来源 trailers 已不再接受：提交说明中的 Reviewed-by 是普通文字，任何能推送的人都能写上。"
            "请在 catalog.yml 的 review.provider 中改为 github、gitea 或 signed；在这一修改获批准之前，"
            f"可由管理员在流水线变量中设置 {ENV_PROVIDER}"
        )
    if not name:
        raise ReviewError(
            "不知道从哪里取得审核记录：请在 catalog.yml 的 review.provider 中写明 github、gitea 或 signed,"
            f"或者设置环境变量 {ENV_PROVIDER}（本地预览用 --provider none）"
        )
    if name not in providers.PROVIDERS:
        raise ReviewError(f"不认识的审核记录来源“{name}”：可用 github、gitea、signed 或 none")
    if name == "none" and env.get("GITHUB_ACTIONS") == "true":
        raise ReviewError("审核记录来源 none 只用于本地预览，发布流水线中不能使用")
    return name


def _start(repo: Repo, head: str, record: Record | None) -> State:
    if record is None:
        return genesis(repo, head)
    if not repo.has(record.commit):
        raise ReviewError(
            f"上次发布记录中的提交 {record.commit[:10]} 不在本仓库中：主分支的历史被改写过，"
            "或流水线没有取回完整历史（actions/checkout 须设置 fetch-depth: 0）"
        )
    if not repo.is_ancestor(record.commit, head):
        raise ReviewError(
            f"上次发布记录中的提交 {record.commit[:10]} 不是当前提交 {head[:10]} 的祖先："
            "主分支被强制推送改写过。为防止已撤下的内容重新发布，拒绝发布；请管理员查明原因"
        )
    if record.state is None:
        return genesis(repo, head)
    state = record.state
    state.catalog = state.exceptions.get("catalog.yml", repo.value_at(state.commit, "catalog.yml"))
    return state


def run_gate(
    root: Path,
    provider: str | None = None,
    record: Path | None = None,
    branch: str | None = None,
    env: Mapping[str, str] = os.environ,
) -> GateRun:
    """The approved state at HEAD. Raises ReviewError, RecordError or GitError (exit 2)."""
    repo = Repo(root)
    try:
        top = repo.toplevel()
    except GitError:
        raise ReviewError(f"{root} 不是 Git 仓库，无法核验审核记录") from None
    if top.resolve() != root.resolve():
        raise ReviewError(f"请在仓库根目录 {top} 运行（收到 {root}）")
    head = repo.commit_of("HEAD")
    if head is None:
        raise ReviewError("仓库还没有任何提交，无法核验审核记录")
    previous = read_record(record, repo) if record is not None else None
    start = _start(repo, head, previous)
    online = _published(repo, start)
    online_paths = _published_paths(repo, start)  # before the walk moves `start` on
    earlier = (start.commit, dict(start.exceptions), start.history)  # before the walk, too
    settle.restore(repo, start)
    catalogs = Catalogs(repo)
    catalogs.use(start.catalog)
    review = catalogs.current.review if catalogs.current else {}
    name = choose_provider(provider, env, review)
    published = _branch(repo, branch, env)
    whole = repo.tree(head)
    head_tree = {p: v for p, v in whole.items() if is_gated(p)}
    attributes = any(p == ".gitattributes" or p.endswith("/.gitattributes") for p in whole)
    if name == "none":
        return GateRun(Result(State(head), name, published), head, head_tree, repo, attributes)
    evidence = providers.make(name, repo, published, env)
    state = walk(repo, evidence, start, head)
    settle.settle(repo, state, head_tree, online, online_paths)
    _prune(state, head_tree)
    state.history = _history(repo, earlier, state, head_tree, previous)
    result = Result(state, name, published, evidence.calls)
    result.texts = versions.version_texts(repo, state.history)
    result.held_pages = held_pages(
        repo, {p: [head_tree.get(p), state.withheld.get(p)] for p in state.held}
    )
    return GateRun(result, head, head_tree, repo, attributes)


def _history(
    repo: Repo,
    earlier: tuple[str, dict[str, Value], dict],
    state: State,
    head_tree: dict[str, Value],
    previous: Record | None,
) -> dict:
    """The items' approved history after this publication (review/versions.py). What was online
    and what is approved now, of every path either may differ in, from one diff of the trees."""
    commit, exceptions, history = earlier
    diff = repo.diff(commit, state.commit)
    changed = set(diff) | set(exceptions) | set(state.exceptions)

    def online(path: str) -> Value:
        if path in exceptions:
            return exceptions[path]
        return diff[path][0] if path in diff else head_tree.get(path)

    before = {p: online(p) for p in changed}
    after = {p: state.exceptions.get(p, head_tree.get(p)) for p in changed}
    since = versions.history_date(previous.built_at) if previous is not None else None
    return versions.advance(repo, history, before, after, since, beijing_today())


def _published(repo: Repo, start: State) -> Callable[[str], Value]:
    """path -> its version at the previous publication (where the walk starts)."""
    commit, exceptions = start.commit, dict(start.exceptions)
    return lambda path: exceptions[path] if path in exceptions else repo.value_at(commit, path)


def _published_paths(repo: Repo, start: State) -> set[str]:
    """The gated paths the previous publication had (held versions included)."""
    paths = {p for p in repo.tree(start.commit) if is_gated(p)}
    return paths | {p for p, v in start.exceptions.items() if v is not None}


def _prune(state: State, head_tree: dict[str, Value]) -> None:
    """Keep only approvals of blobs in the approved state (withheld ones included), and the
    pull requests they name."""
    values = {state.exceptions.get(p, v) for p, v in head_tree.items()}
    values |= set(state.exceptions.values()) | set(state.withheld.values())
    state.approvals = {b: k for b, k in state.approvals.items() if b in values}
    named = set(state.approvals.values())
    state.pulls = {k: p for k, p in state.pulls.items() if k in named}
