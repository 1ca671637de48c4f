"""Jinja filters for Chinese official documents: dates, 文号, money in figures and in 大写.

Plain functions over plain values; ``FILTERS`` maps the names templates use to them, and the
renderer registers that dict. A filter given a value it cannot read raises ``ValueError`` with a
Chinese message naming the value; the renderer turns it into a ``TemplateError``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from .dates import iso_parts, parse_date, parse_month
from .layout.title import break_title, issuer_flag
from .numbers import to_decimal

_FEN = Decimal("0.01")

# --- dates ---------------------------------------------------------------------------------


def cn_date(value) -> str:
    """Write a date as 2026年3月5日 (or 2026年3月 for a month); empty gives ''."""
    parts = iso_parts(value)
    if parts is None:
        return ""
    year, month, day = parts
    text = f"{year}年{month}月"
    return text if day is None else f"{text}{day}日"


_PERIOD_SEPARATOR = re.compile(r"\s*(?:至|到|~|—|–|－)\s*")


def written_date(value) -> str:
    """A date, ISO or dotted day or month, or period of two as a form prints it: 2026年4月10日."""
    # never 2026-04-10; any other text (「/」, 「待定」) is printed as it is
    if value is None:
        return ""
    if not isinstance(value, str):
        return cn_date(value)
    text = value.strip()
    parts = _PERIOD_SEPARATOR.split(text)
    if len(parts) == 2 and all(parts):
        return "至".join(written_date(part) for part in parts)
    if (day := parse_date(text)) is not None:
        return cn_date(day)
    if re.fullmatch(r"\d{4}[年.\-/]\d{1,2}月?", text) and (month := parse_month(text)) is not None:
        return f"{month[0]}年{month[1]}月"
    return value


_UPPER_DIGITS = "〇一二三四五六七八九"


def _upper_number(n: int) -> str:
    """Write 1–31 as 公文 numerals: 一 … 十, 十一 … 十九, 二十, 二十一 … 三十一."""
    tens, ones = divmod(n, 10)
    text = "" if tens == 0 else ("十" if tens == 1 else _UPPER_DIGITS[tens] + "十")
    return text + (_UPPER_DIGITS[ones] if ones else "")


def cn_date_upper(value) -> str:
    """Write a date as 公文落款 numerals: 二〇二六年三月五日; empty gives ''."""
    parts = iso_parts(value)
    if parts is None:
        return ""
    year, month, day = parts
    text = "".join(_UPPER_DIGITS[int(d)] for d in str(year)) + "年" + _upper_number(month) + "月"
    return text if day is None else text + _upper_number(day) + "日"


# --- money ---------------------------------------------------------------------------------

def _to_fen(amount) -> Decimal:
    """Round an amount half-up to fen (0.01 yuan)."""
    return to_decimal(amount).quantize(_FEN, rounding=ROUND_HALF_UP)


_RMB_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_RMB_SMALL_UNITS = ("", "拾", "佰", "仟")
_RMB_SECTION_UNITS = ("", "万", "亿")
_RMB_LIMIT = Decimal(10) ** 12  # 9999亿9999万9999元 is the largest amount written without 万亿


def _rmb_integer(n: int) -> str:
    """Write a positive integer below 10**12 in 大写 (no 元)."""
    digits = str(n)
    length = len(digits)
    parts: list[str] = []
    zero_pending = False
    section_has_digit = False
    for index, char in enumerate(digits):
        position = length - 1 - index
        section, place = divmod(position, 4)
        digit = int(char)
        if digit == 0:
            # 第五十二条：中间连续几个"0"时只写一个"零"
            zero_pending = bool(parts)
        else:
            if zero_pending:
                parts.append("零")
                zero_pending = False
            # 壹拾 even at the head: 第五十二条 requires 壹拾 for amounts starting with 拾
            parts.append(_RMB_DIGITS[digit] + _RMB_SMALL_UNITS[place])
            section_has_digit = True
        if place == 0 and section > 0:
            if section_has_digit:
                parts.append(_RMB_SECTION_UNITS[section])
                # a zero at the foot of a 万/亿 section is not read: 107000 → 壹拾万柒仟
                zero_pending = False
            section_has_digit = False
    return "".join(parts)


def rmb_upper(amount) -> str:
    """Write an amount as 人民币大写 by 《会计基础工作规范》第五十二条: 壹仟零伍元伍角整."""
    value = _to_fen(amount)
    if value < 0:
        return "负" + rmb_upper(-value)
    if value >= _RMB_LIMIT:
        raise ValueError(f"金额「{amount}」超过 9999亿9999万9999.99 元，无法写成大写")
    fen_total = int(value * 100)
    integer, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if fen_total == 0:
        return "零元整"
    text = _rmb_integer(integer) + "元" if integer else ""
    if jiao == 0 and fen == 0:
        return text + "整"  # 到"元"为止的，在"元"之后写"整"
    if integer and jiao == 0:
        text += "零"  # 元后角位为 0 而分位不为 0：壹仟元零玖分 (2000.09)
    elif integer and integer % 10 == 0 and fen:
        # 元位是"0"而角位不是"0"时可写"零"也可不写. Written when both 角 and 分 are present
        # (1680.32 → 壹仟陆佰捌拾元零叁角贰分), not before 角整 (10.10 → 壹拾元壹角整).
        text += "零"
    if jiao:
        text += _RMB_DIGITS[jiao] + "角"
    if fen:
        return text + _RMB_DIGITS[fen] + "分"  # 到"分"的，"分"后面不写"整"
    return text + "整"  # 到"角"为止的，在"角"之后写"整"


def wan(amount) -> str:
    """Convert yuan to 万元 with two decimals, rounded half-up: 1234567 → 123.46."""
    value = (to_decimal(amount) / 10000).quantize(_FEN, rounding=ROUND_HALF_UP)
    return f"{value + 0:.2f}"  # + 0 turns -0.00 into 0.00


def total(rows, key) -> Decimal:
    """Sum one column of the records, each value read as an amount (a CSV gives text): 记录|total('资助金额')."""
    return sum((to_decimal(row[key]) for row in rows), Decimal(0))


def yuan(amount) -> str:
    """Write an amount in yuan with thousands separators and two decimals: 350,000.00."""
    return f"{_to_fen(amount) + 0:,.2f}"


def installments(amount, schedule) -> list[dict]:
    """Split an amount by a schedule of {阶段, 比例 (%)}; the last part takes the remainder."""
    total = _to_fen(amount)
    if not schedule:
        raise ValueError("支付安排为空：至少需要一个阶段（阶段、比例）")
    ratios = []
    for item in schedule:
        if not isinstance(item, Mapping) or "阶段" not in item or "比例" not in item:
            raise ValueError(f"支付安排中的「{item}」应写明「阶段」和「比例」")
        ratio = to_decimal(item["比例"])
        if ratio < 0:
            raise ValueError(f"支付阶段「{item['阶段']}」的比例「{item['比例']}」不能为负数")
        ratios.append(ratio)
    # A tolerance for float ratios (100/3 three times); the last part takes the remainder anyway.
    if abs(sum(ratios) - 100) > Decimal("0.000001"):
        raise ValueError(f"支付安排的比例合计为 {sum(ratios)}%，应为 100%")
    result = []
    paid = Decimal("0.00")
    for index, (item, ratio) in enumerate(zip(schedule, ratios)):
        if index == len(ratios) - 1:
            part = total - paid  # the remainder, so the parts add up to the amount exactly
        else:
            part = (total * ratio / 100).quantize(_FEN, rounding=ROUND_HALF_UP)
            paid += part
        result.append({**item, "金额": part})
    return result


# --- 文号 and lists -------------------------------------------------------------------------


def wenhao(prefix, year=None, number=None) -> str:
    """Write a 文号 by GB/T 9704: 科协调函改字〔2020〕3号; also takes a {前缀, 年份, 序号} mapping."""
    if isinstance(prefix, Mapping):
        missing = [key for key in ("前缀", "年份", "序号") if prefix.get(key) in (None, "")]
        if missing:
            raise ValueError(f"文号「{dict(prefix)}」缺少{'、'.join(missing)}")
        prefix, year, number = prefix["前缀"], prefix["年份"], prefix["序号"]
    if not prefix or year is None or number is None:
        raise ValueError(f"文号不完整：前缀「{prefix}」、年份「{year}」、序号「{number}」都需要写明")
    try:
        year_value, number_value = int(str(year).strip()), int(str(number).strip())
    except ValueError:
        raise ValueError(f"文号的年份「{year}」和序号「{number}」应为数字") from None
    # GB/T 9704-2012 7.2.4：年份应标全称；发文顺序号不编虚位（1 不编为 01）
    if not 1000 <= year_value <= 9999:
        raise ValueError(f"文号的年份「{year}」应写全称，如 2020")
    if number_value < 1:
        raise ValueError(f"文号的序号「{number}」应为正整数")
    return f"{prefix}〔{year_value}〕{number_value}号"


class BlankRow(dict):
    """A padding row of a row table: every column reads as empty, even under strict undefined."""

    def __missing__(self, key):
        return ""


def pad_rows(rows, n) -> list:
    """Pad a list of rows with empty mappings up to n rows, so a table prints its blank lines."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"行数「{n}」应为不小于 0 的整数")
    if rows is None:
        rows = []
    elif isinstance(rows, (str, bytes, Mapping)):
        raise ValueError(f"「{rows}」不是表格行的列表")
    rows = list(rows)
    return rows + [BlankRow() for _ in range(n - len(rows))]


