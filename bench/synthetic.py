"""A realistic synthetic bureau, reproducible from a seed: 30 categories, items of 800–3,000
Chinese characters with tables, 文号, interpretations and attachments.

    .venv/bin/python -m bench.synthetic OUT_DIR N [SEED]
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).parents[1]
ORG = "000088001"

DEPARTMENTS = ["bgs", "zcfgk", "cwsjk", "cyfzk", "scglk", "ggfwk", "wwbhk", "rsk"]
CATEGORY_NAMES = [
    "机构职能",
    "领导信息",
    "行政规范性文件",
    "其他文件",
    "政策解读",
    "规划计划",
    "统计信息",
    "财政预决算",
    "政府采购",
    "行政许可",
    "行政处罚",
    "行政强制",
    "收费信息",
    "重大建设项目",
    "公共文化服务",
    "文物保护",
    "非物质文化遗产",
    "旅游市场",
    "人事信息",
    "建议提案办理",
    "回应关切",
    "征求意见",
    "突发事件应对",
    "监督检查",
    "公务员招考",
    "安全生产",
    "扶贫助困",
    "双随机一公开",
    "政务服务",
    "其他信息",
]
SUBJECTS = [
    "本局",
    "各县区文化和旅游局",
    "市文化市场综合执法支队",
    "各A级旅游景区",
    "局属各单位",
    "市图书馆",
    "市博物馆",
    "各旅行社",
    "公共文化服务机构",
    "有关部门",
]
VERBS = [
    "认真贯彻落实",
    "进一步加强",
    "全面开展",
    "统筹推进",
    "严格执行",
    "持续深化",
    "切实做好",
    "研究制定",
    "组织实施",
    "不断完善",
]
OBJECTS = [
    "财政预算管理",
    "公共文化服务体系建设",
    "文物安全监管",
    "旅游市场秩序整治",
    "政务公开工作",
    "非物质文化遗产保护传承",
    "安全生产责任制",
    "行政审批制度改革",
    "文旅消费促进行动",
    "智慧旅游平台建设",
    "乡村旅游高质量发展",
    "文化市场综合执法",
    "政府采购内部控制",
    "规范性文件合法性审查",
    "志愿服务常态化",
    "应急预案演练",
    "数字资源共建共享",
]
TAILS = [
    "确保各项任务落到实处",
    "切实保障人民群众文化权益",
    "不断提升群众满意度",
    "推动工作取得新成效",
    "形成长效管理机制",
    "为全市经济社会发展作出贡献",
]
NUMBERS = ["百分之五", "百分之十二点六", "1860万元", "326家", "48个", "2.4万人次", "15项"]
# Topic terms: each item is about a few of these, as real documents are about a few subjects,
# while the administrative words above appear everywhere.
PLACES = [
    "城东区",
    "城西区",
    "青峰县",
    "龙潭县",
    "石门区",
    "河湾县",
    "古镇区",
    "东山县",
    "北乡县",
    "南岭县",
    "滨河街道",
    "凤鸣镇",
    "柳湾乡",
    "金沙镇",
    "白鹭洲",
    "云台山",
    "桃花坞",
    "铁佛寺",
    "文昌阁",
    "望江楼",
]
FIELDS = [
    "文物保护",
    "旅游市场",
    "公共图书馆",
    "非遗传承",
    "剧场演出",
    "星级饭店",
    "旅行社管理",
    "景区门票",
    "民宿评定",
    "博物馆展陈",
    "群众文化",
    "数字资源",
    "研学旅行",
    "夜间经济",
    "红色旅游",
    "古建筑修缮",
    "考古发掘",
    "网吧监管",
    "演艺人员",
    "导游培训",
    "乡村旅游",
    "文创产品",
    "节庆活动",
    "体育旅游",
    "康养旅游",
    "工业遗产",
    "地方戏曲",
    "书法展览",
    "阅读推广",
    "志愿服务",
]
ACTIONS = [
    "专项整治",
    "提质增效",
    "规范管理",
    "安全检查",
    "资金补助",
    "评定结果",
    "培训计划",
    "改革试点",
    "招标采购",
    "绩效评价",
    "标准修订",
    "投诉处理",
    "监测报告",
    "应急演练",
    "示范创建",
]


def _topics(rng: random.Random) -> list[str]:
    return [
        rng.choice(PLACES) + rng.choice(FIELDS)
        if rng.random() < 0.4
        else rng.choice(FIELDS) + rng.choice(ACTIONS)
        for _ in range(3)
    ]


def _sentence(rng: random.Random, topics: list[str]) -> str:
    subject = rng.choice(topics) if rng.random() < 0.5 else rng.choice(OBJECTS)
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), subject]
    if rng.random() < 0.4:
        parts.append(f",完成率达到{rng.choice(NUMBERS)}")
    return "".join(parts) + "," + rng.choice(TAILS) + "。"


def _body(rng: random.Random, chars: int, with_table: bool, topics: list[str]) -> str:
    paragraphs, size = [], 0
    heading = 1
    while size < chars:
        if rng.random() < 0.15:
            paragraphs.append(f"## {'一二三四五六七八九十'[heading % 10]}、{rng.choice(topics)}")
            heading += 1
        text = "".join(_sentence(rng, topics) for _ in range(rng.randint(2, 5)))
        paragraphs.append(text)
        size += len(text)
    if with_table:
        rows = "\n".join(
            f"| {rng.choice(OBJECTS)} | {rng.choice(NUMBERS)} | {rng.choice(SUBJECTS)} |"
            for _ in range(rng.randint(3, 8))
        )
        paragraphs.insert(
            len(paragraphs) // 2, "| 项目 | 数量 | 责任单位 |\n| --- | --- | --- |\n" + rows
        )
    return "\n\n".join(paragraphs) + "\n"


def _catalog(categories: list[tuple[str, str, str]]) -> str:
    lines = [
        "site:",
        "  name: 合成测试局政府信息公开",
        "organization:",
        "  name: 合成市测试局",
        f'  code: "{ORG}"',
        "departments:",
    ]
    for dept in DEPARTMENTS:
        lines += [f"  - id: {dept}", f"    name: {dept}科", f"    reviewers: [{dept}-reviewer]"]
    lines.append("categories:")
    for code, name, dept in categories:
        lines += [f"  - code: {code}", f"    name: {name}", f"    department: {dept}"]
        if name == "行政规范性文件":
            lines += ["    normative: true", "    required: [doc_no]"]
    return "\n".join(lines) + "\n"


def generate(out: Path, count: int, seed: int = 1, today: date = date(2026, 11, 23)) -> Path:
    """Write a bureau of `count` items into `out` (replacing it) and return `out`."""
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    categories = [
        (f"c{i:02d}", name, DEPARTMENTS[i % len(DEPARTMENTS)])
        for i, name in enumerate(CATEGORY_NAMES)
    ]
    (out / "content/pages").mkdir(parents=True)
    (out / "catalog.yml").write_text(_catalog(categories), encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", out / "theme")
    start = today - timedelta(days=3 * 365)
    days = sorted(start + timedelta(days=rng.randrange(3 * 365)) for _ in range(count))
    serials: dict[int, int] = {}
    normative: list[str] = []
    for n, day in enumerate(days):
        code, name, _ = categories[rng.randrange(len(categories))]
        serials[day.year] = serials.get(day.year, 0) + 1
        index_no = f"{ORG}/{day.year}-{serials[day.year]:05d}"
        topics = _topics(rng)
        kind = rng.choice(["通知", "公告", "报告", "意见", "办法"])
        meta = [
            f"title: {rng.choice(SUBJECTS)}关于{topics[0]}的{kind}({n + 1})",
            f"category: {code}",
            f'index_no: "{index_no}"',
            f"date: {day}",
            "disclosure: 主动公开",
            f"keywords: [{topics[0]}, {topics[1]}, {name}]",
        ]
        if name == "行政规范性文件" or rng.random() < 0.3:
            meta.append(f"doc_no: 合测发〔{day.year}〕{serials[day.year]}号")
            meta.append(f"written: {day - timedelta(days=rng.randint(0, 5))}")
        if name == "行政规范性文件":
            normative.append(index_no)
        folder = out / "content" / code
        folder.mkdir(exist_ok=True)
        if name == "政策解读" and normative:
            meta.insert(1, "type: interpretation")
            meta.append(f'interprets: "{rng.choice(normative)}"')
        if rng.random() < 0.05:
            attachment = f"att-{n + 1}.csv"
            (folder / attachment).write_text("项目,金额\n预算,100\n", encoding="utf-8")
            meta.append(f"attachments: [{attachment}]")
        body = _body(rng, rng.randint(800, 3000), rng.random() < 0.3, topics)
        (folder / f"{n + 1:06d}.md").write_text(
            "---\n" + "\n".join(meta) + "\n---\n\n" + body, encoding="utf-8"
        )
    return out


if __name__ == "__main__":
    target = generate(
        Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1
    )
    print(f"wrote {sys.argv[2]} items into {target}")
