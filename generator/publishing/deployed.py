"""`gongkai verify URL|DIR`: is the deployed site what was built and signed?

Reads the deployed copy (a folder on the web server, or the site over HTTP), checks the
manifest's signatures with keys the checker trusts (catalog.yml or `--public-key`, never only
the keys the checked site itself offers), and compares every file with the manifest: changed,
removed, and added. In a folder every added file is found; over HTTP only those the site's pages
link to (a server does not list its files), so the cron job on the web server reads the folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, unquote, urljoin, urlsplit
from urllib.request import Request, urlopen

from generator.core import signing
from generator.publishing.manifest import (
    MANIFEST_FILE,
    SKIPPED,
    canonical,
    digest_bytes,
    digest_file,
    site_files,
)

OK, TAMPERED, UNUSABLE, UNTRUSTED = 0, 1, 2, 3
_TIMEOUT = 30
_WORKERS = 8
_LINK_ATTRS = frozenset({"href", "src", "action", "poster", "data"})


class Unreadable(Exception):
    """The copy or the manifest cannot be read at all; the message is in Chinese."""


@dataclass
class Report:
    """What the check found; `lines` is the Chinese report."""

    signature: list[str] = field(default_factory=list)  # problems with the signatures
    trusted: bool = False  # signatures checked with keys the checker trusts, and valid
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # files that could not be read (HTTP 500…)
    notes: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def status(self) -> int:
        if self.signature or self.changed or self.removed or self.added or self.unread:
            return TAMPERED
        return OK if self.trusted else UNTRUSTED

    def lines(self) -> list[str]:
        out = [f"签名：{s}" for s in self.signature]
        out += [f"已被修改：{p}" for p in self.changed]
        out += [f"已被删除：{p}" for p in self.removed]
        out += [f"多出的文件：{p}" for p in self.added]
        out += [f"无法读取：{p}" for p in self.unread]
        out += self.notes
        if self.status == OK:
            out.append(f"核验通过：{self.checked} 个文件与已签名的网站清单一致，签名有效。")
        elif self.status == UNTRUSTED:
            out.append(
                f"{self.checked} 个文件与网站清单一致，但签名未能用可信公钥核验，"
                "不能排除清单本身被替换。"
            )
        else:
            count = len(self.changed) + len(self.removed) + len(self.added) + len(self.unread)
            out.append(
                f"核验未通过：{count} 个文件与网站清单不符"
                + ("，签名无效" if self.signature else "")
                + "。请立即从已审核的版本重新发布网站，并排查原因。"
            )
        return out


class Copy:
    """A deployed copy: read a file by its site path, list what it holds."""

    where: str

    def read(self, rel: str) -> bytes | None:  # None: not there
        raise NotImplementedError

    def extra(self, listed: set[str], pages: dict[str, bytes]) -> list[str]:
        raise NotImplementedError


class FolderCopy(Copy):
    def __init__(self, folder: Path):
        self.folder = folder
        self.where = str(folder)

    def read(self, rel: str) -> bytes | None:
        path = self.folder / rel
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_bytes()

    def extra(self, listed: set[str], pages: dict[str, bytes]) -> list[str]:
        return [rel for rel in site_files(self.folder) if rel not in listed]

    def digest(self, rel: str) -> Any:
        path = self.folder / rel
        if path.is_symlink() or not path.is_file():
            return None
        return digest_file(path)


class WebCopy(Copy):
    def __init__(self, url: str):
        self.base = url if url.endswith("/") else url + "/"
        self.where = self.base

    def url(self, rel: str) -> str:
        return urljoin(self.base, quote(rel))

    def read(self, rel: str) -> bytes | None:
        request = Request(self.url(rel), headers={"User-Agent": "gongkai-verify"})
        try:
            with urlopen(request, timeout=_TIMEOUT) as response:  # noqa: S310 (http/https only)
                return response.read()
        except HTTPError as exc:
            if exc.code in (404, 410):
                return None
            raise Unreadable(f"{self.url(rel)} 返回 HTTP {exc.code}") from None
        except (URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Unreadable(f"无法访问 {self.url(rel)}({reason})") from None

    def extra(self, listed: set[str], pages: dict[str, bytes]) -> list[str]:
        """Files the pages link to, under the site's address, that the manifest does not list
        and the server serves."""
        linked: set[str] = set()
        for rel, html in pages.items():
            for link in _links(html):
                target = self._site_path(urljoin(self.url(rel), link))
                if target is not None and not _known(target, listed):
                    linked.add(target)
        found = []
        for rel in sorted(linked):
            try:
                if self.read(rel) is not None:
                    found.append(rel)
            except Unreadable:
                continue
        return found

    def _site_path(self, url: str) -> str | None:
        parts, base = urlsplit(url), urlsplit(self.base)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            return None
        if not parts.path.startswith(base.path):
            return None
        rel = unquote(parts.path[len(base.path) :])
        return rel + "index.html" if rel.endswith("/") or not rel else rel


def _known(rel: str, listed: set[str]) -> bool:
    return rel in listed or f"{rel}/index.html" in listed or rel in SKIPPED


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in _LINK_ATTRS and v and not v.startswith("#")]


def _links(html: bytes) -> list[str]:
    parser = _LinkParser()
    try:
        parser.feed(html.decode("utf-8", "replace"))
        parser.close()
    except AssertionError:  # html.parser on badly broken markup
        pass
    return parser.links


def copy_of(target: str) -> Copy:
    if target.startswith(("http://", "https://")):
        return WebCopy(target)
    folder = Path(target)
    if not folder.is_dir():
        raise Unreadable(
            f"找不到文件夹 {target}（请给出网站文件夹，或以 http:// 或 https:// 开头的网址）"
        )
    return FolderCopy(folder)


def read_manifest(copy: Copy) -> dict[str, Any]:
    data = copy.read(MANIFEST_FILE)
    if data is None:
        raise _Missing(f"{copy.where} 中没有网站清单 {MANIFEST_FILE}：网站可能已被整体替换")
    try:
        document = json.loads(data)
        manifest = document["manifest"]
        files = manifest["files"]
        if not isinstance(files, dict) or not isinstance(document.get("signatures"), dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise _Missing(f"网站清单 {MANIFEST_FILE} 无法解析：可能已被篡改") from None
    return document


class _Missing(Unreadable):
    """No usable manifest: that is itself a finding (exit 1), not an unusable call."""


def check_signatures(document: dict[str, Any], trusted: dict[str, str], report: Report) -> None:
    """Every trusted key's signature must be there and valid; without trusted keys, the
    site's own keys are tried, and the result said to prove nothing against an attacker."""
    data = canonical(document["manifest"])
    signatures = document["signatures"]
    keys = trusted or document["manifest"].get("public_keys") or {}
    if not isinstance(keys, dict):
        keys = {}
    if not trusted:
        report.notes.append(
            "注意：没有可信公钥（catalog.yml 的 signing，或 --public-key），"
            "只用网站自带的公钥核验，无法发现整体替换清单和公钥的篡改。"
        )
    if not keys:
        report.notes.append(f"{document.get('unsigned') or '本清单未签名'}。")
        return
    for algorithm, public in sorted(keys.items()):
        signature = signatures.get(algorithm)
        name = "Ed25519" if algorithm == "ed25519" else algorithm.upper()
        if not isinstance(signature, str):
            report.signature.append(f"缺少 {name} 签名")
        elif not signing.verify(algorithm, str(public), data, signature):
            report.signature.append(f"{name} 签名无效（清单被改动，或不是本单位的密钥签名的）")
    report.trusted = bool(trusted) and not report.signature


