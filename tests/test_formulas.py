"""Issue 15, attack 2: an applicant's (or a file name's, or an experts file's) text that looks like
a formula stays text in every spreadsheet kexie writes, and CSV cells get OWASP's 「'」; the HTML
report's page pictures are drawn once and kept in the workspace.

The hostile strings are planted where each output takes its text from: a returned PDF (filled
from the 申报书 template and rendered, one LibreOffice run), a PDF's file name, the experts file,
and the score sheets an expert sends back.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import PROGRAM
from test_packet import draw_submission, fields_for
from test_validate import complete_fields, form_record

from pipeline.xlsx import FORMULA_START

HYPERLINK = '=HYPERLINK("http://evil.example/x","点此查看")'
DDE = "=cmd|' /C calc'!A0"
#: what an applicant may type into a form's boxes (text from a PDF loses a leading tab or CR)
IN_FORM = {"申报单位": HYPERLINK, "试点单位": DDE, "申报单位负责人.姓名": "=1+2", "试点单位负责人.姓名": "@SUM(1)",
           "申报单位负责人.通讯地址": "-1+2", "试点单位负责人.通讯地址": "+1"}


def string_cells(path: Path) -> list[tuple[str, str, object, str, bool]]:
    """(sheet, coordinate, value, data_type, quote prefix) of every cell holding something that starts
    like a formula, as Excel will see it (openpyxl reads a formula back with data_type 'f')."""
    book = openpyxl.load_workbook(path)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (cell.data_type == "f" or cell.value.startswith(FORMULA_START)):
                    found.append((sheet.title, cell.coordinate, cell.value, cell.data_type, bool(cell.quotePrefix)))
    return found


def assert_text_only(path: Path, must_hold: list[str], allowed_formula=lambda value: False) -> None:
    """Every formula-like cell of ``path`` is a string cell with Excel's quote prefix (so that editing
    it keeps it text; kexie's own formulas aside), and each of ``must_hold`` reached the workbook (so
    the check is about something)."""
    cells = string_cells(path)
    live = [c for c in cells if c[3] == "f" and not allowed_formula(c[2])]
    assert not live, f"{path.name}: live formulas {live}"
    unquoted = [c for c in cells if c[3] == "s" and not c[4]]
    assert not unquoted, f"{path.name}: formula-like text without the quote prefix {unquoted}"
    values = [c[2] for c in cells if c[3] == "s"]
    for text in must_hold:
        assert any(text in v for v in values), f"{path.name}: 「{text!r}」 not written as text; found {values}"


def write_data(path: Path, fields: dict) -> None:
    """A data record for ``kexie fill 申报书`` from flat fields."""
    path.write_text(json.dumps([form_record(fields)], ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_return(tmp_path_factory):
    """A returned 申报书 whose boxes hold formulas, rendered to PDF once for the module."""
    from pipeline.fill import fill
    from pipeline.records import load_records
    from pipeline.render import find_template

    root = tmp_path_factory.mktemp("hostile")
    fields = complete_fields()
    fields.update(IN_FORM)
    write_data(root / "data.json", fields)
    results = fill(find_template("申报书"), load_records(root / "data.json"), root / "pdf", pdf=True,
                   name_pattern="申报书")
    assert all(r.pdf for r in results), [r.error for r in results]
    return results[0].pdf


def test_validation_report_keeps_applicant_text_and_file_names_as_text(run, tmp_path, hostile_return):
    shutil.copy(hostile_return, tmp_path / "=1+2.pdf")
    shutil.copy(hostile_return, tmp_path / "@SUM(1).pdf")
    result = run("validate", "=1+2.pdf", "@SUM(1).pdf", "--program", PROGRAM, "--db", "ws.sqlite",
                 "--report", "v.xlsx", "--report", "v.html")
    assert result.exit_code == 1, result.output
    assert_text_only(tmp_path / "v.xlsx", ["=HYPERLINK(", "=cmd|", "=1+2.pdf", "@SUM(1).pdf"])


def test_extract_xlsx_and_csv_keep_applicant_text_as_text(run, tmp_path, hostile_return):
    names = ["-1+2.pdf", "\t=1+2.pdf", "\r=1+2.pdf"]  # a tab and a CR start a file name too
    for name in names:
        shutil.copy(hostile_return, tmp_path / name)
    result = run("extract", "--format", "xlsx", "--out", "e.xlsx", "--", *names)
    assert result.exit_code == 0, result.output
    assert_text_only(tmp_path / "e.xlsx", ["=HYPERLINK(", "=cmd|", "=1+2", "@SUM(1)", "-1+2", "+1", *names])

    result = run("extract", "--format", "csv", "--out", "e.csv", "--", *names)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "e.csv").read_bytes().decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)], cells
    for text in ("=HYPERLINK(", "=cmd|", "=1+2", "@SUM(1)", "-1+2", "+1", *names):
        assert any(c.startswith("'" + text) for c in cells), (text, cells)


def test_a_control_character_in_a_file_name_is_written_not_a_traceback(run, tmp_path, hostile_return):
    # openpyxl refuses control characters (IllegalCharacterError); Linux file names may hold them
    shutil.copy(hostile_return, tmp_path / "扫描\x07件.pdf")
    result = run("extract", "扫描\x07件.pdf", "--format", "xlsx", "--out", "e.xlsx")
    assert result.exit_code == 0, result.output
    names = [row[0] for row in openpyxl.load_workbook(tmp_path / "e.xlsx").worksheets[0].iter_rows(values_only=True)]
    assert "扫描\ufffd件.pdf" in names


# --- packets: the score sheets, assignment.xlsx; then results.xlsx from the sheets sent back ----


def kexie_total(value: str) -> bool:
    """The score sheet's own 总分 formula (=IF(COUNT(E6:I6)<5,"",ROUND(…,2)))."""
    return value.startswith("=IF(COUNT(") and "HYPERLINK" not in value and "cmd" not in value


