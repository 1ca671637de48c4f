"""The returns corpus generator (tools/make_returns.py), checked on what it wrote.

These test the generator, not the reader: every PDF has a truth file of the contract's shape,
every class is present in the default corpus, each page is what its truth says (text, /Rotate,
scans colour/grey/1-bit, photos, sandwich pages, attachments), the truth values are printed in
the typed text, and the same seed makes the same corpus. One default corpus (scan_pages="marks")
is built once per session; it converts with LibreOffice, so the tests are marked slow.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pikepdf
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_corpus  # noqa: E402
import make_returns  # noqa: E402
from returns import recipes  # noqa: E402

pytestmark = pytest.mark.slow

from conftest import RETURNS_SEED as SEED  # noqa: E402

EXTRACTION_KEYS = (
    ["试点单位", "申报单位", "试点起止日期"]
    + [f"{w}.{k}" for w in ("申报单位负责人", "试点单位负责人") for k in make_corpus.CONTACT_KEYS]
    + [f"{w}{s}" for w in ("申报单位意见", "试点单位意见") for s in ("", ".日期", ".签章", ".公章")]
    + list(make_corpus.TEXT_KEYS) + ["试点工作负责人", "主要参与团队"]
)
MARK_KEYS = [f"{w}.{k}" for w in ("申报单位意见", "试点单位意见") for k in ("签章", "公章")]
PROBLEM_KINDS = {"blank", "missing_seal", "missing_signature", "format", "rule", "duplicate", "review"}


@pytest.fixture(scope="session")
def corpus(returns_corpus):
    """The session's returns corpus (conftest): (folder, PDFs, truths, manifest)."""
    return returns_corpus


def fold(text) -> str:
    return re.sub(r"\s+", "", str(text))


def page_images(page: pikepdf.Page) -> list[pikepdf.PdfImage]:
    out = []
    for _, obj in page.obj.Resources.get("/XObject", {}).items():
        if obj.get("/Subtype") == "/Image":
            out.append(pikepdf.PdfImage(obj))
    return out


def expected_status(truth) -> str:
    if truth["error"]:
        return "error"
    severities = {p["severity"] for p in truth["expected_problems"]}
    return "incomplete" if "error" in severities else "review" if "review" in severities else "complete"


def test_every_pdf_has_a_truth_file_of_the_contract_shape(corpus):
    out, paths, truths, manifest = corpus
    assert [e["file"] for e in manifest["files"]] == [p.name for p in paths]
    assert (out / "contact.png").is_file() and (out / "contact.png").stat().st_size > 10_000
    for path in paths:
        truth = truths[path.name]
        for key in ("file", "form", "generator", "seed", "classes", "pages", "error", "fields", "marks",
                    "expected_problems", "expected_status"):
            assert key in truth, (path.name, key)
        assert truth["file"] == path.name and truth["form"] == "申报书" and truth["generator"] == "make_returns"
        assert truth["seed"] == SEED and truth["classes"]
        assert truth["error"] in (None, "unreadable", "encrypted", "not_this_form")
        assert truth["expected_status"] == expected_status(truth)
        for problem in truth["expected_problems"]:
            assert set(problem) == {"field", "kind", "severity"} and problem["kind"] in PROBLEM_KINDS
            assert problem["severity"] in ("error", "warning", "review")
        if truth["error"]:
            assert truth["fields"] == {} and truth["marks"] == {}
            continue
        assert list(truth["fields"]) == EXTRACTION_KEYS
        assert set(truth["marks"]) == set(MARK_KEYS)
        with pikepdf.open(path) as pdf:
            n_pages = len(pdf.pages)
            sizes = [(float(p.mediabox[2]) - float(p.mediabox[0]), float(p.mediabox[3]) - float(p.mediabox[1]),
                      int(p.obj.get("/Rotate", 0))) for p in pdf.pages]
        assert list(truth["pages"]) == [str(n) for n in range(1, n_pages + 1)]
        assert set(truth["pages"].values()) <= set(recipes.PAGE_KINDS)
        for key, mark in truth["marks"].items():
            assert truth["fields"][key] is mark["present"]
            assert set(mark) >= {"present", "page", "kind", "bbox"}
            assert isinstance(mark["page"], int) and 1 <= mark["page"] <= n_pages
            colourless = truth["pages"][str(mark["page"])] in recipes.COLOURLESS
            if key.endswith(".公章") and colourless:
                assert mark["present"] is None
            else:
                assert mark["present"] in (True, False)
            if mark["kind"] is not None:
                assert mark["kind"] in ("round_seal", "name_seal", "handwritten", "e_signature")
                w, h, rotate = sizes[mark["page"] - 1]
                if rotate in (90, 270) and truth["pages"][str(mark["page"])] == "rotated_attr" and w > h:
                    w, h = h, w  # counter-rotated content: the upright page is the turned media box
                if truth["pages"][str(mark["page"])] == "rotated_image" and w > h:
                    w, h = h, w
                x0, top, x1, bottom = mark["bbox"]
                assert 0 <= x0 < x1 <= w + 1 and 0 <= top < bottom <= h + 1, (path.name, key, mark["bbox"], w, h)
            if mark["present"] is True:
                assert mark["bbox"] is not None
        for key, mark in truth["marks"].items():
            if mark["present"] is None and not ("provincial" in truth["classes"] and key.startswith("试点")):
                assert {"field": key, "kind": "review", "severity": "review"} in truth["expected_problems"]


