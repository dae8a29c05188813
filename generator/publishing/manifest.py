"""`gongkai-manifest.json`: every file of the built site with its size, SHA-256 and SM3
(GB/T 32905), the commit and the build time, signed with the bureau's keys (generator/core/signing.py).

Written last into the staged site, after the publish record and the folder's marker, so that it
describes the final files; read back and checked before the site is swapped in. The signature
covers the canonical JSON of `manifest` (keys sorted, no spaces, UTF-8), so what a verifier
checks is exactly what it parsed. Without a private key the manifest is written unsigned, and
the build says so.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes

from generator.core import signing
from generator.core.clock import beijing_now
from generator.core.git_history import GitError, git
from generator.publishing.itemdata import indented

MANIFEST_FILE = "gongkai-manifest.json"
KEYS_FILE = "gongkai-keys.json"  # the public keys, published on the site
FORMAT = "gongkai-manifest/1"
SKIPPED = frozenset({MANIFEST_FILE, ".gongkai-site"})  # itself, and the output folder's marker
_CHUNK = 1 << 20


class ManifestError(Exception):
    """The manifest cannot be written as configured; the message is in Chinese."""


@dataclass(frozen=True)
class Digest:
    size: int
    sha256: str
    sm3: str

    def as_json(self) -> dict[str, Any]:
        return {"size": self.size, "sha256": self.sha256, "sm3": self.sm3}


def digest_bytes(data: bytes) -> Digest:
    sm3 = hashes.Hash(hashes.SM3())
    sm3.update(data)
    return Digest(len(data), hashlib.sha256(data).hexdigest(), sm3.finalize().hex())


def digest_file(path: Path | str) -> Digest:
    """The file's digests (a symbolic link: its target's, as a reader gets it)."""
    with open(path, "rb") as stream:
        data = stream.read(_CHUNK)
        if len(data) < _CHUNK:  # most files: one read, one update each
            return digest_bytes(data)
        sha, sm3, size = hashlib.sha256(data), hashes.Hash(hashes.SM3()), len(data)
        sm3.update(data)
        while chunk := stream.read(_CHUNK):
            sha.update(chunk)
            sm3.update(chunk)
            size += len(chunk)
    return Digest(size, sha.hexdigest(), sm3.finalize().hex())


def site_files(site_dir: Path) -> list[str]:
    """Every file of the site (POSIX paths), symbolic links included (listed, not followed),
    but the manifest and the marker; sorted."""
    found: list[str] = []
    _walk(str(site_dir), "", found)
    return sorted(p for p in found if p not in SKIPPED)


def _walk(folder: str, prefix: str, found: list[str]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # as os.walk: a folder that cannot be listed is skipped
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _walk(entry.path, prefix + entry.name + "/", found)
        else:
            found.append(prefix + entry.name)


def _stat_key(path: str) -> tuple[int, ...] | None:
    """What changes when a regular file is written again (None: not a regular file)."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class Prehash:
    """Digests of the files already in the site, made in threads while the build waits for
    something else (the search index). `build_manifest` reuses a digest only for a regular file
    whose inode, size, modification and change times are those seen before it was read (as
    Git's index does); any other file is hashed again."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.known: dict[str, tuple[tuple[int, ...], Digest]] = {}
        self._pool = concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2, None, _yield)
        self._futures = [
            self._pool.submit(self._hash, batch) for batch in _batches(site_files(site_dir))
        ]

    def _hash(self, names: list[str]) -> list[tuple[str, tuple[int, ...], Digest]]:
        done = []
        for rel in names:
            path = os.path.join(self.site_dir, rel)
            try:
                key = _stat_key(path)
                if key is not None:
                    done.append((rel, key, digest_file(path)))
            except OSError:  # gone or unreadable now: hashed (or reported) at the end
                continue
        return done

    def result(self) -> dict[str, tuple[tuple[int, ...], Digest]]:
        """Wait for the threads; the digests by file."""
        for future in self._futures:
            for rel, key, digest in future.result():
                self.known[rel] = (key, digest)
        self._pool.shutdown()
        self._futures = []
        return self.known

    def cancel(self) -> None:
        for future in self._futures:
            future.cancel()
        self._pool.shutdown(wait=True)


def _yield() -> None:
    """This thread (only) below the search worker and Pagefind, which the build waits for."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def _batches(names: list[str], size: int = 256) -> list[list[str]]:
    return [names[i : i + size] for i in range(0, len(names), size)]


