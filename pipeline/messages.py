"""What a library's refusal means, in Chinese: Jinja's template syntax errors, PyYAML's parse
errors and exceptions that name only their class (``BadZipFile``, ``PDFSyntaxError``). The
wording is data (``pipeline/data/library_zh.yaml``); the user never reads the library's English
(issue 13 part 6), and tests/test_cli_chinese.py runs hostile files through every command to check."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

_OTHER = "其他"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def _catalog() -> dict:
    text = resources.files("pipeline").joinpath("data/library_zh.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for kind in ("jinja", "yaml"):
        data[kind] = [(re.compile(p, re.IGNORECASE | re.DOTALL) if p != _OTHER else None, said) for p, said in data[kind]]
    return data


def _said(kind: str, message: str) -> str:
    for pattern, said in _catalog()[kind]:
        if pattern is None:
            return said
        if match := pattern.search(message):
            return match.expand(said)
    raise AssertionError(f"library_zh.yaml: the {kind} list lacks its 其他 line")  # a bug in the catalog


def jinja_reason(exc) -> str:
    """「第3行：未知的模板标记「foo」」 for a ``jinja2.TemplateError``."""
    line = getattr(exc, "lineno", None)
    text = str(getattr(exc, "message", None) or exc)
    said = text if _CJK.search(text) else _said("jinja", text)
    return f"第{line}行：{said}" if line else said


def yaml_reason(exc) -> str:
    """「第2行第9列：方括号 [ 没有闭合」 for a ``yaml.YAMLError``."""
    mark = getattr(exc, "problem_mark", None)
    where = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark else ""
    text = str(getattr(exc, "problem", None) or exc)
    return where + (text if _CJK.search(text) else _said("yaml", text))  # kexie's own (an alias bomb) as it is


def exception_kind(exc: BaseException) -> str:
    """What kind of failure ``exc`` is, in Chinese, from its class (or the nearest known base)."""
    names = _catalog()["exceptions"]
    for cls in type(exc).__mro__:
        if cls.__name__ in names:
            return names[cls.__name__]
    return names[_OTHER]


def readable(exc: BaseException) -> str:
    """``exc``'s own message when kexie wrote it (it is Chinese: a filter's 「金额「abc」不是数字」),
    else what kind of failure it is: Python's 「division by zero」 never reaches the user."""
    text = str(exc)
    return text if _CJK.search(text) else exception_kind(exc)
