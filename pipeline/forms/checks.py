"""The ``checks`` section of a form definition — the rules of its 形式审查 — checked by name.

The section stays plain data (``pipeline.validate`` applies it); here every rule is checked up
front so that a typo in a form file is refused with the key it meant, not silently ignored:

- ``blank``: every field holds something or 「/」 (``fields: all``, ``message``);
- ``rows``: per row table, ``min_rows``;
- ``marks``: per seal or signature field, the ``problem`` it raises when missing and its ``message``;
- ``exempt``: fields a submission need not fill when two fields agree (省级试点不填写此栏);
- ``format_of`` / ``formats``: a format (a regular expression, or a parser) per key pattern;
- ``compare``: a value that must not exceed another (已支出金额 ≤ 预算金额, in one row);
- ``program``: rules against the programme file, each naming the programme key it reads and
  the wording of its message;
- ``sums``: total fields (``find: total``) that must equal the sum of their column's rows
  (决算 合计), each with its ``message``;
- ``duplicates``: keys whose value must be unique within a batch.
"""

from __future__ import annotations

import re

from .definition import FieldSpec
from .schema import reject_unknown, suggest

CHECK_KEYS = {"blank", "rows", "marks", "exempt", "format_of", "formats", "compare", "program", "sums", "duplicates"}
MARK_PROBLEMS = ("missing_seal", "missing_signature")
PARSE_KINDS = ("date", "month", "period", "number")
SEVERITIES = ("error", "warning", "review")
#: programme rules: the keys each needs (besides ``rule`` and ``message``), and the placeholders
#: its message may use
PROGRAM_RULES = {
    "period_within": ({"field", "program"}, {"开始", "结束"}),
    "max_months": ({"field", "program"}, {"月数"}),
    "not_after": ({"fields", "program"}, {"日期"}),
    "file_named_after": ({"field"}, {"值"}),
    "forbidden": ({"fields", "program"}, {"值", "关键词", "依据"}),
}
#: keys any programme rule may add: ``severity``; ``quote``, the programme list a forbidden term
#: is quoted from (禁止支出)
PROGRAM_RULE_OPTIONS = {"severity", "quote"}
COMPARE_PLACEHOLDERS = {"值", "上限"}
SUM_PLACEHOLDERS = {"合计", "各行之和"}


