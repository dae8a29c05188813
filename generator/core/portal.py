"""The elements every page of a government website carries (《政府网站发展指引》, 国办发〔2017〕47号):
the footer (主办单位, 联系方式, 网站标识码, ICP备案号, 公安机关备案号, 党政机关网站标识, 网站地图,
我为政府网站找错) and the site meta tags national monitoring reads, configured in `catalog.yml`'s
`site` section; plus each page's own date for the sitemap (lastmod)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit

from generator.core import readers
from generator.core.emblem import emblem_problem, site_path
from generator.core.yamlshape import WARNING, Checked, Key, Mapping, Value, Walk

ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch"
# 我为政府网站找错 (国务院办公厅政府网站监管平台): the entry most sites link, with their own code
ERROR_REPORT_URL = (
    "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?webSiteCode={id_code}"
)
SITEMAP_PAGE = "wzdt/"  # the 网站地图 page
ID_CODE_RE = re.compile(r"^[0-9A-Za-z]{10}$")  # e.g. 1304000009, bm07000001


@dataclass(frozen=True)
class Portal:
    """The site's identity for the footer and the meta tags; empty strings where not configured."""

    name: str = ""
    bureau: str = ""  # the bureau's name (organization.name): the header and the emblem's alt
    emblem: str = ""  # the header emblem, a path in the site; "" when unset or refused (GK028)
    domain: str = ""
    id_code: str = ""
    icp: str = ""
    police: str = ""
    police_url: str = ""
    sponsor: str = ""
    organizer: str = ""
    contact: dict[str, str] = field(default_factory=dict)
    mark: str = ""  # the 党政机关网站 mark image, a path in the site (content/pages/)
    mark_url: str = ""
    error_report_url: str = ""

    def missing(self) -> list[str]:
        """Required footer settings that are not filled in, by their Chinese names."""
        wanted = [
            ("网站标识码（site.id_code）", self.id_code),
            ("ICP备案号（site.icp）", self.icp),
            ("公安机关备案号（site.police）", self.police),
            ("联系方式（site.contact）", "".join(self.contact.values())),
            ("党政机关网站标识（site.mark）", self.mark),
        ]
        return [label for label, value in wanted if not value]


CONTACT = Mapping(
    (
        Key("phone", "联系电话", Value(readers.text)),
        Key("email", "电子邮箱", Value(readers.text)),
        Key("address", "通信地址", Value(readers.text)),
    ),
    hint="phone、email、address",
    code="GK026",
    severity=WARNING,
)
_LINK = Value(readers.url, "GK026", WARNING)  # a bad address is left out, with a warning
SITE = Mapping(
    (
        Key("name", "网站名称", Value(readers.text), required=True, default=""),
        Key("emblem", "网站徽标图片", Value(readers.text), default=""),
        Key("base_url", "网站地址", Value(readers.text), default=""),
        Key("id_code", "网站标识码", Value(readers.text), default=""),
        Key("icp", "ICP备案号", Value(readers.text), default=""),
        Key("police", "公安机关备案号", Value(readers.text), default=""),
        Key("police_url", "公安机关备案查询网址", _LINK, default=""),
        Key("sponsor", "主办单位", Value(readers.text), default=""),
        Key("organizer", "承办单位", Value(readers.text), default=""),
        Key("contact", "联系方式", CONTACT),
        Key("mark", "党政机关网站标识图片", Value(readers.text), default=""),
        Key("mark_url", "党政机关网站标识链接", _LINK, default=""),
        Key("error_report_url", "我为政府网站找错网址", _LINK, default=""),
    )
)


def settings(site: Checked, org_name: str, walk: Walk) -> Portal:
    """The `site` section's footer and meta settings (read by SITE); what is missing is reported
    by `gongkai inspect`, badly written values as warnings (GK026)."""
    id_code = site["id_code"]
    if id_code and not ID_CODE_RE.match(id_code):
        walk.warn(
            "GK026",
            f"网站标识码“{id_code}”应为 10 位字母或数字（如 1304000009、bm07000001），"
            "见全国政府网站信息报送系统",
            "site",
            "id_code",
        )
    contact = site["contact"] or {}
    return Portal(
        name=site["name"],
        bureau=org_name,
        emblem=_emblem(site["emblem"], walk),
        domain=urlsplit(site["base_url"]).hostname or "",
        id_code=id_code,
        icp=site["icp"],
        police=site["police"],
        police_url=site["police_url"] or (_police_url(site["police"]) if site["police"] else ""),
        sponsor=site["sponsor"] or org_name,
        organizer=site["organizer"],
        contact={k: contact.get(k) or "" for k in ("phone", "email", "address")},
        mark=site["mark"].lstrip("/"),
        mark_url=site["mark_url"],
        error_report_url=site["error_report_url"]
        or (ERROR_REPORT_URL.format(id_code=quote(id_code)) if id_code else ""),
    )


def _emblem(written: str, walk: Walk) -> str:
    """The emblem's path in the site, or "" (with an error) when the file cannot be one."""
    if not written:
        return ""
    reason = emblem_problem(walk.file.parent, written)
    if reason is not None:
        walk.error("GK028", f"site.emblem（网站徽标图片）：{reason}", "site", "emblem")
        return ""
    return str(site_path(written))


def _police_url(number: str) -> str:
    """The MPS filing site's query for the number's digits (公安机关备案号 such as 晋公网安备 14000002000001号)."""
    digits = "".join(re.findall(r"\d", number))
    return f"{POLICE_URL}?code={digits}" if digits else POLICE_URL


def template_data(portal: Portal, lastmod: dict[str, str]) -> dict[str, Any]:
    """What every template reads from `config.extra.gk_portal`."""
    return {
        "portal": portal,
        "icp_url": ICP_URL,
        "sitemap_page": SITEMAP_PAGE,
        "lastmod": lastmod,
    }


def pub_date(value: date | None) -> str:
    """PubDate as monitoring reads it (YYYY-MM-DD HH:MM); items carry a date only."""
    return f"{value:%Y-%m-%d} 00:00" if value else ""
