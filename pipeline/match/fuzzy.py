"""Printed labels and prompts found in OCR text that slipped a character or two.

OCR misreads a character in a long printed prompt (「（单位公音）」, 「书所填内容否准确」); the
matcher still finds it by edit distance: a free-start approximate search (Sellers) for prompts
inside a region's text, and a whole-cell comparison for long labels.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein


def fuzzy_find(text: str, pattern: str, start: int = 0) -> tuple[int, int] | None:
    """(start, end) of the substring of ``text`` closest to ``pattern`` if within 20 % edits.

    OCR slips a character or two in a long printed prompt (「（单位公音）」, 「书所填内容否准确」);
    Sellers' approximate matching (edit distance, free start) still finds it.
    """
    allowed = max(1, len(pattern) // 5)
    m = len(pattern)
    previous = list(range(m + 1))
    best = None
    # dynamic programme over text columns; ``begin`` tracks where each alignment began
    begin_prev = [start] * (m + 1)
    for j in range(start, len(text)):
        current = [0] * (m + 1)
        begin = [j + 1] * (m + 1)
        begin[0] = j + 1
        char = text[j]
        for i in range(1, m + 1):
            cost = previous[i - 1] + (pattern[i - 1] != char)
            up = current[i - 1] + 1
            left = previous[i] + 1
            value, where = cost, (begin_prev[i - 1] if i > 1 else j)
            if up < value:
                value, where = up, begin[i - 1]
            if left < value:
                value, where = left, begin_prev[i]
            current[i], begin[i] = value, where
        if current[m] <= allowed and (best is None or current[m] < best[0]):
            best = (current[m], begin[m], j + 1)
        elif best is not None and j + 1 - best[2] > m:
            break  # past the best match: stop at the first good one
        previous, begin_prev = current, begin
    return (best[1], best[2]) if best else None


def close(key: str, label: str) -> bool:
    """A scanned cell's text is a label OCR slipped on: at most one edit in six characters, and
    one in a label of five (「项自负责人」 for 「项目负责人」)."""
    allowed = edits_allowed(label)
    if not allowed or abs(len(key) - len(label)) > allowed:
        return False
    return Levenshtein.distance(key, label, score_cutoff=allowed) <= allowed


def edits_allowed(label: str) -> int:
    return len(label) // 6 or (1 if len(label) >= 5 else 0)


def nearest(key: str, labels) -> str | None:
    """The label ``key`` is closest to (by edits), None on a tie: a misread cell is taken for a
    label only when no other label is as near."""
    ranked = sorted((Levenshtein.distance(key, label), label) for label in labels)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]
