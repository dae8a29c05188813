"""The package's layers (README, "Architecture"): each package imports only the layers below it,
and only `generator.site` builds with mkdocs."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"

# lower number = lower layer; a package may import its own layer's modules and any lower layer
LAYERS = {
    "core": 0,
    "reports": 1,
    "checks": 2,
    "authoring": 3,
    "search": 3,
    "publishing": 3,
    "inspection": 4,
    "pages": 4,
    "site": 5,
    "cli": 6,
}
# Checks must see Markdown and page metadata exactly as the site renders them, so these two read
# mkdocs.yml and front matter with mkdocs' own readers; neither builds anything.
MKDOCS_READERS = {"core/markup.py", "checks/html.py"}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in GENERATOR.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_lives_in_a_declared_layer():
    assert {p.relative_to(GENERATOR).parts[0] for p in _modules()} <= set(LAYERS)


def test_no_package_imports_a_layer_above_or_beside_it():
    upward = []
    for path in _modules():
        layer = path.relative_to(GENERATOR).parts[0]
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "generator" or len(parts) < 2 or parts[1] == layer:
                continue
            if LAYERS[parts[1]] >= LAYERS[layer]:
                upward.append(f"{path.relative_to(GENERATOR)}:{line} imports {module}")
    assert not upward, upward


def test_only_the_site_package_imports_mkdocs_or_material():
    found = []
    for path in _modules():
        rel = path.relative_to(GENERATOR)
        if rel.parts[0] == "site" or rel.as_posix() in MKDOCS_READERS:
            continue
        found += [
            f"{rel}:{line} imports {module}"
            for line, module in _imports(path)
            if module.split(".")[0] in {"mkdocs", "material"}
        ]
    assert not found, found