def test_each_class_is_present_in_the_default_corpus(corpus):
    out, paths, truths, manifest = corpus
    covered = {c for t in truths.values() for c in t["classes"]}
    assert set(recipes.ALL_CLASSES) <= covered, set(recipes.ALL_CLASSES) - covered
    kinds = {k for t in truths.values() for k in t["pages"].values()}
    assert set(recipes.PAGE_KINDS) <= kinds, set(recipes.PAGE_KINDS) - kinds
    statuses = {t["expected_status"] for t in truths.values()}
    assert statuses == {"complete", "incomplete", "review", "error"}
    scenarios = {t.get("scenario") for t in truths.values()}
    assert set(make_corpus.SCENARIOS) <= scenarios
    assert not manifest["missing_classes"]


def _content(page: pikepdf.Page) -> bytes:
    return b"".join(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).split(b"\n"))


def test_pages_are_what_their_truth_says(corpus):
    import pdfplumber
    from PIL import Image

    out, paths, truths, manifest = corpus
    seen = set()
    for path in paths:
        truth = truths[path.name]
        if truth["error"]:
            continue
        details = next(e for e in manifest["files"] if e["file"] == path.name)["page_details"]
        with pikepdf.open(path) as pdf, pdfplumber.open(path) as plumb:
            for number, kind in truth["pages"].items():
                page = pdf.pages[int(number) - 1]
                images = page_images(page)
                rotate = int(page.obj.get("/Rotate", 0))
                seen.add(kind)
                if kind == "text":  # typed vector pages (a page may hold only the end of a table)
                    p = plumb.pages[int(number) - 1]
                    assert rotate == 0 and (p.chars or p.edges), (path.name, number)
                elif kind == "rotated_attr":
                    assert rotate in (90, 180, 270), (path.name, number)
                    assert plumb.pages[int(number) - 1].chars
                elif kind == "attachment":
                    assert int(number) > max(int(n) for n, k in truth["pages"].items() if k != "attachment")
                else:  # an image page: one image over the whole page
                    assert len(images) == 1, (path.name, number, kind)
                    image = images[0]
                    filters = [str(f) for f in image.filters]
                    p = plumb.pages[int(number) - 1]
                    if kind == "sandwich":
                        assert p.chars and not (p.lines or p.rects or p.curves), (path.name, number)
                        assert b"3 Tr" in _content(page)
                        assert filters == ["/DCTDecode"]
                    else:
                        assert not p.chars, (path.name, number, kind)
                    if kind == "bw":
                        assert image.bits_per_component == 1 and str(image.colorspace) == "/DeviceGray"
                    elif kind == "grey":
                        assert image.bits_per_component == 8 and str(image.colorspace) == "/DeviceGray"
                        assert filters == ["/DCTDecode"]
                    elif kind in ("scan", "rotated_image", "photo"):
                        assert str(image.colorspace) == "/DeviceRGB" and filters == ["/DCTDecode"]
                    if kind == "rotated_image":
                        quarter = details[number]["quarter_turns_clockwise"]
                        landscape = image.width > image.height
                        assert landscape == (quarter % 2 == 1), (path.name, number)
                    if kind == "photo":
                        pixels = np.asarray(Image.open(io.BytesIO(image.obj.read_raw_bytes())).convert("L"), dtype=np.float32)
                        h, w = pixels.shape
                        assert 2000 <= w <= 2700 and 2700 <= h <= 3600, (w, h)
                        rim = max(4, int(0.02 * min(w, h)))
                        for edge in (pixels[:rim], pixels[-rim:], pixels[:, :rim], pixels[:, -rim:]):
                            assert edge.mean() < 225, (path.name, number, edge.mean())  # the desk, not paper
    assert {"text", "rotated_attr", "scan", "grey", "bw", "photo", "sandwich", "rotated_image", "attachment"} <= seen


