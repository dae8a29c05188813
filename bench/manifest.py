"""What the signed manifest and the open data cost: the share of `gongkai build` spent hashing
every file (SHA-256 and SM3) and signing, and writing every item as JSON and CSV (index.json per
item, data/category/<code>/items.json|csv, data/categories.json); and how long `gongkai verify`
takes on the built folder.

    .venv/bin/python -m bench.manifest [N ...]     # default 1000 10000; writes docs/benchmarks.md

Each size is a synthetic bureau (bench/synthetic.py, seed 1) with Ed25519 and SM2 keys; the
build runs in a child process (bench/scale.py's `step`), then the manifest is made again on the
built site, alone, and so is the item data (into a scratch copy of the folders it writes); then
the site is verified as a folder. Each is the fastest of three runs. Both are measured alone, so
the share is an upper bound: in the build, the item data is written while the search index is
being finished and adds less than its own time.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.report import write_section
from bench.scale import BUILD, step
from bench.synthetic import generate
from generator.core import signing
from generator.core.project import load_project
from generator.core.public_set import public_set
from generator.publishing.deployed import verify_copy
from generator.publishing.itemdata import write_item_data
from generator.publishing.manifest import build_manifest, canonical, signers


def with_keys(root: Path) -> dict[str, str]:
    """Configure both keys in the bureau's catalog; returns the environment holding them."""
    keys = signing.new_keys()
    lines = ["signing:"]
    for algorithm, (public, _private) in keys.items():
        lines += [
            f"  {algorithm}:",
            f'    public_key: "{public}"',
            f"    key_env: BENCH_{algorithm}",
        ]
    catalog = root / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n".join(lines) + "\n", "utf-8")
    return {f"BENCH_{a}": private for a, (_public, private) in keys.items()}


def measure(count: int, work: Path) -> dict:
    root = generate(work / f"bureau-{count}", count)
    os.environ.update(with_keys(root))
    build = step(BUILD, str(root))
    site = root / "site"
    project = load_project(root)
    times = []
    for _ in range(3):  # the fastest of three: the machine is shared
        started = time.perf_counter()
        found, _note = signers(project.catalog.signing, root)
        manifest = build_manifest(site, {}, project.catalog.signing)
        for signer in found:
            signer.sign(canonical(manifest))
        times.append(time.perf_counter() - started)
    manifest_seconds = min(times)
    public = public_set(project, date.today())
    data_times = []
    for _ in range(3):
        started = time.perf_counter()
        write_item_data(site, public, project)  # writes the same files again, same contents
        data_times.append(time.perf_counter() - started)
    data_seconds = min(data_times)
    started = time.perf_counter()
    report = verify_copy(str(site), {k.algorithm: k.public_key for k in project.catalog.signing})
    verify_seconds = time.perf_counter() - started
    assert report.status == 0, report.lines()
    size = sum(entry["size"] for entry in manifest["files"].values())
    return {
        "count": count,
        "build": build["process_seconds"],
        "manifest": manifest_seconds,
        "data": data_seconds,
        "verify": verify_seconds,
        "files": len(manifest["files"]),
        "mb": size / 1e6,
    }


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-manifest-") as work:
        rows = [measure(n, Path(work)) for n in counts]
    body = (
        "| items | site files (MB) | full build (s) | manifest: hash + sign (s) "
        "| item data: JSON + CSV (s) | both, share of the build | verify folder (s) |\n"
    )
    body += "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    for r in rows:
        share = 100 * (r["manifest"] + r["data"]) / r["build"]
        body += (
            f"| {r['count']:,} | {r['files']:,} ({r['mb']:.0f}) | {r['build']:.1f} | "
            f"{r['manifest']:.2f} | {r['data']:.2f} | {share:.1f}% | {r['verify']:.2f} |\n"
        )
    body += (
        "\nThe manifest and the item data are each timed alone on the built site (fastest of "
        "three), so the share is what they would add if nothing overlapped them; the build "
        "writes the item data while the search index is finished.\n"
    )
    print(body)
    write_section(
        "manifest", "Signed manifest and open data: hashing, signing, item JSON, verifying", body
    )


if __name__ == "__main__":
    main()
