"""`catalog.yml`: the bureau, its departments, its disclosure catalog tree and its rules."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, fields
from email.utils import parseaddr
from pathlib import Path, PurePosixPath
from typing import Any

from generator.core import inspection_settings as inspection_settings
from generator.core import portal, schema, yamlsrc
from generator.core.catalog_limits import CALENDAR_KEYS, day_list, official_years, statutory_refusal
from generator.core.indexno import NATIONAL_TEMPLATE, IndexTemplate, TemplateError
from generator.core.problems import Problem, error, warning
from generator.core.signing import KeySpec, signing_section
from generator.core.textfile import read_text

TOP_KEYS = (
    "site",
    "organization",
    "index_number",
    "departments",
    "categories",
    "rules",
    "calendar",
    "screening",
    "review",
    "limits",
    "requests",
    "inspection",
    "signing",
)
REQUEST_KEYS = ("office", "address", "postcode", "hours", "phone", "fax", "email", "online")
GUIDE_CONTACTS = {
    "office": "名称（office）",
    "address": "办公地址（address）",
    "hours": "办公时间（hours）",
    "phone": "联系电话（phone）",
    "fax": "传真号码（fax）",
}
CATEGORY_KEYS = (
    "code",
    "name",
    "department",
    "required",
    "normative",
    "regulation",
    "interpretation",
    "children",
    "folder",
    "description",
    "frequency",
)
DEPARTMENT_KEYS = ("id", "name", "reviewers")
INTERPRETATION_FLAGS = ("required", "optional")
REVIEW_PROVIDERS = (
    "github",
    "gitea",
    "signed",
    "none",
)  # see generator/publishing/review/providers.py
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]*$")
# Folders under content/ that hold files which are not items (fixed pages, annual reports), and
# folder names that hold an item's attachments: no category may use them.
RESERVED_FOLDERS = frozenset({"pages", "annual"})
ATTACHMENT_FOLDERS = frozenset({"attachments", "附件"})
MAX_DEPTH = 8  # category levels; a real catalog has three or four
MAX_ITEM_KB = 100 * 1024
# The largest value a rule may take, by its unit: working days, calendar days and hours are
# counted one by one, so a huge number would never finish (a year's worth is far beyond any rule).
RULE_MAXIMA = {"workdays": 250, "days": 366, "hours": 8784}


class CatalogError(Exception):
    """The catalog cannot be used at all (missing, unreadable, not YAML): exit status 2."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Reviewer:
    login: str | None
    name: str | None = None
    email: str | None = None

    def __str__(self) -> str:
        return self.login or f"{self.name} <{self.email}>"


@dataclass
class Department:
    id: str
    name: str
    reviewers: list[Reviewer]
    line: int


@dataclass
class Category:
    code: str
    name: str
    department: str
    folder: str  # POSIX path under content/
    line: int
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    required: tuple[str, ...] = ()
    normative: bool = False  # 行政规范性文件
    regulation: bool = False  # 规章 (issued by governments with rule-making power)
    interpretation: str | None = None
    description: str = ""
    frequency: str | None = None


@dataclass(frozen=True)
class Rules:
    """Deadline numbers from the domain brief; each can be overridden under `rules:`."""

    publish_within_workdays: int = 20
    interpretation_within_workdays: int = 10
    response_major_hours: int = 5
    press_conference_hours: int = 24
    response_general_hours: int = 48
    request_reply_workdays: int = 20
    request_extension_workdays: int = 20
    consultation_min_days: int = 30
    consultation_normative_min_workdays: int = 7
    consultation_feedback_days: int = 30
    due_soon_workdays: int = 5


RULE_LABELS = {
    "publish_within_workdays": "主动公开信息形成或变更后公开的期限（工作日）",
    "interpretation_within_workdays": "政策解读晚于文件公开的最长期限（工作日）",
    "response_major_hours": "重大关切发布权威信息的期限（小时）",
    "press_conference_hours": "重大关切召开新闻发布会的期限（小时）",
    "response_general_hours": "一般关切回应的期限（小时）",
    "request_reply_workdays": "依申请公开答复期限（工作日）",
    "request_extension_workdays": "依申请公开可延长的最长期限（工作日）",
    "consultation_min_days": "规章、重大行政决策等征求意见的最短期限（自然日）",
    "consultation_normative_min_workdays": "行政规范性文件征求意见的最短期限（工作日）",
    "consultation_feedback_days": "征求意见结束后公布采纳情况的期限（自然日）",
    "due_soon_workdays": "期限报告中“即将到期”的提前量（工作日）",
}


