"""The bureau's signing keys (catalog.yml `signing:`): Ed25519, and SM2 (GB/T 32918) where the
bureau's security assessment requires the national algorithms.

The public keys are written in catalog.yml, so they change only by an approved change; the
private keys are never in the repository: each is read at build time from an environment
variable or a file outside the repository that the catalog names. The cryptography is done by
libraries: `cryptography` (Ed25519, SM3) and `gmssl` (SM2). gmssl's SM2 is used through the
narrow wrappers below because of three traps in it: its default nonce comes from `random`, not
a cryptographic source; `public_key.lstrip("04")` strips more than the prefix; and its verify
does not check that r and s lie in [1, n-1].
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from gmssl import sm2

from generator.core import readers
from generator.core.yamlshape import Checked, Invalid, Key, Mapping, Value, Walk

ALGORITHMS = ("ed25519", "sm2")
_SM2 = sm2.default_ecc_table
_N = int(_SM2["n"], 16)
_P = int(_SM2["p"], 16)
_HEX = re.compile(r"[0-9a-fA-F]+")


class SigningError(Exception):
    """A key cannot be used; the message (Chinese) says which and how to fix it."""


@dataclass(frozen=True)
class KeySpec:
    """One algorithm's key as catalog.yml configures it."""

    algorithm: str
    public_key: str  # normalised: Ed25519 base64 of 32 bytes, SM2 128 hex digits (x || y)
    key_env: str = ""
    key_file: str = ""


def sm2_public(text: str) -> str:
    """An SM2 public key as 128 lowercase hex digits (x || y), from that or with the 04 prefix.
    Raises SigningError when it is not a point of the curve."""
    value = re.sub(r"[\s:]", "", text).lower()
    if len(value) == 130 and value.startswith("04"):
        value = value[2:]
    if len(value) != 128 or not _HEX.fullmatch(value):
        raise SigningError("SM2 公钥应为 128 位十六进制数（x 和 y，可带前缀 04）")
    x, y = int(value[:64], 16), int(value[64:], 16)
    a, b = int(_SM2["a"], 16), int(_SM2["b"], 16)
    if x >= _P or y >= _P or (y * y - (x * x * x + a * x + b)) % _P:
        raise SigningError("SM2 公钥不是 SM2 曲线上的点，请复制完整的公钥")
    return value


def ed25519_public(text: str) -> str:
    """An Ed25519 public key as base64 of its 32 bytes. Raises SigningError."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise SigningError("Ed25519 公钥应为 32 字节的 Base64 文字（44 个字符）")
    return base64.b64encode(raw).decode()


def public_key(algorithm: str, text: str) -> str:
    return ed25519_public(text) if algorithm == "ed25519" else sm2_public(text)


def _public(algorithm: str) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        found = readers.text(value)
        try:
            return public_key(algorithm, found) if found else ""
        except SigningError as exc:
            raise Invalid(f"无法使用：{exc}") from None

    return read


def _key_shape(algorithm: str) -> Mapping:
    return Mapping(
        (
            Key(
                "public_key", "公钥", Value(_public(algorithm), "GK030"), required=True, default=""
            ),
            Key("key_env", "私钥所在的环境变量", Value(readers.text), default=""),
            Key("key_file", "私钥文件（仓库以外的绝对路径）", Value(readers.text), default=""),
        )
    )


SIGNING = Mapping(tuple(Key(a, f"{a} 密钥", _key_shape(a)) for a in ALGORITHMS))


def signing_section(spec: Checked | None, walk: Walk) -> tuple[KeySpec, ...]:
    """catalog.yml `signing:` (read by SIGNING): where each private key is, checked."""
    keys = []
    for algorithm in ALGORITHMS:
        entry = spec[algorithm] if spec is not None else None
        if entry is None or not entry["public_key"]:
            continue
        at = ("signing", algorithm)
        env, file = entry["key_env"], entry["key_file"]
        if not env and not file:
            walk.error(
                "GK031",
                f"signing.{algorithm} 须写明私钥从哪里读取：key_env（环境变量名）或 key_file"
                "（仓库以外的文件路径）；私钥本身不能写在 catalog.yml 中",
                *at,
            )
        if file and not Path(file).is_absolute():
            walk.error(
                "GK031",
                f"signing.{algorithm}.key_file 应为仓库以外的绝对路径（例如 /etc/gongkai/{algorithm}.key），"
                "私钥不能放在仓库中",
                *at,
                "key_file",
            )
            file = ""
        keys.append(KeySpec(algorithm, entry["public_key"], env, file))
    return tuple(keys)


@dataclass(frozen=True)
class Signer:
    algorithm: str
    public_key: str
    private: Any  # Ed25519PrivateKey, or the SM2 private key as 64 hex digits

    def sign(self, data: bytes) -> str:
        if self.algorithm == "ed25519":
            return base64.b64encode(self.private.sign(data)).decode()
        return _sm2_sign(self.private, self.public_key, sm2_message(data))


def private_text(spec: KeySpec, root: Path) -> tuple[str | None, str]:
    """The private key's text and where it came from, or (None, why not) in Chinese."""
    if spec.key_env and os.environ.get(spec.key_env, "").strip():
        return os.environ[spec.key_env], f"环境变量 {spec.key_env}"
    if spec.key_file:
        path = Path(spec.key_file)
        if path.resolve().is_relative_to(root.resolve()):
            raise SigningError(f"私钥文件 {path} 在仓库中：私钥不能放在仓库里，请移到仓库以外")
        try:
            return path.read_text(encoding="utf-8"), f"文件 {path}"
        except (OSError, UnicodeDecodeError):
            pass
    places = [f"环境变量 {spec.key_env}"] if spec.key_env else []
    places += [f"文件 {spec.key_file}"] if spec.key_file else []
    return None, "、".join(places) + " 中没有私钥"


