"""The one rule for markup on the public site: an allow-list applied by a real HTML sanitiser.

Every page's rendered content goes through `clean` (nh3, that is ammonia and html5ever, the
parser browsers agree with) before a template sees it; what it removes is what `gongkai
validate` reports (GK901 element, GK902 attribute, GK903 URL scheme, see `removals`), so the
staff check and the published page can never disagree. Comments are always dropped: internal
notes never reach a page, and they are not reported.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup, escape


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TAGS = _words(
    "a abbr b blockquote br caption code col colgroup dd del div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins li mark ol p pre s small span strong sub sup table tbody "
    "td tfoot th thead tr u ul"
)
# Direction marks, embeddings, overrides and isolates: around digits they show the groups between
# them in another order than written (inputs.direction_controls, screening._reordered)
DIRECTION_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
DIRECTION_CONTROL = re.compile(f"[{DIRECTION_CONTROLS}]")
# Elements that separate words (a reader sees a break); inline ones (strong, a) do not: the
# search's readable text (generator/search/tokens.py) and the inspection's reading of a page.
BLOCK_TAGS = _words(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul"
)
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang"})
_CELL = {"align", "colspan", "rowspan", "headers"}
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": GLOBAL_ATTRIBUTES,
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset(_CELL),
    "th": frozenset(_CELL | {"scope"}),
    "col": frozenset({"span", "width"}),
    "colgroup": frozenset({"span", "width"}),
    "ol": frozenset({"start"}),
}
SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # and relative URLs
URL_ATTRIBUTES = frozenset({"href", "src"})
CONTENT_REMOVED = frozenset({"script", "style"})  # removed with everything inside them

# Class names the theme's stylesheets give a meaning (mkdocs-material's md-…, Gongkai's gk-…, and
# material's few others that position, hide, lay out or script an element:
# tests/test_theme_classes.py finds them in the stylesheets): in a body they could lay a fixed
# banner over the page, hide text, or show blocks on one line (twemoji: a number split over
# elements the screen reads apart), so a body may not use them.
THEME_CLASS = (
    r"(?i:(?:md|gk|tabbed|task-list)-[\w-]*|js|no-js|headerlink|highlight|giscus"
    r"|footnote-backref|admonition-title|twemoji|emojione|gemoji|admonition|block|card|critic"
    r"|end|filename|grid|highlighttable|hll|inline|result)"
)
# What an allowed attribute's value must look like; anything else is removed (GK902). An id
# may not start with "__": mkdocs-material finds its own elements by such ids (`__config`).
_ID = r"(?!__)[\w-]+"
VALUES: dict[str, tuple[re.Pattern[str], str]] = {
    "id": (re.compile(_ID), "只能由字母、数字、汉字、- 和 _ 组成，且不能以 __ 开头"),
    "class": (
        re.compile(rf" *(?:(?!{THEME_CLASS}(?![\w-]))[\w-]+ *)*"),
        "只能由字母、数字、汉字、- 和 _ 组成，多个类名用空格分开，且不能用网站样式自己的类名"
        "（以 md-、gk- 开头的，以及 headerlink、highlight、tabbed-… 等）：这些类名会让正文盖住、"
        "遮挡或隐藏页面的其他部分",
    ),
    "headers": (re.compile(rf"{_ID}(?: {_ID})*"), "应是同一表格中表头单元格的 id"),
    "lang": (re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*"), "应是语言代码，例如 zh-CN、en"),
    "align": (
        re.compile(r"(?i:left|right|center|justify)"),
        "只能是 left、right、center 或 justify",
    ),
    "scope": (re.compile(r"(?i:row|col|rowgroup|colgroup)"), "只能是 row、col、rowgroup、colgroup"),
    "width": (re.compile(r"\d{1,5}%?"), "应是数字（像素）或百分比"),
    "height": (re.compile(r"\d{1,5}%?"), "应是数字（像素）或百分比"),
    "colspan": (re.compile(r"\d{1,4}"), "应是不大于 9999 的数字"),
    "rowspan": (re.compile(r"\d{1,4}"), "应是不大于 9999 的数字"),
    "span": (re.compile(r"\d{1,4}"), "应是不大于 9999 的数字"),
    "start": (re.compile(r"\d{1,9}"), "应是数字"),
}


def _parses(url: str) -> bool:
    """Whether an address can be split into its parts (`//[x/` cannot: a browser follows
    nothing, and mkdocs' and the inspection's link handling stop on it)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


