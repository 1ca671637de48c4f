"""The expert score sheet: one .xlsx workbook per expert, written for them and read back.

The layout is fixed so a returned workbook can be read without guessing:

    row 1   title
    row 2   A2 「评审专家」 B2 the expert's name      C2 「评审组别」 D2 the group
    row 3   how to fill the sheet
    row 4   header: 编号 | the form's identity columns (申报单位 | 试点单位) | one column per
            criterion | 总分
    row 5   「满分」 in A5, the maximum under each criterion (and 100 under 总分): what tells the
            criteria from the identity columns when the sheet is read back
    row 6…  one row per submission

Score cells accept a decimal between 0 and the criterion's 满分 (Excel data validation, which
WPS honours too); 总分 is a formula giving the weighted total (Σ score ÷ 满分 × 权重). Rows 1–5
and columns A–D stay frozen while the expert scrolls. The sheet is named 「评分表」; it is
protected without a password, its yellow score cells alone unlocked, so that a slip of the hand
cannot change a 编号 (protection is not security: ``pipeline.admit`` compares every cell outside
the yellow ones with what was written, ``expected_cells``).

A sheet made by ``kexie packet`` carries its run's id and its expert's id on a very hidden sheet
「kexie」 (B1, B2), which Excel and WPS keep when the expert saves; ``read_stamp`` reads them.
This module is the only one that knows the layout; ``pipeline.scores`` works on what
``read_score_sheet`` returns.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from .errors import DataFileError, NotThisForm
from .files import write_atomic
from .records import read_sheet
from .xlsx import put

SHEET_NAME = "评分表"
STAMP_SHEET = "kexie"
#: the stamp sheet's cells: (label, value) for the run id and the expert id
RUN_CELLS, EXPERT_ID_CELLS = ("A1", "B1"), ("A2", "B2")
EXPERT_LABEL, GROUP_LABEL = "评审专家", "评审组别"
#: the fixed cells of the header block: (label cell, value cell)
EXPERT_CELLS, GROUP_CELLS = ("A2", "B2"), ("C2", "D2")
HEADER_ROW, MAX_ROW, FIRST_ROW = 4, 5, 6
#: the columns before the criteria when the form names none: 编号 first, always
SUBMISSION_COLUMNS = ("编号", "申报单位", "试点单位", "项目名称")
CODE_COLUMN = "编号"
TOTAL_COLUMN = "总分"
_WIDTHS = {"编号": 8, "申报单位": 24, "试点单位": 24, "项目名称": 36}


def write_score_sheet(path, expert: str, group: str, submissions: list[dict], criteria: list[dict],
                      title: str = "专家评审评分表", columns=SUBMISSION_COLUMNS, *, run_id: str | None = None,
                      expert_id: str | None = None) -> Path:
    """Write one expert's score sheet for ``submissions`` ({column: value}) on ``criteria``
    ({名称, 权重, 满分}); ``columns``: 编号 and the columns that name each submission;
    ``run_id`` and ``expert_id``: the packet run's and the expert's ids, stamped on the sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if not criteria:
        raise ValueError("评审标准为空，无法生成评分表")
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    columns = tuple(columns)
    if not columns or columns[0] != CODE_COLUMN:
        raise ValueError("评分表的第一列应为「编号」")
    n_columns = len(columns) + len(criteria) + 1
    last_letter = get_column_letter(n_columns)
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    shaded = PatternFill("solid", fgColor="FFF2CC")

    put(sheet["A1"], title)  # every text through the one writer: never a formula (issue 15)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last_letter}1")
    for (label_cell, value_cell), label, value in ((EXPERT_CELLS, EXPERT_LABEL, expert),
                                                  (GROUP_CELLS, GROUP_LABEL, group)):
        sheet[label_cell] = label
        sheet[label_cell].font = bold
        put(sheet[value_cell], value)
    sheet["A3"] = ("请在黄色单元格中为每个项目逐项打分（0至该项满分，可含小数），总分按权重自动计算；"
                   "请勿改动表头、编号和单元格位置。")
    sheet.merge_cells(f"A3:{last_letter}3")

    maxima = [_maximum(c) for c in criteria]
    headers = list(columns) + [str(c["名称"]) for c in criteria] + [TOTAL_COLUMN]
    for col, header in enumerate(headers, start=1):
        cell = put(sheet.cell(row=HEADER_ROW, column=col), header)
        cell.font, cell.border, cell.alignment = bold, box, Alignment(horizontal="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(header, 10)
    sheet.cell(row=MAX_ROW, column=1, value="满分").font = bold
    for i, maximum in enumerate(maxima):
        sheet.cell(row=MAX_ROW, column=len(columns) + 1 + i, value=_number(maximum))
    sheet.cell(row=MAX_ROW, column=n_columns, value=100)

    first_score = len(columns) + 1
    last_row = FIRST_ROW + len(submissions) - 1
    for offset, submission in enumerate(submissions):
        row = FIRST_ROW + offset
        for col, key in enumerate(columns, start=1):
            cell = put(sheet.cell(row=row, column=col), submission.get(key, ""))
            cell.border, cell.alignment = box, wrap
        terms = []
        for i, criterion in enumerate(criteria):
            letter = get_column_letter(first_score + i)
            cell = sheet.cell(row=row, column=first_score + i)
            cell.border, cell.fill, cell.number_format = box, shaded, "0.0#"
            cell.protection = Protection(locked=False)
            terms.append(f"{letter}{row}*{_number(criterion['权重'])}/{_number(maxima[i])}")
        span = f"{get_column_letter(first_score)}{row}:{get_column_letter(first_score + len(criteria) - 1)}{row}"
        total = sheet.cell(row=row, column=n_columns,
                           value=f'=IF(COUNT({span})<{len(criteria)},"",ROUND({"+".join(terms)},2))')
        total.border, total.number_format = box, "0.00"

    if submissions:
        for i, (criterion, maximum) in enumerate(zip(criteria, maxima)):
            letter = get_column_letter(first_score + i)
            check = DataValidation(type="decimal", operator="between", formula1="0",
                                   formula2=str(_number(maximum)), allow_blank=True)
            check.error = f"「{criterion['名称']}」的分数应在0至{_number(maximum)}之间（可含小数）"
            check.errorTitle = "分数超出范围"
            check.prompt = f"0至{_number(maximum)}分"
            check.promptTitle = str(criterion["名称"])
            check.showErrorMessage = check.showInputMessage = True
            check.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=first_score)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widths may change
    if run_id:
        stamp = book.create_sheet(STAMP_SHEET)
        for (label_cell, value_cell), label, value in ((RUN_CELLS, "评审批次", run_id),
                                                      (EXPERT_ID_CELLS, "专家编号", expert_id or "")):
            stamp[label_cell], stamp[value_cell] = label, value
        stamp.sheet_state = "veryHidden"
        stamp.protection.sheet = True

    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(path, buffer.getvalue())


