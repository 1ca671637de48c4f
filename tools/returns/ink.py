"""Ink: a mark as a coverage map (alpha, 0..1) plus one colour, and what stamping and writing do
to it (uneven pressure, faded or missing parts, blotches, pores, soft edges).

Marks are drawn at ``px_per_mm`` pixels per millimetre (12 ≈ 300 dpi) and laid onto pages by
tools/returns/stamp.py (vector pages) or rasterised with the page (scans, photos)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np

PX_PER_MM = 12.0

# Stamp-pad inks: families of reds, each a few base colours jittered per stamp.
SEAL_INKS = {
    "bright": [(226, 30, 38), (232, 44, 40), (218, 22, 52)],
    "dark": [(168, 20, 30), (150, 26, 34), (178, 32, 28)],
    "purple": [(172, 32, 96), (150, 38, 112), (186, 40, 84)],
    "faded": [(234, 108, 118), (240, 132, 140), (226, 96, 104)],
}
PEN_INKS = {
    "black": [(22, 22, 26), (34, 32, 36), (18, 22, 34)],
    "blue": [(28, 48, 150), (38, 62, 172), (20, 36, 120)],
    "blue_black": [(24, 30, 70), (30, 36, 84)],
}


@dataclass
class Ink:
    """One mark: alpha (float32 H×W, 0..1) of one colour at px_per_mm."""

    alpha: np.ndarray
    rgb: tuple
    kind: str  # round_seal | name_seal | handwritten | e_signature | red_print
    px_per_mm: float = PX_PER_MM
    blend: str = "multiply"  # multiply (stamp-pad, pen ink on paper) | normal (pasted image)

    @property
    def size_mm(self) -> tuple[float, float]:
        h, w = self.alpha.shape
        return w / self.px_per_mm, h / self.px_per_mm

    def ink_box_mm(self, threshold: float = 0.08) -> tuple[float, float, float, float]:
        """Tight box of the inked pixels, in mm from the image's top-left: x0, y0, x1, y1."""
        ys, xs = np.nonzero(self.alpha > threshold)
        if len(xs) == 0:
            return 0.0, 0.0, 0.0, 0.0
        k = self.px_per_mm
        return xs.min() / k, ys.min() / k, (xs.max() + 1) / k, (ys.max() + 1) / k


def np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(64))


def jitter_colour(rng: random.Random, base: tuple, spread: int = 10) -> tuple:
    return tuple(int(np.clip(c + rng.randint(-spread, spread), 0, 255)) for c in base)


def seal_colour(rng: random.Random, family: str | None = None) -> tuple[str, tuple]:
    family = family or rng.choices(list(SEAL_INKS), weights=(42, 28, 16, 14))[0]
    return family, jitter_colour(rng, rng.choice(SEAL_INKS[family]))


def smooth_noise(nrng: np.random.Generator, shape: tuple, cell: float) -> np.ndarray:
    """Value noise in 0..1 varying over about ``cell`` pixels."""
    h, w = shape
    gh, gw = max(2, int(h / cell) + 3), max(2, int(w / cell) + 3)
    grid = nrng.random((gh, gw)).astype(np.float32)
    big = cv2.resize(grid, (int(gw * cell), int(gh * cell)), interpolation=cv2.INTER_CUBIC)
    oy, ox = int(nrng.integers(0, max(1, big.shape[0] - h))), int(nrng.integers(0, max(1, big.shape[1] - w)))
    out = big[oy:oy + h, ox:ox + w]
    if out.shape != (h, w):
        out = cv2.resize(out, (w, h))
    return np.clip(out, 0, 1)