# What a page never shows, as an HTML parser reads it: a comment (ended by -->, by --!>, or at once
# by <!--> and <!--->), a bogus comment (<?…>, <!DOCTYPE …>, <![CDATA[…]]>). One left open is
# text: Markdown shows it escaped. (markup.without_comments, screening.displayed, through
# `sub_never_shown`)
NEVER_SHOWN = r"<!--(?:-?>|.*?--!?>)|<[?!](?!--)[^>]*>"
_UNTRIED = "\ufdd0"  # a noncharacter (refused in every text, GK116), put after a < none may start


def sub_never_shown(pattern: re.Pattern, replace, text: str) -> str:
    """`pattern.sub(replace, text)`, where `pattern` matches NEVER_SHOWN and perhaps tags, in
    linear time: a < after the last > and a <!-- after the last --> or --!> can end nothing, so
    they are not tried (each attempt would run to the end of the text: thousands of unended
    <!-- took minutes)."""
    if _UNTRIED in text:  # never in text that passed the checks
        return pattern.sub(replace, text)
    ended = text.rfind(">") + 1  # 0 when there is none
    closed = max((text.rfind(end) + len(end) for end in ("-->", "--!>") if end in text), default=0)
    if "<!--" not in text[closed:] and "<" not in text[ended:]:
        return pattern.sub(replace, text)
    marked = text[:closed] + text[closed:ended].replace("<!--", "<" + _UNTRIED + "!--")
    marked += text[ended:].replace("<", "<" + _UNTRIED)
    return pattern.sub(replace, marked).replace("<" + _UNTRIED, "<")


_URL_IGNORED = re.compile(r"[\t\n\r]")  # a browser drops these anywhere in an address
_C0_OR_SPACE = "".join(map(chr, range(0x21)))  # ... and these at its ends (WHATWG URL)


def elsewhere(url: str) -> bool:
    """Whether an address leads to another site as a browser reads it: with a scheme, or from
    `//` (also written `\\\\`, `/\\`: a backslash is a slash in a web address)."""
    read = _URL_IGNORED.sub("", url).strip(_C0_OR_SPACE).replace("\\", "/")
    return read.startswith("//") or bool(_SCHEME_START.match(read))


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES:
        if tag == "img" and attribute == "src" and elsewhere(value):
            return None  # an image is the site's own file, as approved
        return value if _parses(value) else None
    rule = VALUES.get(attribute)
    return value if rule is None or rule[0].fullmatch(value) else None


def _cleaner(attribute_filter) -> nh3.Cleaner:
    """The one allow-list (tags, attributes, schemes), with a rule for attribute values."""
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CONTENT_REMOVED),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=attribute_filter,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(SCHEMES),
    )


_STRICT = _cleaner(_allowed_value)


def _outside_only(tag: str, attribute: str, value: str) -> str | None:
    """`_allowed_value`, less addresses within the site (relative or from its root)."""
    kept = _allowed_value(tag, attribute, value)
    if kept is None or attribute not in URL_ATTRIBUTES:
        return kept
    return kept if kept.startswith("#") or _SCHEME_START.match(kept) else None


_SCHEME_START = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_UNLINKED = _cleaner(_outside_only)


def unlinked(cleaned: str) -> Markup:
    """Sanitised content without its links and images within the site: an earlier version of an
    item, shown at another address, whose attachments and links may be gone."""
    return Markup(_UNLINKED.clean(cleaned))


