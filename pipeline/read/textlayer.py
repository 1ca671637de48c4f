"""A typed page's words and cells from its text layer, as pdfplumber reads them.

Words are pdfplumber's (fake bold deduplicated, pdfplumber #992); cells are the boxes the page's
ruling lines draw, built from its edges with pdfplumber's own table helpers so that a box of one
cell (「二、试点内容」) counts too. This reading is the reference that
:mod:`pipeline.read.pdfium_text` reproduces faster, and its fallback.
"""

from __future__ import annotations

from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

from .classify import plumber_page_needs_ocr
from .page import Box, PageLayout, Word
from .rules import closing_lines
from .turned import text_turn, turned_layout
from .words import WORD_SETTINGS

# Ruling lines: segments closer than this are the same line (Word draws cell borders twice).
SNAP = 3.0
JOIN = 3.0
MIN_CELL = 6.0  # points; narrower or lower "cells" are double borders, not boxes


def read_text_page(page, number: int) -> PageLayout | None:
    """A pdfplumber page's words and cells; None when the page is really a picture."""
    if plumber_page_needs_ocr(page):
        return None
    turn = text_turn(page.chars)
    if turn:
        return turned_layout(page, number, turn, cells_from_edges)
    page = page.dedupe_chars(tolerance=1)  # fake bold draws each glyph twice (pdfplumber #992)
    words = [Word(w["x0"], w["top"], w["x1"], w["bottom"], text=w["text"])
             for w in page.extract_words(**WORD_SETTINGS)]
    return PageLayout(number=number, width=float(page.width), height=float(page.height),
                      words=words, cells=cells_from_edges(page.edges), source="text")


def cells_from_edges(edges: list[dict]) -> list[Box]:
    """The boxes drawn by pdfplumber-style edges, single-cell boxes and boxes cut by a page break included."""
    edges = [e for e in edges if e["orientation"] in ("h", "v")]
    if not edges:
        return []
    edges = merge_edges(edges, snap_x_tolerance=SNAP, snap_y_tolerance=SNAP,
                        join_x_tolerance=JOIN, join_y_tolerance=JOIN)
    edges = edges + _closing_edges(edges)
    # Underlines on the cover are short horizontal edges: harmless, they form no cells.
    intersections = edges_to_intersections(edges, x_tolerance=1, y_tolerance=1)
    cells = []
    for x0, top, x1, bottom in intersections_to_cells(intersections):
        if x1 - x0 >= MIN_CELL and bottom - top >= MIN_CELL:
            cells.append(Box(float(x0), float(top), float(x1), float(bottom)))
    return cells


def _closing_edges(edges: list[dict]) -> list[dict]:
    """Edges that close a box cut by a page break (:func:`pipeline.read.rules.closing_lines`)."""
    verticals = [_segment(e) for e in edges if e["orientation"] == "v"]
    horizontals = [_segment(e) for e in edges if e["orientation"] == "h"]
    return [{"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
             "orientation": "h", "object_type": "line"}
            for x0, y, x1 in closing_lines(verticals, horizontals, SNAP)]


def _segment(edge: dict) -> tuple[float, float, float, float]:
    return edge["x0"], edge["top"], edge["x1"], edge["bottom"]
