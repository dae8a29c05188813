"""Internal links and assets that point to nothing (error), and the external links, listed for a
separate check with network access."""

from __future__ import annotations

import concurrent.futures
import functools
import posixpath
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from generator.inspection.pages import PageFacts


@dataclass(frozen=True)
class Broken:
    target: str  # as written
    resolved: str  # the file it should be, from the site root
    asset: bool  # an attachment, image, stylesheet or script rather than a page
    line: int


def _split(target: str):
    """urlsplit, or None for an address no browser can follow (`//[x/`: ValueError)."""
    try:
        return urlsplit(target)
    except ValueError:
        return None


_CLIMB = re.compile(r"(?:\.\./)+")


def _ancestors(folder: str) -> list[str]:
    """`a/b` -> ["", "a", "a/b"]: the folders a link from `folder` can climb to."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[:n]) for n in range(len(parts) + 1)]


def _target_from(ancestors: list[str], target: str, host: str, base_path: str) -> str | None:
    """`internal_target` of a page in the folder `ancestors[-1]`. A link that climbs k folders
    (`../../assets/…`, as every template link of every item page does) is resolved once for the
    folder it climbs to, not once a page: from `item/A/` and `item/B/`, `../../x` is `./x` from
    the root."""
    climbs = _CLIMB.match(target)
    depth = len(ancestors) - 1
    if climbs is not None and (up := climbs.end() // 3) <= depth:
        return _resolved(ancestors[depth - up], "./" + target[climbs.end() :], host, base_path)
    return _resolved(ancestors[depth], target, host, base_path)


def _target_in(folder: str, target: str, host: str, base_path: str) -> str | None:
    return _target_from(_ancestors(folder), target, host, base_path)


@functools.lru_cache(maxsize=65536)
def _resolved(folder: str, target: str, host: str, base_path: str) -> str | None:
    return internal_target(folder + "/x.html" if folder else "x.html", target, host, base_path)


def internal_target(page: str, target: str, host: str, base_path: str) -> str | None:
    """The site file a link leads to (relative, POSIX), "" for the site's own page, None when it
    leaves the site (or is no file link at all); a malformed address leads to itself, a file
    that cannot exist, so it is reported as broken."""
    parts = _split(target)
    if parts is None:
        return target
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc.lower() != host:
        return None
    path = unquote(parts.path)
    if not path:
        return ""  # a fragment or query on the same page
    if path.startswith("/"):
        if not path.startswith(base_path):
            return posixpath.normpath(path)  # outside the site's folder: shown as broken
        joined = path[len(base_path) :]
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    normal = posixpath.normpath(joined) if joined else "."
    if normal == ".":
        normal = ""
    if path.endswith("/") or normal == "":
        return (normal + "/" if normal else "") + "index.html"
    return normal


def broken_links(page: PageFacts, files: set[str], host: str, base_path: str) -> list[Broken]:
    found = []
    ancestors = _ancestors(posixpath.dirname(page.path))
    for ref in page.refs:
        if not ref.target or ref.target[0] == "#":
            continue
        target = _target_from(ancestors, ref.target, host, base_path)
        if target is None or target == "" or target in files:
            continue
        if target + "/index.html" in files:  # `item/x` without its slash: the server redirects
            continue
        is_page = ref.tag == "a" and (target.endswith(".html") or "." not in target.rsplit("/")[-1])
        found.append(
            Broken(ref.target, "/" + target.removesuffix("index.html"), not is_page, ref.line)
        )
    return found


@dataclass(frozen=True)
class LinkJudge:
    """Resolves a page's links where it was read (`pages.read_pages`): its broken and external
    links replace the list of every link it has."""

    files: frozenset[str]
    host: str
    base_path: str

    def __call__(self, page: PageFacts) -> None:
        page.broken = broken_links(page, self.files, self.host, self.base_path)
        page.external = external_links(page, self.host)
        page.refs = []


def external_links(page: PageFacts, host: str) -> set[str]:
    found = set()
    for ref in page.refs:
        if ref.target[:4].lower() != "http":  # no scheme, or one that is not http(s)
            continue
        parts = _split(ref.target)
        if parts is None:
            continue
        if parts.scheme in ("http", "https") and parts.netloc and parts.netloc.lower() != host:
            found.add(ref.target)
    return found


def unreachable(urls: list[str], timeout: float = 10) -> dict[str, str]:
    """The external links that do not answer, with why (needs network access)."""

    def probe(url: str) -> str | None:
        request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "gongkai"})
        try:
            with urllib.request.urlopen(request, timeout=timeout):  # noqa: S310 (http/https only)
                return None
        except urllib.error.HTTPError as exc:
            return None if exc.code in (403, 405) else f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return str(getattr(exc, "reason", exc))

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = dict(zip(urls, pool.map(probe, urls), strict=True))
    return {url: why for url, why in results.items() if why}
