"""公示 periods on the official schedules (the State Council notices for 2025 and 2026).

Every expected date below was counted by hand from those notices; the comments show the count.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import CalendarYearUnknown, KexieError, ProgramFileError
from pipeline.workdays import WorkCalendar, end_of_period, period_from_program, start_of_period

D = dt.date

# Test data only, in the shape of a programme's 「节假日」: NOT the official 2027 schedule.
EXTRA_2027 = {
    2027: {
        "休息日": [D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3)],  # Fri–Sun
        "调休上班": [D(2027, 1, 9)],  # a Saturday
    }
}


# --- the calendar itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2025, 9, 27), False),  # Saturday before National Day
        (D(2025, 9, 28), True),  # Sunday, 调休上班
        (D(2025, 10, 1), False),
        (D(2025, 10, 8), False),  # 2025 National Day + Mid-Autumn: Oct 1–8 off
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),  # Saturday, 调休上班
        (D(2025, 10, 12), False),
        (D(2026, 1, 4), True),  # Sunday, 调休上班 after 元旦 Jan 1–3
        (D(2026, 2, 14), True),  # Saturday, 调休上班 before 春节 Feb 15–23
        (D(2026, 2, 23), False),
        (D(2026, 2, 28), True),  # Saturday, 调休上班
        (D(2026, 9, 20), True),  # Sunday, 调休上班 before 国庆
        (D(2026, 9, 25), False),  # 中秋 Sep 25–27 (a Friday)
        (D(2026, 10, 7), False),  # 2026 国庆 Oct 1–7 off
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, 调休上班
    ],
)
def test_official_schedule(day, expected):
    assert WorkCalendar().is_workday(day) is expected


@pytest.mark.parametrize("day", [D(2027, 1, 4), D(2003, 6, 2), "2027-03-01"])
def test_year_unknown_is_refused(day):
    with pytest.raises(CalendarYearUnknown) as caught:
        WorkCalendar().is_workday(day)
    assert caught.value.year == int(str(day)[:4])
    assert "节假日" in str(caught.value)
    assert isinstance(caught.value, KexieError)


def test_extra_year_is_used():
    calendar = WorkCalendar(EXTRA_2027)
    assert calendar.is_workday(D(2027, 1, 1)) is False  # listed holiday on a Friday
    assert calendar.is_workday(D(2027, 1, 4)) is True  # plain Monday
    assert calendar.is_workday(D(2027, 1, 9)) is True  # listed 调休上班 Saturday
    assert calendar.is_workday(D(2027, 1, 10)) is False  # plain Sunday


def test_extra_year_replaces_the_package():
    # A programme's own year takes precedence over chinesecalendar's, as a whole year.
    calendar = WorkCalendar({2026: {"休息日": [D(2026, 10, 8)]}})
    assert calendar.is_workday(D(2026, 10, 8)) is False
    assert calendar.is_workday(D(2026, 10, 1)) is True  # not listed here, a Thursday
    assert calendar.is_workday(D(2026, 9, 20)) is False  # no 调休上班 listed: a plain Sunday
    assert calendar.is_workday(D(2025, 10, 1)) is False  # other years still from the package


def test_extra_year_from_yaml_shapes():
    # YAML may give the year as a string key and the dates as ISO strings
    calendar = WorkCalendar({"2027": {"休息日": ["2027-01-01"], "调休上班": None}})
    assert calendar.is_workday(D(2027, 1, 1)) is False
    assert calendar.is_workday(D(2027, 1, 4)) is True


@pytest.mark.parametrize(
    "extra, words",
    [
        ({"明年": {"休息日": []}}, "明年"),
        ({2027: [D(2027, 1, 1)]}, "2027"),
        ({2027: {"调休上班": [D(2027, 1, 9)]}}, "缺少「休息日」"),
        ({2027: {"休息日": [], "放假": []}}, "放假"),
        ({2027: {"休息日": [D(2028, 1, 1)]}}, "2028-01-01"),
        ({2027: {"休息日": ["一月一日"]}}, "一月一日"),
        ({2027: {"休息日": [D(2027, 1, 9)], "调休上班": [D(2027, 1, 9)]}}, "2027-01-09"),
    ],
)
def test_bad_extra_years_are_refused_by_name(extra, words):
    with pytest.raises(ProgramFileError) as caught:
        WorkCalendar(extra)
    assert words in str(caught.value)


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, days, expected",
    [
        # FIELD-NOTES: 「5个工作日（10月30日—11月3日）」, 2023: Mon–Fri
        (D(2023, 10, 30), 5, D(2023, 11, 3)),
        # Fri 26 (1), Sat 27 off, Sun 28 调休 (2), 29 (3), 30 (4), Oct 1–8 off, Thu Oct 9 (5)
        (D(2025, 9, 26), 5, D(2025, 10, 9)),
        # … Fri Oct 10 (6), Sat Oct 11 调休 (7)
        (D(2025, 9, 26), 7, D(2025, 10, 11)),
        # … Sun 12 off, Mon 13 (8), 14 (9), 15 (10)
        (D(2025, 9, 26), 10, D(2025, 10, 15)),
        (D(2025, 9, 26), 1, D(2025, 9, 26)),  # one day: the start day itself
        # Sat 25 off → starts Mon 27: 27, 28, 29, 30, 31
        (D(2025, 10, 25), 5, D(2025, 10, 31)),
        # Sat 27 off → starts on the 调休 Sunday 28: 28, 29, 30, Oct 9, Oct 10
        (D(2025, 9, 27), 5, D(2025, 10, 10)),
        # 2026: Fri 18 (1), Sat 19 off, Sun 20 调休 (2), 21 (3), 22 (4), 23 (5)
        (D(2026, 9, 18), 5, D(2026, 9, 23)),
        # 2026: 21–24 (4), 中秋 25–27 off, 28–30 (7), 国庆 Oct 1–7 off, 8 (8), 9 (9), Sat 10 调休 (10)
        (D(2026, 9, 21), 10, D(2026, 10, 10)),
        # 2026 春节: Thu 12 (1), Fri 13 (2), Sat 14 调休 (3), 15–23 off, Tue 24 (4), Wed 25 (5)
        (D(2026, 2, 12), 5, D(2026, 2, 25)),
        ("2025-09-26", 5, D(2025, 10, 9)),  # ISO strings too
    ],
)
def test_working_day_periods(start, days, expected):
    assert end_of_period(start, days) == expected
    assert end_of_period(start, days, "工作日") == expected


@pytest.mark.parametrize(
    "start, expected",
    [
        (D(2025, 9, 26), D(2025, 9, 26)),
        (D(2025, 10, 25), D(2025, 10, 27)),  # Saturday → Monday
        (D(2025, 10, 1), D(2025, 10, 9)),  # holiday → first day after it
        (D(2025, 9, 27), D(2025, 9, 28)),  # Saturday → 调休 Sunday
    ],
)
def test_start_of_period(start, expected):
    assert start_of_period(start) == expected


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (D(2025, 9, 26), 5, D(2025, 9, 30)),  # holidays do not matter
        (D(2025, 10, 25), 7, D(2025, 10, 31)),  # nor weekends
        (D(2026, 12, 28), 7, D(2027, 1, 3)),  # nor unknown years
        (D(2024, 2, 27), 5, D(2024, 3, 2)),  # leap year: Feb 29 counts
    ],
)
def test_calendar_day_periods(start, days, expected):
    assert end_of_period(start, days, "自然日") == expected


def test_period_into_an_unknown_year_is_refused():
    # Mon 28 … Thu 31 Dec 2026 are 4 days; the fifth falls in 2027, which nobody knows yet.
    with pytest.raises(CalendarYearUnknown) as caught:
        end_of_period(D(2026, 12, 28), 5)
    assert caught.value.year == 2027
    with pytest.raises(CalendarYearUnknown):
        end_of_period(D(2027, 1, 4), 5)


def test_period_in_a_supplied_year():
    calendar = WorkCalendar(EXTRA_2027)
    # Jan 1–3 off, Mon 4 … Fri 8
    assert end_of_period(D(2027, 1, 1), 5, calendar=calendar) == D(2027, 1, 8)
    # … Sat 9 调休 (6)
    assert end_of_period(D(2027, 1, 1), 6, calendar=calendar) == D(2027, 1, 9)
    # 2026 from the package, 2027 from the programme: Dec 28–31 (4), Jan 1–3 off, Mon 4 (5)
    assert end_of_period(D(2026, 12, 28), 5, calendar=calendar) == D(2027, 1, 4)


@pytest.mark.parametrize(
    "days, counting", [(0, "工作日"), (-1, "工作日"), (True, "工作日"), (2.5, "工作日"), (5, "周")]
)
def test_bad_periods(days, counting):
    with pytest.raises(ValueError):
        end_of_period(D(2025, 9, 26), days, counting)


# --- from a programme ----------------------------------------------------------------------


def test_period_from_program_working_days():
    program = {"公示": {"天数": 5, "计日": "工作日"}}
    assert period_from_program(program, D(2025, 9, 26)) == (D(2025, 9, 26), D(2025, 10, 9))
    # published on a Saturday: the period runs from Monday
    assert period_from_program(program, D(2025, 10, 25)) == (D(2025, 10, 27), D(2025, 10, 31))


def test_period_from_program_calendar_days():
    program = {"公示": {"天数": 7, "计日": "自然日"}}
    assert period_from_program(program, D(2025, 10, 25)) == (D(2025, 10, 25), D(2025, 10, 31))


def test_period_from_program_uses_its_holidays():
    program = {"公示": {"天数": 5, "计日": "工作日"}, "节假日": EXTRA_2027}
    assert period_from_program(program, D(2027, 1, 1)) == (D(2027, 1, 4), D(2027, 1, 8))
    with pytest.raises(CalendarYearUnknown):
        period_from_program({"公示": {"天数": 5, "计日": "工作日"}}, D(2027, 1, 1))


@pytest.mark.parametrize(
    "program, words",
    [
        ({}, "公示"),
        ({"公示": {"天数": 5}}, "计日"),
        ({"公示": {"天数": 0, "计日": "工作日"}}, "天数"),
        ({"公示": {"天数": 5, "计日": "周"}}, "周"),
    ],
)
def test_period_from_bad_program(program, words):
    with pytest.raises(ProgramFileError) as caught:
        period_from_program(program, D(2025, 9, 26))
    assert words in str(caught.value)