@dataclass
class Catalog:
    path: Path
    site_name: str
    base_url: str
    org_name: str
    org_code: str
    index: IndexTemplate | None
    departments: dict[str, Department]
    categories: dict[str, Category]  # catalog order, parents before children
    rules: Rules
    problems: list[Problem]
    escalate: frozenset[str] = frozenset()  # deadline codes this bureau treats as errors
    review: dict = field(default_factory=dict)  # provider, office
    max_item_bytes: int = 1024 * 1024  # limits.max_item_kb: a larger item file is refused unread
    requests: dict = field(default_factory=dict)  # 依申请公开 受理机构 and how to reach it
    sensitive_words: tuple[str, ...] = ()  # words the screen blocks (catalog screening.words)
    screening_allow: frozenset[str] = frozenset()  # public numbers and e-mails never flagged
    holidays: frozenset = frozenset()  # the bureau's own days off
    workdays: frozenset = frozenset()  # and its own extra working days
    official_years: dict = field(default_factory=dict)  # State Council notices it entered
    portal: portal.Portal = field(default_factory=portal.Portal)  # footer, meta (site section)
    inspection: inspection_settings.Settings = field(default_factory=inspection_settings.Settings)
    signing: tuple[KeySpec, ...] = ()  # the site manifest's keys (generator/core/signing.py)

    @property
    def roots(self) -> list[Category]:
        return [c for c in self.categories.values() if c.parent is None]

    def category_path(self, code: str) -> list[Category]:
        """The category and its ancestors, root first (the breadcrumb)."""
        chain: list[Category] = []
        current = self.categories.get(code)
        while current is not None:
            chain.insert(0, current)
            current = self.categories.get(current.parent) if current.parent else None
        return chain

    def category_of_folder(self, folder: PurePosixPath) -> Category | None:
        """The category whose folder is the nearest ancestor of `folder` (relative to content/)."""
        by_folder = {c.folder: c for c in self.categories.values()}
        for candidate in (folder, *folder.parents):
            if candidate.as_posix() in by_folder:
                return by_folder[candidate.as_posix()]
        return None


def folder_refusal(folder: str) -> str | None:
    """Why a category may not use this folder (relative to content/), in Chinese; else None.
    Items in it would be skipped, so no check would ever see them, or its files are published
    by other rules (content/pages/ is copied to the site as it is)."""
    parts = PurePosixPath(folder).parts
    if not parts:
        return "分类不能直接使用 content/ 本身，请写其下的文件夹"
    if parts[0].lower() in RESERVED_FOLDERS:
        return "content/pages/ 和 content/annual/ 是固定页面和年度报告的保留文件夹，请换一个文件夹"
    if any(p.startswith((".", "_")) for p in parts):
        return "文件夹名不能以“.”或“_”开头（这样的文件夹会被跳过，其中的信息不会被检查）"
    if ATTACHMENT_FOLDERS.intersection(parts):
        return "attachments 和“附件”是存放附件的文件夹名，不能作为分类文件夹"
    if any(ord(c) < 32 or c == "\\" for c in folder):
        return "文件夹名含有控制字符或“\\”，请改用字母、数字或中文"
    return None


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"是不是想写“{close[0]}”？" if close else ""


def load_catalog(path: Path) -> Catalog:
    """Read and check `catalog.yml`. Raises CatalogError when it cannot be used at all."""
    text, problem = read_text(path)
    if problem is not None:
        raise CatalogError(problem)
    try:
        located = yamlsrc.load(text)
    except yamlsrc.YamlSyntaxError as exc:
        raise CatalogError(error(path, exc.line, "GK001", exc.message)) from None
    if not isinstance(located.data, dict):
        raise CatalogError(
            error(path, 1, "GK001", "catalog.yml 应为键值结构（site、organization、categories 等）")
        )
    return _Builder(path, located).build()


