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
import hashlib
import json
import os
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


class _CryptographySM3:
    """SM3 through `cryptography`, for a Python whose OpenSSL does not offer it to hashlib."""

    def __init__(self, data: bytes = b"") -> None:
        self._hash = hashes.Hash(hashes.SM3())
        self._hash.update(data)

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.finalize().hex()


def _hashlib_sm3(data: bytes = b"") -> Any:
    return hashlib.new("sm3", data)


# hashlib's SM3 (OpenSSL's) lets the GIL go while it hashes, as hashlib's SHA-256 does, so the
# manifest's threads hash on both cores; `cryptography`'s holds it (5.0 s against about 2 s for
# a 10,000-item site). The same function: tests/test_manifest.py checks both against GB/T 32905.
new_sm3 = _hashlib_sm3 if "sm3" in hashlib.algorithms_available else _CryptographySM3


def digest_bytes(data: bytes) -> Digest:
    return Digest(len(data), hashlib.sha256(data).hexdigest(), new_sm3(data).hexdigest())


def digest_file(path: Path | str) -> Digest:
    """The file's digests (a symbolic link: its target's, as a reader gets it)."""
    with open(path, "rb") as stream:
        data = stream.read(_CHUNK)
        if len(data) < _CHUNK:  # most files: one read, one update each
            return digest_bytes(data)
        sha, sm3, size = hashlib.sha256(data), new_sm3(data), len(data)
        while chunk := stream.read(_CHUNK):
            sha.update(chunk)
            sm3.update(chunk)
            size += len(chunk)
    return Digest(size, sha.hexdigest(), sm3.hexdigest())


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


def _batches(names: list[str], size: int = 256) -> list[list[str]]:
    return [names[i : i + size] for i in range(0, len(names), size)]


def _digests(site_dir: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """Each file's digest as JSON, hashed in batches of files a thread (one future a file cost
    more than the hashing at 42,000 files)."""

    def batch(part: list[str]) -> list[dict[str, Any]]:
        return [digest_file(os.path.join(site_dir, rel)).as_json() for rel in part]

    # both hashes run outside the GIL (hashlib's, see new_sm3): one thread a core
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
) -> dict[str, Any]:
    files = _digests(site_dir, site_files(site_dir))
    return {
        "format": FORMAT,
        **meta,
        "public_keys": {k.algorithm: k.public_key for k in keys},
        "files": files,
    }


def write_manifest(site_dir: Path, root: Path, catalog: Any) -> str:
    """Write the public keys and the signed manifest into the staged site; returns a Chinese
    note when the manifest is unsigned (empty when signed). Raises ManifestError."""
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
    manifest = build_manifest(site_dir, meta, keys)
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
