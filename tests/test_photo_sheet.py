"""A phone photo whose sheet edge lies in shadow: the sheet's corners are found inside the paper
there, and the flattened page cuts the table off (indep L/003: the lower left, its rule and the
label 「试点单位改革工作亮点与主要成效」 gone, so the field was 「未能在表中找到」). Where a long
rule of the table runs into the flattened page's border, that side is moved out and the page
flattened again."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import pipeline.read.scan as scan
from pipeline.read.photo import cut_sides, widened
from test_scan import PAGE, fill_application, render_page

DPI = 150


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> np.ndarray:
    """Page 3 of a filled form (the 基本情况 table), rendered."""
    return render_page(fill_application(tmp_path_factory.mktemp("photo")), DPI, PAGE)


def _narrow(page: np.ndarray) -> np.ndarray:
    """The page with its table 20 pt from the left edge, as the independent forms print it."""
    shift = int(57 * DPI / 72)
    return np.ascontiguousarray(np.concatenate([page[:, shift:], np.full_like(page[:, :shift], 255)], axis=1))


def _photo(page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page photographed on a brown desk with a little keystone, and the sheet's true corners."""
    page = _narrow(page)
    h, w = page.shape[:2]
    rng = np.random.default_rng(5)
    desk = np.full((h + 300, w + 300, 3), (150, 110, 70), dtype=np.float32)
    desk += rng.normal(0, 8, desk.shape[:2])[..., None]
    corners = np.array([[160, 130], [w + 130, 150], [w + 150, h + 160], [140, h + 140]], dtype=np.float32)
    source = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners)
    size = (desk.shape[1], desk.shape[0])
    warped = cv2.warpPerspective(page, matrix, size, flags=cv2.INTER_LINEAR)
    inside = cv2.warpPerspective(np.full(page.shape[:2], 255, np.uint8), matrix, size) > 0
    desk[inside] = warped[inside]
    return desk.clip(0, 255).astype(np.uint8), corners


def _found_in_shadow(corners: np.ndarray, width: int) -> np.ndarray:
    """The corners as a shadow over the lower left makes them: the bottom-left one well inside."""
    found = corners.copy()
    found[3, 0] += 0.06 * width
    return found


def test_a_table_cut_off_by_the_sheets_edge_is_seen_and_a_whole_page_is_not(page):
    assert cut_sides(page, DPI) == []
    margin = int(90 * DPI / 72)  # more than the page's left margin: the table's rules run into the border
    assert cut_sides(np.ascontiguousarray(page[:, margin:]), DPI) == ["left"]
    assert cut_sides(np.ascontiguousarray(page[2 * margin:, :]), DPI) == ["top"]
    # a strip of dark desk along the top is no rule running into the left border
    desk = page.copy()
    desk[:12] = 90
    assert cut_sides(desk, DPI) == []


def test_widened_moves_only_the_sides_named():
    corners = np.array([[0, 0], [100, 0], [100, 200], [0, 200]], dtype=np.float32)
    moved = widened(corners, ["left"], 0.05)
    assert np.allclose(moved, [[-5, 0], [100, 0], [100, 200], [-5, 200]])
    assert np.allclose(widened(corners, ["bottom", "right"], 0.1), [[0, 0], [110, 0], [110, 220], [0, 220]])


def test_a_sheet_found_inside_the_paper_is_widened_until_the_table_is_whole(page, monkeypatch):
    photo, corners = _photo(page)
    monkeypatch.setattr(scan, "find_sheet", lambda image: _found_in_shadow(corners, page.shape[1]))
    monkeypatch.setattr(scan, "WIDEN_TRIES", 0)  # as before: the corners as found
    _, cut = scan.straighten(photo, DPI, turn=False)
    assert cut_sides(cut, DPI) == ["left"]  # the scene does cut the table, as indep L/003's did
    monkeypatch.undo()
    monkeypatch.setattr(scan, "find_sheet", lambda image: _found_in_shadow(corners, page.shape[1]))
    how, flat = scan.straighten(photo, DPI, turn=False)
    assert cut_sides(flat, DPI) == []
    # the table's left rule is whole again: ink in its column down to the table's last row
    gray = cv2.cvtColor(flat, cv2.COLOR_RGB2GRAY)
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(0.05 * gray.shape[0]))))
    left = rules[:, : gray.shape[1] // 5]
    rows = np.flatnonzero(left.any(axis=1))
    assert len(rows) and rows.max() - rows.min() > 0.6 * gray.shape[0], rows
    assert how.corners is not None and how.corners[6] < _found_in_shadow(corners, page.shape[1])[3, 0]
