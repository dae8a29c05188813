"""Is a Pagefind bundle complete? Its entry parses, and every metadata, index, filter and
fragment file it names is there and decompresses, with as many pages as it was given. Run by the
search worker as soon as Pagefind has written a bundle, and by the staged-site check."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import cbor2

from generator.search.tokens import shard_dir

_PAGEFIND_HEADER = b"pagefind_dcd"


def _pagefind_bytes(path: Path) -> bytes:
    """A Pagefind data file decompressed (gzip checks its length and checksum, so a file cut
    short fails), without Pagefind's header. Raises ValueError when it is not that."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ValueError(path.name) from exc
    if not data.startswith(_PAGEFIND_HEADER):
        raise ValueError(path.name)
    return data[len(_PAGEFIND_HEADER) :]


def _metadata(path: Path) -> Any:
    try:
        return cbor2.loads(_pagefind_bytes(path))
    except (cbor2.CBORDecodeError, ValueError) as exc:
        raise ValueError(path.name) from exc


def bundle_problems(bundle: Path, pages: int, found: dict[str, int] | None = None) -> list[str]:
    """One Pagefind bundle: entry, metadata, and every index, filter and fragment it names.
    Each of these is decompressed, unless `found` (the site's files and sizes) is given: then
    they need only be there and not empty (the search worker decompressed them already, beside
    the build, as soon as Pagefind had written them)."""
    name = bundle.name
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        [language] = entry["languages"].values()
        meta_hash, page_count = language["hash"], language["page_count"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return [f"{name}/pagefind-entry.json 缺失或不完整"]
    if page_count != pages:
        return [f"{name} 应索引 {pages} 个页面，实际 {page_count} 个"]
    try:
        meta = _metadata(bundle / f"pagefind.{meta_hash}.pf_meta")
        _version, page_list, chunks, filters = meta[:4]
        needed = [f"fragment/{hash_}.pf_fragment" for hash_, _words in page_list]
        needed += [f"index/{chunk[2]}.pf_index" for chunk in chunks]
        needed += [f"filter/{hash_}.pf_filter" for _name, hash_ in filters]
    except (ValueError, TypeError, IndexError, KeyError):
        return [f"{name}/pagefind.{meta_hash}.pf_meta 缺失或无法读取"]
    if len(page_list) != pages:
        return [f"{name} 的元数据有 {len(page_list)} 个页面，应为 {pages} 个"]
    wasm = language.get("wasm") or "unknown"
    needed += ["pagefind.js", f"wasm.{wasm}.pagefind"]
    if found is not None:
        return [f"{name}/{rel} 没有写入" for rel in needed if not found.get(f"{name}/{rel}")]
    needed += [p.name for p in bundle.iterdir() if p.is_file() and p.name not in needed]
    problems = []
    for rel in needed:
        try:
            if not rel.endswith((".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment")):
                if not (bundle / rel).stat().st_size:
                    raise ValueError(rel)
            else:
                _pagefind_bytes(bundle / rel)
        except (OSError, ValueError):
            problems.append(f"{name}/{rel} 缺失、为空或无法解压")
    return problems


def search_problems(site_dir: Path, shards: dict[int, int], found: dict[str, int]) -> list[str]:
    """Every shard's bundle (`shards`: shard -> pages it was given)."""
    problems = []
    for shard, pages in sorted(shards.items()):
        if pages:
            problems += bundle_problems(site_dir / shard_dir(shard), pages, found)
    return problems
