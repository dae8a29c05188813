"""The registry of checks. `validate` and the site build both call `check`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.checks import fields, html, identity, placement, privacy
from generator.checks.deadlines import deadline_problems
from generator.core.attachments import within as attached_rel
from generator.core.item import Item
from generator.core.problems import Problem, sort_problems
from generator.core.project import Project
from generator.reports.annual import annual_problems

ItemRule = Callable[[Item, Project], Iterable[Problem]]
ProjectRule = Callable[[Project], Iterable[Problem]]

ITEM_RULES: tuple[ItemRule, ...] = (
    fields.required_keys,
    fields.known_keys,
    fields.duplicate_keys,
    fields.date_order,
    fields.characters,
    fields.disclosure_basis,
    placement.category_known,
    placement.department_known,
    placement.doc_no_brackets,
    placement.attachments_exist,
    identity.index_format,
    privacy.screen_item,
    html.raw_html,
)

PROJECT_RULES: tuple[ProjectRule, ...] = (
    placement.attachments_not_shared,
    placement.fixed_pages_distinct,
    html.fixed_page_template,
    privacy.screen_inputs,
    identity.unique_index_numbers,
    identity.references_exist,
    deadline_problems,
    annual_problems,
    html.fixed_pages,
    html.markdown_settings,
)

# Every code a user can meet, with a short Chinese title (documented in docs/content.md).
CODES: dict[str, str] = {
    "GK001": "文件无法读取或 catalog.yml 无法解析",
    "GK002": "catalog.yml 缺少必填项",
    "GK003": "catalog.yml 中的值类型不对",
    "GK004": "catalog.yml 中有不认识的键",
    "GK005": "catalog.yml 中的键重复",
    "GK010": "科室 id 重复",
    "GK011": "分类代码重复",
    "GK012": "分类的责任科室不存在",
    "GK013": "索引号模板无法使用",
    "GK014": "期限规则的值无效",
    "GK015": "审核人写法有误",
    "GK016": "分类要求的键不是元数据键",
    "GK017": "分类代码或文件夹无效",
    "GK018": "两个分类使用同一个文件夹",
    "GK019": "组织机构代码位数不对",
    "GK020": "review 中的接口地址或仓库名被忽略",
    "GK021": "审核记录来源 trailers 已不再接受",
    "GK022": "目录分类层级过深",
    "GK023": "期限规则超出法定期限",
    "GK024": "calendar.official 中的节假日安排有误",
    "GK025": "依申请公开受理机构的联系方式不全",
    "GK026": "网站标识码或网址写法有误",
    "GK027": "inspection 中的值无效",
    "GK028": "网站徽标图片无法使用",
    "GK401": "首页超过期限未更新",
    "GK402": "栏目超过期限未更新",
    "GK403": "首页或栏目即将超过更新期限",
    "GK404": "空白栏目过多",
    "GK405": "空白栏目",
    "GK406": "信息页面没有发布日期",
    "GK410": "站内链接指向不存在的页面",
    "GK411": "附件或资源文件缺失",
    "GK412": "外部链接无法打开",
    "GK413": "链接指向尚未获批准发布的信息（警告）",
    "GK420": "页面页脚缺少必备要素",
    "GK421": "页面缺少监测元数据",
    "GK422": "页面缺少语言、标题或一级标题",
    "GK423": "网站必备信息未填写",
    "GK430": "严重表述错误",
    "GK431": "页面显示的内容未通过保密审查",
    "GK030": "签名公钥无法使用",
    "GK031": "签名私钥的位置未写明或在仓库中",
    "GK100": "文件不是 UTF-8 编码",
    "GK101": "文件是空的",
    "GK102": "缺少元数据块或元数据块未结束",
    "GK103": "元数据 YAML 语法错误",
    "GK104": "元数据不是键值结构",
    "GK105": "元数据键重复",
    "GK106": "缺少 content/ 文件夹",
    "GK107": "特殊文件（命名管道、设备、套接字）",
    "GK108": "文件过大",
    "GK109": "符号链接",
    "GK110": "缺少必填的元数据",
    "GK111": "元数据的值格式不对",
    "GK112": "不予公开未写明依据",
    "GK113": "日期先后矛盾",
    "GK114": "不认识的元数据键",
    "GK115": "元数据键不适用于该类型",
    "GK116": "元数据或正文含有不允许的字符",
    "GK120": "主题分类不在目录中",
    "GK121": "责任科室不存在",
    "GK122": "文件不在其分类的文件夹中",
    "GK130": "文号年份未使用六角括号〔〕",
    "GK140": "索引号不符合模板",
    "GK141": "索引号前段码不是本单位代码",
    "GK142": "索引号年份与发布日期不一致",
    "GK143": "索引号分类代码与主题分类不一致",
    "GK144": "索引号重复",
    "GK150": "附件不存在",
    "GK151": "附件不在本信息的文件夹中",
    "GK152": "附件类型不允许",
    "GK153": "附件内容与扩展名不符",
    "GK154": "附件被多条信息引用",
    "GK155": "附件是另一条信息的文件",
    "GK156": "文件名或附件路径不合规",
    "GK157": "固定页面占用网站生成的地址",
    "GK158": "固定页面的扩展名不是小写的 .md",
    "GK159": "固定页面指定了模板（template）",
    "GK160": "引用的索引号不存在",
    "GK161": "引用的信息类型不对",
    "GK162": "引用了自己",
    "GK170": "已发布的索引号被修改",
    "GK171": "已发布的索引号消失",
    "GK172": "已发布信息的修改没有修订说明",
    "GK801": "居民身份证号码",
    "GK802": "手机号码",
    "GK803": "银行卡号",
    "GK804": "密级或保密标志",
    "GK805": "本单位规定的敏感词",
    "GK806": "个人电子邮箱",
    "GK807": "身份证号、住址等个人信息字样",
    "GK808": "附件类型无法自动审查",
    "GK809": "附件无法读取",
    "GK811": "多余的保密审查豁免",
    "GK901": "不允许的 HTML 标签",
    "GK902": "不允许的 HTML 属性",
    "GK903": "不允许的链接协议",
    "GK904": "网站的 Markdown 设置无法使用",
    "GK905": "HTML 嵌套过深",
    "GK601": "年度报告数据格式不对",
    "GK602": "年度报告第三部分数字不平衡",
    "GK603": "年度报告第四部分总计不对",
    "GK604": "年度报告上年结转与上一年度结转下年度不一致",
    "GK701": "政策解读晚于期限发布",
    "GK702": "要求解读的文件尚无解读（待发布或已逾期）",
    "GK703": "回应关切超过时限",
    "GK704": "征求意见期限过短",
    "GK705": "征求意见结束后未公布采纳情况",
    "GK706": "主动公开信息超过公开时限",
}


# id(item) -> (item, its attachments' stamps, its problems): the item rules' findings, kept by a
# long-running caller (`mkdocs serve`) whose parse cache hands back the same Item object while
# neither its file nor the catalog changed.
CheckCache = dict[int, tuple[Item, tuple, list[Problem]]]


def _attachment_stamps(item: Item) -> tuple:
    stamps = []
    for attachment in item.attachments:
        rel = attached_rel(item, attachment)
        try:
            stat = (item.path.parent / rel).lstat() if rel is not None else None
        except (OSError, ValueError):
            stat = None
        stamps.append((stat.st_mtime_ns, stat.st_size, stat.st_mode) if stat else None)
    return tuple(stamps)


def _item_problems(item: Item, project: Project) -> list[Problem]:
    return [p for item_rule in ITEM_RULES for p in item_rule(item, project)]


def check(project: Project, cache: CheckCache | None = None) -> list[Problem]:
    """Every problem of the project, sorted by file and line; never stops at the first.

    With `cache`, an item still the same object as at the last call, with the same attachments,
    is not checked again (the rules over the whole project always run)."""
    found: list[Problem] = list(project.all_problems())
    kept: CheckCache = {}
    for item in project.items:
        if cache is None:
            found.extend(_item_problems(item, project))
            continue
        stamps = _attachment_stamps(item)
        hit = cache.get(id(item))
        if hit is not None and hit[0] is item and hit[1] == stamps:
            problems = hit[2]
        else:
            problems = _item_problems(item, project)
        kept[id(item)] = (item, stamps, problems)
        found.extend(problems)
    if cache is not None:
        cache.clear()
        cache.update(kept)
    for project_rule in PROJECT_RULES:
        found.extend(project_rule(project))
    return sort_problems(found)
