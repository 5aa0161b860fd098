"""Adapters live in ``web`` and ``api`` only: no domain app imports either (the house's rule 5)."""

from __future__ import annotations

import ast
from pathlib import Path

import liuhen

SRC = Path(liuhen.__file__).parent
DOMAIN_APPS = [
    "accounts",
    "cases",
    "catalogue",
    "compliance",
    "core",
    "evidence",
    "issuing",
    "ledger",
    "rules",
    "signing",
    "storage",
    "tlog",
    "media",
    "uploads",
    "access",
]
ADAPTERS = ("liuhen.web", "liuhen.api")


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _adapter_imports() -> set[tuple[str, str]]:
    found = set()
    for app in DOMAIN_APPS:
        for path in sorted((SRC / app).rglob("*.py")):
            for name in _imported(ast.parse(path.read_text(encoding="utf-8"))):
                if any(name == a or name.startswith(a + ".") for a in ADAPTERS):
                    found.add((path.relative_to(SRC).as_posix(), name))
    return found


def _modules_only(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``from liuhen.web.views.common import X`` yields both the module and ``…common.X``; keep the module."""
    return {(path, name) for path, name in pairs if not any((path, p) in pairs for p in _parents(name))}


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts))]


def test_given_domain_apps_when_imports_read_then_none_reaches_web_or_api():
    """GIVEN every module of the domain apps WHEN its imports are read THEN none imports ``liuhen.web`` or
    ``liuhen.api`` (the evidence pages that did now live in ``web``)."""
    assert _modules_only(_adapter_imports()) == set()


def test_given_a_domain_module_importing_web_when_checked_then_it_is_found():
    """GIVEN source that imports web WHEN its imports are read THEN the import is seen (the check can fail)."""
    tree = ast.parse("from liuhen.web.views.common import AuthedRequest\nimport liuhen.api.router\n")
    assert {"liuhen.web.views.common", "liuhen.api.router"} <= _imported(tree)


def _imports_of(app: str) -> set[str]:
    return {
        name
        for path in sorted((SRC / app).rglob("*.py"))
        for name in _imported(ast.parse(path.read_text(encoding="utf-8")))
    }


def test_given_the_ledger_when_its_imports_are_read_then_it_knows_nothing_of_the_records_it_logs():
    """GIVEN every module of ``ledger`` WHEN its imports are read THEN none reaches the apps whose records
    it logs: it keeps the log itself, and checking records against it is the archive's (issue #12)."""
    above = ("liuhen.cases", "liuhen.evidence", "liuhen.issuing", "liuhen.archive", "liuhen.compliance")
    assert sorted(n for n in _imports_of("ledger") if n.startswith(above)) == []
