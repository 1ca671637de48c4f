"""公示 periods counted in working days (or calendar days) on the official Chinese schedule.

Working days follow the State Council's yearly notice: weekends and 法定节假日 are off, and a
调休上班 weekend day is worked. ``chinesecalendar`` holds the notices it has been released with
(2004–2026 in 1.11.0); a programme may supply further years under its 「节假日」 key, and those
take precedence. A year neither covers is refused, never estimated.

A period counts its start day: 「5个工作日（10月30日—11月3日）」.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import chinese_calendar

from .dates import as_date
from .errors import CalendarYearUnknown, ProgramFileError

COUNTINGS = ("工作日", "自然日")
_HOLIDAY_KEYS = ("休息日", "调休上班")


def _holiday_error(reason: str) -> ProgramFileError:
    # The extra years come from a programme file's 「节假日」; the loader may not know its path here.
    return ProgramFileError(None, f"「节假日」{reason}")


class WorkCalendar:
    """Which days are working days: a programme's own years first, then chinesecalendar's.

    A year given in ``extra`` replaces the package's data for that year as a whole: its
    「休息日」 are the days off besides weekends, its 「调休上班」 the weekend days worked.
    """

    def __init__(self, extra: Mapping | None = None):
        #: year → (days off, 调休 working days)
        self._extra: dict[int, tuple[frozenset, frozenset]] = {}
        for year_key, spec in (extra or {}).items():
            try:
                year = int(year_key)
            except (TypeError, ValueError):
                raise _holiday_error(f"中的「{year_key}」应为年份，如 2027") from None
            if not isinstance(spec, Mapping):
                raise _holiday_error(f"中{year}年应写明「休息日」和「调休上班」两项")
            unknown = [key for key in spec if key not in _HOLIDAY_KEYS]
            if unknown:
                raise _holiday_error(
                    f"中{year}年有不认识的项「{'、'.join(map(str, unknown))}」：只能写「休息日」和「调休上班」"
                )
            if "休息日" not in spec:
                # An empty year would silently mean "no holidays at all": refuse instead.
                raise _holiday_error(f"中{year}年缺少「休息日」（当年的法定节假日放假日期）")
            lists = []
            for key in _HOLIDAY_KEYS:
                days = set()
                for value in spec.get(key) or []:
                    try:
                        day = as_date(value)
                    except ValueError:
                        raise _holiday_error(f"中{year}年「{key}」的「{value}」不是日期") from None
                    if day.year != year:
                        raise _holiday_error(f"中{year}年「{key}」列出了其他年份的日期 {day.isoformat()}")
                    days.add(day)
                lists.append(frozenset(days))
            days_off, days_on = lists
            both = sorted(days_off & days_on)
            if both:
                listed = "、".join(day.isoformat() for day in both)
                raise _holiday_error(f"中{year}年的 {listed} 同时列在「休息日」和「调休上班」中")
            self._extra[year] = (days_off, days_on)

    def is_workday(self, day) -> bool:
        """Tell whether a day is a working day; raise CalendarYearUnknown for an unknown year."""
        day = as_date(day)
        if day.year in self._extra:
            days_off, days_on = self._extra[day.year]
            if day in days_on:
                return True
            if day in days_off:
                return False
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            # chinesecalendar raises this outside the years whose notices it holds
            raise CalendarYearUnknown(day.year) from None


def _check_period(days, counting) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"公示天数「{days}」应为正整数")
    if counting not in COUNTINGS:
        raise ValueError(f"计日方式「{counting}」应为「工作日」或「自然日」")


def start_of_period(start, counting: str = "工作日", calendar: WorkCalendar | None = None) -> _dt.date:
    """The first counted day: start itself, or with 工作日 the first working day from start on."""
    day = as_date(start, "开始日期")
    if counting not in COUNTINGS:
        raise ValueError(f"计日方式「{counting}」应为「工作日」或「自然日」")
    if counting == "自然日":
        return day
    calendar = calendar or WorkCalendar()
    while not calendar.is_workday(day):
        day += _dt.timedelta(days=1)
    return day


def end_of_period(
    start, days: int, counting: str = "工作日", calendar: WorkCalendar | None = None
) -> _dt.date:
    """The last day of a period of ``days`` days that starts on ``start`` and counts it."""
    _check_period(days, counting)
    day = as_date(start, "开始日期")
    if counting == "自然日":
        return day + _dt.timedelta(days=days - 1)
    calendar = calendar or WorkCalendar()
    counted = 0
    while True:
        if calendar.is_workday(day):
            counted += 1
            if counted == days:
                return day
        day += _dt.timedelta(days=1)


def period_from_program(program: Mapping, start) -> tuple[_dt.date, _dt.date]:
    """The 公示 period (first counted day, last day) for a programme's 「公示」 starting on start."""
    notice = program.get("公示")
    if not isinstance(notice, Mapping) or "天数" not in notice or "计日" not in notice:
        raise ProgramFileError(None, "缺少「公示」的「天数」或「计日」，无法计算公示期")
    days, counting = notice["天数"], notice["计日"]
    try:
        _check_period(days, counting)
    except ValueError as error:
        raise ProgramFileError(None, f"「公示」{error}") from None
    calendar = WorkCalendar(program.get("节假日")) if counting == "工作日" else None
    first = start_of_period(start, counting, calendar)
    return first, end_of_period(first, days, counting, calendar)
