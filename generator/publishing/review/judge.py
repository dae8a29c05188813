"""One commit with evidence, judged path by path: what its pull request approved, and why not.

Δ = the paths the pull request changes (merge-base F of the branch and the approved head H, to
H): the diff the reviewers saw. A path in Δ is approved iff the merge carries exactly H's blob,
H is the path's last approved version A with exactly that diff applied (so a held change
already in F, which the diff does not show, is never laundered: see `shows_every_change`), and
every responsible department (responsible.py) has an independent approver. Paths the merge changes outside Δ (conflict
resolutions, pushed additions) are not approved by it.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.publishing.review.evidence import Evidence
from generator.publishing.review.paths import Owners, is_gated
from generator.publishing.review.people import Authors, Person, reviewer_match
from generator.publishing.review.repo import Change, Repo, Value, is_special
from generator.publishing.review.responsible import Responsible


@dataclass
class Pull:
    """A pull request (or signed merge) that approved something, as the forge recorded it."""

    key: str
    number: int | None
    link: str
    merged_at: str
    approved_at: str
    approvers: list[str]
    authors: list[str]
    commit: str  # the merge commit on the published branch

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "link": self.link,
            "merged_at": self.merged_at,
            "approved_at": self.approved_at,
            "approvers": self.approvers,
            "authors": self.authors,
            "commit": self.commit,
        }

    @classmethod
    def from_json(cls, key: str, data: dict) -> Pull:
        number = data.get("number")
        return cls(
            key,
            number if isinstance(number, int) and not isinstance(number, bool) else None,
            str(data.get("link") or ""),
            str(data.get("merged_at") or ""),
            str(data.get("approved_at") or ""),
            [str(a) for a in data.get("approvers") or []],
            [str(a) for a in data.get("authors") or []],
            str(data.get("commit") or ""),
        )


@dataclass
class Judgement:
    approved: dict[str, Value] = field(default_factory=dict)  # path -> approved value
    refused: dict[str, str] = field(default_factory=dict)  # path -> reason
    pull: Pull | None = None


def judge(
    repo: Repo,
    match_by: str,
    responsible: Responsible,
    change: Change,
    gated: dict,
    evidence: Evidence,
    exceptions: Mapping[str, Value],
) -> Judgement:
    """`exceptions`: the approved values that differ from the parent commit's, before it."""
    label = evidence.label
    head = evidence.head
    if not head or not repo.has(head):
        reason = (
            f"{label} 的最终版本 {head[:10] or '(未知)'} 不在本地仓库中："
            "发布流水线须取回 refs/pull/*/head（见 docs/publishing.md）"
        )
        return Judgement({}, dict.fromkeys(gated, reason))
    base = _base(repo, change, evidence)
    fork = repo.merge_base(base, head) if base else None
    seen = {p: values for p, values in repo.diff(fork, head).items() if is_gated(p)}
    delta = {p: after for p, (_, after) in seen.items()}
    differs = {p for p in repo.diff(change.sha, head) if is_gated(p)}
    found = Judgement()
    candidates: dict[str, Value] = {}
    moved = _moved_unseen(repo, change, exceptions, fork, head, seen)
    for path in set(gated) | set(delta):
        if path not in delta:
            found.refused[path] = (
                f"{label} 没有修改这个文件：这是合并时另外带入的改动（例如解决冲突时的修改或直接推送），须另行审核"
            )
        elif reason := _unseen_change(repo, label, path, seen, differs, moved, exceptions, gated):
            found.refused[path] = reason
        else:
            candidates[path] = delta[path]
    people = _authors(repo, change, evidence, base, head)
    approvers = _Approvers(evidence, people, responsible.owners[0], match_by)
    _approve(found, candidates, approvers, responsible)
    if found.approved:
        found.pull = Pull(
            evidence.key,
            evidence.number,
            evidence.link,
            evidence.merged_at,
            evidence.approved_at,
            sorted(approvers.used),
            people.public(),
            change.sha,
        )
    return found


def _approve(
    found: Judgement, candidates: dict[str, Value], approvers: _Approvers, responsible: Responsible
) -> None:
    """Approve each candidate every responsible department of which has an independent
    approver; refuse the others, saying which approval is missing."""
    required = responsible.departments(candidates)
    for path, value in candidates.items():
        blockers = [b for d in required[path] if (b := approvers.blocker(d))]
        if blockers:
            found.refused[path] = ";".join(blockers)
        else:
            found.approved[path] = value


def _unseen_change(
    repo: Repo,
    label: str,
    path: str,
    seen: dict[str, tuple[Value, Value]],
    differs: set[str],
    moved: dict[str, str],
    exceptions: Mapping[str, Value],
    gated: dict,
) -> str | None:
    """Why a path the pull request changes is not approved by it, or None: what is merged, or
    what the reviewers' diff was taken against, is not what they saw; or it is no plain file."""
    after = seen[path][1]
    if path in differs:
        return f"合并进来的版本与 {label} 批准的最终版本不一致（合并时又有改动），须另行审核"
    if not shows_every_change(
        repo, exceptions.get(path, gated.get(path, (after,))[0]), *seen[path]
    ):
        return (
            f"{label} 是在一个未获批准的版本上修改的：审核人看到的差异不包含这个文件先前未获批准的改动，"
            "须另开合并请求让审核人看到这些改动后批准"
        )
    if path in moved:
        return (
            f"{label} 把 {moved[path]} 改名为这个文件，审核人看到的只是相对于它的差异，"
            f"而 {moved[path]} 有未获批准的内容：须先让审核人看到并批准那些内容"
        )
    if is_special(after):
        return "符号链接和子模块不会发布，请改为普通文件"
    return None