def read_score_sheet(path) -> tuple[str, str, list[dict]]:
    """Read a returned score sheet: (expert, group, rows).

    Each row is ``{行号, 编号, <the sheet's identity columns>, 评分: {criterion: raw value}}`` with
    the criteria in the sheet's column order; raw values are what the cell holds (None when empty),
    judged later against the programme by ``pipeline.scores``.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, "文件不存在")
    table = read_sheet(path, SHEET_NAME)
    return _parse(path, table)


def _parse(path: Path, table: list[list]) -> tuple[str, str, list[dict]]:
    def cell(row: int, col: int):
        line = table[row - 1] if row <= len(table) else []
        return line[col - 1] if col <= len(line) else None

    def text(row: int, col: int) -> str:
        value = cell(row, col)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    expert_col, group_col = (_column(EXPERT_CELLS[1]), _column(GROUP_CELLS[1]))
    header = [text(HEADER_ROW, c) for c in range(1, len(table[HEADER_ROW - 1]) + 1)] if len(table) >= HEADER_ROW else []
    while header and header[-1] == "":
        header.pop()
    # the criteria are the columns with a 满分 under them; before them, 编号 and the identity columns
    maxima = [cell(MAX_ROW, c) for c in range(1, len(header) + 1)]
    first = next((i for i, m in enumerate(maxima[1:-1], start=1) if isinstance(m, (int, float))), len(header))
    if (text(2, 1) != EXPERT_LABEL or text(2, _column(GROUP_CELLS[0])) != GROUP_LABEL
            or not header or header[0] != CODE_COLUMN or header[-1] != TOTAL_COLUMN
            or "" in header[:first]):
        raise NotThisForm(path, f"不是专家评分表：应在第2行写「{EXPERT_LABEL}」「{GROUP_LABEL}」，第{HEADER_ROW}行为"
                                f"「{CODE_COLUMN}、材料名称等列、各项评审标准、{TOTAL_COLUMN}」，第{MAX_ROW}行为各项满分"
                                f"（请用 kexie 生成的评分表）")
    columns = header[:first]
    criteria = header[first:-1]
    if not criteria or "" in criteria:
        raise NotThisForm(path, f"评分表第{HEADER_ROW}行的评审标准列缺少名称")
    if len(set(criteria)) != len(criteria):
        raise NotThisForm(path, f"评分表第{HEADER_ROW}行有重名的评审标准列")
    expert = text(2, expert_col)
    if not expert:
        raise NotThisForm(path, f"评分表未填写评审专家姓名（{EXPERT_CELLS[1]} 单元格）")

    rows = []
    first_score = len(columns) + 1
    for number in range(FIRST_ROW, len(table) + 1):
        values = {key: text(number, col) for col, key in enumerate(columns, start=1)}
        scores = {name: _raw(cell(number, first_score + i)) for i, name in enumerate(criteria)}
        if not any(values.values()) and all(v is None for v in scores.values()):
            continue  # a wholly empty row
        rows.append({"行号": number, **values, "评分": scores})
    return expert, text(2, group_col), rows


def read_stamp(path) -> tuple[str | None, str | None, dict[str, str]]:
    """A sheet's (run id, expert id, cells): the ids stamped by ``kexie packet`` (None when
    absent) and every non-empty cell of 「评分表」 as text, formulas as written (``=IF(…)``)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        run_id = expert_id = None
        if STAMP_SHEET in book.sheetnames:
            stamp = book[STAMP_SHEET]
            run_id = _cell_text(stamp[RUN_CELLS[1]].value)
            expert_id = _cell_text(stamp[EXPERT_ID_CELLS[1]].value)
        cells = {}
        if SHEET_NAME in book.sheetnames:
            for line in book[SHEET_NAME].iter_rows():
                for cell in line:
                    text = _cell_text(cell.value)
                    if text is not None:
                        cells[cell.coordinate] = text
        return run_id, expert_id, cells
    finally:
        book.close()


