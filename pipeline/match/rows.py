"""Row tables (试点工作负责人, 主要参与团队, 经费使用情况): the header row under the table's title,
then each row of cells below it until the table ends, over page breaks.

A header repeated on the next page is skipped; a row the word processor broke across the page
(the rest of its words in the same columns, the key column empty) is joined to the row it
continues. A header that shows only some of the form's columns is read, and the columns it lacks
are reported (:attr:`RowTable.missing`), not left as silent empty cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..forms import FieldSpec
from ..text import fold, is_latin
from .matcher import Found, Matcher
from .ocrtext import SLASH_READINGS, ocr_punctuation
from .regions import SLACK, Region

#: A table row ending this close to the lowest ruling line of the document may have been cut by
#: the page break (Word breaks a row at a line of text: less than two lines are left over).
_CUT_ROW_GAP = 30.0


@dataclass
class RowTable:
    """A row table as read: its rows (column → text), where its header is, columns not found."""

    rows: list[dict] = field(default_factory=list)
    found: Found | None = None
    missing: list[str] = field(default_factory=list)
    #: the table's total row (column → text), when it has one (the first column says 「合计」)
    total: dict | None = None


def read_table(matcher: Matcher, spec: FieldSpec) -> RowTable:
    """The rows of ``spec``'s table; scanned cells read as nothing or a stray mark are noted on
    ``matcher.unsure_cells`` for the ink to settle."""
    for title, _ in matcher.starting(spec.labels):
        header = _header_after(matcher, title, spec)
        if header is not None:
            names = {name for name, _ in header}
            table = RowTable(found=Found(header[0][1]), missing=[name for name, _ in spec.columns if name not in names])
            table.rows = _read_rows(matcher, header, spec, table)
            return table
    return RowTable()


def _header_after(matcher: Matcher, title: Region, spec: FieldSpec):
    """The header row (column name → cell) of the first table under ``title``."""
    cells = sorted((c for c in matcher.doc.cells(title.page) if c.box.top >= title.box.top - SLACK),
                   key=lambda c: c.box.top)
    rows: list[list[Region]] = []
    placed: set[int] = set()
    for cell in cells:
        if id(cell) not in placed:
            rows.append(_along_row([cell], cells))
            placed.update(id(c) for c in rows[-1])
    for row in rows:
        header = _match_header(row, spec)
        if header:
            return header
    return None


def _match_header(row: list[Region], spec: FieldSpec):
    """(column name, header cell) of the form's columns found in ``row``; None when fewer than
    half of them (and fewer than two) are there: then the row is not this table's header."""
    matched = []
    for name, labels in spec.columns:
        targets = {fold(label) for label in labels}
        cell = next((c for c in row if c.key in targets), None)
        if cell is not None:
            matched.append((name, cell))
    return matched if len(matched) >= max(2, (len(spec.columns) + 1) // 2) else None


def _read_rows(matcher: Matcher, header, spec: FieldSpec, table: RowTable) -> list[dict]:
    names = [name for name, _ in spec.columns]
    totals = {fold(label) for label in spec.totals}
    columns = [(name, (cell.box.x0 + cell.box.x1) / 2) for name, cell in header]
    page = header[0][1].page
    bottom = max(cell.box.bottom for _, cell in header)
    left = min(cell.box.x0 for _, cell in header)
    right = max(cell.box.x1 for _, cell in header)
    result = []
    while True:
        within = [c for c in matcher.doc.cells(page) if c.box.x1 > left and c.box.x0 < right]
        row = [c for c in within if abs(c.box.top - bottom) <= SLACK]
        row = _along_row(row, within) if row else row
        cut = None  # the last row of the previous page, when the page break may have split it
        if not row:
            if any(c.box.top >= bottom - SLACK for c in matcher.doc.cells(page)):
                break  # something else follows on this page: the table has ended
            first = matcher.first_box(page + 1)
            if first is None:
                break
            page = first.page
            row = [c for c in matcher.doc.cells(page) if abs(c.box.top - first.box.top) <= SLACK
                   and c.box.x1 > left and c.box.x0 < right]
            if _match_header(row, spec):  # the header repeated on the new page
                bottom = min(c.box.bottom for c in row)
                continue
            if not _same_columns(row, header):
                break  # another table starts the page (an attachment's): this one has ended
            if result and bottom >= matcher.doc.body_bottom - _CUT_ROW_GAP:
                cut = result[-1]
        values, unsure = {}, []
        for name, centre in columns:
            cell = next((c for c in row if c.box.x0 - SLACK <= centre <= c.box.x1 + SLACK), None)
            value = " ".join(cell.text.replace("\n", "").split()) if cell else ""
            values[name] = ocr_punctuation(value) if cell is not None and cell.ocr else value
            if cell is not None and cell.ocr and (not value or value in SLASH_READINGS):
                unsure.append((name, cell))
        bottom = min(c.box.bottom for c in row)
        if fold(values.get(names[0], "")) in totals:
            if table.total is None:
                table.total = {name: values.get(name, "") for name in names}
            continue  # the table's 合计 row: no row of its own (its values are read by total fields)
        if cut is not None and continues(cut, values, names[0]):
            for name, value in values.items():
                cut[name] = _run_on(cut[name], value)
        elif any(values.values()):
            result.append({name: values.get(name, "") for name in names})
            matcher.unsure_cells.extend((result[-1], name, cell) for name, cell in unsure)
    return result


#: how far a row's rules may slope on a page left a little askew (tan 2°): two neighbours' tops
#: differ by up to this share of the distance between their left rules
ASKEW = 0.035


def _along_row(row: list[Region], cells: list[Region]) -> list[Region]:
    """``row`` and the cells beside it in the same row, cell by cell: a neighbour shares a
    vertical rule with a cell of the row and its top agrees with that cell's, within the slack of
    a scan's rules and the slope of a page left askew (:data:`ASKEW`). Compared neighbour to neighbour, a row stays one row on a photo flattened a
    little askew (its tops 11 pt lower at the right than at the left), where no slack on the row's
    first cell would hold it and none could tell it from the next row."""
    row = list(row)
    members = {id(c) for c in row}
    grown = True
    while grown:
        grown = False
        for cell in cells:
            if id(cell) in members:
                continue
            if any(abs(cell.box.top - r.box.top) <= SLACK + ASKEW * abs(cell.box.x0 - r.box.x0) and
                   (abs(cell.box.x0 - r.box.x1) <= 2 * SLACK or abs(r.box.x0 - cell.box.x1) <= 2 * SLACK)
                   for r in row):
                row.append(cell)
                members.add(id(cell))
                grown = True
    return sorted(row, key=lambda c: c.box.x0)


#: a cell's left rule this close (points) to a header cell's is that column's: a scan's rules
#: wander a little from page to page
_COLUMN_SLACK = 3 * SLACK


def _same_columns(row: list[Region], header) -> bool:
    """Whether the cells at the top of a new page stand in the table's columns: their left rules
    where the header's are (a row may lose a rule to a merged cell, not gain new ones)."""
    lefts = [cell.box.x0 for _, cell in header]
    inside = [c for c in row if any(abs(c.box.x0 - x) <= _COLUMN_SLACK for x in lefts)]
    return len(row) <= len(lefts) + 1 and len(inside) >= 0.75 * len(row)


def continues(previous: dict, values: dict, key: str) -> bool:
    """Whether a row at the top of a page is the rest of ``previous``, split by the page break.

    Word and WPS let a row break across pages unless told not to: the words that did not fit
    go on in the same columns on the next page, and the key column (姓名), which fits on one
    line, is empty there. A row of its own fills its key, or something the previous row left empty.
    """
    filled = [name for name, value in values.items() if value]
    return (bool(filled) and not values.get(key) and bool(previous.get(key))
            and all(previous.get(name) for name in filled))


def _run_on(before: str, after: str) -> str:
    """A cell's text continued over the page break (a space only between two Latin words)."""
    if not after:
        return before
    gap = " " if before and is_latin(before[-1]) and is_latin(after[0]) else ""
    return before + gap + after

