"""Every build writes a signed manifest of the site (generator/publishing/manifest.py), and `gongkai verify`
checks a deployed copy against it, in a folder or over a real local HTTP server."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from gmssl import func, sm3

from generator.core import signing
from generator.publishing.manifest import MANIFEST_FILE, canonical

from helpers import Bureau, run

ROOT = Path(__file__).parents[1]
TODAY = "2026-11-23"


def site_bureau(root: Path, keys: dict[str, tuple[str, str]] | None = None) -> Bureau:
    bureau = Bureau(root)
    bureau.init_git()
    bureau.item("content/tzgg/00001.md", index_no="000014349/2026-00001")
    bureau.item("content/tzgg/00002.md", index_no="000014349/2026-00002", title="第二条通知")
    shutil.copy(ROOT / "mkdocs.yml", bureau.root / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", bureau.root / "theme")
    (bureau.root / "content/pages").mkdir(parents=True, exist_ok=True)
    if keys:
        lines = ["signing:"]
        for algorithm, (public, _private) in keys.items():
            lines += [f"  {algorithm}:", f'    public_key: "{public}"']
            lines += [f"    key_env: GK_TEST_{algorithm.upper()}"]
        bureau.write("catalog.yml", (bureau.root / "catalog.yml").read_text() + "\n".join(lines))
    bureau.commit("bureau")
    return bureau


def key_env(keys: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {f"GK_TEST_{a.upper()}": private for a, (_public, private) in keys.items()}


def build(bureau: Bureau, site: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    with pytest.MonkeyPatch.context() as patch:  # the child inherits the environment
        for name, value in env.items():
            patch.setenv(name, value)
        return run(
            "build", str(bureau.root), "--site-dir", str(site), "--today", TODAY, cwd=bureau.root
        )


@pytest.fixture(scope="module")
def keys() -> dict[str, tuple[str, str]]:
    return signing.new_keys()


@pytest.fixture(scope="module")
def signed(tmp_path_factory, keys) -> tuple[Bureau, Path]:
    bureau = site_bureau(tmp_path_factory.mktemp("signed") / "b", keys)
    site = bureau.root.parent / "site"
    done = build(bureau, site, key_env(keys))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "未签名" not in done.stderr
    return bureau, site


def document(site: Path) -> dict:
    return json.loads((site / MANIFEST_FILE).read_text(encoding="utf-8"))


def test_manifest_lists_every_file_with_size_sha256_and_sm3(signed):
    bureau, site = signed
    manifest = document(site)["manifest"]
    on_disk = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.name not in (MANIFEST_FILE, ".gongkai-site")
    )
    assert sorted(manifest["files"]) == on_disk
    assert "gongkai-keys.json" in on_disk and "index.html" in on_disk
    for rel in ("index.html", "gongkai-keys.json", on_disk[len(on_disk) // 2]):
        data = (site / rel).read_bytes()
        entry = manifest["files"][rel]
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        # SM3 checked with a second, independent implementation (gmssl's pure Python)
        assert entry["sm3"] == sm3.sm3_hash(func.bytes_to_list(data))
    assert manifest["commit"] == bureau.git("rev-parse", "HEAD").strip()
    assert manifest["built_at"].endswith("+08:00")


@pytest.mark.parametrize("size", [0, 3, 4096, (1 << 20) + 5])  # the last is read in chunks
def test_both_sm3_implementations_agree_with_gb_t_32905(tmp_path, size):
    """The manifest hashes with hashlib's SM3 where OpenSSL offers it, else `cryptography`'s:
    both give GB/T 32905's digest (gmssl's pure Python, and the standard's example for abc)."""
    from generator.publishing import manifest

    data = b"abc" if size == 3 else bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    expected = sm3.sm3_hash(func.bytes_to_list(data))
    if size == 3:
        assert expected == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert manifest._CryptographySM3(data).hexdigest() == expected
    if "sm3" in hashlib.algorithms_available:
        assert manifest._hashlib_sm3(data).hexdigest() == expected
    (tmp_path / "f").write_bytes(data)
    digest = manifest.digest_file(tmp_path / "f")
    assert (digest.size, digest.sha256, digest.sm3) == (
        size,
        hashlib.sha256(data).hexdigest(),
        expected,
    )


def test_manifest_is_signed_with_both_keys_and_the_public_keys_are_published(signed, keys):
    _bureau, site = signed
    doc = document(site)
    data = canonical(doc["manifest"])
    for algorithm, (public, _private) in keys.items():
        assert signing.verify(algorithm, public, data, doc["signatures"][algorithm])
        assert not signing.verify(algorithm, public, data + b" ", doc["signatures"][algorithm])
    published = json.loads((site / "gongkai-keys.json").read_text(encoding="utf-8"))
    assert published == {a: public for a, (public, _p) in keys.items()}