# Markup made of these tokens alone (text without `<`, the plain elements Markdown writes for
# paragraphs, lists, tables and headings, with their safe attributes) holds nothing the allow-list
# removes: a browser's parse of it has only these elements and attributes. Properly nested, so
# that nothing stays open past the page's content, it is published as it is, for a fifth of the
# sanitiser's time (tests/test_markup_property.py).
_PLAIN_TAG = (
    r"</?(?:p|em|strong|code|pre|blockquote|ul|ol|li|table|thead|tbody|tr|th|td|h[1-6])>"
    r'|<h[1-6] id="(?!__)[\w-]+">'
    r'|<t[hd] align="(?:left|right|center)">'
    r"|<[bh]r ?/?>"
)
_PLAIN = re.compile(rf"(?:[^<]++|{_PLAIN_TAG})*+")  # possessive: linear time, never backtracks


_PLAIN_NAME = re.compile(r"<(/?\w+)")


def is_plain(fragment: str) -> bool:
    """Whether the fragment is made of plain tokens only (see _PLAIN_TAG), properly nested."""
    if _PLAIN.fullmatch(fragment) is None:
        return False
    opened: list[str] = []
    for name in _PLAIN_NAME.findall(fragment):  # every `<` starts a tag here
        if name[0] == "/":
            if not opened or opened.pop() != name[1:]:
                return False
        elif name != "br" and name != "hr":
            opened.append(name)
    return not opened


MAX_DEPTH = 512  # Chromium's parser nests no deeper either
_VOID = _words("area base br col embed hr img input link meta source track wbr")
_OPEN_CLOSE = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")


def too_deep(fragment: str) -> bool:
    """Whether elements nest deeper than MAX_DEPTH (counting every start tag but void ones as
    opening one). html5ever takes quadratic time over deep nesting (a 500 KB page of nested
    <div> would take a minute): such markup is not parsed at all."""
    if fragment.count("<") <= MAX_DEPTH:
        return False
    depth = 0
    for closing, name in _OPEN_CLOSE.findall(fragment):
        if closing:
            depth = max(depth - 1, 0)
        elif name.lower() not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                return True
    return False


def clean(fragment: str) -> Markup:
    """The fragment as the public may see it: only allowed elements, attributes and URLs
    (markup nested too deep to parse in reasonable time: as text)."""
    if is_plain(fragment):
        return Markup(fragment)
    if too_deep(fragment):
        return escape(fragment)
    return Markup(_STRICT.clean(fragment))


@dataclass(frozen=True)
class Removal:
    """One thing the sanitiser removes: an element (GK901), an attribute (GK902), a link
    whose scheme is not allowed (GK903), or all markup, nested too deep (GK905). `value` is
    the attribute's value."""

    code: str
    tag: str
    attribute: str = ""
    value: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.code, self.tag, self.attribute)


# html5ever's serialisation, which both cleaners produce: attribute values always in double
# quotes with `"`, `<`, `>` escaped; text with `<` escaped, except inside raw-text elements.
_TOKEN = re.compile(r'<(/?)([^\s/>]+)((?:\s+[^\s/>=]+(?:="[^"]*")?)*)\s*/?>|[^<]+|<')
_ATTRIBUTE = re.compile(r'\s+([^\s/>=]+)(?:="([^"]*)")?')
_RAW_TEXT = _words("script style xmp iframe noembed noframes noscript plaintext")
# html5ever's tag names are lower case but for these SVG elements (its adjusted names)
_SVG_NAMES = _words(
    "altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath "
    "feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting "
    "feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR "
    "feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight "
    "feSpecularLighting feSpotLight feTile feTurbulence foreignObject glyphRef linearGradient "
    "radialGradient textPath"
)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass
class _Token:
    kind: str  # "start", "end" or "text"
    name: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    text: str = ""


def _tokens(serialised: str) -> list[_Token]:
    tokens: list[_Token] = []
    lowered = serialised.lower()
    at = 0
    while at < len(serialised):
        match = _TOKEN.match(serialised, at)
        assert match is not None  # `[^<]+|<` matches anything else
        at = match.end()
        closing, name, attributes = match.group(1), match.group(2), match.group(3)
        if name is None:
            tokens.append(_Token("text", text=html.unescape(match.group())))
        elif closing:
            tokens.append(_Token("end", name))
        else:
            pairs = tuple((n, html.unescape(v or "")) for n, v in _ATTRIBUTE.findall(attributes))
            tokens.append(_Token("start", name, pairs))
            if name.lower() in _RAW_TEXT:  # its text runs to its end tag, `<` and all
                end = lowered.find(f"</{name.lower()}", at)
                end = len(serialised) if end < 0 else end
                tokens.append(_Token("text", text=serialised[at:end]))
                at = end
    return tokens


