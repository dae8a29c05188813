"""The elements every page of a government website carries (《政府网站发展指引》, 国办发〔2017〕47号):
the footer (主办单位, 联系方式, 网站标识码, ICP备案号, 公安机关备案号, 党政机关网站标识, 网站地图,
我为政府网站找错) and the site meta tags national monitoring reads, configured in `catalog.yml`'s
`site` section; plus each page's own date for the sitemap (lastmod)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

SITE_KEYS = (
    "name",
    "base_url",
    "id_code",
    "icp",
    "police",
    "police_url",
    "sponsor",
    "organizer",
    "contact",
    "mark",
    "mark_url",
    "error_report_url",
)
CONTACT_KEYS = ("phone", "email", "address")
ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch"
# 我为政府网站找错 (国务院办公厅政府网站监管平台): the entry most sites link, with their own code
ERROR_REPORT_URL = (
    "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?webSiteCode={id_code}"
)
SITEMAP_PAGE = "wzdt/"  # the 网站地图 page
ID_CODE_RE = re.compile(r"^[0-9A-Za-z]{10}$")  # e.g. 1304000009, bm07000001


class _Builder(Protocol):
    """What generator/core/catalog.py's builder offers: warnings placed at a key's line."""

    def warn(self, code: str, message: str, *key: str | int) -> None: ...

    def text(self, mapping: dict, key: str, *where: str | int, required: bool = True) -> str: ...

    def unknown_keys(self, mapping: dict, known: tuple[str, ...], *where: str | int) -> None: ...


@dataclass(frozen=True)
class Portal:
    """The site's identity for the footer and the meta tags; empty strings where not configured."""

    name: str = ""
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


def settings(builder: _Builder, site: dict, org_name: str) -> Portal:
    """The `site` section's footer and meta settings; what is missing is reported by
    `gongkai inspect`, badly written values here as warnings (GK026)."""
    builder.unknown_keys(site, SITE_KEYS, "site")
    text = {k: builder.text(site, k, "site", required=False) for k in SITE_KEYS if k != "contact"}
    id_code = text["id_code"]
    if id_code and not ID_CODE_RE.match(id_code):
        builder.warn(
            "GK026",
            f"网站标识码“{id_code}”应为 10 位字母或数字（如 1304000009、bm07000001），"
            "见全国政府网站信息报送系统",
            "site",
            "id_code",
        )
    for key in ("police_url", "mark_url", "error_report_url"):
        if text[key] and not text[key].startswith(("https://", "http://")):
            builder.warn("GK026", f"site.{key} 应为以 https:// 开头的网址", "site", key)
            text[key] = ""
    contact = site.get("contact") or {}
    if not isinstance(contact, dict):
        builder.warn(
            "GK026", "site.contact 应为键值结构（phone、email、address）", "site", "contact"
        )
        contact = {}
    builder.unknown_keys(contact, CONTACT_KEYS, "site", "contact")
    return Portal(
        name=text["name"],
        domain=urlsplit(text["base_url"]).hostname or "",
        id_code=id_code,
        icp=text["icp"],
        police=text["police"],
        police_url=text["police_url"] or (_police_url(text["police"]) if text["police"] else ""),
        sponsor=text["sponsor"] or org_name,
        organizer=text["organizer"],
        contact={
            k: builder.text(contact, k, "site", "contact", required=False) for k in CONTACT_KEYS
        },
        mark=text["mark"].lstrip("/"),
        mark_url=text["mark_url"],
        error_report_url=text["error_report_url"]
        or (ERROR_REPORT_URL.format(id_code=quote(id_code)) if id_code else ""),
    )


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
