"""签章 on a page without colour where a 公章 is stamped over the signer's area and the reader did
not find its outline (issue 12: indep G/006 and H/011, 1-bit scans whose faded, broken ring was
no ``seal_shape``): the seal's characters and star in the area are as dark as a signature, so
「有签章」 there would be a confident wrong verdict. The reader says it cannot tell; a signature
on clean paper is still a signature."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.forms import load_form
from pipeline.match import Found, Line, Region
from pipeline.match.marks import signature_verdict
from pipeline.read import Box, Mark, PageLayout, Word
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


def signer_verdict(page: np.ndarray, seals: list[Mark], colour: bool = False) -> dict:
    """The 签章 verdict of the 申报单位意见 box of a scanned page 3, its words as OCR read them."""
    lines = [Line([Word(87, 510, 495, 525, "申报单位意见（包括是否同意推荐，申报书所填内容是否准确等）：")]),
             Line([Word(113, 534, 200, 550, "同意推荐。")]),
             Line([Word(87, 620, 224, 634, "申报单位负责人(签章):"), Word(330, 620, 420, 634, "(单位公章)")]),
             Line([Word(429, 647, 487, 658, "2026年5月27日")])]
    region = Region(3, Box(79, 506, 521, 694), lines, True, ocr=True)
    layout = PageLayout(number=3, width=600, height=720, words=[w for line in lines for w in line.words],
                        cells=[region.box], seals=seals, source="ocr", kind="scan", colour=colour)
    spec = next(s for s in load_form("申报书").fields if s.key == "申报单位意见.签章")
    return signature_verdict(Found(region), spec, {3: layout}, {3: (page, DPI)}, {3: seals})


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
