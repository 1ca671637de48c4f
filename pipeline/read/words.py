"""Characters into words, as pdfplumber groups them (``extract_words`` with kexie's settings,
fake bold deduplicated): the one place both text-layer readings and turned pages make words.

A character is a tuple ``(text, x0, top, x1, bottom, font, size)`` in points, top-left origin,
upright (text running left to right).
"""

from __future__ import annotations

from .page import Word

# Word boxes: CJK glyphs sit edge to edge, so a small tolerance joins a run; spaced labels
# (「姓    名」) stay separate words and are joined again inside their cell by the matcher.
WORD_SETTINGS = {"keep_blank_chars": False, "x_tolerance": 1.5, "y_tolerance": 3,
                 "use_text_flow": False}

_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def dedupe(chars: list[tuple]) -> list[tuple]:
    """pdfplumber's ``dedupe_chars(tolerance=1)``: same text, font and size within 1 pt."""
    order = {id(c): i for i, c in enumerate(chars)}
    groups: dict[tuple, list[tuple]] = {}
    for char in chars:
        groups.setdefault((char[0], char[5], char[6]), []).append(char)
    kept = []
    for group in groups.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        for row in _clusters(group, 2, 1):
            for column in _clusters(row, 1, 1):
                kept.append(min(column, key=lambda c: (c[2], c[1])))
    if len(kept) == len(chars):
        return chars
    kept.sort(key=lambda c: order[id(c)])
    return kept


def _clusters(items: list[tuple], index: int, tolerance: float) -> list[list[tuple]]:
    """pdfplumber's ``cluster_objects``: sorted values chained within ``tolerance``."""
    groups: list[list[tuple]] = []
    last = None
    for item in sorted(items, key=lambda c: c[index]):
        value = item[index]
        if groups and value <= last + tolerance:
            groups[-1].append(item)
        else:
            groups.append([item])
        last = value
    return groups


def words_of(chars: list[tuple]) -> list[Word]:
    """pdfplumber's ``extract_words(**WORD_SETTINGS)`` on upright left-to-right text."""
    x_tol, y_tol = WORD_SETTINGS["x_tolerance"], WORD_SETTINGS["y_tolerance"]
    words = []

    def finish(run):
        if run:
            words.append(Word(min(c[1] for c in run), min(c[2] for c in run),
                              max(c[3] for c in run), max(c[4] for c in run),
                              text="".join(_LIGATURES.get(c[0], c[0]) for c in run)))

    if not chars:
        return words
    order = {id(c): i for i, c in enumerate(chars)}
    for line in _clusters(chars, 2, y_tol):
        run: list[tuple] = []
        for char in sorted(line, key=lambda c: (c[1], order[id(c)])):
            if char[0].isspace():
                finish(run)
                run = []
            elif run and (char[1] < run[-1][1] or char[1] > run[-1][3] + x_tol
                          or abs(char[2] - run[-1][2]) > y_tol):
                finish(run)
                run = [char]
            else:
                run.append(char)
        finish(run)
    return words

