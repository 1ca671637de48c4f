"""Scans read back: deskew, cells, OCR, seals and ink on real renders of our own 申报书.

The module fills the 申报书 template once (LibreOffice), rasterises its 基本情况 page, stamps a
red seal over the 申报单位意见 box, signs it with a blue scribble, tilts the page by 1.5°, adds
noise and a grey background and JPEG-compresses it — then reads it with ``pipeline.read.scan``.
"""

from __future__ import annotations

import io
import math
import random
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageFont

import pipeline.read.scan
from pipeline.match.regions import Document
from pipeline.read import Box, Word, render_pages
from pipeline.read.deskew import estimate_skew
from pipeline.read.ink import ink_boxes, ink_in, written_slash
from pipeline.read.ocr import simplified
from pipeline.read.ocr_words import unread_cells
from pipeline.read.scan import read_scan
from pipeline.read.seals import find_seals

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
PAGE = 3  # 一、基本情况: the table with the fields, the two 意见 boxes and their seals

DATA = """\
试点单位: 杭州市余杭区科学技术协会
申报单位: 浙江省科学技术协会
填报年月: 2025年3月
试点起止日期: 2025年4月至2026年12月
申报单位负责人:
  姓名: 王建国
  手机: "13805711234"
  电子邮箱: wjg@zast.cn
  通讯地址: 杭州市西湖区曙光路128号
  邮编: "310007"
  传真: 0571-85171234
  办公电话: 0571-85175678
试点单位负责人:
  姓名: 李晓梅
  手机: "13957106789"
  电子邮箱: lxm@yhkx.cn
  通讯地址: 杭州市余杭区临平大道1号
  邮编: "311100"
  传真: 0571-86221234
  办公电话: 0571-86225678
申报单位意见:
  内容: 同意推荐
  日期: 2025年3月20日
试点单位意见:
  内容: 同意申报
  日期: 2025年3月18日
申报单位推荐理由: 余杭区科协组织健全。
试点单位概况: 余杭区科协下设学会12个。
改革工作目前进展情况: 已完成科协组织体系建设。
改革工作亮点与主要成效: 建立科技志愿服务队伍。
试点内容: 探索科协组织建设新模式。
工作计划: 分三个阶段推进。
预期成果: 形成可复制经验。
试点成果宣传计划: 通过媒体宣传。
试点工作负责人: []
主要参与团队: []
"""

SEAL_CENTRE = (430.0, 548.0)  # over 「（单位公章）」 and the date of the 申报单位意见 box
SIGNATURE = Box(250.0, 503.0, 320.0, 526.0)  # after 「申报单位负责人（签章）：」
TILT = 1.5


# --- making scans ----------------------------------------------------------------------------


def draw_seal(image: np.ndarray, dpi: float, cx: float, cy: float, diameter: float = 115.0,
              text: str = "浙江省科学技术协会") -> np.ndarray:
    """Stamp a red round seal (ring, star, arc text) centred at (cx, cy) points; ink multiplies."""
    k = dpi / 72
    layer = Image.new("L", (image.shape[1], image.shape[0]), 0)
    draw = ImageDraw.Draw(layer)
    r, x, y = diameter / 2 * k, cx * k, cy * k
    draw.ellipse([x - r, y - r, x + r, y + r], outline=255, width=max(2, int(3 * k)))
    star = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r * 0.28 if i % 2 == 0 else r * 0.11
        star.append((x + rr * math.cos(a), y + rr * math.sin(a)))
    draw.polygon(star, fill=255)
    font = ImageFont.truetype(CJK_FONT, int(14 * k))
    for i, ch in enumerate(text):
        a = math.radians(-150 + 120 * i / (len(text) - 1))
        glyph = Image.new("L", (int(20 * k), int(20 * k)), 0)
        ImageDraw.Draw(glyph).text((int(3 * k), 0), ch, font=font, fill=255)
        glyph = glyph.rotate(-math.degrees(a) - 90, expand=True)
        gx, gy = x + r * 0.72 * math.cos(a), y + r * 0.72 * math.sin(a)
        layer.paste(glyph, (int(gx - glyph.width / 2), int(gy - glyph.height / 2)), glyph)
    alpha = np.asarray(layer, dtype=np.float32)[..., None] / 255 * 0.85
    ink = np.array([215, 35, 45], dtype=np.float32) / 255
    out = image.astype(np.float32) * (1 - alpha + alpha * ink)  # seal ink over toner stays dark
    return out.clip(0, 255).astype(np.uint8)


