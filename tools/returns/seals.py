"""Red seals: the round official seal (公章) of a unit and the small square name seal (私章).

A 公章 is built from parts laid out in polar coordinates: the ring (and sometimes a thin inner
ring), the unit's name set on a straight strip and then bent onto the upper arc with a polar
remap (so each character widens outward, as on a carved stamp), a five-pointed star, and
sometimes a 13-digit code on the lower arc read from below. The pad's ink then does what it
does: uneven pressure, a faded part, missing sectors, blotches, pores, soft edges."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import fonts
from .ink import (PX_PER_MM, Ink, blotches, missing_sectors, np_rng, partial, polar, pores,
                  pressure, rotate, seal_colour, soften, supersampled)


def glyph_mask(char: str, face: tuple[str, int], px: int) -> np.ndarray:
    """The character's coverage (float 0..1), cropped to its ink."""
    font = fonts.load(face[0], face[1], px)
    canvas = Image.new("L", (px * 2, px * 2), 0)
    ImageDraw.Draw(canvas).text((px, px), char, fill=255, font=font, anchor="mm")
    arr = np.asarray(canvas, dtype=np.float32) / 255
    ys, xs = np.nonzero(arr > 0.02)
    if len(xs) == 0:
        return np.zeros((px, px), np.float32)
    return arr[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def text_strip(chars: str, face: tuple[str, int], cell_w: float, height: float,
               fill_x: float, fill_y: float, bold: int = 0) -> np.ndarray:
    """Characters side by side, each stretched into ``fill_x``×``fill_y`` of its cell."""
    width = max(1, int(round(cell_w * len(chars))))
    strip = np.zeros((max(1, int(round(height))), width), np.float32)
    gw, gh = max(1, int(cell_w * fill_x)), max(1, int(height * fill_y))
    for i, char in enumerate(chars):
        glyph = glyph_mask(char, face, int(max(24, height * 1.6)))
        if char in "0123456789":  # digits keep their shape: scale to the height, not the cell
            scale = gh / glyph.shape[0]
            glyph = cv2.resize(glyph, (max(1, min(gw, int(glyph.shape[1] * scale))), gh),
                               interpolation=cv2.INTER_AREA)
        else:
            glyph = cv2.resize(glyph, (gw, gh), interpolation=cv2.INTER_AREA)
        if bold:
            glyph = cv2.dilate(glyph, np.ones((bold, bold), np.uint8))
        x = int(i * cell_w + (cell_w - glyph.shape[1]) / 2)
        y = int((strip.shape[0] - glyph.shape[0]) / 2)
        region = strip[y:y + glyph.shape[0], x:x + glyph.shape[1]]
        region[:] = np.maximum(region, glyph[:region.shape[0], :region.shape[1]])
    return strip


def bend(strip: np.ndarray, shape: tuple, r_outer: float, r_inner: float, span: float,
         centre_angle: float, tops_out: bool) -> np.ndarray:
    """Map a straight strip onto an annular arc of the seal (polar remap).

    ``centre_angle``: where the middle of the text sits (0 at 12 o'clock, clockwise);
    tops_out: the characters' tops point away from the centre (upper-arc name) or towards it
    (lower-arc code, read from below)."""
    r, theta = polar(shape)
    h, w = strip.shape
    rel = np.angle(np.exp(1j * (theta - centre_angle)))  # −π..π around the text's middle
    if tops_out:
        u = (rel + span / 2) / span * w
        v = (r_outer - r) / (r_outer - r_inner) * h
    else:
        u = (span / 2 - rel) / span * w
        v = (r - r_inner) / (r_outer - r_inner) * h
    return cv2.remap(strip, u.astype(np.float32), v.astype(np.float32), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def star_points(cx: float, cy: float, outer: float, ratio: float, turn: float) -> list:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else outer * ratio
        angle = turn + i * math.pi / 5
        points.append((cx + radius * math.sin(angle), cy - radius * math.cos(angle)))
    return points


def round_seal(rng: random.Random, name: str, *, diameter_mm: float | None = None,
               family: str | None = None, faded: bool | None = None,
               code: bool | None = None) -> tuple[Ink, dict]:
    """A unit's round 公章; returns the ink and a description of how it was drawn."""
    k = PX_PER_MM
    nrng = np_rng(rng)
    diameter = diameter_mm or rng.uniform(38, 45)
    margin = 1.5
    size = int(round((diameter + 2 * margin) * k))
    shape = (size, size)
    r, _ = polar(shape)
    R = diameter / 2 * k
    ring_mm = rng.choice((rng.uniform(0.8, 1.4), rng.uniform(1.2, 2.0), rng.uniform(1.8, 2.5)))
    w = ring_mm * k
    alpha = np.clip(w / 2 - np.abs(r - (R - w / 2)) + 0.5, 0, 1)
    inner_ring = rng.random() < 0.3
    edge = R - w
    if inner_ring:
        gap, thin = rng.uniform(0.5, 1.1) * k, rng.uniform(0.25, 0.45) * k
        alpha = np.maximum(alpha, np.clip(thin / 2 - np.abs(r - (edge - gap - thin / 2)) + 0.5, 0, 1))
        edge -= gap + thin

    # the unit's name on the upper arc
    face = fonts.pick(rng)
    n = max(1, len(name))
    span = math.radians(min(300, max(170, rng.uniform(14, 20) * n + rng.uniform(40, 70))))
    char_h = diameter * rng.uniform(0.13, 0.175) * k
    r_top = edge - rng.uniform(0.5, 1.3) * k
    r_mid = r_top - char_h / 2
    cell = span * r_mid / n
    char_h = min(char_h, cell * rng.uniform(1.5, 2.1))
    fill_x = rng.uniform(0.72, 0.96)
    strip = text_strip(name, face, cell, char_h, fill_x, rng.uniform(0.88, 1.0),
                       bold=rng.choice((0, 0, 2, 3)))
    alpha = np.maximum(alpha, bend(strip, shape, r_top, r_top - char_h, span, 0.0, tops_out=True))

    # the 13-digit code on the lower arc
    code = rng.random() < 0.35 if code is None else code
    code_text = "".join(str(rng.randint(0, 9)) for _ in range(13)) if code else ""
    if code:
        digit_h = rng.uniform(1.9, 2.5) * k
        c_outer = edge - rng.uniform(0.4, 0.9) * k
        c_span = math.radians(rng.uniform(70, 105))
        c_cell = c_span * (c_outer - digit_h / 2) / 13
        digits = text_strip(code_text, fonts.pick(rng, "sans"), c_cell, digit_h, 0.8, 0.95)
        alpha = np.maximum(alpha, bend(digits, shape, c_outer, c_outer - digit_h, c_span, math.pi,
                                       tops_out=False))

    # the five-pointed star
    star_r = diameter * rng.uniform(0.14, 0.2) * k / 1.0
    ratio = rng.uniform(0.36, 0.42)
    solid = rng.random() < 0.75
    cy_shift = rng.uniform(-0.02, 0.04) * diameter * k
    outline = rng.uniform(0.45, 0.9)

    def draw_star(draw: ImageDraw.ImageDraw, f: int):
        pts = star_points(size * f / 2, (size / 2 + cy_shift) * f, star_r * f, ratio, 0.0)
        if solid:
            draw.polygon(pts, fill=255)
        else:
            draw.line(pts + [pts[0]], fill=255, width=max(1, int(outline * k * f)), joint="curve")

    alpha = np.maximum(alpha, supersampled(draw_star, (size, size)))

    # the pad's ink
    fam, rgb = seal_colour(rng, family)
    faded = (fam == "faded" or rng.random() < 0.1) if faded is None else faded
    alpha = pressure(alpha, nrng, rng.uniform(0.5, 0.85), size / rng.uniform(3, 6))
    inked = None
    if faded:
        inked = rng.uniform(0.6, 0.72)
        alpha = partial(alpha, nrng, inked)
    sectors = rng.choice((0, 0, 0, 1, 2))
    if sectors:
        alpha = missing_sectors(alpha, nrng, sectors)
    spots = rng.choice((0, 0, 1, 2, 4))
    if spots:
        alpha = blotches(alpha, nrng, spots)
    alpha = pores(alpha, nrng, rng.uniform(0.02, 0.08))
    alpha = soften(alpha, rng.uniform(0.5, 1.4), rng.uniform(1.0, 1.3))
    turn = rng.uniform(-25, 25) if rng.random() < 0.85 else rng.uniform(-180, 180)
    alpha = rotate(alpha, turn) * rng.uniform(0.75, 0.96)
    details = {"diameter_mm": round(diameter, 1), "ring_mm": round(ring_mm, 2), "inner_ring": inner_ring,
               "font": face[0].rsplit("/", 1)[-1], "span_deg": round(math.degrees(span)),
               "star": "solid" if solid else "outline", "code": code_text or None,
               "rotation": round(turn, 1), "ink": fam, "rgb": list(rgb),
               "inked_share": round(inked, 2) if inked else None, "missing_sectors": sectors,
               "blotches": spots}
    return Ink(alpha.astype(np.float32), rgb, "round_seal"), details


def name_seal_text(name: str, rng: random.Random) -> str:
    """The characters a personal seal carries: 2 or 4 (a three-character name gets 「印」)."""
    if len(name) == 2:
        return name if rng.random() < 0.6 else name + "之印"
    if len(name) == 3:
        return name + "印"
    return name[:4]


def name_seal(rng: random.Random, person: str) -> tuple[Ink, dict]:
    """A small square 私章: red characters with a border (朱文) or white on red (白文)."""
    k = PX_PER_MM
    nrng = np_rng(rng)
    side_mm = rng.uniform(15, 22)
    text = name_seal_text(person, rng)
    style = rng.choice(("zhuwen", "baiwen"))
    margin = 1.2
    size = int(round((side_mm + 2 * margin) * k))
    side = side_mm * k
    off = margin * k
    border = rng.uniform(0.6, 1.3) * k if style == "zhuwen" else 0
    inset = border + rng.uniform(0.5, 1.2) * k
    inner = side - 2 * inset
    if len(text) == 4:  # right column read first, top to bottom
        cells = [(1, 0), (1, 1), (0, 0), (0, 1)]
        cols = rows = 2
    elif rng.random() < 0.5:  # two characters side by side, read right to left
        cells, cols, rows = [(1, 0), (0, 0)], 2, 1
    else:  # two characters stacked
        cells, cols, rows = [(0, 0), (0, 1)], 1, 2
    cw, ch = inner / cols, inner / rows
    face = fonts.pick(rng, "bold") if rng.random() < 0.7 else fonts.pick(rng)
    chars = np.zeros((size, size), np.float32)
    fill = rng.uniform(0.86, 0.97)
    thick = rng.choice((0, 2, 3)) if style == "zhuwen" else rng.choice((0, 2))
    for char, (col, row) in zip(text, cells):
        glyph = glyph_mask(char, face, int(max(cw, ch) * 1.4))
        glyph = cv2.resize(glyph, (max(1, int(cw * fill)), max(1, int(ch * fill))), interpolation=cv2.INTER_AREA)
        if thick:
            glyph = cv2.dilate(glyph, np.ones((thick, thick), np.uint8))
        x = int(off + inset + col * cw + (cw - glyph.shape[1]) / 2)
        y = int(off + inset + row * ch + (ch - glyph.shape[0]) / 2)
        region = chars[y:y + glyph.shape[0], x:x + glyph.shape[1]]
        region[:] = np.maximum(region, glyph[:region.shape[0], :region.shape[1]])
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    d_out = np.minimum.reduce([xs - off, ys - off, off + side - xs, off + side - ys])
    square = np.clip(d_out + 0.5, 0, 1)
    if style == "zhuwen":
        frame = square * np.clip(border - d_out + 0.5, 0, 1)
        alpha = np.maximum(frame, chars)
    else:
        alpha = square * (1 - chars)
    # a carved stone's rough edges, then the pad's ink
    rough = smooth_rough(alpha, nrng)
    alpha = pressure(rough, nrng, rng.uniform(0.55, 0.9), size / 3)
    alpha = pores(alpha, nrng, rng.uniform(0.02, 0.07))
    alpha = soften(alpha, rng.uniform(0.4, 1.0), rng.uniform(1.0, 1.2))
    turn = rng.uniform(-8, 8)
    alpha = rotate(alpha, turn) * rng.uniform(0.78, 0.96)
    fam, rgb = seal_colour(rng, rng.choice(("bright", "bright", "dark", "purple")))
    details = {"side_mm": round(side_mm, 1), "text": text, "style": style,
               "font": face[0].rsplit("/", 1)[-1], "rotation": round(turn, 1), "ink": fam}
    return Ink(alpha.astype(np.float32), rgb, "name_seal"), details


def smooth_rough(alpha: np.ndarray, nrng: np.random.Generator) -> np.ndarray:
    """Edges eaten away a little, as on a carved seal: blur, add noise, re-threshold softly."""
    blurred = cv2.GaussianBlur(alpha, (0, 0), 1.2)
    noise = cv2.GaussianBlur(nrng.random(alpha.shape).astype(np.float32), (0, 0), 1.5)
    noise = (noise - noise.mean()) / (noise.std() + 1e-6)
    return np.clip((blurred - 0.5 + 0.12 * noise) * 3 + 0.5, 0, 1).astype(np.float32)
