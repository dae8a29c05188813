"""What `catalog.yml` may hold, declared once: every section and key, its Chinese label, how its
value is read, required or default, and the code of its problems (generator/core/yamlshape.py
walks it). Rules between keys run afterwards (generator/core/catalog_rules.py)."""

from __future__ import annotations

import re
from dataclasses import fields
from email.utils import parseaddr
from typing import Any

from generator.core import readers
from generator.core.catalog_limits import RULE_LABELS, RULE_MAXIMA, Rules, days_or_range
from generator.core.indexno import NATIONAL_TEMPLATE
from generator.core.inspection_settings import INSPECTION
from generator.core.portal import SITE
from generator.core.signing import SIGNING
from generator.core.yamlshape import (
    WARNING,
    Invalid,
    Key,
    ListOf,
    MapOf,
    Mapping,
    Tree,
    Value,
)

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]*$")
MAX_DEPTH = 8  # category levels; a real catalog has three or four
MAX_ITEM_KB = 100 * 1024
REVIEW_PROVIDERS = ("github", "gitea", "signed", "none")  # generator/publishing/review/providers.py
RETIRED_PROVIDER = "trailers"  # kept, so the gate too refuses it with the reason
FREQUENCIES = {"monthly": "每月", "quarterly": "每季度", "halfyearly": "每半年", "yearly": "每年"}


def reviewer(value: Any) -> tuple[str | None, str | None, str | None]:
    """(login, name, email): a forge user name, “姓名 <邮箱>”, or {login, identity}."""
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if "<" in text and "@" in text:
            name, email = parseaddr(text)
            return None, name or None, email or None
        return text, None, None
    if isinstance(value, dict) and (value.get("login") or value.get("identity")):
        login = str(value["login"]).strip() if value.get("login") else None
        name = email = None
        if value.get("identity"):
            name, email = parseaddr(str(value["identity"]))
            if not name or "@" not in email:
                raise Invalid(
                    "的 identity 应写作“姓名 <邮箱>”，例如：王芳 <wangfang@example.gov.cn>",
                    at=("identity",),
                )
        return login, name or None, email or None
    raise Invalid("应为代码托管平台用户名，或 {login: 用户名, identity: 姓名 <邮箱>}")


def category_code(value: Any) -> str:
    code = readers.text(value)
    if code and not CODE_RE.match(code):
        raise Invalid(f"“{code}”只能由字母、数字、下划线、点和连字符组成", code="GK017")
    return code


def provider(value: Any) -> str:
    found = readers.text(value)
    if found not in (*REVIEW_PROVIDERS, RETIRED_PROVIDER):  # the retired one: a rule says why
        raise Invalid("只能是 github、gitea、signed 或 none（仅本地预览）")
    return found


def retired(value: Any) -> None:
    raise Invalid(
        "已不再从 catalog.yml 读取，将被忽略：平台接口地址、仓库名和令牌只取自流水线环境"
        "（GITHUB_API_URL、GITHUB_REPOSITORY），任何修改都不能把令牌发往别处。请删除这一行"
    )


def escalated(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and re.fullmatch(r"GK7\d\d", v) for v in value
    ):
        raise Invalid("应为要按错误处理的期限问题代码列表，例如 [GK701, GK706]")
    return frozenset(value)


