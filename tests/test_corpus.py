"""The corpus generator (tools/make_corpus.py): the session's corpus (conftest), checked file by
file — forms, the 5 special files and the byte copy of a complete form; it takes LibreOffice, so
the tests are marked slow."""

from __future__ import annotations

import datetime
import json
import re
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_corpus  # noqa: E402
from conftest import CORPUS_COUNT, CORPUS_SCANS  # noqa: E402

pytestmark = pytest.mark.slow

EXTRACTION_KEYS = (
    ["试点单位", "申报单位", "试点起止日期"]
    + [f"{w}.{k}" for w in ("申报单位负责人", "试点单位负责人") for k in make_corpus.CONTACT_KEYS]
    + [f"{w}{s}" for w in ("申报单位意见", "试点单位意见") for s in ("", ".日期", ".签章", ".公章")]
    + list(make_corpus.TEXT_KEYS) + ["试点工作负责人", "主要参与团队"]
)
MARK_KEYS = {f"{w}.{k}" for w in ("申报单位意见", "试点单位意见") for k in ("签章", "公章")}


@pytest.fixture(scope="module")
def generated(corpus):
    """(folder, PDFs in the manifest's order, manifest, {file name: truth})."""
    out, truths, manifest = corpus
    paths = [out / e["file"] for e in manifest["files"]]
    return out, paths, manifest, truths


def fold(text: str) -> str:
    return re.sub(r"\s+", "", text)


def by_special(manifest, special):
    return next(e for e in manifest["files"] if e.get("special") == special)


def test_every_pdf_has_a_valid_truth_file(generated):
    out, paths, manifest, truths = generated
    assert len(paths) == CORPUS_COUNT + 5 + 1
    assert [e["file"] for e in manifest["files"]] == [p.name for p in paths]
    for path in paths:
        truth = truths[path.name]
        assert path.is_file() and path.stat().st_size > 0
        assert truth["file"] == path.name and truth["form"] == "申报书"
        assert truth["error"] in (None, "encrypted", "unreadable", "not_this_form")
        assert truth["expected_status"] == ("error" if truth["error"] else
                                            "incomplete" if any(p["severity"] == "error"
                                                                for p in truth["expected_problems"])
                                            else "complete")
        for problem in truth["expected_problems"]:
            assert set(problem) == {"field", "kind", "severity"}
            assert problem["kind"] in ("blank", "missing_seal", "missing_signature", "format", "rule", "duplicate")
        if truth["error"] is None:
            assert list(truth["fields"]) == EXTRACTION_KEYS
            assert set(truth["marks"]) == MARK_KEYS
            for key, mark in truth["marks"].items():
                assert truth["fields"][key] is mark["present"]
                assert isinstance(mark["page"], int)
            for table in ("试点工作负责人", "主要参与团队"):
                for row in truth["fields"][table]:
                    assert list(row) == list(make_corpus.PEOPLE_KEYS) and any(row.values())
        else:
            assert truth["fields"] == {} and truth["marks"] == {}
    layouts = {t["layout"] for t in truths.values() if t["layout"]}
    assert len(layouts) >= 3


def test_scan_is_image_only(generated):
    out, paths, manifest, truths = generated
    scanned = [p for p in paths if truths[p.name]["scan"]]
    assert len(scanned) == CORPUS_SCANS
    scan = truths[scanned[0].name]["scan"]
    assert scan["dpi"] in (150, 200, 300) and abs(scan["angle"]) <= 2
    with pdfplumber.open(scanned[0]) as pdf:
        assert len(pdf.pages) >= 10
        for page in pdf.pages[:3]:
            assert page.chars == [] and len(page.images) == 1


def test_owner_password_opens_without_password(generated):
    out, paths, manifest, truths = generated
    entry = by_special(manifest, "owner_password")
    assert entry["error"] is None
    path = out / entry["file"]
    with pikepdf.open(path) as pdf:
        assert pdf.is_encrypted
    with pdfplumber.open(path) as pdf:
        assert "申报单位意见" in fold("".join(page.extract_text() or "" for page in pdf.pages))


def test_user_password_does_not_open(generated):
    out, paths, manifest, truths = generated
    entry = by_special(manifest, "user_password")
    assert entry["error"] == "encrypted"
    with pytest.raises(Exception):
        with pdfplumber.open(out / entry["file"]) as pdf:
            pdf.pages[0].extract_text()
    with pikepdf.open(out / entry["file"], password="kexie-user"):
        pass


