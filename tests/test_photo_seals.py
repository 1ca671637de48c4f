"""What forms made by other hands taught the page reader (issue 12, an independent corpus):
a photo's table keeps a trace of keystone after the sheet is flattened, and a faded seal beside a
red name seal and the next box's seal is found where it was stamped, and only once."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.read.photo import squared, table_square
from pipeline.read.seals import find_seals
from test_scan import _blank_page, _break_ring, draw_seal


def _table_page(dpi: float) -> np.ndarray:
    """An A4 page with a ruled table of three rows and two columns, and lines of print in it."""
    k = dpi / 72
    page = _blank_page(dpi, 595, 842)
    pil = Image.fromarray(page)
    draw = ImageDraw.Draw(pil)
    width = max(2, int(1.0 * k))
    for y in (100, 300, 500, 700):
        draw.line([(80 * k, y * k), (515 * k, y * k)], fill=(20, 20, 20), width=width)
    for x in (80, 180, 515):
        draw.line([(x * k, 100 * k), (x * k, 700 * k)], fill=(20, 20, 20), width=width)
    for y in (120, 320, 520):
        draw.rectangle([200 * k, y * k, 480 * k, (y + 9) * k], fill=(40, 40, 40))  # a line of print
    return np.asarray(pil)


def _left_rule_x(image: np.ndarray, dpi: float, y_pt: float) -> float:
    """Column (points) of the leftmost dark rule on row ``y_pt``."""
    k = dpi / 72
    row = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[int(y_pt * k) - 1:int(y_pt * k) + 2].mean(axis=0)
    return float(np.flatnonzero(row < 150)[0]) / k


@pytest.mark.parametrize("lean", [(20, 0), (0, -16), (14, 2)])
def test_a_photographed_table_keeping_some_keystone_is_squared(lean, dpi=150):
    """The flattened sheet's corners were a few points off: the table's left and right rules
    lean, each its own way (top-left corner moved ``lean[0]`` points, bottom-left ``lean[1]``).
    Squared, the left rule stands upright to within a point."""
    page = _table_page(dpi)
    k = dpi / 72
    h, w = page.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[lean[0] * k, 0], [w, 0], [w, h], [lean[1] * k, h]])
    leaning = cv2.warpPerspective(page, cv2.getPerspectiveTransform(src, dst), (w, h),
                                  borderMode=cv2.BORDER_REPLICATE)
    before = abs(_left_rule_x(leaning, dpi, 150) - _left_rule_x(leaning, dpi, 650))
    assert before > 3
    matrix = table_square(leaning, dpi)
    assert matrix is not None
    upright = squared(leaning, matrix)
    assert abs(_left_rule_x(upright, dpi, 150) - _left_rule_x(upright, dpi, 650)) < 1.0


def test_a_square_table_and_a_page_without_one_are_left_alone(dpi=150):
    assert table_square(_table_page(dpi), dpi) is None
    assert table_square(_blank_page(dpi, 595, 842), dpi) is None


def _name_seal(image: np.ndarray, dpi: float, x: float, y: float, side: float = 56) -> np.ndarray:
    """A square red name seal (white characters on red, as a block with gaps), top-left at (x, y)."""
    k = dpi / 72
    pil = Image.fromarray(image)
    draw = ImageDraw.Draw(pil)
    draw.rectangle([x * k, y * k, (x + side) * k, (y + side) * k], fill=(200, 40, 50))
    for i in range(1, 4):
        draw.line([((x + 8) * k, (y + i * side / 4) * k), ((x + side - 8) * k, (y + i * side / 4) * k)],
                  fill=(236, 230, 230), width=max(2, int(3 * k)))
    return np.asarray(pil)


@pytest.mark.parametrize("dpi", [150, 200])
def test_a_faded_seal_beside_a_name_seal_and_the_next_seal_is_one_seal_where_stamped(dpi):
    """Two 意见 boxes stamped as people do: the upper seal faded, its ring inked round 65 % of it,
    a square name seal across its left edge, the lower seal touching it. Both are seals, each
    found at its own centre, and no third circle made of their ink and the name seal's."""
    page = _blank_page(dpi, 400, 360)
    arcs = ((150, 260), (290, 360), (0, 95))  # 110 + 70 + 95 = 275° minus the name seal's side
    upper = _break_ring(draw_seal(page, dpi, 200, 110), dpi, 200, 110, 115, arcs)
    stamped = draw_seal(_name_seal(upper, dpi, 118, 80), dpi, 215, 225)
    marks = find_seals(stamped, dpi)
    assert len(marks) == 2, marks
    upper_mark, lower_mark = sorted(marks, key=lambda m: m.top)
    assert [upper_mark.kind, lower_mark.kind] == ["seal", "seal"], marks
    for mark, (cx, cy) in ((upper_mark, (200, 110)), (lower_mark, (215, 225))):
        assert abs(mark.centre[0] - cx) < 5 and abs(mark.centre[1] - cy) < 5, (mark, cx, cy)


@pytest.mark.parametrize("dpi", [150, 200])
def test_red_between_a_seals_star_and_its_characters_is_a_name_seal_under_it(dpi):
    """A 公章 stamped over the signer's area holds no red of its own between its star and its arc
    of characters; a name seal stamped under it puts red there, wherever it lies in the disc."""
    from pipeline.read import Box
    from pipeline.read.ink import red_in_seal_band

    area = Box(130, 90, 270, 130)
    seal = [(200, 110, 57.5)]
    page = _blank_page(dpi, 400, 300)
    alone = draw_seal(page, dpi, 200, 110)
    share, seen = red_in_seal_band(alone, dpi, area, seal, (0.35, 0.6))
    assert seen > 0.15 and share < 0.05
    for x, y in ((165, 85), (185, 95), (205, 75)):
        under = draw_seal(_name_seal(page, dpi, x, y, side=50), dpi, 200, 110)
        share, _ = red_in_seal_band(under, dpi, area, seal, (0.35, 0.6))
        assert share > 0.15, (x, y, share)
