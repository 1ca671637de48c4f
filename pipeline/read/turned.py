"""A typed page whose text runs sideways or upside down, read upright.

A page saved with ``/Rotate`` 90, 180 or 270 shows its content turned (pdfplumber hands the
characters over as the page is displayed, with a turned text matrix); a page may also draw its
content turned inside an upright page. Either way most characters share one direction: the
page's characters and ruling lines are turned so that this direction runs left to right, and the
page is read as any other (the page image is turned the same way for its seals and signatures).
"""

from __future__ import annotations

from collections import Counter

from .page import PageLayout
from .words import dedupe, words_of

#: share of the characters that must run one way for the page to be read that way
MOST = 0.6


def text_turn(chars: list[dict]) -> int:
    """Degrees (0, 90, 180, 270) to turn the page clockwise so that most of its text is upright."""
    turns = Counter(_turn_of(char["matrix"]) for char in chars if char.get("text", "").strip())
    if not turns:
        return 0
    turn, count = turns.most_common(1)[0]
    return turn if count >= MOST * sum(turns.values()) else 0


def _turn_of(matrix) -> int:
    """The clockwise turn that makes a character drawn with ``matrix`` (PDF space) upright."""
    a, b = matrix[0], matrix[1]
    # the advance direction on the page as displayed (y pointing down): (a, -b)
    if abs(a) >= abs(b):
        return 0 if a > 0 else 180
    return 90 if b > 0 else 270


def turn_point(x: float, y: float, turn: int, width: float, height: float) -> tuple[float, float]:
    """Where a point of a ``width`` × ``height`` page lands when the page is turned ``turn``
    degrees clockwise (top-left origin, y down)."""
    if turn == 90:
        return height - y, x
    if turn == 180:
        return width - x, height - y
    if turn == 270:
        return y, width - x
    return x, y


def turn_box(x0, top, x1, bottom, turn: int, width: float, height: float) -> tuple[float, float, float, float]:
    (ax, ay), (bx, by) = turn_point(x0, top, turn, width, height), turn_point(x1, bottom, turn, width, height)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def turned_layout(page, number: int, turn: int, cells_from_edges) -> PageLayout:
    """The pdfplumber ``page`` read as if turned ``turn`` degrees clockwise."""
    width, height = float(page.width), float(page.height)
    chars = []
    for char in page.chars:
        if not char.get("text"):
            continue
        x0, top, x1, bottom = turn_box(char["x0"], char["top"], char["x1"], char["bottom"], turn, width, height)
        chars.append((char["text"], x0, top, x1, bottom, char.get("fontname"), round(float(char.get("size", 0)), 4)))
    edges = []
    for edge in page.edges:
        if edge["orientation"] not in ("h", "v"):
            continue
        x0, top, x1, bottom = turn_box(edge["x0"], edge["top"], edge["x1"], edge["bottom"], turn, width, height)
        swap = turn in (90, 270)
        orientation = {"h": "v", "v": "h"}[edge["orientation"]] if swap else edge["orientation"]
        edges.append({**edge, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                      "height": bottom - top, "orientation": orientation})
    size = (height, width) if turn in (90, 270) else (width, height)
    # the characters in reading order: top to bottom, then left to right
    chars.sort(key=lambda c: (round(c[2]), c[1]))
    return PageLayout(number=number, width=size[0], height=size[1], words=words_of(dedupe(chars)),
                      cells=cells_from_edges(edges), source="text", turned=turn)
