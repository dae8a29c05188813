"""Full-width punctuation in Chinese text: ASCII , : ; ( ) next to a Chinese character.

`findings(path)` lists (line, excerpt) of the text a reader sees: prose in Markdown and
templates, YAML values, and the non-raw string literals of Python files (not the parts inside
{…} of f-strings, nor code, tags, Jinja expressions, links). `python tests/punctuation.py --fix
FILES…` rewrites them with ，：；（）.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from pathlib import Path

CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\u3001-\u3011\uff08\uff09\uff0c\uff1a\uff1b\u201c\u201d]"
FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}
# a separator touching a Chinese character (a colon before "//" is a URL's, "::" a marker's); "字, 字" too
SEP = re.compile(rf"(?<={CJK})([,;]|:(?!//|:))|([,;]|(?<!:):)(?={CJK})")
SEP_SPACE = re.compile(rf"(?<={CJK})([,;:]) (?=\S)")
CODE_LIKE = re.compile(r"[=\[\]{}<>\\|]|\b(def|return|lambda)\b|\?P<|\?:")
# Jinja, tags, code, link targets, and YAML flow collections shown as examples ({k: v, …}, [a, b])
PROTECTED = re.compile(
    r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<[^>]*>|```.*?```|`[^`\n]*`|\]\([^)\n]*\)"
    r"|\{[^{}\n]*:\s[^{}\n]*\}|\[[^\[\]\n]*,[^\[\]\n]*\])",
    re.S,
)


def _parens(text: str) -> str:
    out, stack = list(text), []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            inner = text[j + 1 : i]
            before = text[j - 1] if j else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before == "]" or "\n" in inner or CODE_LIKE.search(inner):
                continue  # a Markdown link target, or code
            if re.search(CJK, inner) or re.match(CJK, before) or re.match(CJK, after):
                out[j], out[i] = FULL["("], FULL[")"]
    return "".join(out)


def prose(text: str) -> str:
    """Until nothing changes: a new （ or ） is Chinese punctuation its neighbours then touch."""
    while True:
        new = SEP_SPACE.sub(lambda m: FULL[m.group(1)], text)
        new = _parens(SEP.sub(lambda m: FULL[m.group(1) or m.group(2)], new))
        if new == text:
            return text
        text = new


YAML_KEY = re.compile(
    r"(^[a-zA-Z]*[\"']+|\n|\\n)([ \t]*(?:- )?[^\s:：,，\\\"']+):(?= |\n|$|\\n)", re.M
)


def code_text(src: str) -> str:
    """A string literal of code: prose, but a line that starts "key: " is YAML (a fixture, a
    template) whose key keeps its colon."""
    held = YAML_KEY.sub(lambda m: m.group(1) + m.group(2) + "\0", src)
    return markup(held).replace("\0", ":") if "\0" not in src else markup(src)


def markup(src: str) -> str:
    parts = PROTECTED.split(src)
    return "".join(p if i % 2 else prose(p) for i, p in enumerate(parts))


YAML_LINE = re.compile(r"^(\s*(?:-\s+)?(?:[^\s#'\"\[\]{}][^#]*?:(?=\s|$))?\s*)(.*)$", re.S)


def yaml_text(src: str) -> str:
    """Values and comments; never a key, and never a flow collection ([a, b], {k: v}), whose
    commas and colons are YAML's own."""
    out = []
    for line in src.splitlines(keepends=True):
        m = YAML_LINE.match(line)
        head, value = m.group(1), m.group(2)
        if value[:1] in ("[", "{"):
            value, comment = value.partition(" #")[0], "".join(value.partition(" #")[1:])
            out.append(head + value + markup(comment))
        else:
            out.append(head + markup(value))
    return "".join(out)


def python(src: str) -> str:
    starts = [0]
    for line in src.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    edits, previous = [], None
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        statement = previous in (None, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            previous = tok.type
        if tok.type != tokenize.STRING or statement or not re.search(CJK, tok.string):
            continue  # a docstring is the developers' English
        prefix = re.match(r"[a-zA-Z]*", tok.string).group(0).lower()
        if "r" in prefix or "b" in prefix:
            continue
        if "f" in prefix:  # each {field} stands aside as one neutral character
            fields = re.findall(r"\{[^{}]*\}", tok.string)
            pieces = code_text(re.sub(r"\{[^{}]*\}", "\x01", tok.string)).split("\x01")
            new = "".join(p + f for p, f in zip(pieces, [*fields, ""], strict=True))
        else:
            new = code_text(tok.string)
        if new != tok.string:
            begin = starts[tok.start[0] - 1] + tok.start[1]
            edits.append((begin, starts[tok.end[0] - 1] + tok.end[1], new))
    for begin, end, new in reversed(edits):
        src = src[:begin] + new + src[end:]
    return src


JS_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`")


def javascript(src: str) -> str:
    """Only the string literals: the comments are the developers' English."""
    return JS_STRING.sub(lambda m: prose(m.group(0)), src)


def fixed(path: Path) -> str:
    src = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return python(src)
    if path.suffix == ".js":
        return javascript(src)
    if path.suffix in (".yml", ".yaml"):
        return yaml_text(src)
    if path.suffix == ".md" and src.startswith("---\n") and (end := src.find("\n---", 4)) > 0:
        return "---\n" + yaml_text(src[4:end]) + markup(src[end:])
    return markup(src)


def findings(path: Path) -> list[tuple[int, str]]:
    """(line, the line as written) for every line the rule would change."""
    old = path.read_text(encoding="utf-8").splitlines()
    new = fixed(path).splitlines()
    if len(old) != len(new):  # "字, 字" shortens nothing across lines; guard anyway
        return [(1, "行数不一致")]
    return [(n, a.strip()) for n, (a, b) in enumerate(zip(old, new, strict=True), 1) if a != b]


if __name__ == "__main__":
    for name in sys.argv[1:]:
        if name != "--fix":
            p = Path(name)
            if (text := fixed(p)) != p.read_text(encoding="utf-8"):
                p.write_text(text, encoding="utf-8")
                print("fixed", p)