def _moved_unseen(
    repo: Repo,
    change: Change,
    exceptions: Mapping[str, Value],
    fork: str | None,
    head: str,
    seen: dict[str, tuple[Value, Value]],
) -> dict[str, str]:
    """New path -> its source, for the paths the pull request adds as a rename of a
    file whose text the reviewers did not fully see. The forge shows such a path as a diff
    against the source (`Repo.sources`), so the path is shown whole only when that diff, applied
    to the source's last approved version, gives it (`shows_every_change`)."""
    new = {p for p, (before, after) in seen.items() if before is None and after is not None}
    if not new:
        return {}
    parent = change.parents[0] if change.parents else None
    found: dict[str, str] = {}
    for path, source in repo.sources(fork, head).items():
        if path not in new:
            continue
        at_fork = repo.value_at(fork, source) if fork else None
        approved = exceptions.get(source, repo.value_at(parent, source) if parent else None)
        if not shows_every_change(repo, approved, at_fork, seen[path][1]):
            found[path] = source
    return found


def _base(repo: Repo, change: Change, evidence: Evidence) -> str | None:
    """The branch before the pull request arrived. A fast-forward merge puts the pull request's
    own commits on the first-parent line: step back over them."""
    base = change.parents[0] if change.parents else None
    if base and evidence.head == change.sha and evidence.commits:
        commits = set(evidence.commits)
        while base in commits:
            base = repo.commit_of(f"{base}^1")
            if base is None:
                break
    return base


def _authors(repo: Repo, change: Change, evidence: Evidence, base, head: str) -> Authors:
    people = list(evidence.authors)
    if head != change.sha and base:
        people += [Person(name=n, email=e) for n, e in repo.people(f"{base}..{head}")]
    return Authors(people)


class _Approvers:
    """For one pull request: which departments it has an independent approver for."""

    def __init__(self, evidence: Evidence, authors: Authors, owners: Owners, match_by: str):
        self.evidence = evidence
        self.authors = authors
        self.owners = owners
        self.match_by = match_by
        self.used: set[str] = set()
        self._cache: dict[str, str] = {}

    def blocker(self, department: str) -> str:
        """Why no approver counts for `department`; empty when one does."""
        if department not in self._cache:
            self._cache[department] = self._blocker(department)
        return self._cache[department]

    def _blocker(self, department: str) -> str:
        label = self.evidence.label
        known = self.owners.catalog.departments.get(department)
        if known is None:
            return f"须由“{department or '(未指定)'}”审核，但已批准的 catalog.yml 中没有这个科室"
        who = f"须由{known.name}审核"
        matched = [
            (a, r)
            for a in self.evidence.approvers
            if (r := reviewer_match(a, known, self.match_by))
        ]
        independent = [a for a, r in matched if not self.authors.includes(a, r)]
        if independent:
            self.used.update(a.public for a in independent)
            return ""
        if matched:
            names = "、".join(str(a) for a, _ in matched)
            return f"{who}：批准人 {names} 也是这次修改的作者，不能审核自己的修改（谁制作、谁审查、谁负责；{label}）"
        if self.evidence.approvers:
            names = "、".join(str(a) for a in self.evidence.approvers)
            return f"{who}：批准人 {names} 不是{known.name}在已批准的 catalog.yml 中登记的审核人（{label}）"
        if self.evidence.outdated:
            names = "、".join(self.evidence.outdated)
            return (
                f"{who}:{names} 批准的不是最终版本（批准之后又有新的提交），须重新批准（{label}）"
            )
        return f"{who}:{label} 没有有效的批准"


def shows_every_change(repo: Repo, approved: Value, fork: Value, head: Value) -> bool:
    """Whether the reviewers' diff fork -> head, applied to the last approved version, gives
    exactly head: then every difference between what is online and what would be published was
    in that diff. Usually fork is the approved version; after a held push it is not, and a
    three-way merge (git merge-file, base fork) decides. A conflict, a binary file or a link
    counts as "not shown": the path stays held."""
    if approved in (fork, head):
        return True
    if any(v is not None and is_special(v) for v in (approved, fork, head)):
        return False
    contents = dict(repo.blobs(v for v in (approved, fork, head) if v is not None))
    with tempfile.TemporaryDirectory(prefix="gongkai-diff-") as folder:
        names = []
        for name, value in (("approved", approved), ("fork", fork), ("head", head)):
            path = Path(folder) / name
            path.write_bytes(contents[value] if value is not None else b"")
            names.append(str(path))
        done = subprocess.run(
            ["git", "merge-file", "-p", "-q", *names], capture_output=True, check=False, cwd=folder
        )
    wanted = contents[head] if head is not None else b""
    return done.returncode == 0 and done.stdout == wanted
