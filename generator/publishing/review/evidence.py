"""What a provider of evidence answers for one commit of the published branch, and the review
semantics both forge APIs share.

A provider answers: was this commit produced by merging a pull request into the published
branch, and if so, which one, its approved head, who approved it on that head, who wrote it, and
when the forge recorded the approval and the merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from generator.publishing.review.people import Person
from generator.publishing.review.repo import Change


class ReviewError(Exception):
    """Evidence could not be obtained (the message is in Chinese): nothing new is published."""


@dataclass(frozen=True)
class Evidence:
    key: str  # how the publish record names this pull request: "#12", or the merge commit
    number: int | None
    link: str
    head: str  # the approved head H
    approvers: tuple[Person, ...]  # approvals that count: latest per reviewer, on H
    authors: tuple[Person, ...]  # what the forge knows of the authors (logins)
    merged_at: str = ""
    approved_at: str = ""
    outdated: tuple[str, ...] = ()  # approvers whose approval was not on the final head
    commits: tuple[str, ...] = ()  # the pull request's commits as the forge lists them

    @property
    def label(self) -> str:
        return (
            f"合并请求 #{self.number}" if self.number is not None else f"合并提交 {self.key[:10]}"
        )


@dataclass(frozen=True)
class NoEvidence:
    """The commit is not an approved merge; `reason` says why, in Chinese."""

    reason: str


class Provider(Protocol):
    name: str
    match_by: str  # "login" (forge accounts) or "email" (signed trailers)
    calls: int

    def evidence(self, change: Change) -> Evidence | NoEvidence: ...


_CANCELS = {"CHANGES_REQUESTED", "REQUEST_CHANGES", "DISMISSED"}
_NEUTRAL = {"COMMENTED", "COMMENT", "PENDING", "REQUEST_REVIEW", ""}


def _when(review: dict) -> datetime | None:
    text = review.get("submitted_at")
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _chronological(reviews: list) -> list[dict]:
    """Reviews in the order they were submitted (the APIs' own order when a time is missing)."""
    reviews = [r for r in reviews if isinstance(r, dict)]
    times = [_when(r) for r in reviews]
    if all(t is not None and t.tzinfo is not None for t in times):
        order = sorted(range(len(reviews)), key=lambda i: (times[i], i))
        return [reviews[i] for i in order]
    return reviews


def _login(review: dict) -> str:
    user = review.get("user")
    if not isinstance(user, dict):
        return ""  # a deleted account: GitHub and Gitea answer "user": null
    login = user.get("login")
    return login.strip() if isinstance(login, str) else ""


def _before(reviews: list[dict], merged_at: str) -> list[dict]:
    """Reviews submitted up to the merge: an approval given afterwards approved nothing."""
    merged = _when({"submitted_at": merged_at})
    if merged is None or merged.tzinfo is None:
        return reviews
    return [r for r in reviews if (t := _when(r)) is None or t.tzinfo is None or t <= merged]


def latest_approvals(
    reviews: list, head: str, merged_at: str = ""
) -> tuple[list[tuple[Person, str]], list[str]]:
    """(approver, submitted_at) whose latest deciding review approves the final head, and the
    logins whose latest approval was for an earlier head (or marked stale).

    A later COMMENT or PENDING review does not cancel an approval; CHANGES_REQUESTED,
    REQUEST_CHANGES, DISMISSED and `dismissed: true` do."""
    latest: dict[str, dict | None] = {}
    people: dict[str, Person] = {}
    for review in _before(_chronological(reviews), merged_at):
        login = _login(review)
        if not login:
            continue
        state = str(review.get("state") or "").upper()
        if review.get("dismissed") is True or state in _CANCELS:
            latest[login.casefold()] = None
        elif state == "APPROVED":
            latest[login.casefold()] = review
            user = review["user"]
            people[login.casefold()] = Person(
                login, str(user.get("full_name") or ""), str(user.get("email") or "")
            )
        elif state not in _NEUTRAL:
            latest[login.casefold()] = None  # a state this code does not know proves nothing
    valid, outdated = [], []
    for key, review in latest.items():
        if review is None:
            continue
        if review.get("commit_id") == head and review.get("stale") is not True:
            valid.append((people[key], str(review.get("submitted_at") or "")))
        else:
            outdated.append(people[key].login)
    return valid, sorted(outdated)


def part(answer: dict, key: str, label: str) -> dict:
    """`answer[key]`, which the forge's API gives as an object (absent: empty); any other shape
    is an answer the gate cannot read, so it stops rather than guess."""
    value = answer.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ReviewError(f"{label} API 的答复格式不对（“{key}”应为对象），无法确认审核记录")
    return value


def commit_people(commits: list, label: str = "代码托管平台") -> list[Person]:
    """Authors and committers of a pull request's commits as the forge lists them: linked
    accounts (`author.login`) and the names and e-mails written in the commits."""
    people = []
    for entry in commits:
        if not isinstance(entry, dict):
            continue
        for role in ("author", "committer"):
            account = entry.get(role)
            if isinstance(account, dict) and isinstance(account.get("login"), str):
                people.append(Person(login=account["login"]))
            written = part(entry, "commit", label).get(role)
            if isinstance(written, dict):
                people.append(
                    Person(
                        name=str(written.get("name") or ""), email=str(written.get("email") or "")
                    )
                )
    return people
