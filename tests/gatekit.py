"""A small forge for gate tests: a real Git repository whose pull requests (heads, reviews,
merges in every style) are recorded as a forge records them (gatestub.py serves them)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).parents[1]
REPOSITORY = "xxgk/portal"
TODAY = "2026-11-30"

# login -> (name, e-mail): the forge's accounts
USERS = {
    "admin": ("管理员", "admin@example.gov.cn"),
    "wang": ("王芳", "wang@example.gov.cn"),  # 办公室 reviewer (the office)
    "sun": ("孙慧", "sun@example.gov.cn"),  # 政策法规科 reviewer
    "wu": ("吴涛", "wutao@example.gov.cn"),  # 市场管理科 reviewer
    "li": ("李静", "lijing@example.gov.cn"),  # 财务审计科 reviewer
    "qian": ("钱磊", "qianlei@example.gov.cn"),  # becomes 政策法规科's reviewer in one story
    "tester": ("测试员", "tester@example.gov.cn"),  # staff
    "zhao": ("赵敏", "zhao@example.gov.cn"),  # staff
}
FORGE = ("GitHub", "noreply@github.com")  # who commits squash and rebase merges

CATALOG = """\
site:
  name: 测试局政府信息公开
  base_url: https://example.gov.cn/
organization:
  name: 测试市文化和旅游局
  code: "000014349"
index_number:
  template: "{org}/{year}-{serial:05d}"
  scope: year
departments:
  - id: bgs
    name: 办公室
    reviewers:
      - {login: wang, identity: 王芳 <wang@example.gov.cn>}
  - id: zcfgk
    name: 政策法规科
    reviewers:
      - {login: sun, identity: 孙慧 <sun@example.gov.cn>}
  - id: scglk
    name: 市场管理科
    reviewers:
      - {login: wu, identity: 吴涛 <wutao@example.gov.cn>}
  - id: cwsjk
    name: 财务审计科
    reviewers:
      - {login: li, identity: 李静 <lijing@example.gov.cn>}
categories:
  - code: tzgg
    name: 通知公告
    department: bgs
  - code: zcjd
    name: 政策解读
    department: zcfgk
  - code: xzxk
    name: 行政许可
    department: scglk
  - code: hygq
    name: 回应关切
    department: bgs
requests:
  office: 测试市文化和旅游局办公室
  phone: 0000-1234500
review:
  office: bgs
