"""`gongkai build` never destroys what it did not write, swaps in only a complete site, and
cleans up after itself when it fails, is interrupted (SIGINT, SIGTERM) or is killed (SIGKILL).

Real builds of real bureaus through the command line; real signals; a real small tmpfs for a
full disk (in a private mount namespace, see `in_small_disk`)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.publishing.outdir import MARKER
from generator.site.plugin import THEME

from helpers import GONGKAI, Bureau, run

ROOT = Path(__file__).parents[1]
TODAY = "2026-11-23"


def site_bureau(root: Path, items: int = 1) -> Bureau:
    bureau = Bureau(root)
    bureau.init_git()
    for n in range(1, items + 1):
        bureau.item(f"content/tzgg/{n:05d}.md", index_no=f"000014349/2026-{n:05d}")
    shutil.copy(ROOT / "mkdocs.yml", bureau.root / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", bureau.root / "theme")
    (bureau.root / "content/pages").mkdir(parents=True, exist_ok=True)
    bureau.commit("bureau")
    return bureau


def tree(path: Path) -> dict[str, object]:
    """Every file's bytes, every link's target and every folder under `path`."""
    found: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            full = Path(dirpath, name)
            rel = full.relative_to(path).as_posix()
            if full.is_symlink():
                found[rel] = ("link", os.readlink(full))
            elif full.is_dir():
                found[rel] = "dir"
            else:
                found[rel] = full.read_bytes()
    return found


def build(root: Path, *extra: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run("build", str(root), "--today", TODAY, *extra, cwd=cwd or root)


def assert_chinese_failure(done: subprocess.CompletedProcess[str], status: int) -> None:
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.startswith("gongkai："), done.stderr


@pytest.fixture(scope="module")
def bureau(tmp_path_factory) -> Bureau:
    return site_bureau(tmp_path_factory.mktemp("safety") / "b")


@pytest.mark.parametrize("target", ["content", ".", ".git", "/", "content/tzgg", "catalog.yml"])
def test_output_folder_inside_or_above_the_repository_is_refused(bureau, target):
    before = tree(bureau.root)
    top = sorted(os.listdir("/"))
    done = build(bureau.root, "--site-dir", target)
    assert_chinese_failure(done, 2)
    assert "没有写入或删除任何文件" in done.stderr
    assert tree(bureau.root) == before
    assert sorted(os.listdir("/")) == top


def test_marker_an_author_commits_into_content_does_not_make_it_replaceable(tmp_path):
    bureau = site_bureau(tmp_path / "b")
    shutil.copy(THEME / "main.html", bureau.root / "content/main.html")
    (bureau.root / "content" / MARKER).write_text("gongkai-site\n", encoding="utf-8")
    before = tree(bureau.root)
    done = build(bureau.root, "--site-dir", "content")
    assert_chinese_failure(done, 2)
    assert "content 之中" in done.stderr
    assert tree(bureau.root) == before


def test_symlinked_output_into_a_shared_web_root_is_refused(tmp_path):
    bureau = site_bureau(tmp_path / "b")
    webroot = tmp_path / "www"
    (webroot / "other-app").mkdir(parents=True)
    (webroot / "other-app/index.php").write_text("<?php echo 1;", encoding="utf-8")
    (webroot / MARKER).write_text("gongkai-site\n", encoding="utf-8")  # even one gongkai made
    (bureau.root / "site").symlink_to(webroot)
    before, repo = tree(webroot), tree(bureau.root)
    done = build(bureau.root)
    assert_chinese_failure(done, 2)
    assert "符号链接" in done.stderr
    assert tree(webroot) == before and tree(bureau.root) == repo


def test_existing_folder_gongkai_did_not_make_is_refused(tmp_path):
    bureau = site_bureau(tmp_path / "b")
    other = tmp_path / "public"
    other.mkdir()
    (other / "notes.txt").write_text("another team's files", encoding="utf-8")
    done = build(bureau.root, "--site-dir", str(other))
    assert_chinese_failure(done, 2)
    assert "不是 gongkai 生成的网站" in done.stderr and "notes.txt" in done.stderr
    assert tree(other) == {"notes.txt": b"another team's files"}


def test_empty_folder_is_used_and_marked_then_replaced_on_the_next_build(tmp_path):
    bureau = site_bureau(tmp_path / "b")
    site = tmp_path / "out"
    site.mkdir()
    assert build(bureau.root, "--site-dir", str(site)).returncode == 0
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    bureau.item("content/tzgg/new.md", index_no="000014349/2026-00009", title="新增的通知")
    assert build(bureau.root, "--site-dir", str(site)).returncode == 0
    assert (site / "item/000014349/2026-00009/index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".gongkai")] == []


def test_plain_mkdocs_build_refuses_a_folder_it_did_not_make(tmp_path):
    bureau = site_bureau(tmp_path / "b")
    other = tmp_path / "shared"
    other.mkdir()
    (other / "keep.html").write_text("<p>keep</p>", encoding="utf-8")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(other)]
    done = subprocess.run(mkdocs, cwd=bureau.root, capture_output=True, text=True)
    assert done.returncode != 0
    assert "不是 gongkai 生成的网站" in done.stderr and "Traceback" not in done.stderr
    assert tree(other) == {"keep.html": b"<p>keep</p>"}
    fresh = tmp_path / "fresh"
    done = subprocess.run([*mkdocs[:-1], str(fresh)], cwd=bureau.root, capture_output=True)
    assert done.returncode == 0 and (fresh / MARKER).is_file()
    done = subprocess.run([*mkdocs[:-1], str(fresh)], cwd=bureau.root, capture_output=True)
    assert done.returncode == 0  # its own folder it replaces


def test_index_number_with_dot_dot_writes_nothing_outside_the_site(tmp_path):
    bureau = site_bureau(tmp_path / "b")
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(catalog.read_text().replace("{org}/{year}-{serial:05d}", "{x}"))
    bureau.item("content/tzgg/00001.md", index_no="../../../escaped")
    done = build(bureau.root)
    assert_chinese_failure(done, 1)
    assert not list(tmp_path.rglob("escaped"))


# --- half-written output: a real small disk -------------------------------------------------

DISK_DRIVER = r"""
import json, os, subprocess, sys
from pathlib import Path
root, disk, gongkai = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
site = disk / "site"
def files(path):
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
def build():
    done = subprocess.run([*gongkai, "build", str(root), "--today", "2026-11-23", "--site-dir", str(site)],
                          capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr
code, out = build()
first = files(site)
results = {"first": code, "size": sum(map(len, first.values())), "runs": []}
usage = lambda: os.statvfs(disk)
for share in json.loads(sys.argv[4]):
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    stat = usage()
    free = stat.f_bavail * stat.f_frsize
    keep = int(results["size"] * share)
    with open(filler, "wb") as f:
        f.write(b"\0" * max(0, free - keep))
    code, out = build()
    filler.unlink()
    now = files(site)
    results["runs"].append({"share": share, "code": code, "out": out, "same": now == first,
                            "left": sorted(p.name for p in disk.iterdir() if p.name != "site")})
    first = now
print(json.dumps(results))
"""


def in_small_disk(size_kb: int, disk: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run `command` in a private mount namespace where `disk` is a new tmpfs of `size_kb` KB:
    as root with `unshare --mount`, else as a mapped root user (works unprivileged)."""
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is needed for the full-disk test")
    ns = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    script = 'mount -t tmpfs -o size="$1"k tmpfs "$2" && shift 2 && exec "$@"'
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [*ns, "sh", "-c", script, "sh", str(size_kb), str(disk), *command],
        capture_output=True,
        text=True,
        env=env,
    )


