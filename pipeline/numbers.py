"""Numbers as kexie reads them: amounts in data files and templates, figures written in forms."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .text import fold

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def to_decimal(amount) -> Decimal:
    """An amount (int, float, Decimal, numeric string with optional commas) as Decimal; else ValueError."""
    if isinstance(amount, bool):  # bool is an int; True is not 1 yuan
        raise ValueError(f"无法识别的金额「{amount}」：应为数字")
    if isinstance(amount, int):
        return Decimal(amount)
    if isinstance(amount, float):
        # repr gives the shortest text that reads back as the same float: 1680.32, not 1680.3199…
        number = Decimal(repr(amount))
    elif isinstance(amount, Decimal):
        number = amount
    elif isinstance(amount, str):
        text = amount.strip().replace(",", "").replace("，", "")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"无法识别的金额「{amount}」：应为数字，如 350000 或 350,000.00")
        number = Decimal(text)
    else:
        raise ValueError(f"无法识别的金额「{amount}」：应为数字")
    if not number.is_finite():
        raise ValueError(f"无法识别的金额「{amount}」：应为有限的数字")
    return number


def parse_number(value) -> Decimal | None:
    """A figure as written in a form or a score sheet (「34.00」「３４」「1,200」, 85.5); None if it is none."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        try:
            return to_decimal(value)
        except (ValueError, InvalidOperation):
            return None
    text = fold(value).replace(",", "")
    if not _NUMBER.fullmatch(text):
        return None
    number = Decimal(text)
    return number if number.is_finite() else None
