"""Loading a form definition: every key of the YAML file checked, an unknown one refused by name
with a suggestion (pdfplumber's table settings, invoice2data's templates)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import yaml

from ..errors import FormDefinitionError
from ..messages import exception_kind, yaml_reason
from ..records import safe_yaml
from .checks import parse_checks
from .definition import Blind, FieldSpec, FormDefinition, Identity
from .schema import labels_of, reject_unknown, suggest

#: where named forms live: $KEXIE_FORMS, else beside this module
FORM_DIR = Path(os.environ.get("KEXIE_FORMS") or Path(__file__).resolve().parent)

KINDS = ("text", "phone", "email", "postcode", "date", "period", "amount", "rows")
FINDS = ("right", "inline", "box", "rows", "total", "seal", "signature")

_TOP_KEYS = {"form", "title", "identify", "identity", "blind", "fields", "checks"}
_IDENTIFY_KEYS = {"labels", "min_found"}
_IDENTITY_KEYS = {"applicant", "columns", "conflicts"}
_BLIND_KEYS = {"redact", "withhold_scanned_pages"}
_FIELD_KEYS = {"labels", "kind", "find", "under", "prompts", "until", "after", "between", "columns", "totals", "total_of",
               "signer"}
# which optional keys make sense for which way of finding a value
_ALLOWED = {
    "right": {"under", "prompts"},
    "inline": {"prompts"},
    "box": {"prompts", "until", "after"},
    "rows": {"columns", "totals"},
    "total": {"total_of"},
    "seal": set(),
    "signature": {"between", "signer"},
}


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
        data = safe_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(path, f"YAML 格式错误，{yaml_reason(exc) if isinstance(exc, yaml.YAMLError) else exception_kind(exc)}") from None
    return parse_form(data, path)


def parse_form(data, path) -> FormDefinition:
    """Check a loaded YAML mapping key by key and build the FormDefinition."""
    path = Path(path)

    def fail(reason):
        raise FormDefinitionError(path, reason)

    if not isinstance(data, dict):
        fail("顶层应为映射（form、title、identify、identity、blind、fields、checks）")
    reject_unknown(data, _TOP_KEYS, "顶层", fail)
    fields_data = data.get("fields")
    if not isinstance(fields_data, dict) or not fields_data:
        fail("缺少 fields（字段表），或它不是映射")
    identify = data.get("identify") or {}
    if not isinstance(identify, dict):
        fail("identify 应为映射（labels、min_found）")
    reject_unknown(identify, _IDENTIFY_KEYS, "identify", fail)
    identify_labels = labels_of(identify.get("labels", []), "identify.labels", fail)
    min_found = identify.get("min_found", max(1, (len(identify_labels) + 1) // 2))
    if not isinstance(min_found, int) or min_found < 0:
        fail("identify.min_found 应为非负整数")

    fields = [_parse_field(str(key), spec, fail) for key, spec in fields_data.items()]
    keys = {f.key for f in fields}
    _check_totals(fields, fail)
    for spec in fields:
        if spec.signer and spec.signer not in keys:
            fail(f"字段「{spec.key}」的 signer「{spec.signer}」不是本表的字段{suggest(spec.signer, keys)}")
    identity = _parse_identity(data.get("identity"), keys, fail)
    blind = _parse_blind(data.get("blind"), fail)
    checks = parse_checks(data.get("checks") or {}, fields, fail)
    groups = tuple(dict.fromkeys(f.under for f in fields if f.under))
    return FormDefinition(name=str(data.get("form") or path.stem), title=str(data.get("title") or ""),
                          path=path, fields=tuple(fields), identify_labels=identify_labels,
                          min_found=min_found, groups=groups, identity=identity, blind=blind, checks=checks)


def _check_totals(fields: list[FieldSpec], fail) -> None:
    """A total field names a row table declared before it, and one of its columns other than the first
    (the first holds 「合计」)."""
    tables = {}
    for spec in fields:
        if spec.find == "rows" and spec.totals:
            tables[spec.key] = [name for name, _ in spec.columns]
        elif spec.find == "total":
            table, _, column = spec.total_of.partition("[].")
            where = f"字段「{spec.key}」的 total_of「{spec.total_of}」"
            if table not in tables:
                fail(f"{where}：「{table}」不是写在它之前、写有 totals（合计行）的行表字段{suggest(table, tables)}")
            if column not in tables[table][1:]:
                fail(f"{where}：行表「{table}」没有可合计的「{column}」列{suggest(column, tables[table][1:])}")


def _parse_identity(raw, keys: set[str], fail) -> Identity | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fail("identity 应为映射（applicant、columns、conflicts）")
    reject_unknown(raw, _IDENTITY_KEYS, "identity", fail)
    applicant = raw.get("applicant")
    if not isinstance(applicant, str) or not applicant:
        fail("identity.applicant 应为交表单位的字段键（如「申报单位」）")
    columns = labels_of(raw.get("columns", [applicant]), "identity.columns", fail)
    conflicts = labels_of(raw.get("conflicts", [applicant]), "identity.conflicts", fail)
    for key in (applicant, *columns, *conflicts):
        if key not in keys:
            fail(f"identity 中的字段「{key}」不在 fields 中{suggest(key, keys)}")
    return Identity(applicant=applicant, columns=columns, conflicts=conflicts)


def _parse_blind(raw, fail) -> Blind:
    if raw is None:
        return Blind()
    if not isinstance(raw, dict):
        fail("blind 应为映射（redact、withhold_scanned_pages）")
    reject_unknown(raw, _BLIND_KEYS, "blind", fail)
    pages = raw.get("withhold_scanned_pages", [])
    if not isinstance(pages, list) or not all(isinstance(p, int) and p >= 1 for p in pages):
        fail("blind.withhold_scanned_pages 应为页码（从 1 起）的列表")
    return Blind(redact=labels_of(raw.get("redact", []), "blind.redact", fail), withhold_scanned_pages=tuple(pages))


def _parse_field(key: str, spec, fail) -> FieldSpec:
    where = f"字段「{key}」"
    if not isinstance(spec, dict):
        fail(f"{where}应为映射（labels、find、kind……）")
    reject_unknown(spec, _FIELD_KEYS, where, fail)
    find = spec.get("find")
    if find not in FINDS:
        fail(f"{where}的 find 为「{find}」，应为 {'、'.join(FINDS)} 之一{suggest(find, FINDS)}")
    kind = spec.get("kind", "rows" if find == "rows" else "text")
    if kind not in KINDS:
        fail(f"{where}的 kind 为「{kind}」，应为 {'、'.join(KINDS)} 之一{suggest(kind, KINDS)}")
    if (kind == "rows") != (find == "rows"):
        fail(f"{where}：kind rows 与 find rows 须同时使用")
    for extra in set(spec) - {"labels", "kind", "find"} - _ALLOWED[find]:
        fail(f"{where}：find 为 {find} 时不能使用「{extra}」")
    labels = labels_of(spec.get("labels"), f"{where}的 labels", fail)
    if not labels:
        fail(f"{where}缺少 labels（找到它的标签）")
    columns = ()
    if find == "rows":
        raw = spec.get("columns")
        if not isinstance(raw, dict) or not raw:
            fail(f"{where}缺少 columns（列名 → 表头标签）")
        columns = tuple((str(name), labels_of(names, f"{where}的列「{name}」", fail))
                        for name, names in raw.items())
    between = ((), ())
    if find == "signature":
        raw = spec.get("between")
        if not isinstance(raw, list) or len(raw) != 2:
            fail(f"{where}的 between 应为两组标签：[签名起点的标签, 签名终点的标签]")
        between = (labels_of(raw[0], f"{where}的 between", fail), labels_of(raw[1], f"{where}的 between", fail))
    signer = spec.get("signer", "")
    if not isinstance(signer, str):
        fail(f"{where}的 signer 应为写有签名人姓名的字段键（如「申报单位负责人.姓名」）")
    total_of = ""
    if find == "total":
        total_of = spec.get("total_of")
        if not isinstance(total_of, str) or "[]." not in total_of:
            fail(f"{where}缺少 total_of（合计的是哪个行表的哪一列，如「经费决算[].决算数」）")
    under = spec.get("under")
    if under is not None and not isinstance(under, str):
        fail(f"{where}的 under 应为一个分组标题")
    return FieldSpec(key=key, labels=labels, find=find, kind=kind, under=under,
                     prompts=labels_of(spec.get("prompts", []), f"{where}的 prompts", fail),
                     until=labels_of(spec.get("until", []), f"{where}的 until", fail),
                     after=labels_of(spec.get("after", []), f"{where}的 after", fail),
                     between=between, signer=signer, columns=columns,
                     totals=labels_of(spec.get("totals", []), f"{where}的 totals", fail), total_of=total_of)
