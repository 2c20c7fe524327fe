"""The layout keeps its promises: every module is in the module map of docs/ARCHITECTURE.md,
imports flow one way between the stages, and geo/ never imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from geo.core.paths import ROOT

# Which stages each stage may import (itself always).
ALLOWED = {
    "core": set(),
    "language": {"core"},
    "ingest": {"core", "language"},
    "places": {"core", "ingest", "language"},
    "meetings": {"core", "ingest", "language", "places"},
    "publish": {"core", "ingest", "language", "places", "meetings"},
    "present": {"core", "ingest", "language"},
    "commands": {"core", "ingest", "language", "places", "meetings", "publish", "present", "cli"},
    "cli": {"core", "commands"},
    "__main__": {"cli"},
    "__init__": set(),
}
MODULES = sorted(p for folder in ("geo", "ui", "app_pages") for p in (ROOT / folder).rglob("*.py"))


def stage(path: Path) -> str:
    parts = path.relative_to(ROOT / "geo").with_suffix("").parts
    return parts[0]


def imported(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_every_module_is_in_the_module_map():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [
        p.relative_to(ROOT).as_posix()
        for p in MODULES + [ROOT / "app.py"]
        if f"`{p.relative_to(ROOT).as_posix()}`" not in text
    ]
    assert missing == []


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p.is_relative_to(ROOT / "geo")], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_imports_flow_one_way(path):
    own = stage(path)
    for module in imported(path):
        assert not module.startswith("streamlit"), "geo/ never imports streamlit"
        if module.startswith("geo."):
            target = module.split(".")[1]
            assert target == own or target in ALLOWED[own], f"{own} may not import geo.{target}"
