"""The package keeps its shape: small modules that say what they hold, imports that follow the
data's one-way path (PDF → pages → fields → problems → reports), and nothing of one form in code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
MODULES = sorted(PACKAGE.rglob("*.py"))
#: each package, and the packages it must never import (they are further along the data's path)
DOWNSTREAM = {
    "read": {"match", "extract", "validate", "report", "packet", "cli", "batch"},
    "match": {"extract", "validate", "report", "packet", "cli", "batch"},
    "validate": {"report", "packet", "cli"},
    "report": {"packet", "cli"},
    "forms": {"read", "match", "extract", "validate", "report", "packet", "cli"},
}
#: the field keys of the two forms: they belong in pipeline/forms/*.yaml, not in code
FORM_WORDS = ("申报单位", "试点单位", "承担单位", "项目名称")
FORM_FREE = ("read", "match", "validate", "report", "packet", "extract.py", "batch.py")
#: the results workbook follows the programme's roster (samples/roster.xlsx: 申报单位, 项目名称 …),
#: the list 任务书 and 公示 are filled from, not a returned form
ROSTER_MODULES = ("report/results.py",)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _part(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_is_small_and_says_what_it_holds(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{path.name}: {lines} lines"
    docstring = ast.get_docstring(_tree(path))
    assert path.name == "__main__.py" or (docstring and docstring.strip()), path


def _imported(path: Path) -> set[str]:
    """The top-level parts of ``pipeline`` a module imports."""
    parts = set()
    depth = len(path.relative_to(PACKAGE).parts) - 1  # 0: pipeline/x.py, 1: pipeline/read/x.py
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.level:
            hops = node.level - 1
            if hops > depth:
                continue
            base = list(path.relative_to(PACKAGE).parts[:depth - hops]) if hops <= depth else []
            target = base + (node.module.split(".") if node.module else [])
            names = [target] if node.module else [base + [alias.name] for alias in node.names]
            parts.update(t[0] for t in names if t)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline."):
            parts.add(node.module.split(".")[1])
    return parts


@pytest.mark.parametrize("package", sorted(DOWNSTREAM))
def test_imports_follow_the_datas_path(package):
    for path in sorted((PACKAGE / package).rglob("*.py")):
        wrong = _imported(path) & DOWNSTREAM[package]
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}, further along the path"


def test_no_form_is_named_in_the_code_that_reads_checks_and_packs():
    """What is specific to the 申报书 or the 中期报告 is in their form definitions (identity,
    blind, checks): the code holds no such field key in a string, and never asks which form it is."""
    for path in MODULES:
        if _part(path) not in {p.removesuffix(".py") for p in FORM_FREE}:
            continue
        if str(path.relative_to(PACKAGE)) in ROSTER_MODULES:
            continue
        tree = _tree(path)
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                hits = [w for w in FORM_WORDS if w in node.value]
                assert not hits, f"{path.relative_to(PACKAGE)}:{node.lineno} names {hits}: 「{node.value}」"
            sides = [node.left, *node.comparators] if isinstance(node, ast.Compare) else []
            if any(isinstance(side, ast.Attribute) and side.attr == "name" and isinstance(side.value, ast.Name)
                   and side.value.id == "form" for side in sides) and any(
                    isinstance(side, ast.Constant) for side in sides):
                pytest.fail(f"{path.relative_to(PACKAGE)}:{node.lineno} asks which form it is")
