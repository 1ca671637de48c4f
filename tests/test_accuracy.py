"""Accuracy of the form reader on a generated corpus of returned 申报书 (tools/make_corpus.py).

Targets: on text-layer PDFs every scalar field and every row table exact (after folding
whitespace); on scans ≥ 98 % of characters right over all field values and ≥ 95 % of scalar
fields exact; seals and signatures with no misses and no false alarms; every damaged or foreign
file reported with the right kind of error. On failure the test prints a table of the misses.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import pytest

from pipeline.extract import extract_files
from pipeline.text import squeeze
from pipeline.forms import load_form

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

pytestmark = pytest.mark.slow

#: small enough to keep the suite within minutes, large enough to hold every layout and 2 scans
COUNT, SCANS, SEED = 6, 2, 2026
SCAN_CHAR_TARGET, SCAN_FIELD_TARGET = 0.98, 0.95


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    make_corpus = pytest.importorskip("make_corpus")
    out = tmp_path_factory.mktemp("corpus")
    make_corpus.generate(out, count=COUNT, scans=SCANS, seed=SEED)
    return out


@pytest.fixture(scope="session")
def results(corpus):
    """(truth, entry) for every file of the corpus, read as one batch in a process pool."""
    form = load_form("申报书")
    pdfs = sorted(corpus.glob("*.pdf"))
    entries = extract_files(pdfs, form, workers=2)
    pairs = []
    for pdf, entry in zip(pdfs, entries):
        truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        pairs.append((truth, entry))
    return pairs


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


@pytest.fixture(scope="session")
def scored(results):
    """Scores of the text-layer files and of the scans, mark misses and error-kind misses."""
    text, scans = Score(), Score()
    marks = {"text": [], "scan": []}
    error_misses = []
    for truth, entry in results:
        name = truth["file"]
        kind = (entry["error"] or {}).get("kind")
        if kind != truth["error"]:
            error_misses.append((name, "error", str(truth["error"]), f"{kind}: {(entry['error'] or {}).get('message')}"))
            continue
        if truth["error"]:
            continue
        (scans if truth["scan"] else text).add(name, truth, entry)
        for key, mark in truth["marks"].items():
            got = entry["marks"].get(key, {})
            if bool(got.get("present")) != mark["present"]:
                marks["scan" if truth["scan"] else "text"].append((name, key, str(mark), str(got)))
    summary = (f"text layer: {text.char_accuracy:.2%} characters, {text.field_accuracy:.2%} fields exact; "
               f"scans: {scans.char_accuracy:.2%} characters, {scans.field_accuracy:.2%} fields exact; "
               f"mark misses: text {len(marks['text'])}, scans {len(marks['scan'])}")
    print(summary)
    return {"text": text, "scans": scans, "marks": marks, "errors": error_misses, "summary": summary}


def test_text_layer_every_field_and_mark_exact(scored):
    text = scored["text"]
    assert text.scalars > 100, "the corpus should hold several text-layer forms"
    assert not text.misses, scored["summary"] + "\n" + miss_table(text.misses)
    assert not scored["marks"]["text"], miss_table(scored["marks"]["text"])


def test_damaged_and_foreign_files_get_the_right_error(scored):
    assert not scored["errors"], miss_table(scored["errors"])


def test_scans_characters_meet_the_target(scored):
    scans = scored["scans"]
    assert scans.scalars > 20
    assert scans.char_accuracy >= SCAN_CHAR_TARGET, scored["summary"] + "\n" + miss_table(scans.misses)


def test_scans_fields_exact_target(scored):
    scans = scored["scans"]
    assert scans.field_accuracy >= SCAN_FIELD_TARGET, scored["summary"] + "\n" + miss_table(scans.misses)


def test_scans_marks_target(scored):
    assert not scored["marks"]["scan"], miss_table(scored["marks"]["scan"])
