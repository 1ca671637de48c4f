"""The formats a form's ``checks`` give its values (手机、邮编、日期…): which applies to a key, and
whether a text satisfies it. Used where values are checked (:mod:`pipeline.validate`) and where
an OCR reading is weighed against what the box is meant to hold (:mod:`pipeline.match`)."""

from __future__ import annotations

import re

from ..dates import parse_date, parse_month, parse_period
from ..numbers import parse_number
from ..text import fold
from .definition import key_matches

PARSERS = {"date": parse_date, "month": parse_month, "period": parse_period, "number": parse_number}


def format_name(checks: dict, key: str) -> str | None:
    """The name of the format that applies to ``key`` (``*.手机`` → ``mobile``), if any."""
    return next((name for pattern, name in (checks.get("format_of") or {}).items() if key_matches(pattern, key)),
                None)


def satisfies(rule: dict, value: str) -> bool:
    """Whether ``value`` (whitespace folded) is written as the format ``rule`` asks."""
    text = fold(value)
    if "pattern" in rule:
        return re.fullmatch(rule["pattern"], text) is not None
    return PARSERS[rule["parse"]](text) is not None
