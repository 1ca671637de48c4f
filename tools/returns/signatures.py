"""Signatures: handwriting (2–3 character-like shapes, from neat to cursive scribble, in
ballpoint, gel or signature pen) and e-signature images (crisp, anti-aliased, red or black).

A handwritten character is built from calligraphic stroke primitives (横 竖 撇 捺 点 折 钩)
placed in a cell by one of a few structures (left-right, top-bottom, enclosed, single); a
cursive hand joins its strokes and simplifies them; a scribble is a run of loops. Paths are
rounded by corner cutting and inked by stamping pen disks whose width follows the pen."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np

from . import fonts
from .ink import PEN_INKS, PX_PER_MM, Ink, jitter_colour, np_rng, soften
from .seals import glyph_mask

# --- stroke primitives in a unit cell (x right, y down) -------------------------------------


def _heng(rng, x0, x1, y):
    rise = rng.uniform(0.0, 0.08)
    return [(x0, y + rise / 2), ((x0 + x1) / 2, y - rng.uniform(0, 0.03)), (x1, y - rise / 2)]


def _shu(rng, x, y0, y1, hook=False):
    pts = [(x, y0), (x + rng.uniform(-0.03, 0.03), (y0 + y1) / 2), (x, y1)]
    if hook:
        pts.append((x - rng.uniform(0.06, 0.12), y1 - rng.uniform(0.04, 0.1)))
    return pts


def _pie(rng, x, y0, y1):
    dx = rng.uniform(0.2, 0.4)
    return [(x, y0), (x - dx * 0.3, y0 + (y1 - y0) * 0.5), (x - dx, y1)]


def _na(rng, x, y0, y1):
    dx = rng.uniform(0.2, 0.4)
    return [(x, y0), (x + dx * 0.5, y0 + (y1 - y0) * 0.6), (x + dx, y1), (x + dx + 0.08, y1 + 0.01)]


def _dian(rng, x, y):
    return [(x, y), (x + rng.uniform(0.03, 0.07), y + rng.uniform(0.05, 0.1))]


def _zhe(rng, x0, x1, y0, y1):
    return [(x0, y0), (x1, y0 - 0.02), (x1 - rng.uniform(0.0, 0.06), y1)]


def _component(rng, x0, y0, x1, y1) -> list[list[tuple]]:
    """2–4 strokes inside a sub-rectangle of the cell: mostly horizontals, at most two
    verticals, and slanting strokes, dots and turns, spread over the rectangle."""
    w, h = x1 - x0, y1 - y0
    strokes, verticals = [], 0
    rows = sorted(rng.uniform(0.05, 0.95) for _ in range(4))
    for i in range(rng.randint(2, 4)):
        kind = rng.choices("hspndz", weights=(36, 18, 14, 10, 12, 10))[0]
        if kind == "s" and verticals >= 2:
            kind = "h"
        if kind == "h":
            y = y0 + h * rows[i]
            strokes.append(_heng(rng, x0 + w * rng.uniform(0, 0.25), x1 - w * rng.uniform(0, 0.25), y))
        elif kind == "s":
            verticals += 1
            top = rng.uniform(0, 0.45)
            strokes.append(_shu(rng, x0 + w * rng.uniform(0.25, 0.75), y0 + h * top,
                                y0 + h * rng.uniform(top + 0.35, 1.0), hook=rng.random() < 0.3))
        elif kind == "p":
            top = rng.uniform(0, 0.4)
            strokes.append(_pie(rng, x0 + w * rng.uniform(0.4, 0.8), y0 + h * top, y0 + h * rng.uniform(top + 0.3, 1)))
        elif kind == "n":
            strokes.append(_na(rng, x0 + w * rng.uniform(0.2, 0.5), y0 + h * rng.uniform(0.2, 0.5), y1))
        elif kind == "d":
            strokes.append(_dian(rng, x0 + w * rng.uniform(0.2, 0.8), y0 + h * rng.uniform(0.05, 0.6)))
        else:
            strokes.append(_zhe(rng, x0 + w * rng.uniform(0, 0.3), x1 - w * rng.uniform(0, 0.2),
                                y0 + h * rng.uniform(0.05, 0.4), y1 - h * rng.uniform(0, 0.3)))
    return strokes


def character(rng: random.Random) -> list[list[tuple]]:
    """The strokes of one character-like shape in the unit cell."""
    structure = rng.choice(("left_right", "left_right", "top_bottom", "enclosed", "single"))
    if structure == "left_right":
        split = rng.uniform(0.35, 0.5)
        return _component(rng, 0, 0, split, 1) + _component(rng, split + 0.05, 0, 1, 1)
    if structure == "top_bottom":
        split = rng.uniform(0.35, 0.55)
        return _component(rng, 0.1, 0, 0.9, split) + _component(rng, 0, split + 0.05, 1, 1)
    if structure == "enclosed":
        box = [(0.15, 0.15), (0.85, 0.13), (0.83, 0.85)], [(0.15, 0.15), (0.17, 0.87), (0.83, 0.85)]
        return [list(box[0]), list(box[1])] + _component(rng, 0.3, 0.3, 0.7, 0.7)
    return _component(rng, 0, 0, 1, 1) + _component(rng, 0.1, 0.1, 0.9, 0.9)[:2]


def scribble(rng: random.Random, length: float) -> list[list[tuple]]:
    """A fast cursive signature: loops running along ``length`` cells, maybe a tail stroke."""
    pts = []
    steps = int(24 * length)
    loops = rng.uniform(1.6, 3.2)
    amp = rng.uniform(0.25, 0.45)
    phase = rng.uniform(0, math.tau)
    for i in range(steps + 1):
        t = i / steps
        angle = phase + t * loops * length * math.tau / 1.5
        x = t * length + rng.uniform(0.15, 0.3) * math.cos(angle)
        y = 0.5 + amp * math.sin(angle) * (1 - 0.4 * t) + 0.15 * math.sin(t * 3.1)
        pts.append((x, y))
    strokes = [pts]
    if rng.random() < 0.6:  # a closing flourish under or through the name
        y = rng.uniform(0.6, 0.95)
        strokes.append([(rng.uniform(-0.1, 0.3), y + 0.05), (length * 0.5, y), (length + rng.uniform(0, 0.3), y - 0.12)])
    return strokes


# --- paths and pens ---------------------------------------------------------------------------


def corner_cut(points: list[tuple], rounds: int = 3) -> list[tuple]:
    """Chaikin corner cutting: a polyline rounded into a smooth pen path (ends kept)."""
    pts = [np.asarray(p, dtype=np.float64) for p in points]
    for _ in range(rounds):
        if len(pts) < 3:
            break
        out = [pts[0]]
        for a, b in zip(pts[:-1], pts[1:]):
            out.append(0.75 * a + 0.25 * b)
            out.append(0.25 * a + 0.75 * b)
        out.append(pts[-1])
        pts = out
    return [tuple(p) for p in pts]


def resample(points: list[tuple], step: float) -> np.ndarray:
    pts = np.asarray(points, dtype=np.float64)
    if len(pts) < 2:
        return pts
    seg = np.hypot(*np.diff(pts, axis=0).T)
    dist = np.concatenate([[0], np.cumsum(seg)])
    n = max(2, int(dist[-1] / step) + 1)
    at = np.linspace(0, dist[-1], n)
    return np.stack([np.interp(at, dist, pts[:, 0]), np.interp(at, dist, pts[:, 1])], axis=1)


def ink_paths(paths: list[np.ndarray], size: tuple[int, int], pen: dict, nrng: np.random.Generator,
              factor: int = 2) -> np.ndarray:
    """Stamp pen disks along each path (pixel coordinates) on a ``factor``× canvas; return the
    coverage at ``size``. The pen: width_px, taper (0..1), texture (0..1), skips (0..1)."""
    w, h = size
    canvas = np.zeros((h * factor, w * factor), np.uint8)
    for path in paths:
        pts = resample([tuple(p) for p in path], max(0.4, pen["width_px"] * 0.25))
        n = len(pts)
        if n == 0:
            continue
        t = np.linspace(0, 1, n)
        width = pen["width_px"] * (1 - pen["taper"] * (np.abs(2 * t - 1) ** 2) * 0.8)
        if pen.get("pressure"):  # a signature pen: pressure rises and falls along the stroke
            width *= 0.6 + 0.7 * np.sin(np.pi * np.clip(t * 1.1, 0, 1)) ** 0.7
        level = np.ones(n)
        if pen["texture"]:
            level -= pen["texture"] * nrng.random(n) * 0.6
        if pen["skips"] and n > 20 and nrng.random() < pen["skips"]:
            at = int(nrng.integers(5, n - 10))
            level[at:at + int(nrng.integers(3, 10))] *= 0.25
        for (x, y), r, lv in zip(pts, width / 2, level):
            cv2.circle(canvas, (int(round(x * factor)), int(round(y * factor))),
                       max(1, int(round(r * factor))), int(255 * lv), -1, lineType=cv2.LINE_AA)
    small = cv2.resize(canvas.astype(np.float32) / 255, (w, h), interpolation=cv2.INTER_AREA)
    return small


PENS = {
    "ballpoint": {"width_mm": (0.28, 0.5), "taper": 0.2, "texture": 0.45, "skips": 0.5},
    "gel": {"width_mm": (0.45, 0.8), "taper": 0.15, "texture": 0.1, "skips": 0.1},
    "signature_pen": {"width_mm": (0.6, 1.1), "taper": 0.6, "texture": 0.05, "skips": 0.0, "pressure": True},
}


def strokes_of(rng: random.Random, glyphs: int, cursive: float) -> list[list[tuple]]:
    """All strokes of a signature in cell units (cell i spans x i..i+1): characters, with
    strokes joined and dropped as the hand gets more cursive, or one scribble."""
    if cursive > 0.8:
        return scribble(rng, glyphs * rng.uniform(0.7, 0.95))
    out = []
    advance = rng.uniform(0.72, 1.0)
    for g in range(glyphs):
        strokes = character(rng)
        if cursive > 0.35:  # drop some strokes, join the rest into one or two pen runs
            keep = [s for s in strokes if rng.random() > cursive * 0.35] or strokes[:1]
            runs, run = [], []
            for s in keep:
                if run and rng.random() < cursive:
                    run.extend(s)
                else:
                    if run:
                        runs.append(run)
                    run = list(s)
            runs.append(run)
            strokes = runs
        dy = rng.uniform(-0.08, 0.08)
        scale = rng.uniform(0.85, 1.1)
        out.extend([[(g * advance + x * scale, y * scale + dy) for x, y in s] for s in strokes])
    return out


def handwriting(rng: random.Random, *, glyphs: int | None = None, height_mm: float | None = None,
                pen: str | None = None, colour: str | None = None) -> tuple[Ink, dict]:
    """A handwritten signature; returns its ink and how it was written."""
    nrng = np_rng(rng)
    k = PX_PER_MM
    glyphs = glyphs or rng.choice((2, 2, 3, 3, 3))
    height = height_mm or rng.uniform(6, 13)
    pen = pen or rng.choice(list(PENS))
    colour = colour or rng.choices(list(PEN_INKS), weights=(45, 40, 15))[0]
    cursive = rng.choice((rng.uniform(0, 0.35), rng.uniform(0.35, 0.8), rng.uniform(0.8, 1.0)))
    slant = rng.uniform(-0.35, 0.1)  # negative: leaning right, as most hands do
    mess = 0.02 + 0.08 * cursive
    strokes = strokes_of(rng, glyphs, cursive)
    cell = height * k
    paths = []
    for s in strokes:
        pts = [(x + rng.uniform(-mess, mess), y + rng.uniform(-mess, mess)) for x, y in s]
        pts = [((x - (y - 0.5) * slant) * cell, y * cell) for x, y in pts]
        paths.append(np.asarray(corner_cut(pts, 3)))
    allpts = np.concatenate(paths)
    spec = PENS[pen]
    width_px = min(rng.uniform(*spec["width_mm"]), height * rng.uniform(0.045, 0.07)) * k
    pad = 2 * width_px + 4
    x_min, y_min = allpts.min(axis=0) - pad
    paths = [p - (x_min, y_min) for p in paths]
    w, h = (allpts.max(axis=0) - (x_min, y_min) + pad).astype(int) + 1
    alpha = ink_paths(paths, (int(w), int(h)), {**spec, "width_px": width_px}, nrng)
    alpha = soften(alpha, rng.uniform(0.2, 0.6))
    alpha *= rng.uniform(0.85, 1.0)
    rgb = jitter_colour(rng, rng.choice(PEN_INKS[colour]), 8)
    details = {"pen": pen, "colour": colour, "glyphs": glyphs, "height_mm": round(height, 1),
               "cursive": round(cursive, 2), "slant": round(slant, 2)}
    return Ink(alpha.astype(np.float32), rgb, "handwritten"), details


def e_signature(rng: random.Random, person: str) -> tuple[Ink, dict]:
    """An e-signature image as pasted by office software: crisp anti-aliased strokes of one
    flat colour, either a digitised handwritten name or the name set in a font and slanted."""
    k = PX_PER_MM
    colour = rng.choice(("red", "red", "black"))
    rgb = (rng.randint(196, 235), rng.randint(0, 24), rng.randint(0, 30)) if colour == "red" else \
        (rng.randint(0, 22),) * 3
    style = rng.choice(("drawn", "font"))
    if style == "drawn":
        nrng = np_rng(rng)
        height = rng.uniform(7, 12)
        strokes = strokes_of(rng, rng.choice((2, 3)), rng.uniform(0.3, 1.0))
        cell = height * k
        slant = rng.uniform(-0.3, 0.0)
        paths = [np.asarray(corner_cut([((x - (y - 0.5) * slant) * cell, y * cell) for x, y in s], 4))
                 for s in strokes]
        allpts = np.concatenate(paths)
        width_px = rng.uniform(0.5, 0.9) * k
        pad = 2 * width_px + 4
        origin = allpts.min(axis=0) - pad
        paths = [p - origin for p in paths]
        w, h = (allpts.max(axis=0) - origin + pad).astype(int) + 1
        pen = {"width_px": width_px, "taper": rng.uniform(0.3, 0.7), "texture": 0, "skips": 0,
               "pressure": rng.random() < 0.5}
        alpha = ink_paths(paths, (int(w), int(h)), pen, nrng, factor=3)
        details = {"style": "drawn", "colour": colour, "height_mm": round(height, 1)}
    else:
        face = fonts.pick(rng)
        height = rng.uniform(6, 10)
        px = int(height * k)
        glyphs = [glyph_mask(c, face, px) for c in person]
        gap = int(px * rng.uniform(-0.05, 0.12))
        width = sum(g.shape[1] for g in glyphs) + gap * (len(glyphs) - 1) + 2 * px // 4
        canvas = np.zeros((int(px * 1.5), max(1, width)), np.float32)
        x = px // 4
        for g in glyphs:
            gh, gw = g.shape
            g = cv2.resize(g, (gw, min(gh, canvas.shape[0] - 2)), interpolation=cv2.INTER_AREA)
            y = (canvas.shape[0] - g.shape[0]) // 2
            canvas[y:y + g.shape[0], x:x + g.shape[1]] = np.maximum(canvas[y:y + g.shape[0], x:x + g.shape[1]], g)
            x += gw + gap
        shear = rng.uniform(0.12, 0.3)
        h, w = canvas.shape
        matrix = np.float32([[1, -shear, shear * h], [0, 1, 0]])  # tops lean right
        alpha = cv2.warpAffine(canvas, matrix, (int(w + shear * h) + 2, h), flags=cv2.INTER_CUBIC)
        alpha = np.clip(alpha, 0, 1)
        details = {"style": "font", "colour": colour, "height_mm": round(height, 1),
                   "font": face[0].rsplit("/", 1)[-1]}
    return Ink(alpha.astype(np.float32), tuple(int(c) for c in rgb), "e_signature", blend="normal"), details
