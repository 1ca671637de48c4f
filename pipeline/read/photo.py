"""A phone photo of a page: the sheet found by its four corners on the desk, flattened to an
upright A4 page, and its light evened out, before it is read as a scan.

A photo shows the sheet in perspective (keystone distortion of a few degrees), a desk around it,
a light gradient and a soft shadow. The sheet is the largest bright region; its outline is
reduced to four corners and mapped onto an A4 page at the scan's resolution; where a shadow over
an edge made the sheet seem smaller and the table runs into the page's border, that side is
moved out and the page mapped again. Light is evened by dividing by the paper's own brightness,
estimated where no ink is.
"""

from __future__ import annotations

import cv2
import numpy as np

#: A4 in points
A4 = (595.3, 841.9)
#: the sheet must cover at least this share of the picture to be taken for one
MIN_SHEET = 0.2
#: a sheet covering more than this share of the picture is the picture (a scan): nothing to do
MAX_SHEET = 0.9
_WORK = 800  # pixels on the long side the sheet is looked for at
#: the contrast a photo gets once its light is even
PHOTO_GAMMA = 1.25
#: a side of the sheet found inside the sheet (a shadow over that edge of the paper is as dark as
#: the desk) cuts the table off: its long rules run into the flattened page's border there; that
#: side is moved out by this share of the sheet and the page flattened again
WIDEN = 0.03
#: a rule this share of the page long at least is the table's (a character's stroke is no rule)
LONG_RULE = 0.25
#: the border zone (share of the page) along the sides a rule runs along: a desk strip left at
#: the top is no rule running into the left border
CORNER_ZONE = 0.03


def find_sheet(image: np.ndarray) -> np.ndarray | None:
    """The sheet's corners (top-left, top-right, bottom-right, bottom-left; pixels of ``image``),
    or None when the picture is the sheet itself."""
    height, width = image.shape[:2]
    scale = _WORK / max(height, width)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    value = cv2.GaussianBlur(hsv[..., 2], (0, 0), 3)
    threshold, bright = cv2.threshold(value, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # paper is bright and nearly colourless; a light wooden desk is bright but coloured
    paper = cv2.bitwise_and(bright, ((cv2.GaussianBlur(hsv[..., 1], (0, 0), 3) < 70) * 255).astype(np.uint8))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15))
    paper = cv2.morphologyEx(cv2.morphologyEx(paper, cv2.MORPH_CLOSE, kernel), cv2.MORPH_OPEN, kernel)
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(sheet) / float(small.shape[0] * small.shape[1])
    if not MIN_SHEET <= share <= MAX_SHEET:
        return None
    hull = cv2.convexHull(sheet)
    corners = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(corners) != 4:
        corners = cv2.boxPoints(cv2.minAreaRect(hull))
    return _ordered(np.asarray(corners, dtype=np.float32) / scale)


def _ordered(points: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    total = points.sum(axis=1)
    diff = np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(total)], points[np.argmin(diff)], points[np.argmax(total)],
                     points[np.argmax(diff)]], dtype=np.float32)


def sheet_size(corners: np.ndarray, dpi: float) -> tuple[int, int]:
    """The flattened page's size in pixels: A4 at ``dpi``, portrait or landscape as the sheet lies."""
    tl, tr, br, bl = corners
    across = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    down = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    short, long = (round(A4[0] * dpi / 72), round(A4[1] * dpi / 72))
    return (short, long) if down >= across else (long, short)


def flatten(image: np.ndarray, corners: np.ndarray, dpi: float) -> np.ndarray:
    """The sheet mapped onto an upright A4 page at ``dpi``, its light evened out."""
    width, height = sheet_size(corners, dpi)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    flat = cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
    return even_light(flat, dpi)


def cut_sides(flat: np.ndarray, dpi: float) -> list[str]:
    """The sides ("left", "right", "top", "bottom") of a flattened page where a long rule of its
    table runs into the border: there the sheet's edge was found inside the sheet (indep L/003,
    a shadow over the lower left; the table's left rule and its label column were cut off)."""
    gray = cv2.cvtColor(flat, cv2.COLOR_RGB2GRAY) if flat.ndim == 3 else flat
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = gray.shape
    edge = max(2, int(round(3 * dpi / 72)))  # 3 pt from the border
    my, mx = int(CORNER_ZONE * h), int(CORNER_ZONE * w)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (int(LONG_RULE * w), 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(LONG_RULE * h))))
    zones = {"left": (across, slice(my, h - my), slice(0, edge)), "right": (across, slice(my, h - my), slice(w - edge, w)),
             "top": (down, slice(0, edge), slice(mx, w - mx)), "bottom": (down, slice(h - edge, h), slice(mx, w - mx))}
    return [side for side, (mask, rows, cols) in zones.items() if cv2.countNonZero(mask[rows, cols])]


