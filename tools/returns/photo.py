"""A printed, stamped page photographed with a phone on a desk: the sheet seen in perspective
(keystone and a turn of a few degrees), wood or grey desk around it (5–15 % margin), a soft
shadow of the sheet and sometimes of the phone, uneven light and colour cast, focus blur,
sensor noise; saved as a JPEG of about 2400×3200 pixels."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np

from .ink import np_rng, smooth_noise
from .pages import printed, render, scale_matrix


def desk(rng: random.Random, size: tuple[int, int]) -> tuple[np.ndarray, str]:
    """A desk surface: wood with grain, or a grey or dark laminate."""
    w, h = size
    nrng = np_rng(rng)
    kind = rng.choice(("wood", "wood", "grey", "dark"))
    small = (w // 4, h // 4)
    ys, xs = np.mgrid[0:small[1], 0:small[0]].astype(np.float32)
    if kind == "wood":
        base = np.asarray(rng.choice(((0.62, 0.42, 0.25), (0.52, 0.33, 0.2), (0.74, 0.56, 0.36),
                                      (0.42, 0.27, 0.17))), np.float32)
        value = _grain(rng, nrng, small)
        surface = value[..., None] * base
    else:
        level = rng.uniform(0.45, 0.7) if kind == "grey" else rng.uniform(0.16, 0.3)
        tint = np.asarray((1.0, 1.0, 1.0 + rng.uniform(-0.04, 0.06)), np.float32)
        mottled = 1 + 0.06 * (smooth_noise(nrng, small[::-1], 30) - 0.5) + 0.04 * (smooth_noise(nrng, small[::-1], 2) - 0.5)
        surface = mottled[..., None] * level * tint
    surface = cv2.resize(surface.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    return np.clip(surface, 0, 1), kind


def _grain(rng: random.Random, nrng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """Wood grain: streaks long along the grain and narrow across it, a few darker lines,
    turned to the plank's direction."""
    w, h = size
    side = int(math.hypot(w, h)) + 8
    streaks = np.zeros((side, side), np.float32)
    for across, along, weight in ((rng.uniform(2, 4), rng.uniform(80, 200), 0.5),
                                  (rng.uniform(8, 20), rng.uniform(150, 400), 0.35),
                                  (rng.uniform(1, 2), rng.uniform(30, 60), 0.15)):
        grid = nrng.random((int(side / across) + 2, int(side / along) + 2)).astype(np.float32)
        streaks += weight * cv2.resize(grid, (side, side), interpolation=cv2.INTER_CUBIC)[:side, :side]
    lines = (nrng.random(side) < 0.03).astype(np.float32)
    lines = cv2.GaussianBlur(lines[:, None], (0, 0), 1.2)[:, 0]
    streaks -= 0.6 * lines[:, None]
    angle = rng.uniform(-12, 12) + (90 if rng.random() < 0.5 else 0)
    m = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
    m[:, 2] -= ((side - w) / 2, (side - h) / 2)
    turned = cv2.warpAffine(streaks, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return 0.78 + 0.28 * (turned - turned.mean())


def sheet_quad(rng: random.Random, size: tuple[int, int], aspect: float) -> np.ndarray:
    """The sheet's corners in the photo (tl, tr, br, bl): margins 5–15 %, keystone, a turn."""
    w, h = size
    sheet_h = h * rng.uniform(0.74, 0.88)
    sheet_w = sheet_h / aspect
    if sheet_w > w * 0.9:
        sheet_w = w * rng.uniform(0.78, 0.9)
        sheet_h = sheet_w * aspect
    cx = w / 2 + rng.uniform(-1, 1) * max(0.0, (w - sheet_w) / 2 - 0.05 * w) * 0.8
    cy = h / 2 + rng.uniform(-1, 1) * max(0.0, (h - sheet_h) / 2 - 0.05 * h) * 0.8
    key_top = rng.uniform(0.015, 0.07)  # top edge nearer or farther than the bottom edge
    key_side = rng.uniform(-0.03, 0.03)
    hw, hh = sheet_w / 2, sheet_h / 2
    quad = np.array([[-hw * (1 - key_top), -hh * (1 + key_side)], [hw * (1 - key_top), -hh * (1 - key_side)],
                     [hw, hh * (1 - key_side)], [-hw, hh * (1 + key_side)]], dtype=np.float64)
    if rng.random() < 0.3:  # camera tilted the other way: bottom edge shorter
        quad[:, 0] *= np.where(quad[:, 1] > 0, 1 - key_top, 1 / (1 - key_top))
    turn = math.radians(rng.uniform(-4, 4))
    rot = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    quad = quad @ rot.T + (cx, cy)
    quad += np.asarray([[rng.uniform(-0.006, 0.006) * w, rng.uniform(-0.006, 0.006) * h] for _ in range(4)])
    return quad.astype(np.float32)


def photograph(rng: random.Random, pdf_path, index: int, page_size_pt: tuple) -> tuple[np.ndarray, np.ndarray, dict, tuple]:
    """One page photographed. Returns the RGB float photo, the matrix typed-page points →
    output-page points, the details, and the output page size in points (the sheet shown at
    about its real size)."""
    scale = rng.uniform(0.92, 1.08)
    size = (int(2400 * scale), int(3200 * scale))
    if rng.random() < 0.2:  # some phones: 3:4 at 3000×4000 downsized by the messenger
        size = (int(2250 * scale), int(3000 * scale))
    w, h = size
    pw, ph = page_size_pt
    quad = sheet_quad(rng, size, ph / pw)
    sheet_w_px = float(np.linalg.norm(quad[2] - quad[3]))
    dpi = sheet_w_px / (pw / 72) * 1.05
    page = printed(rng, render(pdf_path, index, dpi), paper=(rng.uniform(0.95, 1.0),) * 3)
    rh, rw = page.shape[:2]
    src = np.float32([[0, 0], [rw, 0], [rw, rh], [0, rh]])
    hpx = cv2.getPerspectiveTransform(src, quad)
    sheet = cv2.warpPerspective(page, hpx, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    mask = cv2.warpPerspective(np.ones((rh, rw), np.float32), hpx, size, flags=cv2.INTER_LINEAR)
    surface, kind = desk(rng, size)
    # the sheet's own soft shadow on the desk (worked out at a quarter of the size: it is soft)
    q = (max(1, w // 4), max(1, h // 4))
    small_mask = cv2.resize(mask, q, interpolation=cv2.INTER_AREA)
    offset = np.float32([[1, 0, rng.uniform(-6, 6)], [0, 1, rng.uniform(1, 9)]])
    shadow = cv2.GaussianBlur(cv2.warpAffine(small_mask, offset, q), (0, 0), rng.uniform(3, 9))
    # light: a gradient across the frame, a vignette, sometimes the phone's shadow; a colour cast
    ys, xs = np.mgrid[0:q[1], 0:q[0]].astype(np.float32)
    xs, ys = xs / q[0], ys / q[1]
    towards = rng.uniform(0, math.tau)
    ramp = (xs - 0.5) * math.cos(towards) + (ys - 0.5) * math.sin(towards)
    light = rng.uniform(0.88, 1.02) + ramp * rng.uniform(0.12, 0.35)
    light *= 1 - rng.uniform(0.05, 0.2) * (((xs - 0.5) ** 2 + (ys - 0.5) ** 2) / 0.5)
    if rng.random() < 0.45:
        sx, sy = rng.choice((rng.uniform(0, 1), rng.choice((0.0, 1.0)))), rng.uniform(0, 1)
        rx, ry = rng.uniform(0.2, 0.45), rng.uniform(0.2, 0.4)
        light *= 1 - rng.uniform(0.12, 0.3) * np.exp(-(((xs - sx) / rx) ** 2 + ((ys - sy) / ry) ** 2))
    darken = cv2.resize(1 - rng.uniform(0.35, 0.6) * shadow, size, interpolation=cv2.INTER_LINEAR)
    light = cv2.resize(light.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    cast = np.asarray([1 + rng.uniform(-0.02, 0.06), 1.0, 1 + rng.uniform(-0.08, 0.03)], np.float32)
    m3 = mask[..., None]
    img = sheet * m3 + surface * darken[..., None] * (1 - m3)
    img *= light[..., None]
    img *= cast
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.6, 1.6))
    if rng.random() < 0.25:  # a hand that moved
        length = rng.randint(3, 7)
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1 / length
        kernel = cv2.warpAffine(kernel, cv2.getRotationMatrix2D((length / 2, length / 2), rng.uniform(0, 180), 1),
                                (length, length))
        kernel /= max(kernel.sum(), 1e-6)
        img = cv2.filter2D(img, -1, kernel)
    noise = np.empty_like(img)
    cv2.setRNGSeed(rng.randrange(2 ** 31))
    sd = rng.uniform(0.008, 0.02)
    cv2.randn(noise, (0.0,) * 3, (sd,) * 3)
    img += noise
    img = np.clip(img, 0, 1)
    # output page: the photo's pixels at the sheet's own scale
    pt_per_px = pw / sheet_w_px
    page_out = (w * pt_per_px, h * pt_per_px)
    matrix = scale_matrix(pt_per_px) @ hpx @ scale_matrix(dpi / 72)
    details = {"photo_px": [w, h], "desk": kind, "render_dpi": round(dpi),
               "quad": [[round(float(a), 1) for a in p] for p in quad]}
    return img, matrix, details, page_out
