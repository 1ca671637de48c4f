"""kexie announce and kexie workdays through the real CLI.

Every expected date was counted by hand from the State Council's notices (2025, 2026); the 2027
holidays below are test data in the shape of a programme's 「节假日」, NOT the official schedule.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROSTER, docx_text
from test_scores import expert_sheet, roster_submissions, write_program

# Test data only: a made-up 2027 National Day week, with two weekend days worked.
HOLIDAYS_2027 = {2027: {"休息日": [dt.date(2027, 10, d) for d in range(1, 8)],
                        "调休上班": [dt.date(2027, 9, 26), dt.date(2027, 10, 9)]}}


@pytest.fixture
def results(run, tmp_path):
    """results.xlsx from three experts over four units of the sample roster: 002 and 003 funded."""
    subs = roster_submissions(4)
    sheets = [expert_sheet(tmp_path, n, subs, {"001": 70 + d, "002": 90 + d, "003": 80 + d, "004": 60 + d})
              for n, d in (("甲", 0), ("乙", 2), ("丙", 4))]
    result = run("scores", *sheets, "--program", write_program(tmp_path), "--roster", ROSTER,
                 "--out", "results.xlsx")
    assert result.exit_code == 0, result.output
    return tmp_path / "results.xlsx", subs


def announcement(tmp_path, out="gs"):
    return docx_text(tmp_path / out / "公示.docx")


def test_national_day_2025_with_pdf(run, tmp_path, results):
    import pdfplumber

    path, subs = results
    # Fri 26 Sep (1), Sat 27 off, Sun 28 调休上班 (2), 29 (3), 30 (4), 1–8 Oct off, Thu 9 Oct (5)
    result = run("announce", path, "--program", write_program(tmp_path), "--out", "gs", "--start", "2025-09-26")
    assert result.exit_code == 0, result.output
    assert "公示期：2025年9月26日至2025年10月9日（5个工作日）" in result.output
    text = announcement(tmp_path)
    assert "公示期为2025年9月26日至2025年10月9日（5个工作日）" in text
    assert "拟确定以下2个项目" in text
    names = text.replace("\n", "")  # a long 项目名称 breaks between words in its cell
    assert subs[1]["项目名称"] in names and subs[2]["项目名称"] in names and subs[0]["项目名称"] not in names
    assert "75.00" in text  # 合计 38 + 37 万元, the roster's 资助金额 (issue 13 part 7; was 2 × 上限)
    assert "2025年9月26日" in text.splitlines()  # dated its start day
    with pdfplumber.open(tmp_path / "gs" / "公示.pdf") as pdf:
        pdf_text = "".join("".join((page.extract_text() or "").split()) for page in pdf.pages)  # spaced digits
    assert "公示期为2025年9月26日至2025年10月9日" in pdf_text


def test_sample_programme_2026_start_from_the_programme(run, tmp_path, results):
    path, _subs = results
    # 公示.开始 2026-09-28 (Mon): 28, 29, 30 Sep, 1–7 Oct off, 8 and 9 Oct
    result = run("announce", path, "--program", write_program(tmp_path), "--out", "gs", "--no-pdf")
    assert result.exit_code == 0, result.output
    text = announcement(tmp_path)
    assert "公示期为2026年9月28日至2026年10月9日（5个工作日）" in text
    assert "2026年9月28日" in text.splitlines()  # dated its start day
    assert not list((tmp_path / "gs").glob("*.pdf"))


def test_calendar_days(run, tmp_path, results):
    path, _subs = results
    program = write_program(tmp_path, notice={"天数": 10, "计日": "自然日"})
    # 10 calendar days from 28 Sep, holidays included: 28 Sep … 7 Oct
    result = run("announce", path, "--program", program, "--out", "gs", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "公示期为2026年9月28日至2026年10月7日（10个自然日）" in announcement(tmp_path)


def test_2027_without_its_holidays_is_refused_naming_the_year(run, tmp_path, results):
    path, _subs = results
    result = run("announce", path, "--program", write_program(tmp_path), "--out", "gs", "--start", "2027-09-30",
                 "--no-pdf")
    assert result.exit_code == 1
    assert "2027年的法定节假日和调休安排尚未知晓" in result.output
    assert not (tmp_path / "gs" / "公示.docx").exists()


def test_2027_with_the_holidays_in_the_programme(run, tmp_path, results):
    path, _subs = results
    program = write_program(tmp_path, holidays=HOLIDAYS_2027)
    # Thu 30 Sep (1), 1–7 Oct off, Fri 8 (2), Sat 9 调休上班 (3), Sun 10 off, Mon 11 (4), Tue 12 (5)
    result = run("announce", path, "--program", program, "--out", "gs", "--start", "2027-09-30", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "公示期为2027年9月30日至2027年10月12日（5个工作日）" in announcement(tmp_path)


# rows without a leader: tests/test_no_blanks.py (each is left out, the rest published, exit 1)


# --- kexie workdays ------------------------------------------------------------------------


def test_workdays_across_national_day_2025(run):
    result = run("workdays", "2025-09-26", "5")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2025-10-09"
    assert lines[1] == "5个工作日：2025年9月26日至2025年10月9日"


def test_workdays_verbose_lists_the_days_counted(run):
    result = run("workdays", "2025-09-27", "5", "--verbose")  # a Saturday: counting starts Sunday 28 (调休)
    assert result.exit_code == 0, result.output
    days = [line.split()[1] for line in result.output.splitlines() if line.strip()[:1].isdigit() and ". " in line]
    assert days == ["2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10"]
    assert "调休上班" in result.output and "2025年9月27日不是工作日" in result.output


def test_workdays_unknown_year_and_programme_holidays(run, tmp_path):
    result = run("workdays", "2027-09-30", "5")
    assert result.exit_code == 1 and "2027年" in result.output
    program = write_program(tmp_path, holidays=HOLIDAYS_2027)
    result = run("workdays", "2027-09-30", "5", "--program", program)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "2027-10-12"


def test_dated_its_issue_day_and_never_after_the_start(run, tmp_path, results):
    """The 落款 is the day the 公示 is issued (--date, else 「公示.发布」, else its start), on or
    before the first day of the period (issue 13 part 2)."""
    path, _subs = results
    program = write_program(tmp_path)
    issued = run("announce", path, "--program", program, "--out", "gs", "--no-pdf", "--date", "2026-09-25")
    assert issued.exit_code == 0, issued.output
    lines = [line for line in announcement(tmp_path).splitlines() if line.strip() and not line.startswith("—")]
    assert lines[-1] == "2026年9月25日"
    late = run("announce", path, "--program", program, "--out", "late", "--no-pdf", "--date", "2026-09-29")
    assert late.exit_code == 2 and "落款日期2026年9月29日晚于公示开始日期2026年9月28日" in late.output
    assert not (tmp_path / "late" / "公示.docx").exists()
