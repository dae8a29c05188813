"""What the gate hands to the build in the two-stage publication: the approved folder (`gate
--out`) and the result file (`gate --result`).

The result carries a digest of every gated file the gate wrote into the folder, so `build DIR
--gate-result FILE` builds only the very folder the gate wrote for that result: not the checkout
(with the held changes in it), not another or an older approved folder. The digest covers only
gated paths (the inputs of the site), so what else appears beside them (the site folder, the
build's staging, what `pip install DIR` leaves) does not count; a symbolic link or special file
at a gated path counts as such, never as what it points at.

The two paths the operator names are checked before the gate runs: neither may overwrite or
write into a file or folder of the repository being judged.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.core.failure import os_error_text
from generator.publishing.review.paths import is_gated
from generator.publishing.review.record import RESULT_KIND

DIGEST = "sha256"


class HandoffError(Exception):
    """A path for the gate's output or the build's input is unusable (the message is Chinese)."""


@dataclass(frozen=True)
class Folder:
    digest: str  # "sha256:<hex>" over the gated files' paths and contents
    files: int  # how many gated paths the folder has


def _entries(folder: Path, rel: str, found: list[bytes]) -> None:
    with os.scandir(folder / rel if rel else folder) as listing:
        for entry in listing:
            path = f"{rel}{entry.name}"
            if entry.is_dir(follow_symlinks=False) and not entry.is_symlink():
                if is_gated(f"{path}/"):  # a gated folder, or one inside one
                    _entries(folder, f"{path}/", found)
                continue
            if not is_gated(path):
                continue
            if entry.is_symlink():
                what = b"link\0" + os.fsencode(os.readlink(entry.path))
            elif entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as stream:
                    what = b"file\0" + hashlib.file_digest(stream, DIGEST).hexdigest().encode()
            else:  # a FIFO or device is never opened
                what = b"special"
            found.append(os.fsencode(path) + b"\0" + what + b"\n")


def folder_digest(folder: Path) -> Folder:
    """The digest of the gated files in `folder` as they are on disk; OSError if unreadable."""
    found: list[bytes] = []
    _entries(folder, "", found)
    digest = hashlib.new(DIGEST)
    for line in sorted(found):
        digest.update(line)
    return Folder(f"{DIGEST}:{digest.hexdigest()}", len(found))


def _in_work_tree(folder: Path) -> bool:
    return any((p / ".git").exists() for p in (folder, *folder.parents))


def verify_folder(
    folder: Path, result_path: Path, expected: str | None, files: int, older_gate: bool = False
) -> str:
    """Raises HandoffError unless `folder` holds exactly what the gate wrote for the result;
    returns a warning for the staff to read ("" when none).

    A result with no digest at all comes from a gate older than the digest: the publish
    workflow runs the last published gate, so the first publication after an upgrade has one.
    Only the workflow says so (`--older-gate`, given when its gate wrote no digest); then a
    folder outside any Git work tree is built, with a warning. Without it, or for the checkout,
    or with an empty digest, the build is refused."""
    if expected is None and older_gate and not _in_work_tree(folder):
        return (
            f"提示：核验结果 {result_path} 由旧版本的 gongkai gate 写出，没有已批准文件夹的摘要；"
            "本次按旧规则生成。发布之后，下一次核验将由新版本进行，结果中会带有摘要。"
        )
    if not expected:
        raise HandoffError(
            f"核验结果 {result_path} 中没有已批准文件夹的摘要（它由旧版本的 gongkai gate 写出），"
            f"无法确认 {folder} 就是核验步骤写出的文件夹。请用与本程序同一版本的 gongkai gate "
            "重新核验，再生成网站"
        )
    try:
        found = folder_digest(folder)
    except OSError as exc:
        raise HandoffError(f"无法读取已批准的文件夹 {folder}({os_error_text(exc)})") from None
    if found.digest == expected:
        return ""
    raise HandoffError(
        f"文件夹 {folder} 不是 gongkai gate 为核验结果 {result_path} 写出的已批准文件夹："
        f"其中受审核的文件（{found.files} 个）与核验时写出的（{files} 个）不一致，"
        "可能是仓库的工作目录（其中有未获批准的修改）、另一次核验的文件夹，或写出后又被改动过。"
        f"请指定同一次 gongkai gate --out 写出的文件夹，例如 gongkai build approved "
        f"--gate-result {result_path}；如已改动，请重新运行 gongkai gate"
    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _repo_part(path: Path, repo: Path) -> str | None:
    """Which part of the repository `path` would write into ('' for the root), or None when
    it is outside the repository or an ungated place in it (such as `approved/`)."""
    if _inside(repo, path):
        return ""
    if not _inside(path, repo):
        return None
    rel = path.relative_to(repo).as_posix()
    if rel.split("/")[0] == ".git" or is_gated(rel) or is_gated(f"{rel}/"):
        return rel
    return None


def out_refusal(out: Path, repo_root: Path) -> str | None:
    """Why `gate --out` may not be `out`: it must be a new or empty folder outside the
    repository's gated files and `.git`."""
    shown, given = str(out), Path(os.path.abspath(out))
    if given.is_symlink():
        return (
            f"--out 指定的 {shown} 是符号链接，gongkai 不会写入链接指向的位置。请指定一个新的文件夹"
        )
    real, repo = given.resolve(), repo_root.resolve()
    part = _repo_part(real, repo)
    if part is not None:
        where = f"仓库的 {part}" if part else "仓库本身或其上级目录"
        return (
            f"--out 指定的 {shown} 是{where}，写出已批准的文件会改动被核验的仓库。"
            "请指定仓库之外或仓库中的新文件夹，例如 --out approved"
        )
    if not os.path.lexists(real):
        return None
    if not real.is_dir():
        return f"--out 指定的 {shown} 已存在，是一个文件而不是文件夹。请指定一个新的文件夹，例如 --out approved"
    try:
        empty = not any(real.iterdir())
    except OSError as exc:
        return f"无法读取 --out 指定的文件夹 {shown}({os_error_text(exc)})"
    if not empty:
        return f"--out 指定的文件夹 {shown} 不是空的。请指定一个新的或空的文件夹"
    return None


