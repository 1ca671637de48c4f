"""The programme file: one annual call (name, issuer, 文号, dates, funding, 公示, criteria …).

The file is YAML with Chinese keys; ``PROGRAM_SCHEMA`` declares every key it may hold. Unknown
keys are refused by name with a "did you mean" hint, so a typo never silently drops a rule.
Templates see the loaded mapping as ``计划``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from pathlib import Path
from typing import Any

import yaml

from .dates import as_date
from .errors import ProgramFileError
from .messages import exception_kind, yaml_reason
from .records import safe_yaml

# A type is one of: "str", "int", "number", "date", "str_list", a dict (a mapping with
# these keys), or a one-element list holding a dict (a list of such mappings).
# Keys ending in "?" are optional.
_CRITERION = {"名称": "str", "权重": "number", "满分?": "number", "说明?": "str"}
_CONTACT = {"单位?": "str", "姓名": "str", "电话": "str", "邮箱?": "str"}
_PAYMENT = {"阶段": "str", "比例": "number"}
_HOLIDAY_YEAR = {"休息日": "date_list", "调休上班?": "date_list"}

PROGRAM_SCHEMA: dict[str, Any] = {
    "名称": "str",
    "发文机关": "str",
    "发文机关标志?": "str",
    "代章?": "str",
    "文号": {"前缀": "str", "年份": "int", "序号": "int"},
    "标题": "str",
    "主送?": "str",
    "正文?": "str",
    "申报范围?": "str",
    "试点内容要求?": "str",
    "申报方式?": "str",
    "评审及组织实施?": "str_list",
    "日期": {"发布": "date", "截止": "date"},
    "试点期间?": {"开始": "date", "结束": "date"},
    "周期月数?": "int",
    "经费": {"下限": "number", "上限": "number", "支付": [_PAYMENT], "总额?": "number",
             "定额补助?": "number", "分配方式?": "str", "资助名额?": "int"},
    "公示": {"天数": "int", "计日": "str", "开始?": "date"},
    "评审标准?": [_CRITERION],
    "评审规则?": {"去掉最高最低分?": "bool", "分歧阈值?": "number"},
    "联系人": [_CONTACT],
    "异议联系人?": [_CONTACT],
    "附件?": "str_list",
    "禁止支出?": "str_list",
    "禁止支出关键词?": "str_list",  # words that mark an expense line as one of 禁止支出 (形式审查)
    "节假日?": {"*": _HOLIDAY_YEAR},
}

_CHOICES = {("公示", "计日"): ("工作日", "自然日"), ("经费", "分配方式"): ("定额", "因素法")}


def load_program(path) -> dict:
    """Read and validate a programme file; return its mapping (dates as ``datetime.date``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgramFileError(path, "文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramFileError(path, f"无法读取（{exception_kind(exc)}），请确认是 UTF-8 编码的 YAML") from None
    try:
        data = safe_yaml(text)
    except yaml.YAMLError as exc:
        raise ProgramFileError(path, f"YAML 格式错误，{yaml_reason(exc)}") from None
    if not isinstance(data, dict):
        raise ProgramFileError(path, "内容应为键值对（YAML 映射）")
    program = _check(path, data, PROGRAM_SCHEMA, ())
    _check_rules(path, program)
    return program


def _check(path, value, schema, trail: tuple) -> Any:
    where = "「" + ".".join(str(t) for t in trail) + "」" if trail else "文件"
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise ProgramFileError(path, f"{where}应为键值对")
        if "*" in schema:  # free keys (e.g. years), each of the same shape
            return {k: _check(path, v, schema["*"], trail + (k,)) for k, v in value.items()}
        known = {k.rstrip("?"): k.endswith("?") for k in schema}
        out = {}
        for key, item in value.items():
            key = str(key)
            if key not in known:
                hint = difflib.get_close_matches(key, list(known), n=1)
                extra = f"，是否想写「{hint[0]}」？" if hint else f"；可用的键：{'、'.join(known)}"
                raise ProgramFileError(path, f"{where}中有未知的键「{key}」{extra}")
            sub = schema[key + "?"] if known[key] else schema[key]
            out[key] = _check(path, item, sub, trail + (key,))
        for key, optional in known.items():
            if not optional and key not in out:
                raise ProgramFileError(path, f"{where}缺少必填的键「{key}」")
        return out
    if isinstance(schema, list):
        if not isinstance(value, list):
            raise ProgramFileError(path, f"{where}应为列表")
        return [_check(path, v, schema[0], trail + (i + 1,)) for i, v in enumerate(value)]
    return _scalar(path, value, schema, where)


def _scalar(path, value, kind: str, where: str):
    if kind == "str":
        if isinstance(value, (dict, list)) or value is None:
            raise ProgramFileError(path, f"{where}应为文字")
        return str(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ProgramFileError(path, f"{where}应为 true 或 false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProgramFileError(path, f"{where}应为整数，现为「{value}」")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ProgramFileError(path, f"{where}应为数字，现为「{value}」")
        return value
    if kind == "date":
        return _date(path, value, where)
    if kind == "date_list":
        if not isinstance(value, list):
            raise ProgramFileError(path, f"{where}应为日期列表")
        return [_date(path, v, where) for v in value]
    if kind == "str_list":
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or any(isinstance(v, (dict, list)) for v in value):
            raise ProgramFileError(path, f"{where}应为文字列表")
        return [str(v) for v in value]
    raise AssertionError(f"unknown schema type {kind!r}")  # a bug in PROGRAM_SCHEMA, not user data


def _date(path, value, where: str) -> _dt.date:
    try:
        return as_date(value)
    except ValueError:
        raise ProgramFileError(path, f"{where}应为日期（如 2026-06-10），现为「{value}」") from None


def _check_rules(path, program: dict) -> None:
    for (section, key), choices in _CHOICES.items():
        value = program.get(section, {}).get(key)
        if value is not None and value not in choices:
            raise ProgramFileError(path, f"「{section}.{key}」只能是{'或'.join(choices)}，现为「{value}」")
    funds = program["经费"]
    if funds["下限"] > funds["上限"]:
        raise ProgramFileError(path, "「经费.下限」大于「经费.上限」")
    share = sum(p["比例"] for p in funds["支付"])
    if abs(share - 100) > 1e-9:
        raise ProgramFileError(path, f"「经费.支付」各期比例之和应为100，现为{share:g}")
    dates = program["日期"]
    if dates["截止"] < dates["发布"]:
        raise ProgramFileError(path, "「日期.截止」早于「日期.发布」")
    period = program.get("试点期间")
    if period and period["结束"] < period["开始"]:
        raise ProgramFileError(path, "「试点期间.结束」早于「试点期间.开始」")
    criteria = program.get("评审标准")
    if criteria:
        names = [c["名称"] for c in criteria]
        if len(set(names)) != len(names):
            raise ProgramFileError(path, "「评审标准」中有重名的标准")


def announcement_period(program: dict, start: _dt.date | None = None) -> tuple[_dt.date, _dt.date]:
    """First and last day of the 公示, counted as the programme says (start day included)."""
    from .workdays import period_from_program

    start = start or program["公示"].get("开始")
    if start is None:
        raise ProgramFileError(None, "计划文件未写明「公示.开始」，无法计算公示期")
    return period_from_program(program, start)