def test_build_without_a_key_writes_an_unsigned_manifest_and_says_so(tmp_path, keys):
    bureau = site_bureau(tmp_path / "b", keys)
    done = build(bureau, tmp_path / "site", {})
    assert done.returncode == 0, done.stderr
    assert "本清单未签名" in done.stderr and "GK_TEST_ED25519" in done.stderr
    doc = document(tmp_path / "site")
    assert doc["signatures"] == {} and doc["unsigned"].startswith("本清单未签名")


def test_private_key_that_does_not_match_the_catalog_stops_the_build(tmp_path, keys):
    bureau = site_bureau(tmp_path / "b", keys)
    site = tmp_path / "site"
    assert build(bureau, site, key_env(keys)).returncode == 0
    before = (site / MANIFEST_FILE).read_bytes()
    other = signing.new_keys()
    done = build(bureau, site, key_env({**keys, "ed25519": other["ed25519"]}))
    assert done.returncode == 1
    assert "不是一对" in done.stderr and "Traceback" not in done.stderr
    assert (site / MANIFEST_FILE).read_bytes() == before  # the previous site stays


def test_key_file_inside_the_repository_is_refused(tmp_path, keys):
    bureau = site_bureau(tmp_path / "b")
    public, private = keys["ed25519"]
    key = bureau.write("keys/ed25519.key", private)
    bureau.write(
        "catalog.yml",
        (bureau.root / "catalog.yml").read_text()
        + f'signing:\n  ed25519:\n    public_key: "{public}"\n    key_file: {key}\n',
    )
    done = build(bureau, tmp_path / "site", {})
    assert done.returncode == 1
    assert "私钥不能放在仓库里" in done.stderr


def test_catalog_rejects_a_bad_public_key_and_a_relative_key_file(tmp_path):
    bureau = Bureau(tmp_path)
    bureau.write(
        "catalog.yml",
        (tmp_path / "catalog.yml").read_text()
        + 'signing:\n  sm2:\n    public_key: "04abcd"\n  ed25519:\n'
        + f'    public_key: "{base64.b64encode(bytes(32)).decode()}"\n    key_file: keys/a.key\n',
    )
    assert {"GK030", "GK031"} <= set(bureau.codes())