def expected_cells(path) -> dict:
    """What a score sheet just written must keep: {file, inputs (the yellow range, None when it
    has no rows), cells (every non-empty cell, as ``read_stamp`` reads it)}, for the run's record."""
    from openpyxl.utils import get_column_letter

    path = Path(path)
    _expert, _group, rows = read_score_sheet(path)
    _run, _id, cells = read_stamp(path)
    inputs = None
    if rows:
        first = len(rows[0]) - 1  # 1-based column of the first criterion: after 编号 and the identity columns
        last = first + len(rows[0]["评分"]) - 1
        inputs = f"{get_column_letter(first)}{FIRST_ROW}:{get_column_letter(last)}{FIRST_ROW + len(rows) - 1}"
    return {"file": path.name, "inputs": inputs, "cells": cells}


def changed_cells(cells: dict[str, str], expected: dict) -> list[tuple[str, str | None, str | None]]:
    """The cells outside ``expected['inputs']`` that differ from ``expected['cells']``:
    (cell, as written, as returned), in sheet order."""
    from openpyxl.utils.cell import coordinate_from_string, range_boundaries

    bounds = range_boundaries(expected["inputs"]) if expected.get("inputs") else (1, 1, 0, 0)

    def place(ref: str) -> tuple[int, int]:
        return coordinate_from_string(ref)[1], _column(ref)

    def is_input(ref: str) -> bool:
        row, col = place(ref)
        return bounds[1] <= row <= bounds[3] and bounds[0] <= col <= bounds[2]

    written = expected["cells"]
    return [(ref, written.get(ref), cells.get(ref)) for ref in sorted(set(written) | set(cells), key=place)
            if not is_input(ref) and written.get(ref) != cells.get(ref)]


def _cell_text(value) -> str | None:
    """A cell's value as text for comparing sheets: numbers as 100 / 7.5, empty as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return f"{Decimal(str(value)).normalize():f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _raw(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _column(ref: str) -> int:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    return column_index_from_string(coordinate_from_string(ref)[0])


def _maximum(criterion: dict):
    maximum = criterion.get("满分")
    return 100 if maximum is None else maximum  # the programme's 满分 is optional: 100 by default


def _number(value):
    """Write 100.0 as 100 and keep 7.5 as 7.5 (in formulas and cells)."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)
