"""The reader on returned forms it never made: the independent corpus of tools/make_returns.py —
drawn by other hands than the reader's own corpus, with seals that touch, overlap and cross the
rules, faded and purplish ones, name seals and e-signatures, typed pages saved turned, pages
turned inside the image, phone photos, greyscale and black-and-white scans, sandwich PDFs and
forms with attachments — scored with tools/score_returns.py against its truth files.

Targets (issue: judge real returns right): text-layer fields exact; scanned fields ≥ 97 % exact
and ≥ 99 % of characters; photographed fields ≥ 90 %; seals and signatures with no miss and no
false alarm, and ``null`` only where the page has no colour; no complete form reported
incomplete; review on at most 1 form in 10 of those a person reads without doubt; every planted
problem found. On failure the score's examples say what was misread.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

#: what the reader does today on this corpus, less a little: a fall below it is a regression
#: (the target, 97 %, is in test_issue_targets)
FIELDS_FLOOR = 95.0


def show(score: dict) -> str:
    return json.dumps({k: score[k] for k in ("overall", "fields", "examples", "false_alarms", "missed_problems")},
                      ensure_ascii=False, indent=1)[:6000]


def test_every_way_a_form_arrives_is_in_the_corpus(returns_corpus):
    _, _, truths, manifest = returns_corpus
    kinds = {kind for t in truths.values() for kind in (t.get("pages") or {}).values()}
    assert {"text", "rotated_attr", "scan", "rotated_image", "grey", "bw", "photo", "sandwich", "attachment"} <= kinds
    assert not manifest["missing_classes"]


def test_text_layer_fields_exact(read_returns):
    score = read_returns[0]
    assert score["overall"]["text_fields_exact_pct"] == 100.0, show(score)


def test_scanned_fields(read_returns):
    score = read_returns[0]
    assert score["overall"]["image_fields_exact_pct"] >= FIELDS_FLOOR, show(score)
    assert score["overall"]["image_chars_pct"] >= 99.0, show(score)
    assert score["fields"]["photo"]["exact_pct"] >= 90.0, show(score)


@pytest.mark.parametrize("what", ["签章", "公章"])
def test_seals_and_signatures_no_miss_no_false_alarm_no_guess_without_colour(read_returns, what):
    score = read_returns[0]
    marks = score["overall"][what]
    assert marks.get("missed", 0) == 0 and marks.get("false_alarm", 0) == 0, show(score)
    assert marks.get("not_reported", 0) == 0, show(score)
    assert marks.get("judged_without_colour", 0) == 0, show(score)  # no colour: null, never a guess


def test_verdicts(read_returns):
    score = read_returns[0]
    confusion = score["verdicts"]["confusion"]
    assert confusion.get("complete->incomplete", 0) == 0, confusion
    clear = sum(n for pair, n in confusion.items() if pair.split("->")[0] in ("complete", "incomplete"))
    doubted = sum(n for pair, n in confusion.items() if pair in ("complete->review", "incomplete->review"))
    assert doubted * 10 <= clear, confusion
    assert score["errors"].get("wrong", 0) == 0, score["errors"]


@pytest.mark.xfail(strict=True, reason="issue 12's targets not met yet: scanned fields 96.1 % exact (OCR "
                   "misreads such as 「218」→「248」, seal text beside opinions); a red name seal or e-signature "
                   "under a round seal's disc is reported null, not found")
def test_issue_targets(read_returns):
    score = read_returns[0]
    assert score["overall"]["image_fields_exact_pct"] >= 97.0, show(score)
    for what in ("签章", "公章"):
        assert score["overall"][what].get("null_where_colour", 0) == 0, show(score)
    assert score["missed_problems"]["n"] == 0, show(score)


def test_review_items_come_first_with_their_reason_and_a_picture(read_returns, tmp_path):
    from pipeline.forms import load_form
    from pipeline.report.html import html_report

    _, validation, _, _ = read_returns
    assert validation["summary"]["review"] >= 1
    page = html_report(validation, load_form("申报书"), "形式审查", crop=True)
    first = page.index("<section>")
    assert "需人工核对" in page[first:first + 400]
    review = page[first:page.index("</section>", first)]
    assert "data:image/png;base64," in review and "黑白" in review