def test_full_disk_never_swaps_in_a_half_written_site(tmp_path):
    bureau = site_bureau(tmp_path / "b", items=40)
    disk = tmp_path / "disk"
    disk.mkdir()
    # free room left for the second build, as a share of the site's size
    shares = [0.02, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 1.0, 1.03, 1.06, 1.1, 1.15, 1.2, 1.5]
    driver = [sys.executable, "-c", DISK_DRIVER, str(bureau.root), str(disk)]
    done = in_small_disk(16000, disk, *driver, json.dumps(GONGKAI), json.dumps(shares))
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["first"] == 0
    failed = [r for r in results["runs"] if r["code"] != 0]
    assert len(failed) >= 5  # most runs ran out of room, at different points of the build
    assert any("pagefind" in r["out"] for r in failed)  # including while Pagefind wrote
    for r in results["runs"]:
        assert "Traceback" not in r["out"]
        assert r["left"] == [], r  # no staging folder, no other leftovers
        if r["code"] != 0:
            assert r["code"] == 1 and "原有网站保持不变" in r["out"], r
            assert "网站已生成" not in r["out"]
            assert r["same"], r  # the previous site, byte for byte
        else:
            assert "网站已生成" in r["out"]


# --- signals: a real build, stopped by real signals -----------------------------------------