def draw_scribble(image: np.ndarray, dpi: float, box: Box, colour=(25, 45, 165), seed: int = 1) -> np.ndarray:
    """A ballpoint signature: a wavy polyline filling ``box``."""
    k = dpi / 72
    rng = np.random.default_rng(seed)
    pil = Image.fromarray(image)
    n = 26
    xs = np.linspace(box.x0 + 2, box.x1 - 2, n) + rng.normal(0, 1.5, n)
    ys = (box.top + box.bottom) / 2 + box.height / 2.4 * np.sin(np.linspace(0, 8 * math.pi, n))
    ImageDraw.Draw(pil).line([(a * k, b * k) for a, b in zip(xs, ys)], fill=colour, width=max(2, int(1.3 * k)))
    return np.asarray(pil)


def draw_text(image: np.ndarray, dpi: float, x: float, y: float, text: str, size: float,
              colour=(200, 20, 30)) -> np.ndarray:
    pil = Image.fromarray(image)
    ImageDraw.Draw(pil).text((x * dpi / 72, y * dpi / 72), text, fill=colour,
                             font=ImageFont.truetype(CJK_FONT, int(size * dpi / 72)))
    return np.asarray(pil)


def scan_like(image: np.ndarray, angle: float = TILT, seed: int = 0, quality: int = 70) -> np.ndarray:
    """Tilt (counter-clockwise, degrees), grey the paper, add noise, JPEG-compress."""
    rng = np.random.default_rng(seed)
    tilted = Image.fromarray(image).rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    a = np.asarray(tilted).astype(np.float32) * 0.9 + 12
    a += rng.normal(0, 6, a.shape)
    buf = io.BytesIO()
    Image.fromarray(a.clip(0, 255).astype(np.uint8)).save(buf, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def fill_application(out_dir: Path) -> Path:
    """Fill the 申报书 with DATA through the kexie CLI and return the PDF."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is not installed")
    data = out_dir / "data.yaml"
    data.write_text(DATA, encoding="utf-8")
    kexie = Path(sys.executable).with_name("kexie")
    subprocess.run([str(kexie), "fill", "申报书", "--data", str(data), "--out", str(out_dir), "--pdf"],
                   check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
    return next(out_dir.glob("*.pdf"))


def render_page(pdf: Path, dpi: float, number: int = PAGE) -> np.ndarray:
    (_, image), = render_pages(pdf, dpi, [number])
    return image
    raise AssertionError(f"page {number} missing")


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled_pdf(tmp_path_factory) -> Path:
    return fill_application(tmp_path_factory.mktemp("scan"))


@pytest.fixture(scope="module")
def text_page(filled_pdf):
    """The page as pdfplumber reads the text PDF: (cells, words)."""
    with pdfplumber.open(filled_pdf) as pdf:
        page = pdf.pages[PAGE - 1]
        cells = [Box(*c) for table in page.find_tables() for c in table.cells]
        words = page.extract_words()
    return cells, words


@pytest.fixture(scope="module")
def originals(filled_pdf):
    return {dpi: render_page(filled_pdf, dpi) for dpi in (150, 300)}


@pytest.fixture(scope="module")
def scans(originals):
    """dpi → ScannedPage of the sealed, signed, tilted, noisy JPEG scan."""
    result = {}
    for dpi, image in originals.items():
        image = draw_seal(image, dpi, *SEAL_CENTRE)
        image = draw_scribble(image, dpi, SIGNATURE)
        result[dpi] = read_scan(scan_like(image), dpi, PAGE)
    return result


# --- tests ---------------------------------------------------------------------------------------


def _rule_row(image: np.ndarray, dpi: float, x_pt: float, near_pt: float) -> float:
    """Row (points) of the darkest horizontal rule in a column strip around ``near_pt``."""
    k = dpi / 72
    gray = image[:, int(x_pt * k) - 2:int(x_pt * k) + 3].mean(axis=(1, 2))
    lo, hi = int((near_pt - 5) * k), int((near_pt + 5) * k)
    return (lo + int(np.argmin(gray[lo:hi]))) / k


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
def test_deskew_levels_the_table_rules(scans, text_page, dpi):
    page = scans[dpi]
    assert page.how.angle == pytest.approx(-TILT, abs=0.2)
    cells, _ = text_page
    top = min(c.top for c in cells)
    left, right = 200.0, 500.0  # clear of the 「一、基本情况」 heading above the table
    # Measured independently of the deskewer: the table's top rule at two far-apart columns.
    dy = _rule_row(page.image, dpi, right, top) - _rule_row(page.image, dpi, left, top)
    assert abs(math.degrees(math.atan2(dy, right - left))) < 0.2
    assert abs(estimate_skew(page.image, dpi)) < 0.2


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
def test_cells_match_the_text_pdf(scans, text_page, dpi):
    expected, _ = text_page
    found = scans[dpi].layout.cells
    assert len(expected) >= 30
    missing = [c.as_list() for c in expected
               if not any(max(abs(c.x0 - f.x0), abs(c.top - f.top), abs(c.x1 - f.x1), abs(c.bottom - f.bottom)) < 3
                          for f in found)]
    assert missing == []
    # Both 意见 boxes (the seal's boxes) are cells of their own, the seal's one included.
    big = [f for f in found if f.height > 100]
    assert len(big) == 2
    assert scans[dpi].layout.width == pytest.approx(595.3, abs=1)


def _text_in_cell(words, cell: Box) -> str:
    return "".join(w.text for w in words if cell.contains_point((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2))


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("value", ["13805711234", "13957106789", "杭州市余杭区科学技术协会", "wjg@zast.cn",
                                   "0571-85175678", "王建国", "310007"])
def test_ocr_reads_field_values_from_their_cell(scans, text_page, dpi, value):
    cells, words = text_page
    where = next(w for w in words if w["text"] == value)
    cell = next(c for c in cells if c.contains_point((where["x0"] + where["x1"]) / 2,
                                                     (where["top"] + where["bottom"]) / 2))
    layout = scans[dpi].layout
    assert layout.source == "ocr"
    assert _text_in_cell(layout.words, cell) == value


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
def test_words_never_span_two_cells(scans, dpi):
    layout = scans[dpi].layout
    for word in layout.words:
        holders = [c for c in layout.cells if c.intersection(word) > 0.2 * word.area]
        assert len(holders) <= 1, (word.text, [c.as_list() for c in holders])


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
def test_seal_is_found_where_it_was_stamped_and_kept_out_of_the_text(scans, dpi):
    seals = scans[dpi].layout.seals
    assert len(seals) == 1
    seal = seals[0]
    assert seal.kind == "seal" and seal.score > 0.7
    assert math.hypot((seal.x0 + seal.x1) / 2 - SEAL_CENTRE[0], (seal.top + seal.bottom) / 2 - SEAL_CENTRE[1]) < 10
    assert 100 < seal.width < 130
    text = "".join(w.text for w in scans[dpi].layout.words)
    assert "科学技术协会" not in text.replace("杭州市余杭区科学技术协会", "")


def test_no_seal_without_one_nor_on_red_print(originals):
    dpi = 150
    image = originals[dpi]
    assert find_seals(image, dpi) == []
    # Red print that is not a seal: a red title, a red rule under a 文号, small red handwriting.
    red = draw_text(image, dpi, 90, 40, "关于开展地方科协深化改革工作试点申报的通知", 20)
    red = np.array(red)
    k = dpi / 72
    red[int(95 * k):int(97 * k), int(80 * k):int(520 * k)] = (210, 25, 35)
    red = draw_text(red, dpi, 400, 760, "已阅 同意", 12)
    red = draw_scribble(red, dpi, Box(420, 780, 480, 800), colour=(200, 30, 40))
    assert find_seals(scan_like(red, angle=-0.8), dpi) == []


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
def test_ink_tells_a_signature_from_an_empty_area(scans, dpi):
    page = scans[dpi]
    assert ink_in(page.image, dpi, SIGNATURE) > 0.03
    blobs = ink_boxes(page.image, dpi, SIGNATURE)
    assert blobs and max(b.width for b in blobs) > 40
    # The 试点单位 signer did not sign: its row holds only the printed label, passed as ignore.
    label = next(w for w in page.layout.words if w.text.startswith("试点单位负责人（签章"))
    row = Box(label.x0 - 4, label.top - 6, label.x1 + 70, label.bottom + 6)
    assert ink_in(page.image, dpi, row, ignore=[label]) < 0.002
    # The seal's ring and arc text at its top, clear of any print, are red: not ink.
    seal = page.layout.seals[0]
    middle = (seal.x0 + seal.x1) / 2
    assert ink_in(page.image, dpi, Box(middle - 30, seal.top, middle + 30, seal.top + 17)) < 0.002


def test_ink_sees_a_lone_slash_in_an_empty_cell(originals):
    dpi = 150
    image = np.array(originals[dpi])
    cell = Box(250, 692, 320, 716)  # the blank row right of 「试点单位负责人（签章）：」
    empty = ink_in(image, dpi, cell)
    k = dpi / 72
    pil = Image.fromarray(image)
    ImageDraw.Draw(pil).line([(280 * k, 712 * k), (288 * k, 696 * k)], fill=(20, 20, 20), width=max(2, int(k)))
    slashed = ink_in(np.asarray(pil), dpi, cell)
    assert empty == 0.0
    assert slashed > 0.003
    assert len(ink_boxes(np.asarray(pil), dpi, cell)) == 1


@pytest.mark.slow
def test_stacked_labels_in_a_narrow_cell_are_read_line_by_line(filled_pdf):
    # Page 5: the label 「试点单位改革工作目前进展情况」 is wrapped two characters a line in a
    # narrow cell; the detector may return neighbouring short lines as one box.
    dpi = 200
    page = read_scan(scan_like(render_page(filled_pdf, dpi, 5), angle=-1.0), dpi, 5)
    column = [w.text for w in page.layout.words if w.x1 < 120 and w.top < 400]
    assert "".join(column) == "试点单位改革工作目前进展情况"


@pytest.mark.slow
@pytest.mark.parametrize("dpi", [150, 300])
def test_digits_under_a_seal_are_kept(scans, dpi):
    # The seal is stamped over 「（单位公章）」 and the date: print under seal ink is dark red,
    # not seal ink, and must reach the OCR (it once came back as 「025年3月20日」).
    text = "".join(w.text for w in scans[dpi].layout.words)
    assert "2025年3月20日" in text


@pytest.mark.slow
def test_underlined_cover_lines_read_exactly(filled_pdf):
    # Page 1: 「申报单位：____」 with the answer typed on the underline in 16 pt; the stems of
    # 科/协 standing on the underline are not table rules (they once read 「学支办会」).
    dpi = 200
    page = read_scan(scan_like(render_page(filled_pdf, dpi, 1), angle=1.2), dpi, 1)
    lines = [w.text for w in page.layout.words]
    assert "申报单位：浙江省科学技术协会" in lines
    assert "试点单位：杭州市余杭区科学技术协会" in lines
    assert "中国科学技术协会" in lines


def _blank_page(dpi: float, width_pt: float = 300, height_pt: float = 300) -> np.ndarray:
    k = dpi / 72
    return np.full((int(height_pt * k), int(width_pt * k), 3), 236, dtype=np.uint8)


def _draw_box(image: np.ndarray, dpi: float, box: Box) -> np.ndarray:
    k = dpi / 72
    pil = Image.fromarray(image)
    ImageDraw.Draw(pil).rectangle([box.x0 * k, box.top * k, box.x1 * k, box.bottom * k],
                                  outline=(20, 20, 20), width=max(1, int(0.8 * k)))
    return np.asarray(pil)


def _specks(image: np.ndarray, dpi: float, box: Box, count: int = 12, seed: int = 3) -> np.ndarray:
    """Dots of dirt of 1–1.5 pt, as on a scanned page."""
    k = dpi / 72
    rng = np.random.default_rng(seed)
    pil = Image.fromarray(image)
    draw = ImageDraw.Draw(pil)
    for _ in range(count):
        x, y = rng.uniform(box.x0 + 3, box.x1 - 3) * k, rng.uniform(box.top + 3, box.bottom - 3) * k
        r = rng.uniform(0.5, 0.75) * k
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(40, 40, 40))
    return np.asarray(pil)


@pytest.mark.parametrize("dpi", [100, 150, 300])
def test_written_slash_tells_a_slash_from_specks_a_one_and_characters(dpi):

    cell = Box(20, 20, 120, 50)
    k = dpi / 72
    specked = _specks(_blank_page(dpi), dpi, cell)
    assert written_slash(specked, dpi, cell) is False

    pil = Image.fromarray(specked.copy())
    ImageDraw.Draw(pil).line([(74 * k, 43 * k), (80 * k, 28 * k)], fill=(20, 20, 20), width=max(2, int(0.8 * k)))
    assert written_slash(np.asarray(pil), dpi, cell) is True

    pil = Image.fromarray(_blank_page(dpi))  # an upright 「1」 is not a slash
    ImageDraw.Draw(pil).line([(77 * k, 28 * k), (77 * k, 43 * k)], fill=(20, 20, 20), width=max(2, int(0.8 * k)))
    assert written_slash(np.asarray(pil), dpi, cell) is not True

    word = draw_text(_blank_page(dpi), dpi, 60, 27, "无", 12, colour=(20, 20, 20))
    assert written_slash(word, dpi, cell) is None


@pytest.mark.slow
def test_characters_the_detector_misses_are_read_from_their_cell():
    # A label stacked one character a line in a 10 mm cell (the form retyped with narrow label
    # columns), and a lone 「男」 in a small cell: the line detector finds neither at 90 dpi.
    dpi = 300
    image = _blank_page(dpi, 300, 380)
    narrow, small = Box(20, 20, 48, 330), Box(120, 330, 160, 360)
    for box in (narrow, Box(48, 20, 280, 330), Box(20, 330, 120, 360), small, Box(160, 330, 280, 360)):
        image = _draw_box(image, dpi, box)
    for i, char in enumerate("试点单位概况"):
        image = draw_text(image, dpi, 27, 90 + i * 24, char, 14, colour=(20, 20, 20))
    image = draw_text(image, dpi, 134, 337, "男", 12, colour=(20, 20, 20))
    page = read_scan(scan_like(image, angle=0.4), dpi, 1).layout

    def inside(box):
        return "".join(w.text for w in page.words if box.contains_point((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2))

    assert inside(narrow) == "试点单位概况"
    assert inside(small) == "男"


@pytest.mark.slow
def test_the_rest_of_a_stacked_label_the_detector_read_in_part_is_read():
    # 「试点/单位/改革/工作/目前/进展/情况」 two characters a line in a 42 pt column: the detector
    # found four of the lines; the three it missed are read from their ink.
    dpi = 200
    k = dpi / 72
    rows = ["试点", "单位", "改革", "工作", "目前", "进展", "情况"]
    image = _blank_page(dpi, 200, 260)
    for i, text in enumerate(rows):
        image = draw_text(image, dpi, 28, 20 + i * 25, text, 13, colour=(20, 20, 20))
    gray = image.mean(axis=2).astype(np.uint8)
    cell = Box(20 * k, 12 * k, 62 * k, 200 * k)
    seen = [Word(27, 19 + i * 25, 55, 34 + i * 25, rows[i]) for i in (0, 1, 2, 6)]
    found = unread_cells(gray, dpi, [cell], seen)
    assert [w.text for w in sorted(found, key=lambda w: w.top)] == ["工作", "目前", "进展"]
    assert unread_cells(gray, dpi, [Box(20 * k, 12 * k, 190 * k, 200 * k)], seen) == []  # a wide cell: as read
    stub = [Word(61, 100, 61.4, 101, "1")]  # 「1」 read off a rule's stub fills no cell
    found = unread_cells(gray, dpi, [Box(20 * k, 12 * k, 90 * k, 200 * k)], stub)
    assert "".join(w.text for w in sorted(found, key=lambda w: w.top)) == "".join(rows)


@pytest.mark.slow
def test_a_box_whose_rule_is_hidden_under_a_seal_is_still_a_cell():
    # Thick seal paste covers the box's bottom rule where the seal is stamped across it: the
    # rule is gone for most of the seal's width, yet the box is still one cell.
    dpi = 200
    k = dpi / 72
    image = _draw_box(_blank_page(dpi, 400, 300), dpi, Box(20, 20, 380, 200))
    image = _draw_box(image, dpi, Box(20, 200, 380, 280))
    image = draw_seal(image, dpi, 200, 200, diameter=115)
    image = image.copy()
    gap = slice(int(150 * k), int(250 * k))
    rows = slice(int(198 * k), int(203 * k))
    image[rows, gap] = np.where(image[rows, gap].mean(axis=2, keepdims=True) < 120, (215, 40, 40), image[rows, gap])
    page = read_scan(image, dpi, 1).layout
    assert any(abs(c.x0 - 20) < 3 and abs(c.top - 20) < 3 and abs(c.bottom - 200) < 3 for c in page.cells)


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_box_cut_by_the_page_break_is_still_a_cell(dpi):
    # A long answer's box runs on to the next page: Word and LibreOffice print it without its
    # bottom rule (and on the next page without its top); the words in it are still its value.
    k = dpi / 72
    pil = Image.fromarray(_blank_page(dpi, 400, 400))
    draw = ImageDraw.Draw(pil)
    width = max(1, int(0.8 * k))
    for x0, y0, x1, y1 in ((20, 10, 380, 10), (20, 30, 380, 30),  # a row above, then a box open below
                           (20, 10, 20, 360), (380, 10, 380, 360), (200, 100, 200, 300)):  # a lone stroke
        draw.line([(x0 * k, y0 * k), (x1 * k, y1 * k)], fill=(20, 20, 20), width=width)
    page = read_scan(np.asarray(pil), dpi, 1).layout
    assert any(abs(c.x0 - 20) < 3 and abs(c.top - 30) < 3 and abs(c.x1 - 380) < 3 and abs(c.bottom - 360) < 3
               for c in page.cells), page.cells
    assert len(page.cells) == 2, page.cells


def test_recognised_text_comes_back_in_simplified_characters():
    assert simplified("性別") == "性别" and simplified("黃蕾") == "黄蕾"
    text = "申报书所填内容真实准确，干部、乾隆、里程、云南、沈思远、喆"
    assert simplified(text) == text


def test_a_rule_stub_read_as_one_is_no_word(monkeypatch):
    # OCR read the stub where two rules cross as 「1」 (a box 0.4 × 1 pt) inside the 姓名 label's
    # cell; left there, it hid the label and 申报单位负责人.姓名 was taken from another table.
    monkeypatch.setattr(pipeline.read.scan, "ocr_words", lambda clean, dpi, rules, discs=(): [
        Word(141, 297, 141.4, 298, "1"), Word(87, 294, 134, 309, "姓名"), Word(200, 296, 204, 308, "/")])
    page = read_scan(_blank_page(150, 300, 400), 150, 1).layout
    assert [w.text for w in page.words] == ["姓名", "/"]


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_a_faint_slash_is_a_slash_not_a_blank(dpi):
    """A pencil's 「/」 photographed keeps more of the paper's light than print: still a slash."""
    cell = Box(20, 20, 120, 50)
    k = dpi / 72
    pil = Image.fromarray(_blank_page(dpi))
    ImageDraw.Draw(pil).line([(74 * k, 43 * k), (80 * k, 28 * k)], fill=(170, 170, 170), width=max(2, int(0.8 * k)))
    assert written_slash(np.asarray(pil), dpi, cell) is True
    assert written_slash(_specks(_blank_page(dpi), dpi, cell), dpi, cell) is False


@pytest.mark.slow
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_page_with_two_lines_is_turned_upright(turn, dpi=200):
    """A form's last page holding only an opinion and a date: too few lines for their shapes to
    tell, the sheet's shape and the recogniser do."""
    from pipeline.read.orient import page_turn

    page = draw_text(_blank_page(dpi, 595, 842), dpi, 80, 120, "同意推荐，申报书所填内容真实准确。", 12, colour=(20, 20, 20))
    page = draw_text(page, dpi, 330, 160, "2026年5月25日", 12, colour=(20, 20, 20))
    turned = np.ascontiguousarray(np.rot90(page, turn // 90))  # counter-clockwise by ``turn``
    gray = turned[..., 0]
    assert page_turn(gray, dpi) == turn  # clockwise, undoing the counter-clockwise turn


@pytest.mark.parametrize("dpi", [150, 300])
def test_cells_that_share_a_rule_meet_on_it_under_a_bold_frame(dpi):
    """A form with a bold frame (2.2 pt) and thin inner rules (0.5 pt): each cell's edge is on the
    centre of its own rule, so the label cell and the answer beside it touch — an edge placed by
    the frame's thickness made them overlap by 3 pt, and the answer was never found right of its
    label (申报单位推荐理由 beside a stacked label column on a scan)."""
    k = dpi / 72
    pil = Image.fromarray(_blank_page(dpi, 400, 400))
    draw = ImageDraw.Draw(pil)
    bold, thin = max(2, int(2.2 * k)), max(1, int(0.5 * k))
    # the frame's top and bottom rules printed a little slanted (a sheet fed askew in the printer)
    for x0, y0, x1, y1 in ((20, 20, 380, 22.5), (20, 380, 380, 382.5), (20, 20, 20, 382.5), (380, 22.5, 380, 382.5)):
        draw.line([(x0 * k, y0 * k), (x1 * k, y1 * k)], fill=(20, 20, 20), width=bold)
    for x0, y0, x1, y1 in ((70, 20, 70, 380), (20, 200, 380, 200)):
        draw.line([(x0 * k, y0 * k), (x1 * k, y1 * k)], fill=(20, 20, 20), width=thin)
    page = read_scan(np.asarray(pil), dpi, 1).layout
    assert len(page.cells) == 4, page.cells
    cells = sorted(page.cells, key=lambda c: (c.top > 100, c.x0))
    for left, right in ((cells[0], cells[1]), (cells[2], cells[3])):
        assert abs(right.x0 - left.x1) <= 1.0 and abs(left.x1 - 70) <= 1.0, (left, right)
    assert abs(cells[2].top - cells[0].bottom) <= 1.0 and abs(cells[0].bottom - 200) <= 1.5
    document = Document([page])
    label = next(r for r in document.regions if r.is_cell and r.box.x1 < 100 and r.box.top < 100)
    assert document.right_of(label) is not None


def _break_ring(image: np.ndarray, dpi: float, cx: float, cy: float, diameter: float, keep) -> np.ndarray:
    """Paper over a seal's ring except the arcs ``keep`` ((from, to) degrees): a faded, half-inked stamp."""
    k = dpi / 72
    h, w = image.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.hypot(xx - cx * k, yy - cy * k) / (diameter / 2 * k)
    angle = np.degrees(np.arctan2(yy - cy * k, xx - cx * k)) % 360
    kept = np.zeros_like(d, dtype=bool)
    for a, b in keep:
        kept |= (angle >= a) & (angle < b)
    out = image.copy()
    out[(d > 0.9) & (d < 1.15) & ~kept] = 250
    return out


@pytest.mark.parametrize("dpi", [150, 200])
def test_a_half_inked_seal_is_for_a_person_to_judge_and_a_bare_arc_is_no_seal(dpi):
    """A faded stamp whose ring is inked round less than half, its characters and star inside: the
    reader cannot be sure it is a 公章, so it is a "faint_seal" (present null, 需人工核对) — neither
    reported missing nor counted. The same broken ring with nothing inside is no seal at all."""
    page = _blank_page(dpi, 400, 300)
    arcs = ((200, 300), (20, 82))  # 162° of 360: 45 % of the ring
    faint = _break_ring(draw_seal(page, dpi, 120, 150), dpi, 120, 150, 115, arcs)
    full = draw_seal(faint, dpi, 290, 150)
    marks = sorted(find_seals(full, dpi), key=lambda m: m.x0)
    assert [m.kind for m in marks] == ["faint_seal", "seal"], marks
    assert abs((marks[0].x0 + marks[0].x1) / 2 - 120) < 6
    bare = np.asarray(Image.fromarray(_blank_page(dpi, 400, 300)))
    pil = Image.fromarray(bare.copy())
    k = dpi / 72
    ImageDraw.Draw(pil).ellipse([(120 - 57.5) * k, (150 - 57.5) * k, (120 + 57.5) * k, (150 + 57.5) * k],
                                outline=(215, 35, 45), width=max(2, int(3 * k)))
    arc_only = _break_ring(np.asarray(pil), dpi, 120, 150, 115, arcs)
    assert find_seals(arc_only, dpi) == []


def _four_row_table(dpi: float, frame=(20, 20, 20), seal_at=None, short: float = 0) -> np.ndarray:
    """Four rows of a label column and an answer column (rules at x 20/150/380, y 20…340)."""
    k = dpi / 72
    pil = Image.fromarray(_blank_page(dpi, 400, 400))
    draw = ImageDraw.Draw(pil)
    width = max(1, int(0.8 * k))
    for y in (20, 100, 180, 260, 340):
        draw.line([(20 * k, y * k), (380 * k, y * k)], fill=(20, 20, 20), width=width)
    draw.line([(20 * k, 20 * k), (20 * k, 340 * k)], fill=(20, 20, 20), width=width)
    draw.line([(150 * k, 20 * k), (150 * k, (340 - short) * k)], fill=(20, 20, 20), width=width)
    draw.line([(380 * k, 20 * k), (380 * k, 340 * k)], fill=frame, width=width)
    image = np.asarray(pil)
    return draw_seal(image, dpi, 380, seal_at) if seal_at else image


def _answer_cells(image: np.ndarray, dpi: float) -> list[tuple]:
    page = read_scan(image, dpi, 1).layout
    return sorted((round(c.top), round(c.x1)) for c in page.cells if c.x0 > 140)


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_a_light_frame_a_seal_is_stamped_across_still_closes_every_row(dpi):
    # the right frame printed light grey (a worn toner, a scan's light edge), a seal stamped over
    # it across two rows: the frame is in pieces under the seal's paste and characters, yet each
    # answer cell of the column is still there (r3141/017 lost its whole 试点单位负责人 column)
    image = _four_row_table(dpi, frame=(180, 180, 180), seal_at=180)
    assert [top for top, _ in _answer_cells(image, dpi)] == [20, 100, 180, 260]
    assert all(abs(x1 - 380) <= 1.5 for _, x1 in _answer_cells(image, dpi))


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_rule_fading_short_of_the_bottom_rule_still_parts_the_last_row(dpi):
    # the column rule stops 5 pt above the table's bottom rule (a light corner of the scan):
    # the last row is still a label cell and an answer cell, not one wide cell
    cells = _answer_cells(_four_row_table(dpi, short=5), dpi)
    assert [top for top, _ in cells] == [20, 100, 180, 260], cells


@pytest.mark.parametrize("dpi", [pytest.param(150, marks=pytest.mark.xfail(
    strict=True, reason="a 1-pixel streak at 150 dpi, broken by noise into pieces a row long, each from rule to "
                        "rule, still parts the label cells it crosses")), 200, 300])
def test_a_scanner_streak_down_the_page_cuts_no_label(filled_pdf, originals, text_page, dpi):
    # r3141/008: dust on the scanner's glass drew a faint line from the top of the page to the
    # bottom, through the label column; the lines of print were cut at it as at a rule, and
    # 「试点单位」「电子邮箱」「通讯地址」 read 「试点单」 + 「立」 — the labels were not found
    _, words = text_page
    label = next(w for w in words if w["text"] == "电子邮箱")
    x = (label["x0"] + label["x1"]) / 2 * dpi / 72  # between 子 and 邮
    image = (originals[dpi] if dpi in originals else render_page(filled_pdf, dpi)).copy()
    band = image[:, int(x):int(x) + max(1, int(dpi / 100))]
    band[:] = np.minimum(band, 200)  # a streak darkens the paper, never the print
    layout = read_scan(scan_like(image, angle=0.3), dpi, PAGE).layout
    texts = [w.text for w in layout.words]
    assert texts.count("电子邮箱") == 2 and texts.count("通讯地址") == 2, texts[:40]
    assert "试点单位" in texts and texts.count("邮编") == 2, texts[:40]
    assert not any(abs(c.x0 - label["x0"]) < 6 and abs(c.x1 - label["x1"]) < 6 for c in layout.cells)


def test_small_print_blurred_in_a_photo_is_not_painted_out_as_a_rule():
    # indep C/017 (a phone photo, flattened): the contact rows of 一、基本情况, 9 pt print. At the
    # light threshold a blurred line of Latin print joined into runs as long as a rule; painted
    # out of the OCR input with the rules, they took 「zjkexie8@si」 and 「899」 with them
    image = np.asarray(Image.open(Path(__file__).parent / "data" / "photo_contact_rows.jpg").convert("RGB"))
    words = [w.text for w in read_scan(image, 200, 1).layout.words]
    for value in ("zjkexie8@sina.com", "kxbgs@sina.com", "13467396098", "15602899441", "0573-20548438"):
        assert value in words, words



def _indep_seal(page: np.ndarray, dpi: float, seed: int, cx: float, cy: float) -> np.ndarray:
    """A 公章 drawn by the independent corpus's hand (tools/indep/marks.py: bold fonts, a wide arc
    of characters, a code on some), stamped centred at (cx, cy) points."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "tools" / "indep"))
    import marks as indep_marks

    image, width, height = indep_marks.round_seal(random.Random(seed), "苏州市科学技术协会", fade=0.97,
                                                  code="3205080012345" if seed % 2 else None)
    k = dpi / 72
    image = image.resize((int(width * k), int(height * k)), Image.LANCZOS)
    pil = Image.fromarray(page).convert("RGBA")
    pil.alpha_composite(image, (int(cx * k - image.width / 2), int(cy * k - image.height / 2)))
    return np.asarray(pil.convert("RGB"))


def _one_bit(image: np.ndarray) -> np.ndarray:
    bw = np.where(image.mean(axis=2) < 170, 0, 255).astype(np.uint8)
    return np.stack([bw] * 3, axis=-1)


@pytest.fixture(scope="module")
def plain_words(filled_pdf):
    """The words of page 3 of the filled form scanned 1-bit at 150 dpi, no seal on it."""
    return read_scan(_one_bit(render_page(filled_pdf, 150)), 150, PAGE, colour=False).layout.words


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_colourless_seals_characters_are_no_words_and_the_print_beside_it_stays(filled_pdf, plain_words, seed):
    # indep K/009, J/010, J/020 (1-bit and grey scans): OCR read the seal's arc of characters one
    # or two at a time (「NA」, 「学技」, 「福」) and they ended up as a last line of the 意见
    dpi, cx, cy = 150, 300.0, 475.0  # over the 申报单位意见 box's last lines and its signer's line
    layout = read_scan(_one_bit(_indep_seal(render_page(filled_pdf, dpi), dpi, seed, cx, cy)), dpi, PAGE,
                       colour=False).layout
    [seal] = [s for s in layout.seals if np.hypot(s.centre[0] - cx, s.centre[1] - cy) < 15]

    def at(word):  # how far from the seal's centre, in radii
        return np.hypot((word.x0 + word.x1) / 2 - cx, (word.top + word.bottom) / 2 - cy) / seal.radius

    on_arc = [w.text for w in layout.words if 0.6 < at(w) < 0.95]
    assert not any(len(text) <= 2 for text in on_arc), on_arc
    beside = [w.text for w in plain_words if at(w) > 1.3]
    texts = [w.text for w in layout.words]
    assert sum(text in texts for text in beside) >= 0.95 * len(beside), set(beside) - set(texts)


def test_a_short_run_of_strokes_in_a_photographed_line_is_print_not_a_rule():
    # indep N/006 (a phone photo, flattened): in 「编印工作案例汇编一册」 the strokes of 编, 一 and 册
    # joined into a 33 pt bar at the light threshold; painted out as a rule, it took the 「一」,
    # and 「汇编册」 came back in four fields of N/006 alone
    page = np.asarray(Image.open(Path(__file__).parent / "data" / "photo_print_bars.jpg").convert("RGB"))
    text = "".join(w.text for w in read_scan(page, 150, 1).layout.words)  # the page as flattened
    assert text.count("汇编一册") == 2 and "汇编册" not in text, text
