"""The programme file: one annual call (name, issuer, 文号, dates, funding, 公示, criteria …).

The file is YAML with Chinese keys; pipeline/data/program_schema.yaml declares every key it may
hold (``kexie program --schema`` prints it). Unknown keys are refused by name with a "did you mean"
hint, so a typo never silently drops a rule; every problem of a file is reported at once.
Templates see the loaded mapping as ``计划``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from .dates import as_date
from .errors import ProgramFileError, UsageProblem
from .funding import funding_problems
from .program_schema import Key, flow, program_schema
from .messages import exception_kind, yaml_reason
from .records import safe_yaml

_NOT_DATE = "应为日期（如 2026-06-10）"


def load_program(path) -> dict:
    """Read and validate a programme file; return its mapping (dates as ``datetime.date``).

    Every problem is found before anything is refused: the error lists them all."""
    program, problems = inspect_program(path)
    if problems:
        raise ProgramFileError(path, problems[0] if len(problems) == 1 else
                               f"有 {len(problems)} 处问题：" + "；".join(
                                   f"（{i}）{p}" for i, p in enumerate(problems, 1)), problems=problems)
    return program


def inspect_program(path) -> tuple[dict, list[str]]:
    """The programme file's mapping as far as it is valid, and every problem found in it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgramFileError(path, "文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramFileError(path, f"无法读取（{exception_kind(exc)}），请确认是 UTF-8 编码的 YAML") from None
    try:
        data = safe_yaml(text)  # a date that does not exist stays text, reported with its key
    except yaml.YAMLError as exc:
        raise ProgramFileError(path, f"YAML 格式错误，{yaml_reason(exc)}") from None
    if not isinstance(data, dict):
        raise ProgramFileError(path, "内容应为键值对（YAML 映射）")
    problems: list[str] = []
    program = _check(data, program_schema(), (), problems)
    problems.extend(_rule_problems(program))
    return complete(program), problems


WORDING_FILE = Path(__file__).resolve().parent / "data" / "wording.yaml"
#: the 类别 whose nouns a programme without 「类别」 uses
DEFAULT_KIND = "项目"


def wording_table() -> dict[str, dict[str, str]]:
    """The nouns of each kind of programme (pipeline/data/wording.yaml)."""
    return yaml.safe_load(WORDING_FILE.read_text(encoding="utf-8"))


def complete(program: dict) -> dict:
    """The programme with what its documents read filled in from the rules: 「称谓」 from the
    kind's nouns (the file's own 「称谓」 wins), 「协议.名称」 任务书 unless it says 责任书."""
    nouns = dict(wording_table()[program.get("类别", DEFAULT_KIND)])
    nouns.update(program.get("称谓", {}))
    program["称谓"] = nouns
    agreement = program.setdefault("协议", {})  # 甲方: the template falls back on 发文机关
    agreement.setdefault("名称", "任务书")
    agreement.setdefault("中期评估", True)
    return program


_MISSING = object()


def _check(value, key: Key, trail: tuple, problems: list) -> Any:
    """``value`` checked against ``key``; each problem is appended, _MISSING returned for a bad value."""
    where = "「" + ".".join(str(t) for t in trail) + "」" if trail else "文件"
    if key.kind == "键值对":
        if not isinstance(value, dict):
            problems.append(f"{where}应写成 {key.expected()}")
            return _MISSING
        out = {}
        for name, item in value.items():
            name = str(name)
            sub = key.keys.get(name)
            if sub is None:
                hint = difflib.get_close_matches(name, list(key.keys), n=1, cutoff=0.5)
                extra = f"，是否想写「{hint[0]}」？" if hint else f"；可用的键：{'、'.join(key.keys)}"
                problems.append(f"{where}中有未知的键「{name}」{extra}")
                continue
            checked = _check(item, sub, trail + (name,), problems)
            if checked is not _MISSING:
                out[name] = checked
        for name, sub in key.keys.items():
            if sub.required and name not in value:
                meaning = f"（{sub.meaning}）" if sub.meaning and sub.meaning != name else ""
                problems.append(f"{where}缺少必填的键「{name}」{meaning}，{_how(sub)}")
        return out
    if key.kind == "按年份":
        if not isinstance(value, dict):
            problems.append(f"{where}应写成{key.expected()}")
            return _MISSING
        return {k: v for k, v in ((k, _check(v, key.item, trail + (k,), problems)) for k, v in value.items())
                if v is not _MISSING}
    if key.kind == "列表":
        if not isinstance(value, list):
            problems.append(f"{where}应写成{key.expected()}")
            return _MISSING
        items = [_check(v, key.item, trail + (i + 1,), problems) for i, v in enumerate(value)]
        return [v for v in items if v is not _MISSING]
    try:
        checked = _scalar(value, key.kind)
    except ValueError as exc:
        shown = f"，现为「{value}」" if not isinstance(value, (dict, list)) else ""
        example = f"（例如 {flow(key.example)}）" if key.example is not None and "日期" not in key.kind else ""
        problems.append(f"{where}{exc}{example}{shown}")
        return _MISSING
    if key.choices and checked not in key.choices:
        problems.append(f"{where}只能是{'或'.join(key.choices)}，现为「{checked}」")
        return _MISSING
    return checked