# \a is how the renderer carries a newline of a data cell (pipeline/render.py _clean_text)
_ITEM_SEPARATORS = re.compile(r"[\r\n\a；;]+")


def split_items(text) -> list:
    """Split a text of items separated by new lines or ；/; into stripped non-empty items."""
    if text is None:
        return []
    if isinstance(text, (list, tuple)):
        return list(text)
    if not isinstance(text, str):
        raise ValueError(f"「{text}」不是文本，无法拆分成条目")
    return [item.strip() for item in _ITEM_SEPARATORS.split(text) if item.strip()]


# A cell that says "nothing here" in the ways a roster does: 「/」, 「无」, 「—」.
_PLACEHOLDERS = frozenset({"", "/", "／", "无", "-", "—", "——", "－"})


def given(value) -> bool:
    """True when a value is really there: not None, not blank, not a placeholder such as 「/」."""
    if value is None:
        return False
    return str(value).strip() not in _PLACEHOLDERS


def title_lines(text, chars_per_line=20, *keep) -> list:
    """The lines of a 公文 title broken between words (GB/T 9704 7.3.1); ``keep``: names kept whole."""
    return break_title(text, chars_per_line, keep)


FILTERS = {
    "cn_date": cn_date,
    "cn_date_upper": cn_date_upper,
    "rmb_upper": rmb_upper,
    "wan": wan,
    "total": total,
    "yuan": yuan,
    "wenhao": wenhao,
    "pad_rows": pad_rows,
    "split_items": split_items,
    "installments": installments,
    "title_lines": title_lines,
    "issuer_flag": issuer_flag,
    "given": given,
    "written_date": written_date,
}