def test_rotate_attr_pages_of_both_kinds(corpus):
    out, paths, truths, manifest = corpus
    kinds = set()
    for entry in manifest["files"]:
        for number, d in (entry.get("page_details") or {}).items():
            if "rotate" in d:
                kinds.add(d["content"])
    assert kinds == {"unchanged", "counter_rotated"}


def test_truth_values_are_printed_in_the_typed_text(corpus):
    import pypdfium2 as pdfium

    out, paths, truths, manifest = corpus
    checked = 0
    for path in paths:
        truth = truths[path.name]
        if truth["error"] or not any(k in ("text", "rotated_attr") for k in truth["pages"].values()):
            continue
        doc = pdfium.PdfDocument(str(path))
        texts = {}
        for i in range(len(doc)):
            tp = doc[i].get_textpage()
            texts[i + 1] = fold(tp.get_text_range())
        doc.close()
        for key, value in truth["fields"].items():
            if key in MARK_KEYS:
                continue
            where = truth["field_pages"][key]
            if not where or any(truth["pages"][str(n)] not in ("text", "rotated_attr") for n in where):
                continue
            text = "".join(texts[n] for n in where)
            turned = any(truth["pages"][str(n)] == "rotated_attr" for n in where)
            cells = [c for row in value for c in row.values()] if isinstance(value, list) else [value]
            for cell in cells:
                if not fold(cell):
                    continue
                if turned:  # text order on a turned page follows the display: every character is there
                    assert not Counter(fold(cell)) - Counter(text), (path.name, key, cell)
                else:
                    assert fold(cell) in text, (path.name, key, cell)
                checked += 1
    assert checked > 200


def test_the_same_seed_makes_the_same_corpus(corpus, tmp_path):
    out, paths, truths, manifest = corpus
    again = make_returns.generate(tmp_path, seed=SEED, count=3, scan_pages="marks")
    for path in again[:3]:
        assert json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8")) == truths[path.name]
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name
    other = make_returns.generate(tmp_path / "other", seed=SEED + 1, count=1, classes=["text"])
    first = json.loads(other[0].with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert first["fields"] != truths["001.pdf"]["fields"]


def test_the_scorer_gives_full_marks_to_answers_equal_to_the_truth(corpus):
    import score_returns

    out, paths, truths, manifest = corpus
    extract = {"files": [{"file": str(out / name), "form": "申报书", "status": "error" if t["error"] else "ok",
                          "source": "text", "fields": t["fields"], "marks": t["marks"],
                          "error": {"kind": t["error"], "message": ""} if t["error"] else None}
                         for name, t in truths.items()]}
    validate = {"files": [{"file": str(out / name), "status": t["expected_status"], "error": t["error"],
                           "problems": [dict(p, message="", page=None, bbox=None) for p in t["expected_problems"]]}
                          for name, t in truths.items()], "summary": {}}
    result = score_returns.score(out, extract, validate)
    overall = result["overall"]
    assert overall["text_fields_exact_pct"] == 100.0 and overall["image_fields_exact_pct"] == 100.0
    assert overall["image_chars_pct"] == 100.0 and overall["verdicts_right_pct"] == 100.0
    for what in ("签章", "公章"):
        c = overall[what]
        assert c.get("missed", 0) == c.get("false_alarm", 0) == c.get("null_where_colour", 0) == 0
        assert c["right"] + c.get("null_agreed", 0) == c["n"]
    assert result["false_alarms"]["n"] == 0 and result["missed_problems"]["n"] == 0
    assert result["errors"]["right"] == result["errors"]["files"] == 4
    blank = score_returns.score(out, {"files": []}, {"files": []})
    assert blank["overall"]["text_fields_exact_pct"] < 50 and blank["verdicts"]["right"] == 0
