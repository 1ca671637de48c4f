"""A square red name seal (私章) stamped under or over a round 公章 in the signer's area is found by
its straight edges (issue 12: indep E/006, E/021, E/024 were 需人工核对 for want of it), and a
round seal's ring, star and characters alone make no such square."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read import Box
from pipeline.read.name_seals import find_name_seals
from test_scan import CJK_FONT, _blank_page, draw_seal

AREA = Box(120, 95, 300, 125)  # a signer's area, the 公章 stamped over its left half


def _name_seal(image: np.ndarray, dpi: float, x: float, y: float, side: float, style: str, turn: float,
               name: str = "崔涛之印") -> np.ndarray:
    """A 私章 of ``side`` points: white characters on red (白文) or red characters in a red border
    (朱文), turned ``turn`` degrees, its centre at (x, y); ink multiplies, as a stamp's does."""
    k = dpi / 72
    size = int(side * k)
    tile = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(tile)
    border = max(2, int(0.06 * size))
    if style == "baiwen":
        draw.rectangle([0, 0, size - 1, size - 1], fill=255)
    else:
        draw.rectangle([0, 0, size - 1, size - 1], outline=255, width=border)
    font = ImageFont.truetype(CJK_FONT, int(size * 0.38))
    for char, (col, row) in zip(name, ((1, 0), (1, 1), (0, 0), (0, 1))):
        draw.text((border + col * size * 0.45, border + row * size * 0.45), char, font=font,
                  fill=0 if style == "baiwen" else 255)
    tile = tile.rotate(turn, resample=Image.BICUBIC, expand=True)
    layer = Image.new("L", (image.shape[1], image.shape[0]), 0)
    layer.paste(tile, (int(x * k - tile.width / 2), int(y * k - tile.height / 2)))
    alpha = np.asarray(layer, dtype=np.float32)[..., None] / 255 * 0.85
    ink = np.array([200, 30, 50], dtype=np.float32) / 255
    return (image.astype(np.float32) * (1 - alpha + alpha * ink)).clip(0, 255).astype(np.uint8)


@pytest.mark.parametrize("dpi", [150, 200])
@pytest.mark.parametrize("style, turn, at", [("baiwen", 0, (175, 112)), ("baiwen", 7, (160, 105)),
                                             ("zhuwen", -5, (185, 110)), ("zhuwen", 3, (150, 118))])
def test_a_name_seal_under_a_round_seal_in_the_signers_area_is_found(dpi, style, turn, at):
    page = _blank_page(dpi, 400, 260)
    stamped = draw_seal(_name_seal(page, dpi, *at, side=57, style=style, turn=turn), dpi, 170, 105)
    found = find_name_seals(stamped, dpi, AREA)
    assert found, (style, turn, at)
    best = found[0]  # where the seal is: its centre inside, its size about a side's
    assert best.x0 < at[0] < best.x1 and best.top < at[1] < best.bottom, found
    assert 35 < best.width < 80 and 35 < best.height < 80, found


@pytest.mark.parametrize("dpi", [150, 200])
def test_round_seals_alone_make_no_name_seal(dpi):
    page = _blank_page(dpi, 400, 300)
    one = draw_seal(page, dpi, 170, 105)
    assert find_name_seals(one, dpi, AREA) == []
    # two seals stamped as people do, the lower one touching the upper across the box's rule
    two = draw_seal(draw_seal(page, dpi, 170, 100, text="湖北省科学技术协会"), dpi, 215, 210, diameter=120)
    assert find_name_seals(two, dpi, Box(120, 90, 320, 230)) == []


def test_a_page_without_colour_has_no_red_name_seal(dpi=200):
    page = _blank_page(dpi, 400, 260)
    grey = _name_seal(page, dpi, 175, 112, side=57, style="baiwen", turn=0).mean(axis=2).astype(np.uint8)
    assert find_name_seals(grey, dpi, AREA) == []

