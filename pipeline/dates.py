"""Dates, in the two ways kexie meets them: ISO in the files the office writes, and as people
write them in a returned form.

- Programme files, data files and the CLI give ISO dates (``2026-06-10``, a month ``2026-06``)
  or YAML/Excel date objects: :func:`as_date` and :func:`iso_parts` accept those and nothing
  else, so a typo is refused rather than guessed.
- A returned form holds 「2026年6月5日」, 「2026.6.5」, 「1980.05」, 「2026年7月至2027年6月」, in full-
  or half-width digits: :func:`parse_date`, :func:`parse_month` and :func:`parse_period` read them
  and give None for anything else (形式审查 reports it as a format problem).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

from .text import fold

# --- ISO, in the office's own files ------------------------------------------------------------

_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def as_date(value, what: str = "日期") -> _dt.date:
    """A date, a datetime (its date) or an ISO string 「2026-03-05」 as a date; else ValueError."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            if match := _ISO_DAY.fullmatch(value.strip()):
                _refuse_nonexistent(value, *(int(g) for g in match.groups()))
    raise ValueError(f"无法识别的{what}「{value}」：请写成 2026-03-05 的形式")


def read_day(text: str) -> _dt.date:
    """A day as a person types it on the command line: 「2026-03-05」 or 「2026年3月5日」; else
    ValueError saying whether it is no date at all or a day the calendar lacks (2026年6月31日)."""
    folded = _arabic(fold(text))
    match = _ISO_DAY.fullmatch(folded) or _DATE.match(folded)
    if not match:
        raise ValueError(f"「{text}」不是日期：请写成 2026-03-05 或 2026年3月5日 的形式")
    year, month, day = (int(g) for g in match.groups())
    _refuse_nonexistent(text, year, month, day)
    return _dt.date(year, month, day)


def why_no_such_day(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is no day of the calendar (「2026年6月只有30天」); None when it is one."""
    if not 1 <= year <= 9999:
        return f"年份「{year}」不对"
    if not 1 <= month <= 12:
        return f"月份应为1至12，现为{month}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{year}年{month}月只有{last}天"
    return None


def _refuse_nonexistent(text, year: int, month: int, day: int) -> None:
    why = why_no_such_day(year, month, day)
    if why:
        raise ValueError(f"日期不存在：「{text}」（{why}）")


def nonexistent_written_date(text) -> str | None:
    """For a returned form's date that :func:`parse_date` refuses: why, when it has a date's shape
    but the calendar lacks the day (「2026年6月31日」: 「2026年6月只有30天」); else None."""
    match = _DATE.match(_arabic(fold(text)))
    return why_no_such_day(*(int(g) for g in match.groups())) if match else None


def iso_parts(value) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of a date, a datetime or an ISO day or month; None when empty."""
    if value is None:
        return None
    if isinstance(value, _dt.date):  # datetime is a date too
        return value.year, value.month, value.day
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if match := _ISO_DAY.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            _refuse_nonexistent(value, year, month, day)  # 2026-02-30: 日期不存在, not a format example
            return year, month, day
        try:
            if match := _ISO_MONTH.fullmatch(text):
                year, month = (int(g) for g in match.groups())
                _dt.date(year, month, 1)
                return year, month, None
        except ValueError:
            pass
    raise ValueError(f"无法识别的日期「{value}」：请写成 2026-03-05 或 2026-03 的形式")


# --- as written in a returned form ---------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$")
_MONTH = re.compile(r"^(\d{4})(?:[年.\-/]?)(\d{1,2})月?$")
_PERIOD = re.compile(r"^(.+?)(?:至|到|[-~—–－]+)(.+)$")
#: a date inside other text (what a 「年 月 日」 line holds once filled in)
DATE_IN_TEXT = re.compile(r"\d{2,4}年\d{1,2}月\d{1,2}日")


def parse_date(text) -> _dt.date | None:
    """「2026年6月5日」「2026.6.5」「2026-06-05」「二〇二六年六月五日」 → date; None when not a date."""
    m = _DATE.match(_arabic(fold(text)))
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_month(text) -> tuple[int, int] | None:
    """「1980.05」「1980年5月」「1980-5」「198005」 → (year, month)."""
    folded = _arabic(fold(text))
    day = parse_date(folded)
    if day:
        return day.year, day.month
    m = _MONTH.match(folded)
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2100:
        return None
    return int(m.group(1)), int(m.group(2))


def parse_period(text) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """「2026年7月至2027年6月」 → ((2026, 7), (2027, 6)); days, if written, are ignored."""
    m = _PERIOD.match(fold(text))
    if not m:
        return None
    start, end = (parse_month(part) for part in m.groups())
    if not start or not end or end < start:
        return None
    return start, end


_CHINESE_DIGITS = set("〇零一二三四五六七八九十")


def _arabic(text: str) -> str:
    """A date written in Chinese numerals (「二〇二六年五月三十日」, usual beside a seal) in figures."""
    if not any(char in _CHINESE_DIGITS for char in text):
        return text
    import cn2an  # loads its tables (0.2 s) only for such a date

    try:
        return cn2an.transform(text, "cn2an")
    except (ValueError, KeyError, IndexError):
        return text


def months_between(start: tuple[int, int], end: tuple[int, int]) -> int:
    """End month minus start month: seed 004's own 「2020年7月至2021年7月」 is its 「原则上为1年」."""
    return (end[0] * 12 + end[1]) - (start[0] * 12 + start[1])