def processes() -> dict[int, tuple[int, str]]:
    """Every process: its parent and state (from /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found[int(stat.parent.name)] = (int(fields[1]), fields[0])
    return found


def descendants(pid: int) -> list[int]:
    table = processes()
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        kids = [p for p, (ppid, _) in table.items() if ppid == parent]
        found += kids
        todo += kids
    return found


def running(pid: int) -> bool:
    state = processes().get(pid)
    return state is not None and state[1] not in ("Z", "X")


def scratch_of(pid: int) -> list[Path]:
    return [p for d in (Path("/dev/shm"), Path("/tmp")) for p in d.glob(f"gongkai-search-{pid}-*")]


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> Bureau:
    """Enough items, in small search shards, for Pagefind to run while pages still render."""
    bureau = site_bureau(tmp_path_factory.mktemp("busy") / "b", items=400)
    config = bureau.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "      latest: 10",
            "      latest: 10\n      search_shard_pages: 60\n      search_group_pages: 30",
        ),
        encoding="utf-8",
    )
    assert build(bureau.root).returncode == 0  # the previous site
    return bureau


def stopped_mid_build(root: Path) -> tuple[subprocess.Popen, list[int]]:
    """A build paused (SIGSTOP) while its staging folder, search scratch, search worker and a
    Pagefind run all exist; returns it and its processes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [*GONGKAI, "build", str(root), "--today", TODAY]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        family = descendants(process.pid)
        staged = list(root.glob(".gongkai-building-*"))
        if staged and scratch_of(process.pid) and any(descendants(p) for p in family):
            os.kill(process.pid, signal.SIGSTOP)
            return process, descendants(process.pid)
        time.sleep(0.005)
    process.kill()
    pytest.fail("the build ended before Pagefind ran beside it")


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_stops_the_build_and_removes_everything_it_made(busy, signum, status):
    site = busy.root / "site"
    before = tree(site)
    stopped, family = stopped_mid_build(busy.root)
    os.kill(stopped.pid, signum)
    os.kill(stopped.pid, signal.SIGCONT)
    out, err = stopped.communicate(timeout=60)
    stderr = err.decode()
    assert stopped.returncode == status, stderr
    assert "已停止并清除临时文件和子进程" in stderr and "原有网站保持不变" in stderr
    assert "Traceback" not in stderr + out.decode()
    assert list(busy.root.glob(".gongkai-*")) == []
    assert scratch_of(stopped.pid) == []
    time.sleep(0.2)
    assert [p for p in family if running(p)] == []  # search worker and Pagefind
    assert tree(site) == before


def test_killed_build_leaves_what_the_next_build_removes(busy, tmp_path):
    site = busy.root / "site"
    before = tree(site)
    killed, family = stopped_mid_build(busy.root)
    os.kill(killed.pid, signal.SIGKILL)
    os.kill(killed.pid, signal.SIGCONT)
    killed.communicate(timeout=60)
    time.sleep(0.5)
    assert [p for p in family if running(p)] == []  # the worker died with the build
    assert scratch_of(killed.pid) == []  # and removed its scratch folder on the way
    [left] = busy.root.glob(".gongkai-building-*")  # this only the next build can remove
    assert tree(site) == before
    alive = busy.root / f".gongkai-building-site-{os.getpid()}-live1234"
    alive.mkdir()  # a build still running (this test's own process id): left alone
    done = build(busy.root)
    assert done.returncode == 0, done.stderr
    assert not left.exists() and alive.is_dir()
    alive.rmdir()


