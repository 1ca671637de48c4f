"""Accuracy of the form reader on a generated corpus of returned 申报书 (tools/make_corpus.py).

Targets: on text-layer PDFs every scalar field and every row table exact (after folding
whitespace); on scans ≥ 98 % of characters right over all field values and ≥ 95 % of scalar
fields exact; seals and signatures with no misses and no false alarms; every damaged or foreign
file reported with the right kind of error. On failure the test prints a table of the misses.
"""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

from accuracy import miss_table, score_entries  # noqa: E402

pytestmark = pytest.mark.slow

SCAN_CHAR_TARGET, SCAN_FIELD_TARGET = 0.98, 0.95


@pytest.fixture(scope="session")
def results(corpus, corpus_entries):
    """(truth, entry) for every file of the session's corpus (conftest: read once, 2 workers)."""
    _, truths, _ = corpus
    return [(truths[name], corpus_entries[name]) for name in sorted(truths)]


@pytest.fixture(scope="session")
def scored(results):
    """Scores of the text-layer files and of the scans, mark misses and error-kind misses."""
    scores = score_entries(results)
    print(scores["summary"])
    return scores


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