def _how(key: Key) -> str:
    """How to write a key that is missing: its shape, or a line to copy for a plain value."""
    if key.kind in ("键值对", "列表", "按年份"):
        return f"应写成 {key.expected()}"
    if key.choices:
        return f"只能是{'或'.join(key.choices)}"
    return f"例如 {key.name}: {flow(key.example)}" if key.example is not None else f"应为{key.kind}"


#: what each scalar kind accepts, and what to say when a value is not one
_KINDS = {
    "文字": (lambda v: v is not None and not isinstance(v, (dict, list)), str, "应为文字"),
    "是否": (lambda v: isinstance(v, bool), bool, "应为 true 或 false"),
    "整数": (lambda v: isinstance(v, int) and not isinstance(v, bool), int, "应为整数"),
    "数字": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), lambda v: v, "应为数字"),
}


def _scalar(value, kind: str):
    if kind in _KINDS:
        accepts, convert, message = _KINDS[kind]
        if not accepts(value):
            raise ValueError(message)
        return convert(value)
    if kind == "日期":
        return _date(value)
    if kind == "日期列表":
        if not isinstance(value, list):
            raise ValueError("应为日期列表")
        return [_date(v) for v in value]
    if kind == "文字列表":
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or any(isinstance(v, (dict, list)) or v is None for v in value):
            raise ValueError("应为文字列表")
        return [str(v) for v in value]
    raise AssertionError(f"unknown schema type {kind!r}")  # a bug in program_schema.yaml, not user data


_DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _date(value) -> _dt.date:
    try:
        return as_date(value)
    except ValueError:
        if isinstance(value, str) and _DATE_SHAPE.fullmatch(value.strip()):
            raise ValueError("日期不存在（该月没有这一天）") from None  # 2026-04-31, 2026-02-30
        raise ValueError(_NOT_DATE) from None


def _rule_problems(program: dict) -> list[str]:
    """The rules between keys (limits in order, shares adding up, dates in order)."""
    problems = []
    funds = program.get("经费", {})
    if "下限" in funds and "上限" in funds and funds["下限"] > funds["上限"]:
        problems.append("「经费.下限」大于「经费.上限」")
    if funds.get("支付"):
        share = sum(p.get("比例", 0) for p in funds["支付"])
        if abs(share - 100) > 1e-9:
            problems.append(f"「经费.支付」各期比例之和应为100，现为{share:g}")
    for section, first, last in (("日期", "发布", "截止"), ("试点期间", "开始", "结束")):
        dates = program.get(section, {})
        if first in dates and last in dates and dates[last] < dates[first]:
            problems.append(f"「{section}.{last}」早于「{section}.{first}」")
    notice = program.get("公示", {})
    if "发布" in notice and "开始" in notice and notice["发布"] > notice["开始"]:
        problems.append("「公示.发布」晚于「公示.开始」：公示应在公示期开始之前或当天发布")
    issuers = [program.get("发文机关")] + program.get("联合发文机关", [])
    if len(set(issuers)) != len(issuers):
        problems.append("「联合发文机关」中有与「发文机关」或彼此重复的机关")
    names = [c["名称"] for c in program.get("评审标准", []) if "名称" in c]
    if len(set(names)) != len(names):
        problems.append("「评审标准」中有重名的标准")
    problems.extend(funding_problems(program))  # 因素, 等级, 验收: pipeline/funding.py
    return problems


def announcement_period(program: dict, start: _dt.date | None = None) -> tuple[_dt.date, _dt.date]:
    """First and last day of the 公示, counted as the programme says (start day included)."""
    from .workdays import period_from_program

    start = start or program["公示"].get("开始")
    if start is None:
        raise ProgramFileError(None, "计划文件未写明「公示.开始」，无法计算公示期")
    return period_from_program(program, start)


#: values computed from the programme, and the key each is computed from
DERIVED_FROM = {"公示期": "公示.开始"}


def derived_values(program: dict | None) -> dict:
    """Values computed from the programme that templates may use: 公示期 (开始, 结束, and 发布,
    the 公示's 落款 date: 「公示.发布」, else its first day — never the day it is printed)."""
    if program and program.get("公示", {}).get("开始"):
        start, end = announcement_period(program)
        return {"公示期": {"开始": start, "结束": end, "发布": program["公示"].get("发布", start)}}
    return {}


def check_template_name(spec, program: dict | None) -> None:
    """A template named for a programme key (sidecar 「名称依据」) used under the name the
    programme gives: 益阳 signs a 责任书, so ``kexie fill 任务书`` with it is refused, and the reverse."""
    if not spec.named_by or program is None:
        return
    wanted = program
    for part in spec.named_by.split("."):
        wanted = wanted.get(part) if isinstance(wanted, dict) else None
    if wanted is not None and wanted != spec.name:
        raise UsageProblem(f"计划「{program.get('名称', '')}」签订的是{wanted}（计划文件「{spec.named_by}」），"
                           f"请用 kexie fill {wanted}，不用模板「{spec.name}」")


def program_key_hint(dotted: str) -> str:
    """What a programme key means and how to write it (from the schema), for a template's need."""
    key = program_schema()
    for part in dotted.replace("[]", "").split("."):
        inner = key.item if key.item is not None and not key.keys else key
        key = inner.keys.get(part) if inner is not None else None
        if key is None:
            return "计划文件的键说明中没有这一项，请核对模板中的写法（kexie program --schema 列出全部键）"
    meaning = f"{key.meaning}，" if key.meaning else ""
    return f"{meaning}{_how(key)}"