def signer(spec: KeySpec, text: str, where: str) -> Signer:
    """The private key from `text`, checked against the catalog's public key. Raises SigningError."""
    name = "Ed25519" if spec.algorithm == "ed25519" else "SM2"
    private = _ed25519_private(text) if spec.algorithm == "ed25519" else _sm2_private(text)
    if private is None:
        raise SigningError(f"{where} 中的 {name} 私钥无法读取，请检查格式（见 docs/open-data.md）")
    derived = (
        base64.b64encode(
            private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        ).decode()
        if spec.algorithm == "ed25519"
        else _sm2_public_of(private)
    )
    if derived != spec.public_key:
        raise SigningError(
            f"{where} 中的 {name} 私钥与 catalog.yml 中 signing.{spec.algorithm}.public_key "
            "不是一对：用它签名的清单将无法核验。请换用正确的私钥，或经审核更新公钥"
        )
    return Signer(spec.algorithm, spec.public_key, private)


def verify(algorithm: str, public: str, data: bytes, signature: str) -> bool:
    """Whether `signature` (as written in the manifest) is `public`'s signature of `data`."""
    if algorithm == "ed25519":
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public, validate=True))
            key.verify(base64.b64decode(signature, validate=True), data)
        except (InvalidSignature, ValueError, binascii.Error, TypeError):
            return False
        return True
    return _sm2_verify(public, sm2_message(data), signature)


def sm2_message(data: bytes) -> bytes:
    """What SM2 signs: the SM3 digest of the data (32 bytes). gmssl hashes the message it signs
    in pure Python (about 1 MB/s), far too slow for a manifest of 10,000 items; OpenSSL's SM3
    digests it first."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _ed25519_private(text: str) -> Ed25519PrivateKey | None:
    """A PEM (PKCS#8, `openssl genpkey -algorithm ed25519`) or the base64 of the 32-byte seed."""
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.strip().encode(), password=None)
            return key if isinstance(key, Ed25519PrivateKey) else None
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text.strip(), validate=True))
    except (ValueError, TypeError, binascii.Error):
        return None


def _sm2_private(text: str) -> str | None:
    value = re.sub(r"\s", "", text).lower()
    if len(value) != 64 or not _HEX.fullmatch(value) or not 0 < int(value, 16) < _N - 1:
        return None
    return value


def _sm2(private: str, public: str) -> sm2.CryptSM2:
    crypt = sm2.CryptSM2(private_key=private, public_key=public)
    crypt.public_key = public  # gmssl's lstrip("04") would eat a leading 0 or 4 of x
    return crypt


def _sm2_public_of(private: str) -> str:
    crypt = _sm2(private, "")
    return crypt._kg(int(private, 16), _SM2["g"])  # d·G, gmssl's own point multiplication


def _sm2_sign(private: str, public: str, data: bytes) -> str:
    crypt = _sm2(private, public)
    while True:  # gmssl returns None for the rare nonces the standard rejects
        nonce = f"{secrets.randbelow(_N - 1) + 1:064x}"  # not gmssl's `random`-based default
        signature = crypt.sign_with_sm3(data, nonce)
        if signature:
            return signature


def _sm2_verify(public: str, data: bytes, signature: str) -> bool:
    if len(signature) != 128 or not _HEX.fullmatch(signature):
        return False
    r, s = int(signature[:64], 16), int(signature[64:], 16)
    if not (0 < r < _N and 0 < s < _N):
        return False
    try:
        return bool(_sm2("", sm2_public(public)).verify_with_sm3(signature.lower(), data))
    except (SigningError, ValueError, TypeError):
        return False


def new_keys() -> dict[str, tuple[str, str]]:
    """A new key pair per algorithm: (public key as catalog.yml takes it, private key text)."""
    ed = Ed25519PrivateKey.generate()
    ed_public = ed.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    ed_private = ed.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    d = f"{secrets.randbelow(_N - 2) + 1:064x}"
    return {
        "ed25519": (base64.b64encode(ed_public).decode(), ed_private),
        "sm2": (_sm2_public_of(d), d + "\n"),
    }
