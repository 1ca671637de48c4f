"""The one spreadsheet writer: Excel workbooks of plain tables, and CSV, made as bytes.

Every .xlsx kexie writes — 形式审查 reports, extraction tables, the review assignment, results,
score sheets — is built here or with ``put``: a bold white-on-blue header row, frozen, with an
autofilter, column widths by column name, and text that can never turn into a formula. openpyxl
stores any string that starts with 「=」 as a formula (FIELD-NOTES), so an applicant's
「=HYPERLINK(…)」 would run in the office's Excel; here every string is a string cell, and one that
starts like a formula also carries Excel's quote prefix, so editing the cell keeps it text. Every
CSV kexie writes is ``csv_text``: OWASP's rule for CSV injection, a leading 「'」 on a cell that
starts with ``= + - @``, tab or CR.
"""

from __future__ import annotations

import csv
import functools
import io
from typing import Callable, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
#: the colours of a status, as the reports use them
STATUS_FILLS = {"complete": "C6EFCE", "incomplete": "FFEB9C", "review": "DDEBF7", "error": "FFC7CE"}
DEFAULT_WIDTH = 10
#: the start of a cell that a spreadsheet would run as a formula (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: what stands for a control character a workbook cannot hold (openpyxl refuses them)
_UNHOLDABLE = "\ufffd"


def new_book() -> Workbook:
    """An empty workbook (its default sheet removed: every sheet is added by name)."""
    book = Workbook()
    book.remove(book.active)
    return book


@functools.lru_cache(maxsize=None)  # one fill per colour: a report colours a cell in every row
def fill(color: str) -> PatternFill:
    return PatternFill("solid", fgColor=color)


def put(cell: Cell, value) -> Cell:
    """Set a cell's value; a string is always text, never a formula."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub(_UNHOLDABLE, value)
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text when a person edits the cell
    else:
        cell.value = value
    return cell


def csv_cell(value):
    """A CSV cell a spreadsheet opens as text: a leading 「=」「+」「-」「@」, tab or CR gets 「'」."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START) and value not in ("-", "+"):
        return "'" + value
    return value


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    """A CSV table, every cell through ``csv_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(value) for value in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def style_header(cells: Iterable[Cell]) -> None:
    for cell in cells:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL


def add_table(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence], *,
              widths: Mapping[str, float] | Sequence[float] | None = None, wrap: Iterable[str] = (),
              number_formats: Mapping[str, str] | None = None,
              row_style: Callable[[int, Sequence], Mapping[str, str]] | None = None,
              position: int | None = None):
    """A sheet ``title`` (Excel allows 31 characters) holding ``header`` and ``rows``.

    ``widths``: by column name, or in order; ``wrap``: columns whose text wraps; ``number_formats``:
    by column name; ``row_style(i, row)`` → {column name: fill colour} for that row.
    """
    sheet = book.create_sheet(title[:31], position)
    header = list(header)
    for col, name in enumerate(header, start=1):
        put(sheet.cell(row=1, column=col), name)
    style_header(sheet[1])
    wrapped = set(wrap)
    formats = dict(number_formats or {})
    for i, row in enumerate(rows):
        r = i + 2
        for col, value in enumerate(row, start=1):
            cell = put(sheet.cell(row=r, column=col), value)
            name = header[col - 1] if col <= len(header) else None
            if name in wrapped:
                cell.alignment = WRAP
            if name in formats:
                cell.number_format = formats[name]
        if row_style is not None:
            for name, color in row_style(i, row).items():
                sheet.cell(row=r, column=header.index(name) + 1).fill = fill(color)
    for col, name in enumerate(header, start=1):
        if isinstance(widths, Mapping):
            width = widths.get(name, DEFAULT_WIDTH)
        elif widths is not None and col <= len(widths):
            width = widths[col - 1]
        else:
            width = DEFAULT_WIDTH
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