@pytest.fixture
def packets(run, tmp_path):
    """Packets for two hostile submissions (one with a formula for a file name) and hostile experts."""
    folder = tmp_path / "申报材料"
    folder.mkdir()
    entries = []
    for i, (name, applicant, pilot) in enumerate([("=1+2.pdf", HYPERLINK, "+1"), ("正常.pdf", "@SUM(1)", DDE)]):
        fields = dict(fields_for(i), 申报单位=applicant, 试点单位=pilot)
        draw_submission(folder / name, fields, 4)
        entries.append({"file": str(folder / name), "status": "complete", "error": None, "fields": fields,
                        "problems": []})
    report = tmp_path / "validation.json"
    report.write_text(json.dumps({"files": entries, "summary": {}}, ensure_ascii=False), encoding="utf-8")
    experts = tmp_path / "experts.csv"
    experts.write_text("姓名,单位,组别\n=1+2,-1+2,第一组\n@SUM(1),北京大学,第一组\n", encoding="utf-8")
    out = tmp_path / "评审包"
    result = run("packet", report, "--experts", experts, "--program", PROGRAM, "--out", out, "--date", "2026-07-10")
    assert result.exit_code == 0, result.output
    return tmp_path, out


def test_assignment_and_every_score_sheet_keep_text_as_text(packets):
    root, out = packets
    assignment, = root.rglob("assignment.xlsx")
    assert_text_only(assignment, [HYPERLINK, DDE, "=1+2.pdf", "@SUM(1)", "-1+2", "+1"])
    sheets = [p for p in out.rglob("*.xlsx") if p.name != "assignment.xlsx"]
    assert len(sheets) == 2
    for sheet in sheets:
        assert_text_only(sheet, [HYPERLINK, DDE, "@SUM(1)"], allowed_formula=kexie_total)
    assert any(sheet.name.endswith("=1+2.xlsx") for sheet in sheets)
    expert_cells = [cell for sheet in sheets for cell in string_cells(sheet) if cell[2] in ("=1+2", "@SUM(1)")]
    assert {c[2] for c in expert_cells} >= {"=1+2", "@SUM(1)"} and all(c[3] == "s" for c in expert_cells)


def test_results_keep_text_from_the_sheets_as_text(run, packets):
    from pipeline.scoresheet import FIRST_ROW, HEADER_ROW

    root, out = packets
    sheets = sorted(p for p in out.rglob("*.xlsx") if p.name != "assignment.xlsx")
    for path in sheets:  # the expert fills the yellow cells only
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[HEADER_ROW]]
        first = header.index("针对性") + 1
        for row in range(FIRST_ROW, sheet.max_row + 1):
            if sheet.cell(row=row, column=1).value:
                for col in range(first, first + 5):
                    sheet.cell(row=row, column=col, value=80)
        book.save(path)
    result = run("scores", *sheets, "--program", PROGRAM, "--out", root / "results.xlsx")
    assert result.exit_code in (0, 1), result.output
    assert_text_only(root / "results.xlsx", [HYPERLINK, DDE, "@SUM(1)", "+1"])


# --- the HTML report's pictures: drawn once, kept in the workspace ----------------------------


def test_an_unchanged_rerun_draws_no_page_again(run, tmp_path, hostile_return, monkeypatch):
    import pipeline.report.pictures as pictures

    shutil.copy(hostile_return, tmp_path / "a.pdf")
    drawn = []
    render = pictures.render_pages

    def counted(path, dpi, numbers=None):
        drawn.append((Path(path).name, list(numbers or [])))
        return render(path, dpi, numbers)

    monkeypatch.setattr(pictures, "render_pages", counted)
    result = run("validate", "a.pdf", "--program", PROGRAM, "--db", "ws.sqlite", "--report", "first.html")
    assert result.exit_code == 1, result.output
    first = (tmp_path / "first.html").read_text(encoding="utf-8")
    assert drawn and "data:image/png;base64," in first
    drawn.clear()
    result = run("validate", "a.pdf", "--program", PROGRAM, "--db", "ws.sqlite", "--report", "again.html")
    assert result.exit_code == 1, result.output
    assert drawn == []
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == first


def test_a_changed_file_gets_its_pictures_drawn_again(run, tmp_path, hostile_return, monkeypatch):
    import pikepdf

    import pipeline.report.pictures as pictures

    shutil.copy(hostile_return, tmp_path / "a.pdf")
    result = run("validate", "a.pdf", "--program", PROGRAM, "--db", "ws.sqlite", "--report", "first.html")
    assert result.exit_code == 1, result.output
    with pikepdf.open(hostile_return) as pdf:  # the same pages, other bytes: another SHA-256
        pdf.docinfo["/Title"] = "改过的申报书"
        pdf.save(tmp_path / "a.pdf")
    drawn = []
    render = pictures.render_pages
    monkeypatch.setattr(pictures, "render_pages", lambda path, dpi, numbers=None: drawn.append(path) or
                        render(path, dpi, numbers))
    result = run("validate", "a.pdf", "--program", PROGRAM, "--db", "ws.sqlite", "--report", "again.html")
    assert result.exit_code == 1, result.output
    assert drawn, "a changed file must not be shown with the pictures of its old bytes"
    assert "data:image/png;base64," in (tmp_path / "again.html").read_text(encoding="utf-8")