def _digests(site_dir: Path, names: list[str], known: dict) -> dict[str, dict[str, Any]]:
    """Each file's digest as JSON, reusing `known` ones whose file is unchanged."""

    def batch(part: list[str]) -> list[dict[str, Any]]:
        out = []
        for rel in part:
            path = os.path.join(site_dir, rel)
            seen = known.get(rel)
            if seen is not None and _stat_key(path) == seen[0]:
                out.append(seen[1].as_json())
            else:
                out.append(digest_file(path).as_json())
        return out

    # both hashes run outside the GIL (hashlib, OpenSSL through cryptography): one thread a core
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        parts = _batches(names)
        digests = [d for done in pool.map(batch, parts) for d in done]
    return dict(zip(names, digests, strict=True))


def canonical(manifest: dict[str, Any]) -> bytes:
    """The bytes a signature covers."""
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def git_commit(root: Path) -> str | None:
    """The commit the site was built from: the publish record's, else the repository's HEAD."""
    try:
        out = git(root, "rev-parse", "--verify", "-q", "HEAD").decode("ascii", "replace").strip()
    except GitError:
        return None
    return out if len(out) in (40, 64) else None


def _record_commit(site_dir: Path) -> str | None:
    try:
        data = json.loads((site_dir / "gongkai-publish.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    commit = data.get("commit") if isinstance(data, dict) else None
    return commit if isinstance(commit, str) else None


def signers(keys: tuple[signing.KeySpec, ...], root: Path) -> tuple[list[signing.Signer], str]:
    """The bureau's signers, and a Chinese note when some key is absent (then nothing signs:
    a manifest with one of two required signatures would only confuse). Raises ManifestError
    when a key is there but wrong."""
    found, missing = [], []
    for spec in keys:
        try:
            text, where = signing.private_text(spec, root)
            if text is None:
                missing.append(where)
                continue
            found.append(signing.signer(spec, text, where))
        except signing.SigningError as exc:
            raise ManifestError(f"无法签名网站清单：{exc}") from None
    if not keys:
        return [], "catalog.yml 没有配置签名密钥（signing）"
    if missing:
        return [], ";".join(missing)
    return found, ""


def build_manifest(
    site_dir: Path,
    meta: dict[str, Any],
    keys: tuple[signing.KeySpec, ...],
    prehash: Prehash | None = None,
) -> dict[str, Any]:
    known = prehash.result() if prehash is not None else {}
    files = _digests(site_dir, site_files(site_dir), known)
    return {
        "format": FORMAT,
        **meta,
        "public_keys": {k.algorithm: k.public_key for k in keys},
        "files": files,
    }


def write_manifest(
    site_dir: Path, root: Path, catalog: Any, prehash: Prehash | None = None
) -> str:
    """Write the public keys and the signed manifest into the staged site; returns a Chinese
    note when the manifest is unsigned (empty when signed). Raises ManifestError. `prehash`:
    digests made earlier in the build, reused for the files unchanged since."""
    keys: tuple[signing.KeySpec, ...] = getattr(catalog, "signing", ())
    found, note = signers(keys, root)
    if keys:
        published = {k.algorithm: k.public_key for k in keys}
        (site_dir / KEYS_FILE).write_text(
            json.dumps(published, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    meta = {
        "site": catalog.site_name,
        "organization": catalog.org_name,
        "base_url": catalog.base_url,
        "commit": _record_commit(site_dir) or git_commit(root),
        "built_at": beijing_now().isoformat(timespec="seconds"),
    }
    manifest = build_manifest(site_dir, meta, keys, prehash)
    data = canonical(manifest)
    document: dict[str, Any] = {
        "manifest": manifest,
        "signatures": {s.algorithm: s.sign(data) for s in found},
    }
    if note:
        document["unsigned"] = f"本清单未签名：{note}"
    path = site_dir / MANIFEST_FILE
    path.write_text(indented(document) + "\n", encoding="utf-8")  # json.dumps(indent=1), faster
    check_written(site_dir, manifest, document["signatures"])
    return document.get("unsigned", "")


def check_written(site_dir: Path, manifest: dict[str, Any], signatures: dict[str, str]) -> None:
    """The manifest on disk is the one made, lists exactly the site's files at their sizes, and
    its signatures hold: checked before the site is swapped in."""
    try:
        written = json.loads((site_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ManifestError("网站清单没有完整写入") from None
    data = canonical(written.get("manifest", {}))
    if data != canonical(manifest):
        raise ManifestError("网站清单没有完整写入")
    listed = {rel: entry["size"] for rel, entry in manifest["files"].items()}
    present = {rel: os.lstat(os.path.join(site_dir, rel)).st_size for rel in site_files(site_dir)}
    if listed != present:
        raise ManifestError("网站清单与生成的文件不一致（生成期间有文件被改动）")
    for algorithm, signature in signatures.items():
        if not signing.verify(algorithm, manifest["public_keys"][algorithm], data, signature):
            raise ManifestError(f"网站清单的 {algorithm} 签名核验失败")