def _schemes(fragment: str) -> set[str]:
    """Every scheme-like word, as written or once entities and the tabs and newlines a URL
    parser skips are taken out: more than the page uses, never fewer."""
    decoded = html.unescape(fragment)
    squeezed = re.sub(r"[\t\n\r]", "", decoded)
    found = {m.lower() for text in (fragment, decoded, squeezed) for m in _SCHEME.findall(text)}
    return found | SCHEMES


def _permissive(fragment: str) -> nh3.Cleaner:
    """A cleaner with html5ever's parse and serialisation that keeps every element, attribute
    and URL of `fragment` (comments aside)."""
    names = set(_TAG_NAME.findall(fragment))
    tags = names | {n.lower() for n in names} | _SVG_NAMES | TAGS
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=set(),
        generic_attribute_prefixes={""},
        strip_comments=True,
        link_rel=None,
        url_schemes=_schemes(fragment),
    )


def _attribute_removal(tag: str, name: str, value: str) -> Removal:
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, frozenset())
    if name in allowed and name in URL_ATTRIBUTES:
        return Removal("GK903", tag, name, value)
    return Removal("GK902", tag, name, value)


def _diff(everything: list[_Token], kept: list[_Token]) -> list[Removal]:
    """What `kept` (the strict pass) lacks of `everything` (the permissive pass): the strict
    pass only drops elements, attributes and text, and joins the texts around a dropped tag."""
    found: list[Removal] = []
    j, offset = 0, 0  # position in `kept`, and in its text token
    for token in everything:
        here = kept[j] if j < len(kept) else None
        if token.kind == "text":
            if (
                here is not None
                and here.kind == "text"
                and here.text.startswith(token.text, offset)
            ):
                offset += len(token.text)
                if offset == len(here.text):
                    j, offset = j + 1, 0
            continue
        if here is not None and here.kind == token.kind and here.name == token.name and not offset:
            j += 1
            if token.kind == "start":
                left = dict(here.attributes)
                found.extend(
                    _attribute_removal(token.name, name, value)
                    for name, value in token.attributes
                    if name not in left
                )
            continue
        if token.kind == "start" and token.name not in TAGS:  # an allowed one went with it
            found.append(Removal("GK901", token.name))
    return found


def removals(fragment: str) -> list[Removal]:
    """Everything `clean` removes from `fragment`, in document order (comments aside)."""
    if is_plain(fragment):
        return []
    if too_deep(fragment):
        return [Removal("GK905", "html")]
    strict = _STRICT.clean(fragment)
    if strict == fragment:  # nothing to remove
        return []
    everything = _permissive(fragment).clean(fragment)
    if everything == strict:
        return []
    return _diff(_tokens(everything), _tokens(strict))


_HEADING = re.compile(r"<h([1-6])((?:\s+[^\s/>=]+(?:=\"[^\"]*\")?)*)>(.*?)</h\1>", re.S)
_ID_ATTRIBUTE = re.compile(r'\sid="([^"]*)"')
_ANY_TAG = re.compile(r"<[^>]*>")


_BREAK = re.compile(r"<br\b[^>]*>", re.IGNORECASE)


def headings(cleaned: str) -> dict[str, tuple[int, Markup]]:
    """id -> (level, title as HTML text) of every heading with an id in `clean`'s output,
    whose attribute values and text have `<` and `>` escaped, so a tag ends at the first `>`."""
    found: dict[str, tuple[int, Markup]] = {}
    for level, attributes, inner in _HEADING.findall(cleaned):
        match = _ID_ATTRIBUTE.search(attributes)
        if match:
            identifier = html.unescape(match.group(1))
            # a line break shows as one in the heading: a space in its one-line title (the
            # table of contents, the page title), not the words run together
            title = " ".join(_ANY_TAG.sub("", _BREAK.sub(" ", inner)).split())
            found.setdefault(identifier, (int(level), Markup(title)))
    return found


