"""Proof that a restructuring changed nothing a user sees: the demo bureau's site, validation and
reports, captured before and after, compared byte for byte.

    .venv/bin/python -m bench.same_site capture DIR [--root REPO]   # run the commands into DIR
    .venv/bin/python -m bench.same_site compare BEFORE AFTER        # every file, byte for byte

`capture` runs `python -m generator.cli` (whatever code the checkout holds) with DIR as the
working directory, so that every path a command prints is the same in both captures; each
command's exit status, stdout and stderr are kept beside what it wrote. `compare` lists every
file that is missing on one side or differs, and exits 1 if there is any; files that depend on
the time they were made (below) are compared with their time stamps blanked.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import cbor2

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-23"
COMMANDS = {
    "build": ["build", "{root}", "--site-dir", "site", "--today", TODAY],
    "validate-json": ["validate", "{root}", "--format", "json"],
    "validate-text": ["validate", "{root}"],
    "deadlines": ["report", "deadlines", "{root}", "--as-of", TODAY, "--format", "json"],
    "catalog": ["report", "catalog", "{root}", "--format", "json"],
    "catalog-text": ["report", "catalog", "{root}", "--as-of", TODAY],
    "annual": ["report", "annual", "2025", "{root}", "--out", "annual"],
}


def capture(out: Path, root: Path) -> None:
    out.mkdir(parents=True, exist_ok=False)
    (out / "commands").mkdir()
    env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"}
    for name, args in COMMANDS.items():
        argv = [a.replace("{root}", str(root)) for a in args]
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", *argv],
            cwd=out,
            env=env,
            capture_output=True,
            check=False,
        )
        (out / "commands" / f"{name}.stdout").write_bytes(done.stdout)
        (out / "commands" / f"{name}.stderr").write_bytes(done.stderr)
        (out / "commands" / f"{name}.status").write_text(f"{done.returncode}\n")
        print(f"{name}: exit {done.returncode}")


def _feed(data: bytes) -> bytes:
    """feed.xml: feedgen stamps the feed with the time it was written (lastBuildDate)."""
    return re.sub(rb"<lastBuildDate>[^<]*</lastBuildDate>", b"<lastBuildDate/>", data)


def _docx(data: bytes) -> bytes:
    """A .docx: python-docx stamps its zip entries with the time they were written; compared
    entry by entry (names, order and contents)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\0".join(
            info.filename.encode() + b"\0" + archive.read(info) for info in archive.infolist()
        )


# File name pattern -> what makes it time-dependent, blanked before comparing.
TIME_DEPENDENT: dict[str, Callable[[bytes], bytes]] = {
    r"(^|/)feed\.xml$": _feed,
    r"\.docx$": _docx,
}


def _normal(rel: str, data: bytes) -> bytes:
    for pattern, blank in TIME_DEPENDENT.items():
        if re.search(pattern, rel):
            return blank(data)
    return data


def _pagefind(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    return cbor2.loads(data.removeprefix(b"pagefind_dcd"))


def _bundle(folder: Path) -> bytes:
    """A Pagefind bundle's entry, metadata and filters, decoded. Pagefind writes a filter's
    values in hash-map order, which changes from run to run, and names the filter files and the
    metadata after their contents: they are compared decoded, the values sorted."""
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    for language in entry["languages"].values():
        meta = _pagefind(folder / f"pagefind.{language['hash']}.pf_meta")
        for pair in meta[3]:
            name, values = _pagefind(folder / "filter" / f"{pair[1]}.pf_filter")
            pair[1] = [name, sorted(values)]
        meta[3].sort()
        language["hash"] = meta
    return repr(entry).encode()


def _is_bundle_index(rel: str) -> bool:
    return bool(re.search(r"(^|/)pagefind[^/]*/(pagefind-entry\.json|[^/]*\.pf_meta|filter/)", rel))


def _files(top: Path) -> dict[str, Path]:
    return {p.relative_to(top).as_posix(): p for p in sorted(top.rglob("*")) if p.is_file()}


def _bundles(top: Path) -> dict[str, bytes]:
    return {
        p.parent.relative_to(top).as_posix() + "/ (Pagefind bundle)": _bundle(p.parent)
        for p in sorted(top.rglob("pagefind-entry.json"))
    }


def compare(before: Path, after: Path) -> list[str]:
    """Every difference between the two captures, one line each."""
    old, new = _files(before), _files(after)
    old = {rel: p for rel, p in old.items() if not _is_bundle_index(rel)}
    new = {rel: p for rel, p in new.items() if not _is_bundle_index(rel)}
    old_bundles, new_bundles = _bundles(before), _bundles(after)
    found = [f"only before: {rel}" for rel in sorted(old_bundles.keys() - new_bundles.keys())]
    found += [f"only after: {rel}" for rel in sorted(new_bundles.keys() - old_bundles.keys())]
    found += [
        f"differs: {rel}"
        for rel in sorted(old_bundles.keys() & new_bundles.keys())
        if old_bundles[rel] != new_bundles[rel]
    ]
    found += [f"only before: {rel}" for rel in sorted(old.keys() - new.keys())]
    found += [f"only after: {rel}" for rel in sorted(new.keys() - old.keys())]
    blanked = 0
    for rel in sorted(old.keys() & new.keys()):
        a, b = old[rel].read_bytes(), new[rel].read_bytes()
        if a == b:
            continue
        if _normal(rel, a) == _normal(rel, b):
            blanked += 1
            continue
        found.append(f"differs: {rel}")
    print(
        f"{len(old)} files and {len(old_bundles)} search bundles before, {len(new)} and"
        f" {len(new_bundles)} after; {len(found)} differences ({blanked} files differ only in"
        " their time stamps)"
    )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.same_site")
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture")
    cap.add_argument("out", type=Path)
    cap.add_argument("--root", type=Path, default=ROOT)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.out.resolve(), args.root.resolve())
        return 0
    differences = compare(args.before, args.after)
    for line in differences:
        print(line)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