def parse_checks(checks, fields: list[FieldSpec], fail) -> dict:
    """The section, unchanged, once every rule in it names known fields, kinds and formats."""
    if not isinstance(checks, dict):
        fail("checks 应为映射（形式审查规则）")
    reject_unknown(checks, CHECK_KEYS, "checks", fail)
    keys = {f.key for f in fields}
    rows = {f.key: {name for name, _ in f.columns} for f in fields if f.find == "rows"}
    marks = {f.key for f in fields if f.is_mark}

    def known(key, where):
        base, _, column = key.partition("[].")
        if column:
            if base not in rows:
                fail(f"{where}中的「{key}」：「{base}」不是行表字段{suggest(base, rows)}")
            if column not in rows[base]:
                fail(f"{where}中的「{key}」：行表「{base}」没有「{column}」列{suggest(column, rows[base])}")
        elif key not in keys:
            fail(f"{where}中的字段「{key}」不在 fields 中{suggest(key, keys)}")

    def mapping(value, where, allowed):
        if not isinstance(value, dict):
            fail(f"{where} 应为映射")
        reject_unknown(value, allowed, where, fail)
        return value

    mapping(checks.get("blank", {}), "checks.blank", {"fields", "message"})
    for key, rule in mapping(checks.get("rows", {}), "checks.rows", set(checks.get("rows") or {})).items():
        if key not in rows:
            fail(f"checks.rows 中的「{key}」不是行表字段{suggest(key, rows)}")
        mapping(rule or {}, f"checks.rows.{key}", {"min_rows"})
    for key, rule in (checks.get("marks") or {}).items():
        if key not in marks:
            fail(f"checks.marks 中的「{key}」不是盖章或签章字段{suggest(key, marks)}")
        mapping(rule, f"checks.marks.{key}", {"problem", "message"})
        if rule.get("problem") not in MARK_PROBLEMS:
            fail(f"checks.marks.{key} 的 problem 应为 {'、'.join(MARK_PROBLEMS)} 之一"
                 f"{suggest(rule.get('problem'), MARK_PROBLEMS)}")
        _message(rule, f"checks.marks.{key}", set(), fail)
    for i, rule in enumerate(checks.get("exempt") or [], start=1):
        mapping(rule, f"checks.exempt 第{i}条", {"when_same", "fields"})
        for key in list(rule.get("when_same") or []) + list(rule.get("fields") or []):
            known(key, f"checks.exempt 第{i}条")
    formats = mapping(checks.get("formats", {}), "checks.formats", set(checks.get("formats") or {}))
    for name, rule in formats.items():
        mapping(rule, f"checks.formats.{name}", {"pattern", "parse", "message"})
        if ("pattern" in rule) == ("parse" in rule):
            fail(f"checks.formats.{name} 应写 pattern（正则）或 parse（{'、'.join(PARSE_KINDS)}）之一")
        if "parse" in rule and rule["parse"] not in PARSE_KINDS:
            fail(f"checks.formats.{name} 的 parse 应为 {'、'.join(PARSE_KINDS)} 之一{suggest(rule['parse'], PARSE_KINDS)}")
        if "pattern" in rule:
            try:
                re.compile(rule["pattern"])
            except re.error as exc:
                fail(f"checks.formats.{name} 的正则有误：{exc}")
    for pattern, name in (checks.get("format_of") or {}).items():
        if name not in formats:
            fail(f"checks.format_of 中「{pattern}」的格式「{name}」未在 checks.formats 中定义{suggest(name, formats)}")
    for i, rule in enumerate(checks.get("compare") or [], start=1):
        where = f"checks.compare 第{i}条"
        mapping(rule, where, {"field", "at_most", "message"})
        for part in ("field", "at_most"):
            if not rule.get(part):
                fail(f"{where}缺少「{part}」")
            known(rule[part], where)
        if ("[]." in rule["field"]) != ("[]." in rule["at_most"]):
            fail(f"{where}：field 与 at_most 须同为行表的列，或同为普通字段")
        _message(rule, where, COMPARE_PLACEHOLDERS, fail)
    for i, rule in enumerate(checks.get("program") or [], start=1):
        where = f"checks.program 第{i}条"
        if not isinstance(rule, dict):
            fail(f"{where}应为映射（rule、field、program、message……）")
        kind = rule.get("rule")
        if kind not in PROGRAM_RULES:
            fail(f"{where}的 rule 为「{kind}」，应为 {'、'.join(PROGRAM_RULES)} 之一{suggest(kind, PROGRAM_RULES)}")
        needed, placeholders = PROGRAM_RULES[kind]
        mapping(rule, where, needed | {"rule", "message"} | PROGRAM_RULE_OPTIONS)
        for part in needed:
            if not rule.get(part):
                fail(f"{where}（{kind}）缺少「{part}」")
        for key in ([rule["field"]] if "field" in needed else list(rule["fields"])):
            known(key, where)
        if rule.get("severity", "error") not in SEVERITIES:
            fail(f"{where}的 severity 应为 {'、'.join(SEVERITIES)} 之一")
        _message(rule, where, placeholders, fail)
    totals = {f.key for f in fields if f.find == "total"}
    for key, rule in mapping(checks.get("sums", {}), "checks.sums", set(checks.get("sums") or {})).items():
        if key not in totals:
            fail(f"checks.sums 中的「{key}」不是合计字段（find: total）{suggest(key, totals)}")
        mapping(rule, f"checks.sums.{key}", {"message"})
        _message(rule, f"checks.sums.{key}", SUM_PLACEHOLDERS, fail)
    for key in mapping(checks.get("duplicates", {}), "checks.duplicates", {"unique"}).get("unique") or []:
        known(key, "checks.duplicates")
    return checks


def _message(rule: dict, where: str, placeholders: set[str], fail) -> None:
    """A rule's message is required, and may use only its kind's placeholders (「{开始}」)."""
    message = rule.get("message")
    if not isinstance(message, str) or not message.strip():
        fail(f"{where}缺少 message（提示语）")
    for name in re.findall(r"\{([^{}]*)\}", message):
        if name not in placeholders:
            allowed = "、".join(f"{{{p}}}" for p in sorted(placeholders)) or "无"
            fail(f"{where}的 message 中的「{{{name}}}」无法填入；可用的占位符：{allowed}")