def _is_result(path: Path) -> bool:
    """Whether an existing file is a result an earlier gate wrote (which may be replaced)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    return head.startswith(b"{") and f'"kind": "{RESULT_KIND}"'.encode() in head


def result_refusal(path: Path, repo_root: Path, tracked: Callable[[str], bool]) -> str | None:
    """Why `gate --result` may not be written to `path`: a file of the repository (gated,
    in `.git` or tracked by Git) or any existing file that is not an earlier gate result."""
    shown, given = str(path), Path(os.path.abspath(path))
    if given.is_symlink():
        return f"--result 指定的 {shown} 是符号链接，gongkai 不会写入链接指向的文件。请指定一个新的文件名，例如 --result gate-result.json"
    real, repo = given.resolve(), repo_root.resolve()
    part = _repo_part(real, repo)
    if part is None and _inside(real, repo) and tracked(real.relative_to(repo).as_posix()):
        part = real.relative_to(repo).as_posix()
    if part is not None:
        where = f"仓库中的 {part}" if part else "仓库本身"
        return (
            f"--result 指定的 {shown} 是被核验的{where}，写出核验结果会覆盖它。"
            "请指定一个新的文件名，例如 --result gate-result.json"
        )
    if os.path.isdir(real):
        return f"--result 指定的 {shown} 是一个文件夹。请指定一个文件名，例如 --result gate-result.json"
    if os.path.lexists(real) and not _is_result(real):
        return (
            f"--result 指定的 {shown} 已存在，且不是 gongkai gate 写出的核验结果，gongkai 不会覆盖它。"
            "请指定一个新的文件名，例如 --result gate-result.json"
        )
    return None