def widened(corners: np.ndarray, sides: list[str], share: float = WIDEN) -> np.ndarray:
    """The sheet's corners (top-left, top-right, bottom-right, bottom-left) with ``sides`` moved
    outwards by ``share`` of the sheet across them."""
    # per side: (corner moved, the corner across the sheet from it) for its two corners
    moved = {"left": ((0, 1), (3, 2)), "right": ((1, 0), (2, 3)), "top": ((0, 3), (1, 2)), "bottom": ((3, 0), (2, 1))}
    points = np.asarray(corners, dtype=np.float32).reshape(4, 2)
    out = points.copy()
    for side in sides:
        for mover, opposite in moved[side]:
            out[mover] += (points[mover] - points[opposite]) * share
    return out


def even_light(image: np.ndarray, dpi: float) -> np.ndarray:
    """The page with its paper brought to one brightness: each pixel divided by the paper's
    brightness around it (ink removed by a grey closing, then smoothed), colours kept."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = max(3, int(round(3.0 * dpi / 25.4 * 0.25)) | 1)  # 3 mm: wider than a stroke of ink
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    gain = 240.0 / np.maximum(paper, 40.0)
    even = np.clip(image.astype(np.float32) * gain[..., None], 0, 255) / 255.0
    # a photo's ink is soft (out of focus, JPEG): a gamma darkens its grey edges towards the
    # print's black, as a scanner's contrast would, and keeps the paper white
    return (np.power(even, PHOTO_GAMMA) * 255.0).astype(np.uint8)


def table_square(image: np.ndarray, dpi: float) -> np.ndarray | None:
    """The perspective (3 × 3) that makes the table's outer rules a rectangle, or None.

    A sheet's corners found on a desk are a few points off where a shadow darkens an edge, and
    the flattened page keeps a trace of keystone: its rules lean by a degree or two, differently
    on each side, which no rotation undoes. The rules are straight on paper: the outermost long
    vertical and horizontal rules, each fitted as a straight line, meet at the table's corners,
    which are mapped onto the rectangle they stand for.
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    height, width = gray.shape
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    run = max(8, int(dpi * 0.2))  # 5 mm of a rule is straight along the axis even when it leans
    lines = {}
    for axis, kernel, extent in (("v", (1, run), height), ("h", (run, 1), width)):
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
        _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        size = stats[1:, cv2.CC_STAT_HEIGHT if axis == "v" else cv2.CC_STAT_WIDTH]
        long = [i + 1 for i in np.flatnonzero(size > 0.25 * extent)]
        if len(long) < 2:
            return None
        at = stats[long, cv2.CC_STAT_LEFT if axis == "v" else cv2.CC_STAT_TOP]
        fitted = []
        for label in (long[int(np.argmin(at))], long[int(np.argmax(at))]):
            ys, xs = np.nonzero(labels == label)
            along, across = (ys, xs) if axis == "v" else (xs, ys)
            slope, offset = np.polyfit(along.astype(np.float64), across.astype(np.float64), 1)
            fitted.append((slope, offset))  # across = slope * along + offset
        lines[axis] = fitted
    corners = []
    for top_or_bottom in lines["h"]:
        for left_or_right in lines["v"]:
            (a, b), (c, d) = left_or_right, top_or_bottom  # x = a y + b, y = c x + d
            y = (c * b + d) / (1 - a * c)
            corners.append((a * y + b, y))
    tl, tr, bl, br = corners
    quad = np.array([tl, tr, br, bl], dtype=np.float32)
    left, right = (tl[0] + bl[0]) / 2, (tr[0] + br[0]) / 2
    top, bottom = (tl[1] + tr[1]) / 2, (bl[1] + br[1]) / 2
    rect = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float32)
    off = float(np.abs(quad - rect).max())
    if right - left < 0.3 * width or bottom - top < 0.2 * height:
        return None
    if off < 1.0 * dpi / 72 or off > 0.05 * max(width, height):
        return None  # square already, or the lines are not one table's
    return cv2.getPerspectiveTransform(quad, rect)


def squared(image: np.ndarray, matrix) -> np.ndarray:
    """The page warped by ``table_square``'s perspective."""
    m = np.asarray(matrix, dtype=np.float64).reshape(3, 3)
    return cv2.warpPerspective(image, m, (image.shape[1], image.shape[0]), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
