"""Form definitions: which fields a returned form holds and how each is found.

A form is a declarative YAML file in ``pipeline/forms/`` (``申报书.yaml``): per field its key,
the labels that find it, its kind, how its value sits relative to the label (``find``), the
prompts printed in its box, and its seal and signature areas. Adding a form means adding a
file. Every key is checked on loading; an unknown one is rejected by name with a suggestion.
"""

from __future__ import annotations

import difflib
import re
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import FormDefinitionError

#: where named forms live: $KEXIE_FORMS, else pipeline/forms/
FORM_DIR = Path(os.environ.get("KEXIE_FORMS") or Path(__file__).resolve().parent / "forms")

KINDS = ("text", "phone", "email", "postcode", "date", "period", "rows")
FINDS = ("right", "inline", "box", "rows", "seal", "signature")

# ``checks``: the validation rules of 形式审查, read by pipeline.validate (kept as data here)
_TOP_KEYS = {"form", "title", "identify", "fields", "checks"}
_IDENTIFY_KEYS = {"labels", "min_found"}
_FIELD_KEYS = {"labels", "kind", "find", "under", "prompts", "until", "after", "between", "columns"}
# which optional keys make sense for which way of finding a value
_ALLOWED = {
    "right": {"under", "prompts"},
    "inline": {"prompts"},
    "box": {"prompts", "until", "after"},
    "rows": {"columns"},
    "seal": set(),
    "signature": {"between"},
}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form and how to find it."""

    key: str
    labels: tuple[str, ...]
    find: str
    kind: str = "text"
    under: str | None = None
    prompts: tuple[str, ...] = ()
    until: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    #: signature area: (labels it starts after, labels it ends before)
    between: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    #: row tables: column name → header labels
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def is_mark(self) -> bool:
        return self.find in ("seal", "signature")


@dataclass(frozen=True)
class FormDefinition:
    """A whole form: its fields in order, and the labels that identify it."""

    name: str
    title: str
    path: Path
    fields: tuple[FieldSpec, ...]
    identify_labels: tuple[str, ...] = ()
    min_found: int = 1
    groups: tuple[str, ...] = field(default=())
    #: the ``checks`` section, as written (pipeline.validate interprets it)
    checks: dict = field(default_factory=dict, compare=False, hash=False)

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    @property
    def mark_keys(self) -> list[str]:
        return [f.key for f in self.fields if f.is_mark]

    @property
    def row_keys(self) -> list[str]:
        return [f.key for f in self.fields if f.find == "rows"]

    @property
    def all_labels(self) -> set[str]:
        """Every printed label of the form: a box whose row holds one of these is not a continuation."""
        labels = set(self.identify_labels) | set(self.groups)
        for spec in self.fields:
            labels.update(spec.labels)
            for _, names in spec.columns:
                labels.update(names)
        return labels


def available_forms() -> list[str]:
    return sorted(p.stem for p in FORM_DIR.glob("*.yaml")) if FORM_DIR.is_dir() else []


def load_form(name_or_path) -> FormDefinition:
    """Load a form definition by name (``申报书``) or by path to its YAML file."""
    candidate = Path(name_or_path)
    if candidate.suffix.lower() in (".yaml", ".yml") or candidate.is_file():
        path = candidate
    else:
        path = FORM_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        known = available_forms()
        hint = f"；可用的表单：{'、'.join(known)}" if known else ""
        close = difflib.get_close_matches(str(name_or_path), known, n=1)
        if close:
            hint = f"（是否要用「{close[0]}」？）" + hint
        raise FormDefinitionError(path, f"找不到表单定义{hint}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(path, f"YAML 格式错误：{exc}") from None
    return parse_form(data, path)


def parse_form(data, path) -> FormDefinition:
    """Check a loaded YAML mapping key by key and build the FormDefinition."""
    path = Path(path)

    def fail(reason):
        raise FormDefinitionError(path, reason)

    if not isinstance(data, dict):
        fail("顶层应为映射（form、title、identify、fields）")
    _reject_unknown(data, _TOP_KEYS, "顶层", fail)
    fields_data = data.get("fields")
    if not isinstance(fields_data, dict) or not fields_data:
        fail("缺少 fields（字段表），或它不是映射")
    identify = data.get("identify") or {}
    if not isinstance(identify, dict):
        fail("identify 应为映射（labels、min_found）")
    _reject_unknown(identify, _IDENTIFY_KEYS, "identify", fail)
    identify_labels = _labels(identify.get("labels", []), "identify.labels", fail)
    min_found = identify.get("min_found", max(1, (len(identify_labels) + 1) // 2))
    if not isinstance(min_found, int) or min_found < 0:
        fail("identify.min_found 应为非负整数")

    fields = []
    for key, spec in fields_data.items():
        fields.append(_parse_field(str(key), spec, fail))
    checks = _parse_checks(data.get("checks") or {}, fields, fail)
    groups = tuple(dict.fromkeys(f.under for f in fields if f.under))
    return FormDefinition(name=str(data.get("form") or path.stem), title=str(data.get("title") or ""),
                          path=path, fields=tuple(fields), identify_labels=identify_labels,
                          min_found=min_found, groups=groups, checks=checks)


_CHECK_KEYS = {"blank", "rows", "marks", "exempt", "format_of", "formats", "program", "duplicates"}
_CHECK_SHAPES = {
    "blank": {"fields", "message"},
    "program": {"period_within", "not_after_deadline", "file_named_after"},
    "duplicates": {"unique"},
}
_MARK_PROBLEMS = ("missing_seal", "missing_signature")
_PARSE_KINDS = ("date", "month", "period")


def _parse_checks(checks, fields: list[FieldSpec], fail) -> dict:
    """Check the 形式审查 rules by name: sections, field keys, format names, problem kinds."""
    if not isinstance(checks, dict):
        fail("checks 应为映射（形式审查规则）")
    _reject_unknown(checks, _CHECK_KEYS, "checks", fail)
    keys = {f.key for f in fields}
    rows = {f.key for f in fields if f.find == "rows"}

    def known(key, where):
        if key not in keys:
            fail(f"{where}中的字段「{key}」不在 fields 中{_suggest(key, keys)}")

    for section, allowed in _CHECK_SHAPES.items():
        value = checks.get(section, {})
        if not isinstance(value, dict):
            fail(f"checks.{section} 应为映射")
        _reject_unknown(value, allowed, f"checks.{section}", fail)
    for key, rule in (checks.get("rows") or {}).items():
        if key not in rows:
            fail(f"checks.rows 中的「{key}」不是行表字段{_suggest(key, rows)}")
        _reject_unknown(rule or {}, {"min_rows"}, f"checks.rows.{key}", fail)
    for key, problem in (checks.get("marks") or {}).items():
        known(key, "checks.marks")
        if problem not in _MARK_PROBLEMS:
            fail(f"checks.marks.{key} 应为 {'、'.join(_MARK_PROBLEMS)} 之一{_suggest(problem, _MARK_PROBLEMS)}")
    for i, rule in enumerate(checks.get("exempt") or [], start=1):
        _reject_unknown(rule, {"when_same", "fields"}, f"checks.exempt 第{i}条", fail)
        for key in list(rule.get("when_same") or []) + list(rule.get("fields") or []):
            known(key, f"checks.exempt 第{i}条")
    formats = checks.get("formats") or {}
    for name, rule in formats.items():
        _reject_unknown(rule, {"pattern", "parse", "message"}, f"checks.formats.{name}", fail)
        if ("pattern" in rule) == ("parse" in rule):
            fail(f"checks.formats.{name} 应写 pattern（正则）或 parse（{'、'.join(_PARSE_KINDS)}）之一")
        if "parse" in rule and rule["parse"] not in _PARSE_KINDS:
            fail(f"checks.formats.{name} 的 parse 应为 {'、'.join(_PARSE_KINDS)} 之一{_suggest(rule['parse'], _PARSE_KINDS)}")
        if "pattern" in rule:
            try:
                re.compile(rule["pattern"])
            except re.error as exc:
                fail(f"checks.formats.{name} 的正则有误：{exc}")
    for pattern, name in (checks.get("format_of") or {}).items():
        if name not in formats:
            fail(f"checks.format_of 中「{pattern}」的格式「{name}」未在 checks.formats 中定义{_suggest(name, formats)}")
    program = checks.get("program") or {}
    for key in [program.get("period_within"), program.get("file_named_after"),
                *(program.get("not_after_deadline") or [])]:
        if key:
            known(key, "checks.program")
    for key in (checks.get("duplicates") or {}).get("unique") or []:
        known(key, "checks.duplicates")
    return checks


def _parse_field(key: str, spec, fail) -> FieldSpec:
    where = f"字段「{key}」"
    if not isinstance(spec, dict):
        fail(f"{where}应为映射（labels、find、kind……）")
    _reject_unknown(spec, _FIELD_KEYS, where, fail)
    find = spec.get("find")
    if find not in FINDS:
        fail(f"{where}的 find 为「{find}」，应为 {'、'.join(FINDS)} 之一{_suggest(find, FINDS)}")
    kind = spec.get("kind", "rows" if find == "rows" else "text")
    if kind not in KINDS:
        fail(f"{where}的 kind 为「{kind}」，应为 {'、'.join(KINDS)} 之一{_suggest(kind, KINDS)}")
    if (kind == "rows") != (find == "rows"):
        fail(f"{where}：kind rows 与 find rows 须同时使用")
    for extra in set(spec) - {"labels", "kind", "find"} - _ALLOWED[find]:
        fail(f"{where}：find 为 {find} 时不能使用「{extra}」")
    labels = _labels(spec.get("labels"), f"{where}的 labels", fail)
    if not labels:
        fail(f"{where}缺少 labels（找到它的标签）")
    columns = ()
    if find == "rows":
        raw = spec.get("columns")
        if not isinstance(raw, dict) or not raw:
            fail(f"{where}缺少 columns（列名 → 表头标签）")
        columns = tuple((str(name), _labels(names, f"{where}的列「{name}」", fail))
                        for name, names in raw.items())
    between = ((), ())
    if find == "signature":
        raw = spec.get("between")
        if not isinstance(raw, list) or len(raw) != 2:
            fail(f"{where}的 between 应为两组标签：[签名起点的标签, 签名终点的标签]")
        between = (_labels(raw[0], f"{where}的 between", fail), _labels(raw[1], f"{where}的 between", fail))
    under = spec.get("under")
    if under is not None and not isinstance(under, str):
        fail(f"{where}的 under 应为一个分组标题")
    return FieldSpec(key=key, labels=labels, find=find, kind=kind, under=under,
                     prompts=_labels(spec.get("prompts", []), f"{where}的 prompts", fail),
                     until=_labels(spec.get("until", []), f"{where}的 until", fail),
                     after=_labels(spec.get("after", []), f"{where}的 after", fail),
                     between=between, columns=columns)


def _labels(value, where: str, fail) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        fail(f"{where}应为文字列表")
    return tuple(str(v) for v in value)


def _reject_unknown(mapping: dict, allowed: set[str], where: str, fail) -> None:
    for key in mapping:
        if key not in allowed:
            fail(f"{where}有未知的键「{key}」{_suggest(str(key), allowed)}；可用的键：{'、'.join(sorted(allowed))}")


def _suggest(value, choices) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1)
    return f"（是否要写「{close[0]}」？）" if close else ""