def compare(copy: Copy, files: dict[str, Any], report: Report) -> dict[str, bytes]:
    """Each listed file against its size, SHA-256 and SM3; returns the HTML pages read over
    HTTP (for the links to files the manifest does not list)."""
    pages: dict[str, bytes] = {}

    def one(rel: str) -> tuple[str, str, bytes | None]:
        want = files[rel]
        if isinstance(copy, FolderCopy):
            got = copy.digest(rel)
            data = None
        else:
            data = copy.read(rel)
            got = None if data is None else digest_bytes(data)
        if got is None:
            return rel, "removed", None
        same = isinstance(want, dict) and got.as_json() == {
            k: want.get(k) for k in ("size", "sha256", "sm3")
        }
        return rel, "ok" if same else "changed", data

    with ThreadPoolExecutor(_WORKERS) as pool:
        for rel, verdict, data in pool.map(_guarded(one, report), sorted(files)):
            if verdict == "removed":
                report.removed.append(rel)
            elif verdict == "changed":
                report.changed.append(rel)
            if data is not None and rel.endswith(".html"):  # a changed page's links above all
                pages[rel] = data
    report.checked = len(files)
    return pages


def _guarded(
    one: Callable[[str], tuple[str, str, bytes | None]], report: Report
) -> Callable[[str], tuple[str, str, bytes | None]]:
    def run(rel: str) -> tuple[str, str, bytes | None]:
        try:
            return one(rel)
        except (Unreadable, OSError) as exc:
            report.unread.append(f"{rel}({exc})")
            return rel, "unread", None

    return run


def verify_copy(target: str, trusted: dict[str, str]) -> Report:
    """Check a deployed copy against its signed manifest. Raises Unreadable when the copy
    cannot be reached at all (a missing or broken manifest is a finding, in the report)."""
    copy = copy_of(target)
    report = Report()
    try:
        document = read_manifest(copy)
    except _Missing as exc:
        report.signature.append(str(exc))
        return report
    check_signatures(document, trusted, report)
    files = document["manifest"]["files"]
    pages = compare(copy, files, report)
    report.added = copy.extra(set(files), pages)
    if isinstance(copy, WebCopy):
        report.notes.append(
            "说明：通过网址核验时，只能发现网页中有链接指向的多出文件；"
            "在网站服务器上核验网站文件夹可发现全部多出的文件。"
        )
    return report


def trusted_keys(pairs: Iterable[str], catalog: Any | None) -> dict[str, str]:
    """Keys from `--public-key ALGORITHM:KEY`, else from the catalog. Raises SigningError."""
    keys: dict[str, str] = {}
    for pair in pairs:
        algorithm, _, text = pair.partition(":")
        algorithm = algorithm.strip().lower()
        if algorithm not in signing.ALGORITHMS or not text:
            raise signing.SigningError(
                f"--public-key 应写作 ed25519：公钥 或 sm2：公钥，收到“{pair}”"
            )
        keys[algorithm] = signing.public_key(algorithm, text)
    if not keys and catalog is not None:
        keys = {k.algorithm: k.public_key for k in catalog.signing}
    return keys
