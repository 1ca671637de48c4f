"""Scoring the reader against a corpus's truth files (tools/make_corpus.py): characters right,
scalar fields exact, row tables, seals and signatures, and the kind of error of damaged files.

Shared by the in-suite accuracy tests (tests/test_accuracy.py) and the benchmark
(bench/extract.py), so both quote the same figures for the same corpus.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.text import squeeze  # noqa: E402


def edit_distance(a: str, b: str) -> int:
    """Characters to change to turn ``a`` into ``b`` (difflib's alignment; exact when equal)."""
    if a == b:
        return 0
    distance = 0
    for tag, i0, i1, j0, j1 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            distance += max(i1 - i0, j1 - j0)
    return distance


def as_text(value) -> str:
    if isinstance(value, list):  # a row table: one line per row, cells separated by |
        return "\n".join("|".join(str(v) for v in row.values()) for row in value)
    return squeeze(str(value if value is not None else ""))


class Score:
    """Misses per field, characters right, and exact scalar fields, for a group of files."""

    def __init__(self):
        self.misses: list[tuple[str, str, str, str]] = []  # file, key, truth, got
        self.chars = 0
        self.char_errors = 0
        self.scalars = 0
        self.scalars_exact = 0

    def add(self, name: str, truth: dict, entry: dict):
        for key, want in truth["fields"].items():
            if isinstance(want, bool):
                continue  # marks are scored on their own
            got = entry["fields"].get(key)
            want_text, got_text = as_text(want), as_text(got if got is not None else "")
            exact = want == got if isinstance(want, list) else want_text == got_text
            self.chars += max(len(want_text), 1)
            self.char_errors += min(edit_distance(want_text, got_text), max(len(want_text), 1))
            if not isinstance(want, list):
                self.scalars += 1
                self.scalars_exact += exact
            if not exact:
                self.misses.append((name, key, want_text, got_text))

    @property
    def char_accuracy(self) -> float:
        return 1 - self.char_errors / self.chars if self.chars else 1.0

    @property
    def field_accuracy(self) -> float:
        return self.scalars_exact / self.scalars if self.scalars else 1.0


def miss_table(misses) -> str:
    lines = [f"{'file':<10} {'field':<22} truth → got"]
    for name, key, want, got in misses:
        lines.append(f"{name:<10} {key:<22} {want[:60]!r} → {got[:60]!r}")
    return "\n".join(lines)



def score_entries(pairs) -> dict:
    """Scores of (truth, entry) pairs: text-layer files and scans apart, mark misses per group,
    files whose error kind differs from the truth's, and a one-line summary."""
    text, scans = Score(), Score()
    marks = {"text": [], "scan": []}
    error_misses = []
    for truth, entry in pairs:
        name = truth["file"]
        kind = (entry.get("error") or {}).get("kind")
        if kind != truth["error"]:
            error_misses.append((name, "error", str(truth["error"]),
                                 f"{kind}: {(entry.get('error') or {}).get('message')}"))
            continue
        if truth["error"]:
            continue
        (scans if truth["scan"] else text).add(name, truth, entry)
        for key, mark in truth["marks"].items():
            got = entry["marks"].get(key, {})
            if got.get("present") is not mark["present"]:
                marks["scan" if truth["scan"] else "text"].append((name, key, str(mark), str(got)))
    summary = (f"text layer: {text.char_accuracy:.2%} characters, {text.field_accuracy:.2%} fields exact; "
               f"scans: {scans.char_accuracy:.2%} characters, {scans.field_accuracy:.2%} fields exact "
               f"({scans.scalars_exact}/{scans.scalars}); "
               f"mark misses: text {len(marks['text'])}, scans {len(marks['scan'])}")
    return {"text": text, "scans": scans, "marks": marks, "errors": error_misses, "summary": summary}