def polar(shape: tuple, centre: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Radius (px) and angle (radians, 0 at 12 o'clock, clockwise) of every pixel."""
    h, w = shape
    cy, cx = centre if centre else ((h - 1) / 2, (w - 1) / 2)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    dx, dy = xs - cx, ys - cy
    return np.hypot(dx, dy), np.arctan2(dx, -dy)


def pressure(alpha: np.ndarray, nrng: np.random.Generator, low: float, cell: float) -> np.ndarray:
    """Uneven pressure: the coverage scaled by a smooth field between ``low`` and 1."""
    field = smooth_noise(nrng, alpha.shape, cell)
    fine = smooth_noise(nrng, alpha.shape, cell / 4)
    return alpha * np.clip(low + (1 - low) * (0.7 * field + 0.3 * fine) * 1.25, 0, 1)


def partial(alpha: np.ndarray, nrng: np.random.Generator, inked: float) -> np.ndarray:
    """A stamp pressed unevenly: only about ``inked`` of the round is printed; the rest fades out."""
    _, theta = polar(alpha.shape)
    towards = nrng.uniform(-np.pi, np.pi)
    threshold = np.cos(inked * np.pi)  # cos(θ - towards) above it: the inked share of angles
    edge = nrng.uniform(0.12, 0.3)
    gain = np.clip((np.cos(theta - towards) - threshold) / edge + 0.5, 0, 1)
    ragged = smooth_noise(nrng, alpha.shape, alpha.shape[0] / 10)
    return alpha * np.clip(gain * (0.75 + 0.5 * ragged) + 0.04, 0, 1)


def missing_sectors(alpha: np.ndarray, nrng: np.random.Generator, count: int) -> np.ndarray:
    """Sectors where the pad held no ink (soft-edged)."""
    _, theta = polar(alpha.shape)
    out = alpha.copy()
    for _ in range(count):
        at, half = nrng.uniform(-np.pi, np.pi), np.radians(nrng.uniform(8, 24))
        diff = np.abs(np.angle(np.exp(1j * (theta - at))))
        keep = np.clip((diff - half) / np.radians(6), 0, 1)
        out *= nrng.uniform(0.0, 0.25) + (1 - 0.25) * keep
    return out


def blotches(alpha: np.ndarray, nrng: np.random.Generator, count: int) -> np.ndarray:
    """Heavier ink in spots: the coverage spreads a little and darkens there."""
    h, w = alpha.shape
    spread = cv2.GaussianBlur(alpha, (0, 0), max(1.0, w / 180))
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    weight = np.zeros_like(alpha)
    for _ in range(count):
        cx, cy = nrng.uniform(0, w), nrng.uniform(0, h)
        r = nrng.uniform(0.04, 0.14) * w
        weight = np.maximum(weight, np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * r * r)))
    heavy = np.clip(np.maximum(alpha, spread * 1.6) * 1.15, 0, 1)
    return alpha * (1 - weight) + heavy * weight


def pores(alpha: np.ndarray, nrng: np.random.Generator, amount: float) -> np.ndarray:
    """Small unprinted pores where paper fibres did not take the ink."""
    speck = nrng.random(alpha.shape).astype(np.float32)
    speck = cv2.GaussianBlur(speck, (0, 0), 0.8)
    cut = np.quantile(speck, 1 - amount)
    return alpha * np.where(speck > cut, nrng.uniform(0.1, 0.5), 1.0).astype(np.float32)


def soften(alpha: np.ndarray, sigma: float, gain: float = 1.0) -> np.ndarray:
    """Soft edges (ink bleeding into paper); gain > 1 spreads the ink a little outward."""
    if sigma <= 0:
        return alpha
    return np.clip(cv2.GaussianBlur(alpha, (0, 0), sigma) * gain, 0, 1).astype(np.float32)


def rotate(alpha: np.ndarray, degrees: float) -> np.ndarray:
    """Turn the coverage about its centre, keeping its size (marks are drawn with a margin)."""
    h, w = alpha.shape
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), degrees, 1.0)
    return cv2.warpAffine(alpha, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)


def supersampled(draw, size: tuple[int, int], factor: int = 3) -> np.ndarray:
    """Run ``draw(PIL.ImageDraw, scale)`` on a canvas ``factor`` times larger; return its
    coverage at ``size`` (anti-aliased by area averaging)."""
    from PIL import Image, ImageDraw

    w, h = size
    canvas = Image.new("L", (w * factor, h * factor), 0)
    draw(ImageDraw.Draw(canvas), factor)
    small = cv2.resize(np.asarray(canvas, dtype=np.float32) / 255, (w, h), interpolation=cv2.INTER_AREA)
    return small


def composite(page: np.ndarray, ink: Ink, x: int, y: int) -> None:
    """Lay ink onto an RGB float page (0..1) in place, at pixel (x, y) of its top-left, with the
    ink's px_per_mm equal to the page's. Multiply: the print under it stays readable; over black
    toner the stamp-pad ink still shows dark red."""
    h, w = ink.alpha.shape
    H, W = page.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x0 >= x1 or y0 >= y1:
        return
    a = ink.alpha[y0 - y:y1 - y, x0 - x:x1 - x, None]
    colour = np.asarray(ink.rgb, dtype=np.float32) / 255
    region = page[y0:y1, x0:x1]
    if ink.blend == "normal":
        region[:] = region * (1 - a) + colour * a
        return
    multiplied = region * (1 - a + a * colour)
    region[:] = np.maximum(multiplied, a * colour * 0.45)