class _Builder:
    def __init__(self, path: Path, located: yamlsrc.Located):
        self.path = path
        self.src = located
        self.data: dict[str, Any] = located.data
        self.problems: list[Problem] = []

    def err(self, code: str, message: str, *key: str | int) -> None:
        self.problems.append(error(self.path, self.src.line(*key), code, message))

    def warn(self, code: str, message: str, *key: str | int) -> None:
        self.problems.append(warning(self.path, self.src.line(*key), code, message))

    def section(self, key: str, kind: type) -> Any:
        value = self.data.get(key)
        if value is None:
            return kind()
        if not isinstance(value, kind):
            shape = "键值结构" if kind is dict else "列表（每项以“- ”开头）"
            self.err("GK003", f"{key} 应为{shape}", key)
            return kind()
        return value

    def text(self, mapping: dict, key: str, *where: str | int, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.err("GK002", f"缺少 {'.'.join(map(str, (*where, key)))}，请填写", *where)
            return ""
        if isinstance(value, dict | list | bool):
            self.err("GK003", f"{key} 应为文字", *where, key)
            return ""
        return str(value).strip()

    def unknown_keys(self, mapping: dict, known: tuple[str, ...], *where: str | int) -> None:
        for key in mapping:
            if key not in known:
                hint = did_you_mean(str(key), known)
                self.warn(
                    "GK004", f"catalog.yml 中的键“{key}”不认识，将被忽略。{hint}", *where, key
                )

    def build(self) -> Catalog:
        for key, line in self.src.duplicate_keys:
            self.problems.append(
                error(self.path, line, "GK005", f"键“{key}”重复出现，请只保留一个")
            )
        self.unknown_keys(self.data, TOP_KEYS)
        site = self.section("site", dict)
        org = self.section("organization", dict)
        site_name = self.text(site, "name", "site")
        base_url = self.text(site, "base_url", "site", required=False)
        org_name = self.text(org, "name", "organization")
        org_code = self.text(org, "code", "organization", required=False)
        if org_code and not re.fullmatch(r"[0-9A-Z]{9}|[0-9A-Z]{18}", org_code):
            self.warn(
                "GK019",
                "组织机构代码通常为 9 位（组织机构代码去掉连字符）或 18 位（统一社会信用代码）的数字和大写字母",
                "organization",
                "code",
            )
        departments = self.departments()
        categories = self.categories(departments)
        return Catalog(
            path=self.path,
            site_name=site_name,
            base_url=base_url,
            org_name=org_name,
            org_code=org_code,
            index=self.index_template(org_code),
            departments=departments,
            categories=categories,
            rules=self.rules(),
            problems=self.problems,
            escalate=self.escalate(),
            review=self.review(departments),
            max_item_bytes=self.limit_kb() * 1024,
            requests=self.requests(),
            sensitive_words=self.strings("words"),
            screening_allow=frozenset(self.strings("allow")),
            **self.calendar(),
            portal=portal.settings(self, site, org_name),
            inspection=inspection_settings.parse(self, self.section("inspection", dict)),
            signing=signing_section(self),
        )

    def index_template(self, org_code: str) -> IndexTemplate | None:
        spec = self.section("index_number", dict)
        template = spec.get("template", NATIONAL_TEMPLATE)
        scope = spec.get("scope", "year")
        try:
            return IndexTemplate.compile(str(template), str(scope), org_code)
        except TemplateError as exc:
            where = "template" if "template" in spec else "scope"
            self.err("GK013", f"索引号模板无法使用：{exc}。", "index_number", where)
            return None

    def departments(self) -> dict[str, Department]:
        result: dict[str, Department] = {}
        for i, entry in enumerate(self.section("departments", list)):
            if not isinstance(entry, dict):
                self.err(
                    "GK003", "departments 的每一项应包含 id、name、reviewers", "departments", i
                )
                continue
            self.unknown_keys(entry, DEPARTMENT_KEYS, "departments", i)
            dept_id = self.text(entry, "id", "departments", i)
            name = self.text(entry, "name", "departments", i)
            if not dept_id:
                continue
            if dept_id in result:
                self.err(
                    "GK010",
                    f"科室 id“{dept_id}”重复，每个科室的 id 必须唯一",
                    "departments",
                    i,
                    "id",
                )
                continue
            reviewers = self.reviewers(entry.get("reviewers"), i)
            result[dept_id] = Department(dept_id, name, reviewers, self.src.line("departments", i))
        if not result:
            self.err("GK002", "catalog.yml 至少要有一个科室（departments）")
        return result

    def reviewers(self, value: Any, dept: int) -> list[Reviewer]:
        where = ("departments", dept, "reviewers")
        if value is None:
            self.warn(
                "GK015",
                "该科室没有审核人（reviewers），其信息将无人可以审核发布",
                "departments",
                dept,
            )
            return []
        if not isinstance(value, list):
            self.err("GK003", "reviewers 应为列表", *where)
            return []
        result = []
        for j, entry in enumerate(value):
            if isinstance(entry, str) and entry.strip():
                result.append(_reviewer_from_text(entry.strip()))
            elif isinstance(entry, dict) and (entry.get("login") or entry.get("identity")):
                login = str(entry["login"]).strip() if entry.get("login") else None
                name = email = None
                if entry.get("identity"):
                    name, email = parseaddr(str(entry["identity"]))
                    if not name or "@" not in email:
                        self.err(
                            "GK015",
                            "identity 应写作“姓名 <邮箱>”，例如：王芳 <wangfang@example.gov.cn>",
                            *where,
                            j,
                            "identity",
                        )
                result.append(Reviewer(login, name or None, email or None))
            else:
                self.err(
                    "GK015",
                    "审核人应为代码托管平台用户名，或 {login: 用户名, identity: 姓名 <邮箱>}",
                    *where,
                    j,
                )
        return result

    def categories(self, departments: dict[str, Department]) -> dict[str, Category]:
        result: dict[str, Category] = {}
        folders: dict[str, str] = {}
        self._walk_categories(
            self.section("categories", list),
            ("categories",),
            None,
            "",
            departments,
            result,
            folders,
        )
        if not result:
            self.err("GK002", "catalog.yml 至少要有一个目录分类（categories）")
        return result

    def _walk_categories(
        self,
        entries: list,
        where: tuple,
        parent: Category | None,
        parent_folder: str,
        departments: dict[str, Department],
        result: dict[str, Category],
        folders: dict[str, str],
    ) -> None:
        for i, entry in enumerate(entries):
            at = (*where, i)
            if not isinstance(entry, dict):
                self.err("GK003", "目录分类的每一项应包含 code、name、department", *at)
                continue
            self.unknown_keys(entry, CATEGORY_KEYS, *at)
            category = self._category(entry, at, parent, parent_folder, departments)
            if category is None:
                continue
            if category.code in result:
                first = result[category.code].line
                self.err(
                    "GK011",
                    f"分类代码“{category.code}”重复（第 {first} 行已使用），分类代码必须唯一",
                    *at,
                    "code",
                )
                continue
            level = (len(where) + 1) // 2  # ("categories",) is level 1, each "children" one more
            if level > MAX_DEPTH:
                self.err(
                    "GK022",
                    f"分类“{category.name}”是第 {level} 层，目录最多 {MAX_DEPTH} 层："
                    "请把它和它的子分类并入上一层",
                    *at,
                )
                continue
            if category.folder in folders:
                self.err(
                    "GK018",
                    f"文件夹 content/{category.folder} 已被分类“{folders[category.folder]}”使用",
                    *at,
                )
                continue
            folders[category.folder] = category.code
            result[category.code] = category
            if parent:
                parent.children.append(category.code)
            children = entry.get("children")
            if children is not None and not isinstance(children, list):
                self.err("GK003", "children 应为子分类列表", *at, "children")
            elif children:
                self._walk_categories(
                    children,
                    (*at, "children"),
                    category,
                    category.folder,
                    departments,
                    result,
                    folders,
                )

    def _category(
        self,
        entry: dict,
        at: tuple,
        parent: Category | None,
        parent_folder: str,
        departments: dict[str, Department],
    ) -> Category | None:
        code = self.text(entry, "code", *at)
        name = self.text(entry, "name", *at)
        if not code:
            return None
        if not CODE_RE.match(code):
            self.err(
                "GK017", f"分类代码“{code}”只能由字母、数字、下划线、点和连字符组成", *at, "code"
            )
            return None
        dept = self.text(entry, "department", *at, required=parent is None)
        if not dept and parent:
            dept = parent.department  # children inherit their parent's department
        if dept and dept not in departments:
            hint = did_you_mean(dept, list(departments))
            self.err(
                "GK012",
                f"分类“{name}”的责任科室“{dept}”不在 departments 中。{hint}",
                *at,
                "department",
            )
        folder = str(entry.get("folder") or PurePosixPath(parent_folder or ".") / code)
        folder = PurePosixPath(folder).as_posix()
        if folder.startswith(("/", "..")) or "/../" in folder:
            self.err("GK017", "folder 应为 content/ 之下的相对路径", *at, "folder")
            return None
        if (refusal := folder_refusal(folder)) is not None:
            self.err("GK017", f"分类“{name}”的文件夹 content/{folder}:{refusal}", *at, "folder")
            return None
        return Category(
            code=code,
            name=name,
            department=dept,
            folder=folder,
            line=self.src.line(*at),
            parent=parent.code if parent else None,
            required=self._required(entry, at),
            normative=bool(entry.get("normative", False)),
            regulation=bool(entry.get("regulation", False)),
            interpretation=self._interpretation(entry, at),
            description=str(entry.get("description") or ""),
            frequency=self._frequency(entry, at),
        )

    def _frequency(self, entry: dict, at: tuple) -> str | None:
        value = entry.get("frequency")
        if value is None:
            return None
        if value not in ("monthly", "quarterly", "halfyearly", "yearly"):
            self.err(
                "GK003",
                "frequency 只能是 monthly（每月）、quarterly（每季度）、halfyearly（每半年）或 yearly（每年）",
                *at,
                "frequency",
            )
            return None
        return str(value)

    def _required(self, entry: dict, at: tuple) -> tuple[str, ...]:
        value = entry.get("required") or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(
                "GK003", "required 应为元数据键名列表，例如 [doc_no, effective]", *at, "required"
            )
            return ()
        for j, key in enumerate(value):
            if key not in schema.FIELDS:
                hint = did_you_mean(key, list(schema.FIELDS))
                self.err("GK016", f"required 中的键“{key}”不是元数据键。{hint}", *at, "required", j)
        return tuple(k for k in value if k in schema.FIELDS)

    def _interpretation(self, entry: dict, at: tuple) -> str | None:
        value = entry.get("interpretation")
        if value is None:
            return None
        if value not in INTERPRETATION_FLAGS:
            self.err(
                "GK003",
                "interpretation 只能是 required（必须解读）或 optional",
                *at,
                "interpretation",
            )
            return None
        return str(value)

    def review(self, departments: dict[str, Department]) -> dict:
        spec = self.section("review", dict)
        self.unknown_keys(spec, ("provider", "repository", "api_url", "office"), "review")
        result = {k: str(v) for k, v in spec.items() if v is not None}
        for key in ("repository", "api_url"):
            if result.pop(key, None) is not None:
                self.warn(
                    "GK020",
                    f"review.{key} 已不再从 catalog.yml 读取，将被忽略：平台接口地址、仓库名和令牌只取自"
                    "流水线环境（GITHUB_API_URL、GITHUB_REPOSITORY），任何修改都不能把令牌发往别处。请删除这一行",
                    "review",
                    key,
                )
        provider = result.get("provider")
        if provider == "trailers":
            self.err(
                "GK021",
                "review.provider 不能再用 trailers：提交说明中的 Reviewed-by 是普通文字，任何能推送的人"
                "都能写上。请改用 github、gitea（平台的审核接口）或 signed（平台密钥签名的合并提交）",
                "review",
                "provider",
            )
        elif provider is not None and provider not in REVIEW_PROVIDERS:
            self.err(
                "GK003",
                "review.provider 只能是 github、gitea、signed 或 none（仅本地预览）",
                "review",
                "provider",
            )
            result.pop("provider")
        office = result.get("office") or (next(iter(departments)) if departments else "")
        if office and office not in departments:
            self.err("GK012", f"review.office“{office}”不在 departments 中", "review", "office")
        result["office"] = office
        return result

    def requests(self) -> dict:
        spec = self.section("requests", dict)
        self.unknown_keys(spec, REQUEST_KEYS, "requests")
        result = {k: str(v).strip() for k, v in spec.items() if k in REQUEST_KEYS and v is not None}
        if spec and not result.get("office"):
            self.err("GK002", "requests 须写明受理机构（office）", "requests")
        # 条例第二十条: the 指南 gives the office's address, hours, phone and fax
        missing = [GUIDE_CONTACTS[k] for k in GUIDE_CONTACTS if not result.get(k)]
        if spec and missing:  # (without the section the pages say it is not filled in yet)
            self.warn(
                "GK025",
                f"依申请公开的受理机构缺少{'、'.join(missing)}：政府信息公开指南应载明受理机构的名称、"
                "办公地址、办公时间、联系电话和传真号码，请在 catalog.yml 的 requests 中补上",
                "requests",
            )
        return result

    def limit_kb(self) -> int:
        spec = self.section("limits", dict)
        self.unknown_keys(spec, ("max_item_kb",), "limits")
        value = spec.get("max_item_kb", 1024)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ITEM_KB:
            self.err(
                "GK014",
                f"limits.max_item_kb（单个信息文件的大小上限，KB）应为不超过 {MAX_ITEM_KB} 的正整数",
                "limits",
                "max_item_kb",
            )
            return 1024
        return value

    def escalate(self) -> frozenset[str]:
        value = self.section("rules", dict).get("errors") or []
        if not isinstance(value, list) or not all(
            isinstance(v, str) and re.fullmatch(r"GK7\d\d", v) for v in value
        ):
            self.err(
                "GK014",
                "rules.errors 应为要按错误处理的期限问题代码列表，例如 [GK701, GK706]",
                "rules",
                "errors",
            )
            return frozenset()
        return frozenset(value)

    def strings(self, key: str) -> tuple[str, ...]:
        spec = self.section("screening", dict)
        self.unknown_keys(spec, ("words", "allow"), "screening")
        value = spec.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.err("GK003", f"screening.{key} 应为文字列表", "screening", key)
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def calendar(self) -> dict[str, Any]:
        """The bureau's own days, and the notices for years `chinese-calendar` does not have."""
        spec = self.section("calendar", dict)
        self.unknown_keys(spec, CALENDAR_KEYS, "calendar")
        return {
            "holidays": frozenset(day_list(spec.get("holidays"), ("calendar", "holidays"), self)),
            "workdays": frozenset(day_list(spec.get("workdays"), ("calendar", "workdays"), self)),
            "official_years": official_years(spec.get("official"), self),
        }

    def rules(self) -> Rules:
        spec = self.section("rules", dict)
        known = tuple(f.name for f in fields(Rules))
        self.unknown_keys(spec, (*known, "errors"), "rules")
        values = {}
        for key in known:
            if key not in spec:
                continue
            value = spec[key]
            most = RULE_MAXIMA[key.rpartition("_")[2]]
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= most:
                self.err(
                    "GK014",
                    f"rules.{key}（{RULE_LABELS[key]}）应为不超过 {most} 的正整数",
                    "rules",
                    key,
                )
            elif (refusal := statutory_refusal(key, value)) is not None:
                self.err("GK023", f"rules.{key}({RULE_LABELS[key]}){refusal}", "rules", key)
            else:
                values[key] = value
        return Rules(**values)


def _reviewer_from_text(text: str) -> Reviewer:
    if "<" in text and "@" in text:
        name, email = parseaddr(text)
        return Reviewer(None, name or None, email or None)
    return Reviewer(text)