def year(value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 9998:
        raise Invalid(" 不是年份，请写四位年份，例如 2027")
    return int(text)


def _text(label: str, required: bool = False, default: Any = "") -> tuple[str, Value, bool, Any]:
    return label, Value(readers.text), required, default


def _keys(**spec: tuple) -> tuple[Key, ...]:
    return tuple(Key(name, *args) for name, args in spec.items())


DAYS = ListOf(
    Value(days_or_range), hint="日期列表，例如 [2027-01-01, 2027-02-05 至 2027-02-11]", places=True
)
OFFICIAL = Mapping(
    _keys(
        source=_text("通知文号"),
        holidays=("放假日期", DAYS),
        workdays=("调休上班日期", DAYS),
    ),
    hint="应写 source、holidays 和 workdays",
)
CALENDAR = Mapping(
    _keys(
        holidays=("本单位的放假日期", DAYS),
        workdays=("本单位的上班日期", DAYS),
        official=(
            "国务院节假日安排",
            MapOf(
                OFFICIAL,
                key=year,
                key_code="GK024",
                hint="按年份写，例如 2027: {source: 文号, holidays: [...], workdays: [...]}",
            ),
        ),
    )
)
_RULES = tuple(
    Key(f.name, RULE_LABELS[f.name], Value(readers.positive(RULE_MAXIMA[f.name]), "GK014"))
    for f in fields(Rules)
)
RULES = Mapping(
    (*_RULES, Key("errors", "按错误处理的期限问题", Value(escalated, "GK014"), default=frozenset()))
)
DEPARTMENT = Mapping(
    _keys(
        id=_text("科室代码", required=True),
        name=_text("科室名称", required=True),
        reviewers=("审核人", ListOf(Value(reviewer, "GK015"))),
    ),
    hint="每项包含 id、name、reviewers",
)
CATEGORY = Mapping(
    _keys(
        code=("分类代码", Value(category_code), True, ""),
        name=_text("分类名称", required=True),
        department=_text("责任科室"),
        required=(
            "该分类必填的元数据",
            ListOf(
                Value(readers.front_matter_key, "GK016"),
                hint="元数据键名列表，例如 [doc_no, effective]",
            ),
            False,
            (),
        ),
        normative=("行政规范性文件", Value(readers.boolean), False, False),
        regulation=("规章", Value(readers.boolean), False, False),
        interpretation=(
            "是否必须解读",
            Value(readers.choice({"required": "必须解读", "optional": ""})),
        ),
        children=("子分类", Value(readers.as_is)),
        folder=_text("文件夹", default=None),
        description=_text("分类说明"),
        frequency=("更新频率", Value(readers.choice(FREQUENCIES))),
    ),
    hint="每项包含 code、name、department",
)
CATALOG = Mapping(
    _keys(
        site=("网站", SITE),
        organization=(
            "机构",
            Mapping(_keys(name=_text("机构名称", required=True), code=_text("组织机构代码"))),
        ),
        index_number=(
            "索引号",
            Mapping(
                _keys(
                    template=_text("索引号模板", default=NATIONAL_TEMPLATE),
                    scope=_text("流水号编排范围", default="year"),
                )
            ),
        ),
        departments=("科室", ListOf(DEPARTMENT, hint="每项包含 id、name、reviewers"), False, []),
        categories=(
            "目录分类",
            Tree(
                CATEGORY,
                "children",
                MAX_DEPTH,
                "分类“{name}”是第 {level} 层，目录最多 {depth} 层：请把它和它的子分类并入上一层",
                "GK022",
                hint="每项包含 code、name、department",
            ),
            False,
            [],
        ),
        rules=("期限规则", RULES),
        calendar=("工作日", CALENDAR),
        screening=(
            "保密审查",
            Mapping(
                _keys(
                    words=("敏感词", Value(readers.words), False, ()),
                    allow=("不提示的公开号码和邮箱", Value(readers.words), False, ()),
                )
            ),
        ),
        review=(
            "审核",
            Mapping(
                _keys(
                    provider=("审核记录来源", Value(provider)),
                    repository=("仓库名", Value(retired, "GK020", WARNING)),
                    api_url=("平台接口地址", Value(retired, "GK020", WARNING)),
                    office=_text("信息公开工作机构（科室代码）"),
                )
            ),
        ),
        limits=(
            "限制",
            Mapping(
                _keys(
                    max_item_kb=(
                        "单个信息文件的大小上限，KB",
                        Value(readers.positive(MAX_ITEM_KB), "GK014"),
                        False,
                        1024,
                    )
                )
            ),
        ),
        requests=(
            "依申请公开受理机构",
            Mapping(
                _keys(
                    office=_text("名称"),
                    address=_text("办公地址"),
                    postcode=_text("邮政编码"),
                    hours=_text("办公时间"),
                    phone=_text("联系电话"),
                    fax=_text("传真号码"),
                    email=_text("电子邮箱"),
                    online=_text("网上申请地址"),
                )
            ),
        ),
        inspection=("网站检查", INSPECTION),
        signing=("网站清单签名", SIGNING),
    ),
    hint="site、organization、categories 等",
)
