"""`gongkai verify` and `gongkai keygen`: the commands of the signed site manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.core.catalog import CatalogError, load_catalog
from generator.core.problems import format_text
from generator.core.signing import SigningError, new_keys
from generator.publishing.deployed import UNUSABLE, Unreadable, trusted_keys, verify_copy


def add_parsers(sub: Any) -> None:
    verify = sub.add_parser(
        "verify",
        help="核验已上线的网站与已签名的网站清单是否一致（防篡改）",
        description=(
            "读取网站文件夹或网址上的 gongkai-manifest.json，用可信公钥核验签名，逐个比对文件的"
            "大小、SHA-256 和 SM3，报告被修改、删除和多出的文件。退出状态：0 一致且签名有效；"
            "1 发现篡改或签名无效；2 无法核验（参数有误、网站无法访问）；3 文件一致但没有可信签名。"
        ),
    )
    verify.add_argument("target", metavar="网址或文件夹", help="网站地址（http/https）或网站文件夹")
    verify.add_argument(
        "--catalog",
        metavar="FILE",
        help="从该 catalog.yml 读取可信公钥（默认当前目录的 catalog.yml，如有）",
    )
    verify.add_argument(
        "--public-key",
        action="append",
        default=[],
        metavar="算法：公钥",
        help="可信公钥，例如 ed25519:BASE64 或 sm2:HEX；可写多次，优先于 --catalog",
    )
    keygen = sub.add_parser(
        "keygen",
        help="生成网站清单的签名密钥（Ed25519 和 SM2）",
        description="生成新的签名密钥对：公钥填入 catalog.yml 的 signing，私钥存入仓库以外的文件或流水线密钥。",
    )
    keygen.add_argument(
        "--out", required=True, metavar="DIR", help="私钥文件写入的文件夹（仓库以外）"
    )


def _catalog(args: argparse.Namespace) -> Any | None:
    path = Path(args.catalog) if args.catalog else Path("catalog.yml")
    if not args.catalog and not path.is_file():
        return None
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        sys.stdout.write(format_text([exc.problem]))
        raise SigningError(f"{path} 无法使用，无法取得可信公钥") from None
    if not catalog.signing:
        print(f"gongkai：{path} 没有配置 signing，无法取得可信公钥。", file=sys.stderr)
    return catalog


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        trusted = trusted_keys(args.public_key, None if args.public_key else _catalog(args))
        report = verify_copy(args.target, trusted)
    except (SigningError, Unreadable) as exc:
        print(f"gongkai：{exc}。未能核验。", file=sys.stderr)
        return UNUSABLE
    print(f"核验 {args.target}")
    for line in report.lines():
        print(line)
    return report.status


def cmd_keygen(args: argparse.Namespace) -> int:
    folder = Path(args.out)
    keys = new_keys()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for algorithm in keys:
            path = folder / f"gongkai-{algorithm}.key"
            if path.exists():
                print(f"gongkai：{path} 已存在，为免覆盖原有私钥，未生成。", file=sys.stderr)
                return 2
        for algorithm, (_public, private) in keys.items():
            path = folder / f"gongkai-{algorithm}.key"
            path.touch(mode=0o600)
            path.write_text(private, encoding="utf-8")
    except OSError as exc:
        print(f"gongkai：无法写入 {folder}（{exc.strerror}）。", file=sys.stderr)
        return 1
    print("已生成私钥（请妥善保管，不要提交到仓库）：")
    for algorithm in keys:
        print(f"  {folder / f'gongkai-{algorithm}.key'}")
    print("请把以下内容加入 catalog.yml（经办公室审核后生效）：")
    print("signing:")
    for algorithm, (public, _private) in keys.items():
        print(f"  {algorithm}:")
        print(f'    public_key: "{public}"')
        print(f"    key_env: GONGKAI_{algorithm.upper()}_KEY")
        print(f"    key_file: {(folder / f'gongkai-{algorithm}.key').resolve()}")
    return 0


COMMANDS = {"verify": cmd_verify, "keygen": cmd_keygen}
