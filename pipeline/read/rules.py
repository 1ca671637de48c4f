"""Ruling lines as geometry: where a box cut by a page break must be closed.

A box that runs on to the next page is printed without its bottom rule (and, on the next page,
often without its top). Where two or more vertical rules end at the same height and no
horizontal rule runs there, a closing line between them makes the open box a cell again. The
text layer (edges in points) and the scan path (rule masks in pixels) both ask this one function.
"""

from __future__ import annotations

Segment = tuple[float, float, float, float]  # x0, top, x1, bottom


def closing_lines(verticals: list[Segment], horizontals: list[Segment], snap: float,
                  min_length: float = 0.0, cover: float = 0.5) -> list[tuple[float, float, float]]:
    """(x0, y, x1) of the lines that close boxes cut by a page break.

    ``verticals`` shorter than ``min_length`` take no part (a glyph's stem is no rule); the
    height is already closed where horizontal rules within ``snap`` cover ``cover`` of the span.
    """
    verticals = [v for v in verticals if v[3] - v[1] >= min_length]
    added = []
    for end in (1, 3):  # the tops, then the bottoms of the vertical rules
        groups: list[list[Segment]] = []
        for rule in sorted(verticals, key=lambda v: v[end]):
            if groups and rule[end] - groups[-1][0][end] <= snap:
                groups[-1].append(rule)
            else:
                groups.append([rule])
        for group in groups:
            if len(group) < 2:
                continue
            y = sum(v[end] for v in group) / len(group)
            x0, x1 = min(v[0] for v in group), max(v[2] for v in group)
            if _covered(horizontals, y, x0, x1, snap) < cover * (x1 - x0):
                added.append((x0, y, x1))
    return added


def _covered(horizontals: list[Segment], y: float, x0: float, x1: float, snap: float) -> float:
    """Length of [x0, x1] that horizontal rules within ``snap`` of ``y`` run along."""
    spans = sorted((max(h[0], x0), min(h[2], x1)) for h in horizontals
                   if h[1] - snap <= y <= h[3] + snap and h[2] > x0 and h[0] < x1)
    length, reach = 0.0, x0
    for a, b in spans:
        if b > reach:
            length += b - max(a, reach)
            reach = b
    return length
