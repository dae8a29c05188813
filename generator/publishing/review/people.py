"""People in the evidence: approvers and authors, and when two records are the same person.

"谁制作、谁审查、谁负责": an approver who wrote any commit of the change is an author. Matching
is deliberately generous (login, e-mail, or a name compared without case, spaces, full-width
forms and punctuation), because a false "is an author" only asks for another reviewer, while a
missed one lets someone approve their own text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from generator.core.catalog import Department, Reviewer


@dataclass(frozen=True)
class Person:
    login: str = ""
    name: str = ""
    email: str = ""

    def __str__(self) -> str:
        if self.login:
            return self.login
        return self.name or self.email or "（未知）"

    @property
    def public(self) -> str:
        """How the person appears in the public record: never an e-mail address."""
        return self.login or self.name or "（未署名）"


def normal_name(text: str) -> str:
    """A name for comparison: full-width forms folded, case folded, only letters and digits."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _keys(person: Person | Reviewer) -> set[tuple[str, str]]:
    keys = set()
    login = (person.login or "").strip().casefold()
    email = (person.email or "").strip().casefold()
    if login:
        keys.add(("login", login))
        if normal_name(login):
            keys.add(("name", normal_name(login)))
    if email:
        keys.add(("email", email))
    if person.name and normal_name(person.name):
        keys.add(("name", normal_name(person.name)))
    return keys


class Authors:
    """Everyone who wrote, committed or co-authored a commit of the change."""

    def __init__(self, people: Iterable[Person]):
        self.people = [p for p in people if p.login or p.name or p.email]
        self._keys = set().union(*(_keys(p) for p in self.people)) if self.people else set()

    def includes(self, *records: Person | Reviewer) -> bool:
        return any(_keys(r) & self._keys for r in records)

    def public(self) -> list[str]:
        return sorted({p.public for p in self.people if p.login or p.name})


def reviewer_match(approver: Person, department: Department, by: str) -> Reviewer | None:
    """The department's registered reviewer this approver is, by forge login or by e-mail."""
    for reviewer in department.reviewers:
        mine, theirs = (
            (reviewer.login, approver.login) if by == "login" else (reviewer.email, approver.email)
        )
        if mine and theirs and mine.strip().casefold() == theirs.strip().casefold():
            return reviewer
    return None
