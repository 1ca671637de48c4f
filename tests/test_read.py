"""Reading pages: the fast (pypdfium2) text layer gives the same layouts as pdfplumber's; scans hold no images."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
import yaml
from click.testing import CliRunner
from test_extract import RECORDS

import pipeline.read.pages
import pipeline.read.pdfium_text
from pipeline.cli import main
from pipeline.read import SCAN_DPI, open_pdf, read_layouts, read_pages
from pipeline.read.images import reduced
from pipeline.read.pdfium_text import read_with_pdfium
from pipeline.read.textlayer import read_text_page

TOLERANCE = 0.5  # points


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> list[Path]:
    """The test applicants rendered from the template (one LibreOffice run)."""
    root = tmp_path_factory.mktemp("pdfdoc")
    data = root / "x.yaml"
    records = [dict(r, 序号=f"{i + 1:02d}") for i, r in enumerate(RECORDS)]
    data.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    out = root / "forms"
    result = CliRunner().invoke(main, ["fill", "申报书", "--data", str(data), "--out", str(out),
                                       "--pdf", "--name", "{序号}"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return sorted(out.glob("*.pdf"))


def both_readings(path: Path):
    """(pdfplumber layout, fast layout, whether the fast reading declined) for every page."""
    results = []
    with open_pdf(path) as pdf:
        document = pdfium.PdfDocument(str(path))
        try:
            for number, page in enumerate(pdf.pages, start=1):
                old = read_text_page(page, number)
                page.close()
                pdfium_page = document[number - 1]
                try:
                    new = read_with_pdfium(pdfium_page, page, number)
                    declined = new is None
                    if declined:
                        new = read_text_page(page, number)
                finally:
                    pdfium_page.close()
                results.append((old, new, declined))
        finally:
            document.close()
    return results


def assert_same(old, new, where: str) -> None:
    assert (old is None) == (new is None), where
    if old is None:
        return
    assert (old.width, old.height) == pytest.approx((new.width, new.height), abs=0.01), where
    assert [w.text for w in new.words] == [w.text for w in old.words], where
    for a, b in zip(old.words, new.words):
        assert max(abs(a.x0 - b.x0), abs(a.x1 - b.x1), abs(a.top - b.top),
                   abs(a.bottom - b.bottom)) <= TOLERANCE, f"{where}: {a} vs {b}"
    assert len(new.cells) == len(old.cells), where
    for a, b in zip(old.cells, new.cells):
        assert max(abs(a.x0 - b.x0), abs(a.x1 - b.x1), abs(a.top - b.top),
                   abs(a.bottom - b.bottom)) <= TOLERANCE, f"{where}: {a} vs {b}"


def test_fast_reading_equals_pdfplumber(forms):
    assert forms
    for path in forms:
        readings = both_readings(path)
        assert not any(declined for _, _, declined in readings), path.name  # all read fast
        assert all(old is not None for old, _, _ in readings), path.name
        assert sum(len(old.cells) for old, _, _ in readings) > 20, path.name  # the tables are read
        for number, (old, new, _) in enumerate(readings, start=1):
            assert_same(old, new, f"{path.name} p{number}")


def test_read_pages_uses_the_fast_reading(forms, monkeypatch):
    calls = Counter()
    original = pipeline.read.pages.read_text_page

    def counting(page, number):
        calls["pdfplumber"] += 1
        return original(page, number)

    monkeypatch.setattr(pipeline.read.pages, "read_text_page", counting)
    monkeypatch.setattr(pipeline.read.pdfium_text, "read_text_page", counting)
    layouts = read_layouts(forms[0])
    assert layouts and calls["pdfplumber"] == 0
    assert all(layout.source == "text" for layout in layouts)


def test_owner_password_opens_and_turned_pages_read_upright(forms, tmp_path):
    """A page saved with /Rotate 90, 180 or 270 (its text displayed turned) reads like the upright
    page: the same words in the same places, the same cells."""
    owner = tmp_path / "owner.pdf"
    with pikepdf.open(forms[0]) as pdf:
        pdf.save(owner, encryption=pikepdf.Encryption(owner="x", user="", R=6))
    plain = read_layouts(forms[0])
    assert [w.text for w in read_layouts(owner)[0].words] == [w.text for w in plain[0].words]
    for turn in (90, 180, 270):
        rotated = tmp_path / f"rotated-{turn}.pdf"
        with pikepdf.open(forms[0]) as pdf:
            for page in pdf.pages[:3]:
                page.rotate(turn, relative=True)
            pdf.save(rotated)
        got = read_layouts(rotated)
        for number in (1, 3):
            upright, turned = plain[number - 1], got[number - 1]
            assert turned.turned == (360 - turn) % 360 and turned.source == "text"
            assert [w.text for w in turned.words] == [w.text for w in upright.words], (turn, number)
            assert_same(upright, turned, f"/Rotate {turn} p{number}")


def test_corpus_text_pages(corpus):
    """Every layout variant of the session's corpus (fake bold, WPS-like, line breaks)."""
    out, truths, _ = corpus
    seen = Counter()
    for name, truth in sorted(truths.items()):
        if truth.get("error") or truth.get("scan") or truth["layout"] in seen:
            continue
        seen[truth["layout"]] += 1
        path = out / name
        for number, (old, new, declined) in enumerate(both_readings(path), start=1):
            assert not declined, f"{path.name} p{number}"
            assert_same(old, new, f"{path.name} p{number}")
    assert len(seen) >= 3


def test_a_scan_holds_no_page_images_and_gives_back_the_ones_it_measured(forms, tmp_path, monkeypatch):
    """read_pages keeps no image per scanned page (a 100-page scan held 360 MB of them); a page
    looked up is made again, pixel for pixel the straightened image its words were measured on."""
    from PIL import Image

    dpi = SCAN_DPI
    document = pdfium.PdfDocument(str(forms[0]))
    frames = []
    for index, angle in ((0, 0.0), (1, 1.5)):  # a straight page and a tilted one
        image = document[index].render(scale=dpi / 72).to_pil().convert("RGB")
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)
        frames.append(Image.open(io.BytesIO(buffer.getvalue())))
    document.close()
    scanned = tmp_path / "scan.pdf"
    frames[0].save(scanned, save_all=True, append_images=frames[1:], resolution=dpi)

    keep = {1: 100, 2: 1e9}  # as extract.py asks: reduced, or full resolution
    measured = {}
    reading = pipeline.read.pages.read_scan

    def remembering(image, dpi, number, **kwargs):
        page = reading(image, dpi, number, **kwargs)
        kept, kept_dpi = reduced(page.image, page.dpi, keep[number])
        measured[number] = (hashlib.sha256(np.ascontiguousarray(kept)).hexdigest(), kept.shape, kept_dpi)
        return page

    monkeypatch.setattr(pipeline.read.pages, "read_scan", remembering)
    read_pages(scanned)  # the OCR engine loads outside the measurement
    tracemalloc.start()
    try:
        layouts, images = read_pages(scanned, keep_image=lambda layout: keep[layout.number])
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert [layout.source for layout in layouts] == ["ocr", "ocr"]
    assert held < 1024 * 1024, f"{held / 1024 / 1024:.1f} MB held after reading two pages"
    assert sorted(images) == [1, 2] and 3 not in images
    for number in (1, 2):
        image, kept_dpi = images[number]
        assert (hashlib.sha256(np.ascontiguousarray(image)).hexdigest(), image.shape, kept_dpi) == measured[number]
    assert images[2][1] == dpi and images[1][1] < 101