def test_broken_and_foreign_files(generated):
    out, paths, manifest, truths = generated
    assert not (out / by_special(manifest, "not_a_pdf")["file"]).read_bytes().startswith(b"%PDF")
    truncated = out / by_special(manifest, "truncated")["file"]
    assert truncated.read_bytes().startswith(b"%PDF") and b"%%EOF" not in truncated.read_bytes()[-64:]
    other = by_special(manifest, "other_document")
    assert other["error"] == "not_this_form"
    with pdfplumber.open(out / other["file"]) as pdf:
        text = fold("".join(page.extract_text() or "" for page in pdf.pages))
    assert "通知" in text and "试点单位负责人" not in text


def test_seal_in_the_wrong_box_counts_for_the_box_holding_most_of_it(generated):
    out, paths, manifest, truths = generated
    wrong = [(e, p) for e in manifest["files"] for p in e.get("marks_placed", [])
             if p.get("placement") == "wrong_box"]
    assert len(wrong) == 1
    entry, seal = wrong[0]
    assert seal["aimed"] == "申报单位意见" and seal["box"] == "试点单位意见"
    assert seal["shares"]["试点单位意见"] > 0.5 > seal["shares"]["申报单位意见"]
    truth = truths[entry["file"]]
    assert truth["marks"]["申报单位意见.公章"]["present"] is False
    assert truth["marks"]["试点单位意见.公章"]["present"] is True
    # and a seal that only bleeds over a line still counts for its own box
    for e in manifest["files"]:
        for p in e.get("marks_placed", []):
            if p.get("placement") == "bleed":
                assert p["box"] == p["aimed"] and 0.5 < p["shares"][p["aimed"]] < 0.99


def test_truth_values_are_printed_in_the_text_layer(generated):
    out, paths, manifest, truths = generated
    text_forms = [p for p in paths if truths[p.name]["error"] is None and truths[p.name]["scan"] is None]
    path = text_forms[0]
    truth = truths[path.name]["fields"]
    with pdfplumber.open(path) as pdf:
        # whole-page text interleaves a narrow label column with its value; table cells do not
        cells = []
        for page in pdf.pages:
            for table in page.extract_tables():
                cells.extend(cell or "" for row in table for cell in row)
        haystacks = (fold("".join(cells)), fold("".join(page.extract_text() or "" for page in pdf.pages)))
    values = [v for k, v in truth.items() if isinstance(v, str)]
    values += [v for table in ("试点工作负责人", "主要参与团队") for row in truth[table] for v in row.values()]
    missing = [v for v in values if fold(v) and not any(fold(v) in h for h in haystacks)]
    assert missing == []


def test_data_keep_the_programme(generated):
    """Outside the injected violations, 试点起止日期 and the 意见 dates keep samples/program.yaml."""
    from pipeline.dates import parse_date, parse_period

    out, paths, manifest, truths = generated
    scenario_of = {e["file"]: e.get("scenario") for e in manifest["files"]}
    for name, truth in truths.items():
        if truth["error"] or scenario_of.get(name) not in (None, "complete", "provincial", "wrong_box"):
            continue
        (y0, m0), (y1, m1) = parse_period(truth["fields"]["试点起止日期"])
        assert (2026, 7) <= (y0, m0) and (y1, m1) <= (2027, 6)
        for key in ("申报单位意见.日期", "试点单位意见.日期"):
            if truth["fields"][key]:
                assert parse_date(truth["fields"][key]) <= datetime.date(2026, 6, 10)  # 截止


def test_byte_copy_is_named_after_its_unit(generated):
    out, paths, manifest, truths = generated
    entry = by_special(manifest, "byte_copy")
    copy, original = out / entry["file"], out / entry["copy_of"]
    assert copy.read_bytes() == original.read_bytes()
    assert copy.stem == truths[original.name]["fields"]["申报单位"]
    assert ("文件", "duplicate", "error") in {(p["field"], p["kind"], p["severity"])
                                             for p in truths[copy.name]["expected_problems"]}
    assert truths[original.name]["expected_status"] == "complete"


def test_deterministic_for_a_seed():
    rng_a, rng_b = make_corpus.random.Random("7:3"), make_corpus.random.Random("7:3")
    assert make_corpus.make_applicant(rng_a) == make_corpus.make_applicant(rng_b)