def test_sm2_signature_verifies_with_openssl(tmp_path, keys):
    """gmssl's SM2 (with the SM3 digest and the default ID of GB/T 32918) as OpenSSL has it."""
    from Cryptodome.Util.asn1 import DerSequence

    public, private = keys["sm2"]
    signature = signing.signer(signing.KeySpec("sm2", public, "X"), private, "测试").sign(b"abc")
    der = DerSequence([int(signature[:64], 16), int(signature[64:], 16)]).encode()
    spki = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200" + "04" + public)
    pem = "-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(spki).decode()
    (tmp_path / "pub.pem").write_text(pem + "-----END PUBLIC KEY-----\n")
    (tmp_path / "sig").write_bytes(der)
    (tmp_path / "data").write_bytes(signing.sm2_message(b"abc"))  # SM2 signs the SM3 digest
    done = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "data"]
        + ["-sigfile", "sig", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    if "Signature Verified" not in done.stdout and "unknown" in done.stderr.lower():
        pytest.skip("this OpenSSL has no SM2")
    assert "Signature Verified Successfully" in done.stdout, done.stderr


def test_sm2_rejects_out_of_range_and_foreign_signatures(keys):
    public, private = keys["sm2"]
    good = signing.signer(signing.KeySpec("sm2", public, "X"), private, "测试").sign(b"abc")
    n = int(signing.sm2.default_ecc_table["n"], 16)
    r, s = int(good[:64], 16), int(good[64:], 16)
    assert signing.verify("sm2", public, b"abc", good)
    assert not signing.verify("sm2", public, b"abc", f"{r:064x}{s + n:064x}"[:128])
    assert not signing.verify("sm2", public, b"abc", f"{0:064x}{s:064x}")
    other = signing.new_keys()["sm2"][0]
    assert not signing.verify("sm2", other, b"abc", good)


# --- gongkai verify, against a real local HTTP server serving a copy of the built site ---


@pytest.fixture
def served(signed, tmp_path):
    """A fresh copy of the signed site, served over HTTP; yields (folder, url)."""
    _bureau, site = signed
    copy = tmp_path / "www"
    shutil.copytree(site, copy)
    handler = functools.partial(QuietHandler, directory=str(copy))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield copy, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def verify(target: str, keys, cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    trusted = [f"--public-key={a}:{public}" for a, (public, _p) in keys.items()]
    return run("verify", target, *trusted, *extra, cwd=cwd)


def test_verify_passes_an_untouched_site_over_http_and_in_a_folder(served, keys, tmp_path):
    folder, url = served
    for target in (url, str(folder)):
        done = verify(target, keys, tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "核验通过" in done.stdout and "签名有效" in done.stdout


def test_verify_reports_a_tampered_byte(served, keys, tmp_path):
    folder, url = served
    page = next(folder.glob("item/**/index.html"))
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 1
    page.write_bytes(bytes(data))
    rel = page.relative_to(folder).as_posix()
    for target in (url, str(folder)):
        done = verify(target, keys, tmp_path)
        assert done.returncode == 1
        assert f"已被修改：{rel}" in done.stdout
        assert "核验未通过" in done.stdout


def test_verify_reports_a_removed_file(served, keys, tmp_path):
    folder, url = served
    (folder / "feed.xml").unlink()
    for target in (url, str(folder)):
        done = verify(target, keys, tmp_path)
        assert done.returncode == 1
        assert "已被删除：feed.xml" in done.stdout


def test_verify_reports_an_extra_file(served, keys, tmp_path):
    folder, url = served
    (folder / "notice").mkdir()
    (folder / "notice/中奖.html").write_text("<html>钓鱼页面</html>", encoding="utf-8")
    done = verify(str(folder), keys, tmp_path)
    assert done.returncode == 1
    assert "多出的文件：notice/中奖.html" in done.stdout
    # over HTTP a server lists no files: an added page is found through the link to it
    home = folder / "index.html"
    home.write_bytes(
        home.read_bytes().replace(
            b"</body>", b'<a href="notice/%E4%B8%AD%E5%A5%96.html">x</a></body>'
        )
    )
    done = verify(url, keys, tmp_path)
    assert done.returncode == 1
    assert "多出的文件：notice/中奖.html" in done.stdout
    assert "已被修改：index.html" in done.stdout


def test_verify_reports_a_forged_signature(served, keys, tmp_path):
    """An attacker edits a page and the manifest's hash for it, and signs the manifest with
    a key of their own (publishing its public key on the site too)."""
    folder, url = served
    page = folder / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>forged</p></body>"))
    doc = document(folder)
    entry = doc["manifest"]["files"]["index.html"]
    entry["size"] = page.stat().st_size
    entry["sha256"] = hashlib.sha256(page.read_bytes()).hexdigest()
    entry["sm3"] = sm3.sm3_hash(func.bytes_to_list(page.read_bytes()))
    forged = signing.new_keys()
    doc["manifest"]["public_keys"] = {a: public for a, (public, _p) in forged.items()}
    data = canonical(doc["manifest"])
    doc["signatures"] = {
        a: signing.signer(signing.KeySpec(a, public, "X"), private, "攻击者").sign(data)
        for a, (public, private) in forged.items()
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for target in (url, str(folder)):
        done = verify(target, keys, tmp_path)
        assert done.returncode == 1
        assert "签名：Ed25519 签名无效" in done.stdout
        assert "签名：SM2 签名无效" in done.stdout
    # without a trusted key the forgery passes its own check: the report says it proves nothing
    done = run("verify", url, cwd=tmp_path)
    assert done.returncode == 3
    assert "没有可信公钥" in done.stdout


def test_verify_takes_trusted_keys_from_the_catalog(signed, served, tmp_path):
    bureau, _site = signed
    _folder, url = served
    done = run("verify", url, "--catalog", str(bureau.root / "catalog.yml"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run("verify", url, cwd=bureau.root)  # catalog.yml of the working directory
    assert done.returncode == 0, done.stdout + done.stderr


def test_verify_reports_a_missing_manifest_and_an_unreachable_site(served, keys, tmp_path):
    folder, url = served
    (folder / MANIFEST_FILE).unlink()
    done = verify(url, keys, tmp_path)
    assert done.returncode == 1 and "没有网站清单" in done.stdout
    done = verify("http://127.0.0.1:9/", keys, tmp_path)
    assert done.returncode == 2 and "无法访问" in done.stderr and "Traceback" not in done.stderr


def test_keygen_writes_private_keys_and_prints_the_catalog_section(tmp_path):
    done = run("keygen", "--out", str(tmp_path / "keys"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    private = (tmp_path / "keys/gongkai-ed25519.key").read_text()
    assert (tmp_path / "keys/gongkai-ed25519.key").stat().st_mode & 0o077 == 0
    public = done.stdout.split('public_key: "')[1].split('"')[0]
    spec = signing.KeySpec("ed25519", public, "X")
    assert signing.signer(spec, private, "测试").public_key == public
    again = run("keygen", "--out", str(tmp_path / "keys"), cwd=tmp_path)
    assert again.returncode == 2 and "已存在" in again.stderr