def test_previous_site_moved_aside_by_a_killed_build_is_put_back(tmp_path):
    bureau = site_bureau(tmp_path / "b")
    assert build(bureau.root).returncode == 0
    before = tree(bureau.root / "site")
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process id that no longer runs
    aside = bureau.root / f".gongkai-old-site-{gone.pid}-abcd1234"
    (bureau.root / "site").rename(aside)  # as a build killed between its two renames left it
    bureau.item("content/tzgg/bad.md", index_no="000014349/2026-00002", category="nosuch")
    done = build(bureau.root)
    assert done.returncode == 1  # this build fails: the site must be the previous one again
    assert tree(bureau.root / "site") == before
    assert not aside.exists()


# --- the verifier itself, on a real built site damaged the ways a full disk damages it --------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real site built by mkdocs with the plugin (search in two shards), and the plugin."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    bureau = site_bureau(tmp_path_factory.mktemp("verify") / "b", items=6)
    site = bureau.root.parent / "site"
    config = load_config(str(bureau.root / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["gongkai"]
    plugin.config.today = TODAY
    plugin.config.search_group_pages = 2
    plugin.config.search_shard_pages = 4
    mkdocs_build(config)
    return site, plugin


def check_copy(built, tmp_path, damage):
    from generator.core.public_set import ITEM_ROOT
    from generator.site.completeness import check_search, check_written

    site, plugin = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    damage(copy)
    searched = {page.address for page in plugin.plan.pages if page.search}
    listed = [f.dest_uri for f in plugin.files.documentation_pages() if f.src_uri in searched]
    check_written(copy, plugin.files, (f"{ITEM_ROOT}/", len(plugin.site.pages)))
    check_search(copy, listed, plugin.plan.shards)


def test_verifier_passes_the_site_as_built(built, tmp_path):
    check_copy(built, tmp_path, lambda site: None)


def truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize(
    "damage, named",
    [
        (lambda s: truncate(s / "index.html"), "index.html 不完整"),
        (lambda s: (s / "index.html").unlink(), "index.html 没有写入"),
        (lambda s: truncate(next(s.glob("assets/javascripts/bundle.*.min.js"))), "应有"),
        (lambda s: (s / "pagefind/pagefind-entry.json").write_bytes(b""), "pagefind-entry.json"),
        (lambda s: truncate(s / "feed.xml"), "feed.xml"),
        (lambda s: next(s.glob("item/*/*/search.txt")).unlink(), "search.txt 没有写入"),
        (lambda s: next(s.glob("pagefind-1/fragment/*")).write_bytes(b""), "pagefind-1/fragment/"),
        (lambda s: next(s.glob("pagefind/*.pf_meta")).unlink(), "pf_meta 缺失"),
        (lambda s: shutil.rmtree(s / "pagefind-1"), "pagefind-1/pagefind-entry.json"),
        (lambda s: (s / "sitemap.xml.gz").write_bytes(b"\x1f\x8b\x08"), "sitemap.xml.gz"),
    ],
    ids=["page", "missing", "copy", "entry", "feed", "text", "fragment", "meta", "shard", "gz"],
)
def test_verifier_names_what_a_damaged_site_lacks(built, tmp_path, damage, named):
    from generator.site.completeness import Incomplete

    with pytest.raises(Incomplete, match="生成的网站不完整") as caught:
        check_copy(built, tmp_path, damage)
    assert named in str(caught.value)


def test_search_worker_reads_every_bundle_file_back(built, tmp_path):
    from generator.search.bundles import bundle_problems

    site, plugin = built
    bundle = tmp_path / "pagefind"
    shutil.copytree(site / "pagefind", bundle)
    pages = plugin.plan.shards[0]
    assert bundle_problems(bundle, pages) == []
    chunk = next(bundle.glob("index/*.pf_index"))
    truncate(chunk, 0.9)  # still there, not empty: only reading it back finds the damage
    assert bundle_problems(bundle, pages) == [f"pagefind/index/{chunk.name} 缺失、为空或无法解压"]
    assert bundle_problems(bundle, pages + 1) == [
        f"pagefind 应索引 {pages + 1} 个页面，实际 {pages} 个"
    ]
