"""The review gate at scale: API calls and seconds after one merged pull request, with the
previous publish record, against a local server speaking GitHub's REST format.

    .venv/bin/python -m bench.gate 10000 100000 [--work DIR]

Each bureau (bench/synthetic.py, seed 1) is one Git repository: a first commit with every
item, then one pull request (a new item and an edited one) merged with a merge commit. The
record is that of a mature site: every item's blob approved by one of 1,000 pull requests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.report import write_section
from bench.synthetic import generate

ROOT = Path(__file__).parents[1]
REPOSITORY = "bench/portal"


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "测试员",
        "GIT_AUTHOR_EMAIL": "tester@example.gov.cn",
        "GIT_COMMITTER_NAME": "测试员",
        "GIT_COMMITTER_EMAIL": "tester@example.gov.cn",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], input=stdin, capture_output=True, env=env, check=True
    )
    return done.stdout.decode()


class Forge:
    """What the stub serves: one merged pull request."""

    merge = head = ""
    reviewer = ""
    commits: list[dict] = []
    calls = 0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (the standard library's name)
        Forge.calls += 1
        path = self.path.split("?")[0]
        pull = {
            "number": 1001,
            "merged_at": "2026-11-30T02:00:00Z",
            "merge_commit_sha": Forge.merge,
            "base": {"ref": "main"},
            "head": {"sha": Forge.head},
            "user": {"login": "tester"},
            "html_url": f"https://github.com/{REPOSITORY}/pull/1001",
        }
        if path.endswith(f"/commits/{Forge.merge}/pulls"):
            body: object = [pull]
        elif path.endswith("/pulls/1001/reviews"):
            body = [
                {
                    "user": {"login": Forge.reviewer},
                    "state": "APPROVED",
                    "commit_id": Forge.head,
                    "submitted_at": "2026-11-30T01:00:00Z",
                }
            ]
        elif path.endswith("/pulls/1001/commits"):
            body = Forge.commits
        else:
            body = []
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


def bureau(count: int, work: Path) -> tuple[Path, Path]:
    """The repository and the previous record."""
    repo = generate(work / f"gate-{count}", count)
    shutil.copytree(
        ROOT / "generator", repo / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "初始化")
    genesis = git(repo, "rev-parse", "HEAD").strip()
    blobs = [
        line.split()[2]
        for line in git(repo, "ls-tree", "-r", "--full-tree", "HEAD", "content").splitlines()
    ]
    record = {
        "version": 2,
        "provider": "github",
        "branch": "main",
        "commit": genesis,
        "exceptions": {},
        "held": {},
        "pulls": {
            f"#{n}": {
                "number": n,
                "link": f"https://github.com/{REPOSITORY}/pull/{n}",
                "merged_at": "2026-10-01T00:00:00Z",
                "approved_at": "2026-10-01T00:00:00Z",
                "approvers": ["c00-reviewer"],
                "authors": ["tester"],
                "commit": genesis,
            }
            for n in range(1, 1001)
        },
        "approvals": {blob: f"#{i % 1000 + 1}" for i, blob in enumerate(blobs)},
    }
    (work / f"record-{count}.json").write_text(json.dumps(record), encoding="utf-8")
    # one pull request: a new item and an edited one, in the first category (department bgs)
    git(repo, "checkout", "-q", "-b", "pr")
    folder = repo / "content" / "c00"
    edited = sorted(folder.glob("*.md"))[0]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("title: ", "title: 修订:", 1), encoding="utf-8"
    )
    (folder / "new.md").write_text(
        '---\ntitle: 新的通知\ncategory: c00\nindex_no: "000088001/2026-99999"\n'
        "date: 2026-11-29\ndisclosure: 主动公开\n---\n\n正文。\n",
        encoding="utf-8",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "新增通知")
    Forge.head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "pr", "-m", "Merge pull request #1001")
    Forge.merge = git(repo, "rev-parse", "HEAD").strip()
    Forge.reviewer = "bgs-reviewer"
    Forge.commits = [
        {
            "sha": Forge.head,
            "commit": {
                "author": {"name": "测试员", "email": "tester@example.gov.cn"},
                "committer": {"name": "测试员", "email": "tester@example.gov.cn"},
            },
            "author": {"login": "tester"},
            "committer": {"login": "tester"},
        }
    ]
    return repo, work / f"record-{count}.json"


def timed(args: list[str], repo: Path, env: dict) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli.main", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, done


def measure(count: int, work: Path, base: str) -> dict:
    repo, record = bureau(count, work)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GONGKAI_"))},
        "PYTHONPATH": str(ROOT),
        "GITHUB_API_URL": base,
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_TOKEN": "bench",
    }
    checks, calls = [], []
    for _ in range(2):
        Forge.calls = 0
        seconds, done = timed(
            ["publish-check", "--provider", "github", "--record", str(record)], repo, env
        )
        if done.returncode != 0:
            raise SystemExit(
                f"publish-check failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )
        checks.append(seconds)
        calls.append(Forge.calls)
    out = Path(tempfile.mkdtemp(prefix="gate-tree-", dir=work))
    shutil.rmtree(out)
    Forge.calls = 0
    tree_seconds, done = timed(
        [
            "gate",
            "--provider",
            "github",
            "--record",
            str(record),
            "--out",
            str(out),
            "--result",
            str(work / "result.json"),
        ],
        repo,
        env,
    )
    if done.returncode != 0:
        raise SystemExit(f"gate failed:\n{done.stderr}")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    shutil.rmtree(out, ignore_errors=True)
    builds = builds_of(repo, record, env) if count <= 10_000 else None
    shutil.rmtree(repo, ignore_errors=True)
    return {
        "builds": builds,
        "items": count,
        "calls": max(calls),
        "check": min(checks),
        "tree": tree_seconds,
        "tree_mb": size,
        "record_mb": record.stat().st_size / 1e6,
    }


def builds_of(repo: Path, record: Path, env: dict) -> tuple[float, float]:
    """Seconds of `gongkai build --gate --record` (the checkout is the approved state, so it
    builds in place) and of `gongkai build`, as commands, the faster of two runs each."""
    site = repo.parent / "bench-site"
    gated, plain = [], []
    for _ in range(2):
        args = ["build", "--gate", "--provider", "github", "--record", str(record)]
        seconds, done = timed([*args, "--today", "2026-11-23", "--site-dir", str(site)], repo, env)
        if done.returncode != 0:
            raise SystemExit(f"gated build failed:\n{done.stderr[-2000:]}")
        gated.append(seconds)
        seconds, done = timed(
            ["build", "--today", "2026-11-23", "--site-dir", str(site)], repo, env
        )
        plain.append(seconds)
    shutil.rmtree(site, ignore_errors=True)
    return min(gated), min(plain)


def report(results: list[dict]) -> str:
    rows = [
        "| items | API calls | gate with record (s) | gate + approved files written (s) | approved files (MB) | record (MB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rows.append(
            f"| {r['items']:,} | {r['calls']} | {r['check']:.1f} | {r['tree']:.1f} | {r['tree_mb']:.0f} | {r['record_mb']:.1f} |"
        )
    for r in results:
        if r["builds"]:
            gated, plain = r["builds"]
            rows.append(
                f"\nFull build at {r['items']:,} items: `gongkai build --gate --record` {gated:.1f} s, "
                f"`gongkai build` without the gate {plain:.1f} s ({gated / plain:.2f}×)."
            )
    return (
        "\n".join(rows)
        + """

Target (issue 17): after one merged pull request, with the previous record, at most 3 API calls
and under 10 s at 100,000 items. "gate with record" is `gongkai publish-check --record`, as a
command (process start to exit, the faster of two runs): it reads the record, walks the one new
first-parent commit (one `git log`, one `merge-base`, two `diff-tree`), asks the forge stub for the
commit's pull request, its reviews and its commits, and reads HEAD's tree once (`ls-tree`) to
count the gated files and prune the record. "approved files written" is `gongkai gate --out`,
which also writes every gated file of the approved state from Git's objects (what the workflow
builds from). The record is that of a mature site: every item's blob approved by one of 1,000
pull requests."""
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="+", type=int)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = []
    for count in args.counts:
        result = measure(count, args.work, base)
        print(result, flush=True)
        results.append(result)
    server.shutdown()
    write_section("gate", "Review gate after one merged pull request", report(results))


if __name__ == "__main__":
    main()
