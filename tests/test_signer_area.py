"""签章 where a 公章 is stamped over the signer's area (issue 12), on drawn scanned pages.

- Without colour, where the reader did not find the seal's outline (indep G/006 and H/011, 1-bit
  scans whose faded, broken ring was no ``seal_shape``), the seal's characters and star in the
  area are as dark as a signature: 「有签章」 there would be a confident wrong verdict, so the
  reader says it cannot tell; a signature on clean paper is still a signature.
- In colour, a square name seal under the 公章 (indep E/006) is the 签章, found by its edges; a
  red e-signature under it (indep E/003, H/009) is, where it reads as the signer's name; the
  公章 alone is none."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.forms import load_form
from pipeline.match import Found, Line, Region
from pipeline.match.marks import signature_verdict
from pipeline.read import Box, Mark, PageLayout, Word
from pipeline.read.seals import find_seals
from test_name_seals import _name_seal
from test_scan import _break_ring, draw_seal

DPI = 150
SEAL = (262.0, 622.0, 115.0)  # centre and diameter in points: over 「（签章）：」 and the area after it


def _page(seal: bool, signed: bool, share: float) -> np.ndarray:
    """A 1-bit page: a 公章 over the signer's area, its ring inked round ``share`` of the circle."""
    k = DPI / 72
    page = np.full((int(720 * k), int(600 * k), 3), 255, dtype=np.uint8)
    if seal:
        cx, cy, diameter = SEAL
        page = draw_seal(page, DPI, cx, cy, diameter)
        arcs = ((200, 200 + 360 * share * 0.6), (10, 10 + 360 * share * 0.4))
        page = _break_ring(page, DPI, cx, cy, diameter, arcs)
    image = Image.fromarray(page)
    if signed:
        ImageDraw.Draw(image).line([(x * k, y * k) for x, y in ((250, 630), (258, 610), (266, 631), (276, 612),
                                                                (284, 628))], fill=(0, 0, 0), width=int(1.5 * k))
    grey = np.asarray(image.convert("L"))
    bw = np.where(grey < 200, 0, 255).astype(np.uint8)  # a 1-bit scan: the seal's red is black
    return np.stack([bw] * 3, axis=-1)


def signer_verdict(page: np.ndarray, seals: list[Mark], colour: bool = False, name: str | None = None) -> dict:
    """The 签章 verdict of the 申报单位意见 box of a scanned page 3, its words as OCR read them."""
    lines = [Line([Word(87, 510, 495, 525, "申报单位意见（包括是否同意推荐，申报书所填内容是否准确等）：")]),
             Line([Word(113, 534, 200, 550, "同意推荐。")]),
             Line([Word(87, 620, 224, 634, "申报单位负责人(签章):"), Word(330, 620, 420, 634, "(单位公章)")]),
             Line([Word(429, 647, 487, 658, "2026年5月27日")])]
    region = Region(3, Box(79, 506, 521, 694), lines, True, ocr=True)
    layout = PageLayout(number=3, width=600, height=720, words=[w for line in lines for w in line.words],
                        cells=[region.box], seals=seals, source="ocr", kind="scan", colour=colour)
    spec = next(s for s in load_form("申报书").fields if s.key == "申报单位意见.签章")
    return signature_verdict(Found(region), spec, {3: layout}, {3: (page, DPI)}, {3: seals}, name)


@pytest.mark.parametrize("share", [0.45, 0.6])
def test_an_unseen_seal_over_the_signers_area_is_not_a_signature(share):
    mark = signer_verdict(_page(seal=True, signed=False, share=share), seals=[])
    assert mark["present"] is None, mark
    assert "公章" in mark["reason"] and "人工核对" in mark["reason"]


def test_a_signature_on_clean_paper_is_still_one():
    mark = signer_verdict(_page(seal=False, signed=True, share=0), seals=[])
    assert mark["present"] is True, mark


def test_where_the_seal_outline_was_found_its_disc_is_no_signature():
    cx, cy, diameter = SEAL
    r = diameter / 2
    outline = Mark(cx - r, cy - r, cx + r, cy + r, kind="seal_shape", score=0.7)
    mark = signer_verdict(_page(seal=True, signed=False, share=0.8), seals=[outline])
    assert mark["present"] is not True, mark


@pytest.mark.parametrize("named", [True, False])
def test_a_name_seal_under_the_gongzhang_is_the_signature_and_the_gongzhang_alone_is_none(named):
    # the 公章 stamped over the signer's area, and a 私章 under it: red of one blob (indep E/006)
    page = _paper()
    if named:
        page = _name_seal(page, DPI, 275, 630, side=55, style="baiwen", turn=2)
    page, seals = _stamped(page)
    assert len(seals) == 1
    mark = signer_verdict(page, seals, colour=True)
    assert mark["present"] is (True if named else False), mark


SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"


def _paper() -> np.ndarray:
    k = DPI / 72
    return np.full((int(720 * k), int(600 * k), 3), 244, dtype=np.uint8)


def _stamped(page: np.ndarray, seal: tuple[float, float, float] = SEAL) -> tuple[np.ndarray, list[Mark]]:
    """The 公章 stamped over the signer's area, and the seals the reader finds."""
    cx, cy, diameter = seal
    page = draw_seal(page, DPI, cx, cy, diameter)
    seals = find_seals(page, DPI)
    assert len(seals) == 1
    return page, seals


def _e_signature(page: np.ndarray, name: str, x: float, y: float, size: float = 17) -> np.ndarray:
    """A red e-signature: ``name`` in a bold serif, slanted, pasted at (x, y) points (its top left)."""
    k = DPI / 72
    font = ImageFont.truetype(SERIF, int(size * k))
    tile = Image.new("L", (int(70 * k), int(26 * k)), 0)
    ImageDraw.Draw(tile).text((2 * k, 0), name, font=font, fill=255)
    tile = tile.transform(tile.size, Image.AFFINE, (1, 0.25, -3 * k, 0, 1, 0), resample=Image.BICUBIC)
    layer = Image.new("L", (page.shape[1], page.shape[0]), 0)
    layer.paste(tile, (int(x * k), int(y * k)))
    alpha = np.asarray(layer, dtype=np.float32)[..., None] / 255
    ink = np.array([205, 20, 30], dtype=np.float32)
    return (page * (1 - alpha) + ink * alpha).clip(0, 255).astype(np.uint8)


@pytest.mark.parametrize("signed_as, expected", [("苏军明", True), ("钱静敏", None), (None, False)])
def test_a_red_e_signature_under_the_gongzhang_is_the_signature_where_it_reads_as_the_signer(signed_as, expected):
    page = _paper()
    if signed_as:  # under the star, inside the seal's disc, as indep H/009 has it
        page = _e_signature(page, signed_as, 232, 628)
    page, seals = _stamped(page)
    mark = signer_verdict(page, seals, colour=True, name="苏军明")
    assert mark["present"] is expected, mark
    if expected is None:  # someone else's name: a person looks
        assert "人工核对" in mark["reason"]


def test_a_red_e_signature_low_in_the_gongzhangs_disc_is_the_signature():
    # indep K/011: the seal stamped higher, the name in the lower part of its disc (beyond the
    # band between star and characters), read as 「签章处未见签名或名章」
    page = _e_signature(_paper(), "石志勇", 246, 624, size=12)
    page, seals = _stamped(page, seal=(262.0, 585.0, 115.0))
    assert signer_verdict(page, seals, colour=True, name="石志勇")["present"] is True
    assert signer_verdict(page, seals, colour=True, name="苏军明")["present"] is False


@pytest.mark.parametrize("signer, words", [("申报单位负责人.名字", "「申报单位负责人.名字」不是本表的字段（是否要写「申报单位负责人.姓名」？）"),
                                           (["申报单位负责人.姓名"], "signer 应为写有签名人姓名的字段键")])
def test_a_signer_must_be_a_field_of_the_form(signer, words):
    import yaml

    from pipeline.errors import FormDefinitionError
    from pipeline.forms.load import parse_form

    form = load_form("申报书")
    data = yaml.safe_load(form.path.read_text(encoding="utf-8"))
    data["fields"]["申报单位意见.签章"]["signer"] = signer
    with pytest.raises(FormDefinitionError) as caught:
        parse_form(data, form.path)
    assert words in str(caught.value)
    assert next(s for s in form.fields if s.key == "申报单位意见.签章").signer == "申报单位负责人.姓名"


@pytest.mark.parametrize("read, found", [(["公斌燕"], True), (["海军"], True), (["袁海军"], True),
                                         (["江苏省"], False), (["海"], False), (["海军医"], False)])
def test_a_name_read_with_one_character_lost_is_the_signers_and_one_with_another_is_not(monkeypatch, read, found):
    # indep Q/002, Q/016 (typed pages rendered at 150 dpi): the e-signature under the 公章 read
    # 「公斌燕」 for 公孙斌燕 and 「海军」 for 袁海军, and was 需人工核对
    import pipeline.match.marks as marks

    monkeypatch.setattr(marks, "red_lines", lambda image, dpi, area: read)
    name = {"公斌燕": "公孙斌燕", "江苏省": "江苏明"}.get(read[0], "袁海军")
    assert (marks._signed_name(None, DPI, None, name) is not None) is found