"""


def item(number: int, title: str, category: str = "tzgg", body: str = "正文。", **meta) -> str:
    fields = {
        "title": title,
        "category": category,
        "index_no": f"000014349/2026-{number:05d}",
        "date": "2026-03-05",
        "written": "2026-03-01",
        "disclosure": "主动公开",
        **meta,
    }
    front = "\n".join(f"{k}: {v}" for k, v in fields.items() if v is not None)
    return f"---\n{front}\n---\n\n{body}\n"


def mkdocs_yml() -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return text.replace("latest: 10 ", "latest: 10\n      search: false ", 1)


@dataclass
class Pull:
    number: int
    branch: str
    user: str
    head: str
    base: str = "main"
    reviews: list[dict] = field(default_factory=list)
    merged_at: str = ""
    merge_sha: str = ""
    commits: list[str] | None = None  # frozen when merged
    details: list[dict] | None = None  # and what the forge shows of them


class ForgeRepo:
    """A bureau's repository, with the pull requests a forge would remember."""

    def __init__(self, root: Path, files: dict | None = None):
        self.root = root
        self.pulls: dict[int, Pull] = {}
        self.moment = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        files_extra = files
        files = {
            "catalog.yml": CATALOG,
            "mkdocs.yml": mkdocs_yml(),
            "content/pages/.keep": "",
            "content/tzgg/a.md": item(1, "关于开展文化市场检查的通知", body="初始正文。"),
            "generator/marker.py": "APPROVED = True\n",
            "pyproject.toml": "[project]\nname = 'demo'\n",
        }
        for path in (ROOT / "theme").rglob("*"):
            if path.is_file():
                files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
        self.commit("admin", "初始化信息公开仓库", {**files, **(files_extra or {})})

    # --- plumbing ----------------------------------------------------------------------------
    def git(
        self, *args: str, who: str | None = None, committer: tuple | None = None, ok=False
    ) -> str:
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root.parent)}
        if who:
            name, email = USERS[who]
            env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email)
            env.update(GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
        if committer:
            env.update(GIT_COMMITTER_NAME=committer[0], GIT_COMMITTER_EMAIL=committer[1])
        stamp = self.tick()
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, env=env, check=False
        )
        if done.returncode and not ok:
            raise RuntimeError(done.stderr.decode() + done.stdout.decode())
        return done.stdout.decode("utf-8", "replace")

    def tick(self) -> str:
        self.moment += timedelta(minutes=7)
        return self.moment.isoformat()

    def sha(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", ref).strip()

    def write(self, files: dict[str, str | bytes | None]) -> None:
        for rel, text in files.items():
            path = self.root / rel
            if text is None:
                if path.exists():
                    path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")

    def commit(self, who: str, message: str, files: dict, **extra) -> str:
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, who=who, **extra)
        return self.sha()

    # --- what staff and reviewers do ----------------------------------------------------------
    def push(self, who: str, files: dict, message: str = "直接修改") -> str:
        """A commit straight onto main (someone with push rights)."""
        self.git("checkout", "-q", "main")
        return self.commit(who, message, files)

    def open(self, who: str, files: dict, base: str = "main", title: str = "") -> Pull:
        number = len(self.pulls) + 1
        branch = f"pr-{number}"
        self.git("checkout", "-q", "-b", branch, base)
        head = self.commit(who, title or f"修改 {number}", files)
        pull = Pull(number, branch, who, head, base)
        self.pulls[number] = pull
        self.git("checkout", "-q", "main")
        return pull

    def add(self, pull: Pull, who: str, files: dict, message: str = "按意见修改") -> str:
        self.git("checkout", "-q", pull.branch)
        pull.head = self.commit(who, message, files)
        self.git("checkout", "-q", "main")
        return pull.head

    def update_branch(self, pull: Pull, who: str) -> str:
        """The forge's "update branch": main merged into the pull request's branch."""
        self.git("checkout", "-q", pull.branch)
        self.git("merge", "-q", "--no-ff", "main", "-m", "Merge main into branch", who=who)
        pull.head = self.sha()
        self.git("checkout", "-q", "main")
        return pull.head

    def review(self, pull: Pull, login: str, state: str = "APPROVED", **extra) -> None:
        entry = {
            "login": login,
            "state": state,
            "commit_id": extra.pop("commit_id", pull.head),
            "submitted_at": self.tick().replace("+00:00", "Z"),
            **extra,
        }
        pull.reviews.append(entry)

    def merge(self, pull: Pull, style: str = "merge", merger: str = "wang", extra=None) -> str:
        """Merge the pull request into its base the way the forge does; `extra` files are
        changed in the merge itself (a conflict resolution by the merger)."""
        self.git("checkout", "-q", pull.base)
        pull.commits = self.git("rev-list", "--reverse", f"{pull.base}..{pull.head}").split()
        pull.details = self.commits_of(pull)
        if style == "merge":
            self.git("merge", "-q", "--no-ff", "--no-commit", pull.branch, who=merger, ok=True)
            self.write(extra or {})
            self.git("add", "-A")
            self.git("commit", "-q", "-m", f"Merge pull request #{pull.number}", who=merger)
        elif style == "squash":
            self.git("merge", "-q", "--squash", pull.branch)
            self.write(extra or {})
            self.git("add", "-A")
            self.git("commit", "-q", "-m", f"修改 (#{pull.number})", who=pull.user, committer=FORGE)
        elif style == "rebase":
            commits = self.git("rev-list", "--reverse", f"{pull.base}..{pull.branch}").split()
            for sha in commits:
                self.git("cherry-pick", "--allow-empty", sha, committer=FORGE)
        elif style == "ff":
            self.git("merge", "-q", "--ff-only", pull.branch)
        pull.merge_sha = self.sha()
        pull.merged_at = self.tick().replace("+00:00", "Z")
        return pull.merge_sha

    def octopus(self, pulls: list[Pull], merger: str = "wang") -> str:
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--no-ff", *(p.branch for p in pulls), "-m", "章鱼合并", who=merger)
        sha = self.sha()
        for pull in pulls:
            pull.commits = self.git("rev-list", "--reverse", f"{sha}^1..{pull.head}").split()
            pull.merge_sha, pull.merged_at = sha, self.tick().replace("+00:00", "Z")
        return sha

    def commits_of(self, pull: Pull) -> list[dict]:
        if pull.details is not None:
            return pull.details
        shas = pull.commits
        if shas is None:
            shas = self.git("rev-list", "--reverse", f"{pull.base}..{pull.head}").split()
        result = []
        for sha in shas:
            line = self.git("log", "-1", "--format=%an%x1f%ae%x1f%cn%x1f%ce", sha).strip()
            an, ae, cn, ce = line.split("\x1f")
            result.append({"sha": sha, "author": (an, ae), "committer": (cn, ce)})
        return result


def login_of(email: str) -> str | None:
    return next((login for login, (_, e) in USERS.items() if e == email), None)


def base_env(**extra: str) -> dict[str, str]:
    """This process's environment without any CI or gate variable."""
    prefixes = ("GITHUB_", "GITEA_", "GONGKAI_", "CI")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["PYTHONPATH"] = str(ROOT)
    return {**env, **extra}


def gongkai(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,  # a hang fails the test instead of the suite
    )


def site_text(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js", ".css", ".txt", ".md")
    )


def item_page(site: Path, number: int) -> str:
    return (site / "item" / "000014349" / f"2026-{number:05d}" / "index.html").read_text(
        encoding="utf-8"
    )


def held_from(stderr: str) -> dict[str, str]:
    """The held list a command printed: path -> reason."""
    found = {}
    for line in stderr.splitlines():
        if line.startswith("  ") and "  " in line.strip():
            path, _, reason = line.strip().partition("  ")
            found[path] = reason.strip()
    return found