_ELEMENT_ADVICE = (
    ({"script", "noscript"}, "正文中不能有脚本"),
    ({"style", "link", "meta", "base"}, "样式和页面设置由网站统一提供，正文中不能改"),
    (
        {"iframe", "frame", "frameset", "object", "embed", "applet", "portal"},
        "正文中不能嵌入其他网页或插件，请改为链接：[名称](https://…)",
    ),
    (
        {"form", "input", "button", "textarea", "select", "option", "isindex"},
        "正文中不能放表单或按钮",
    ),
    (
        {"svg", "math", "image", "video", "audio", "canvas", "picture", "source"},
        "图形请另存为 PNG 或 JPG 图片，用 ![说明](图片.png) 插入；音视频请作为附件",
    ),
)
_GENERIC_ADVICE = "请改用 Markdown 写法（允许的标记见 docs/content.md 的“允许的标记”）"


def _shown(value: str, limit: int = 40) -> str:
    """A value as a message may print it: control characters made visible, cut short."""
    visible = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def _scheme_of(url: str) -> str:
    """The scheme a browser reads from `url`: surrounding controls and spaces, tabs and
    newlines inside do not count."""
    squeezed = re.sub(
        r"[\t\n\r]",
        "",
        url.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
            "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
            "\x19\x1a\x1b\x1c\x1d\x1e\x1f "
        ),
    )
    match = _SCHEME.match(squeezed)
    return match.group(1).lower() if match else squeezed.partition(":")[0]


def message(removal: Removal) -> str:
    """What staff read about a removal: what goes, why, and how to write it instead."""
    tag, name, value = removal.tag, removal.attribute, removal.value
    if removal.code == "GK905":
        return (
            f"正文的 HTML 标签嵌套超过 {MAX_DEPTH} 层，无法安全解析，发布时整段正文只能显示为源代码："
            "请去掉多余的嵌套，改用 Markdown 写法"
        )
    if removal.code == "GK901":
        advice = next((a for tags, a in _ELEMENT_ADVICE if tag.lower() in tags), _GENERIC_ADVICE)
        inside = "（连同其中的内容）" if tag.lower() in CONTENT_REMOVED else ""
        return f"HTML 标签 <{tag}> 不在允许范围内，发布时会被删除{inside}：{advice}"
    if removal.code == "GK903" and not _parses(value):
        what = "图片地址" if name == "src" else "链接地址"
        return (
            f"{what}“{_shown(value)}”不是有效的网址，无法解析，发布时会被删除："
            "请检查其中的方括号、空格等符号，或改用完整的 https:// 地址"
        )
    if removal.code == "GK903" and tag.lower() == "img" and name == "src" and elsewhere(value):
        return (
            f"图片“{_shown(value)}”来自其他网站，发布时会被删除：读者打开页面时浏览器会访问那个网站，"
            "图片也可能在审核后被换掉。请把图片作为附件放在信息旁边，用相对路径引用"
        )
    if removal.code == "GK903":
        what = "图片地址" if name == "src" else "链接地址"
        return (
            f"{what}“{_shown(value)}”使用了不允许的协议（{_shown(_scheme_of(value), 20)}），"
            "发布时会被删除（可能运行脚本）：请改用 https:// 地址、mailto: 或 tel: 链接，或相对路径"
        )
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, frozenset())
    if name in allowed:
        return (
            f"<{tag}> 的 {name} 值“{_shown(value)}”不合要求，发布时会被删除："
            f"{name} 的值{VALUES[name][1]}"
        )
    if name.lower().startswith("on"):
        why = "事件属性会在读者的浏览器中运行脚本，请删去"
    elif name.lower() == "style":
        why = "样式由网站统一提供；表格对齐请在 Markdown 表格的分隔行写 `:--`、`:-:` 或 `--:`"
    else:
        why = f"<{tag}> 允许的属性有 {'、'.join(sorted(allowed))}"
    return f"<{tag}> 的属性 {_shown(name, 30)} 不在允许范围内，发布时会被删除：{why}"
