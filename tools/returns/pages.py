"""A stamped page as it comes back through a scanner: rendered, printed (toner, paper), laid
on the glass a little askew, specks and dust, scanner noise, colour / 8-bit grey / 1-bit, and
sometimes fed turned (the image itself rotated by 90°, 180° or 270°).

Every function that moves the page returns a 3×3 matrix taking points of the typed page
(top-left origin) to points of the output page in its upright orientation, so the truth can
give a mark's bbox where it shows."""

from __future__ import annotations

import random

import cv2
import numpy as np

from .ink import np_rng, smooth_noise

A4 = (595.3, 841.9)


def render(pdf_path, index: int, dpi: float) -> np.ndarray:
    """One page (0-based) as RGB float32 0..1 at ``dpi`` (pdfium honours /Rotate and blend modes)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        page = doc[index]
        bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
        arr = bitmap.to_numpy()[..., :3].copy()
        mode = bitmap.mode
        page.close()
    finally:
        doc.close()
    if mode in ("BGRA", "BGRX", "BGR"):
        arr = arr[..., ::-1]
    return arr.astype(np.float32) / 255


def scale_matrix(s: float) -> np.ndarray:
    return np.diag([s, s, 1.0])


def printed(rng: random.Random, img: np.ndarray, paper: tuple | None = None) -> np.ndarray:
    """Print on office paper: toner a little short of black, softened; paper tone and texture."""
    nrng = np_rng(rng)
    density = rng.uniform(0.84, 0.95)
    out = 1 - (1 - img) * density
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.3, 0.7))
    tone = np.asarray(paper or (rng.uniform(0.9, 0.98),) * 3, np.float32)
    tone = tone * np.asarray([1 + rng.uniform(-0.01, 0.015), 1, 1 - rng.uniform(0, 0.03)], np.float32)
    cell = max(8.0, out.shape[1] / 70)  # about 3 mm, whatever the resolution
    texture = 1 + (smooth_noise(nrng, out.shape[:2], cell) - 0.5)[..., None] * rng.uniform(0.008, 0.03)
    return np.clip(out * tone * texture, 0, 1).astype(np.float32)


def specks(rng: random.Random, img: np.ndarray, dpi: float) -> np.ndarray:
    """Dust, toner specks and hairs; sometimes the lid's shadow along one edge."""
    out = img.copy()
    h, w = out.shape[:2]
    k = dpi / 150
    for _ in range(rng.randint(15, 160)):
        x, y = rng.randrange(w), rng.randrange(h)
        shade = rng.uniform(0.05, 0.6)
        cv2.circle(out, (x, y), max(1, int(rng.uniform(0.4, 1.8) * k)), (shade,) * 3, -1, cv2.LINE_AA)
    for _ in range(rng.randint(0, 4)):
        x, y = rng.randrange(w), rng.randrange(h)
        pts = [(x, y)]
        for _ in range(rng.randint(3, 8)):
            x += int(rng.uniform(-12, 12) * k)
            y += int(rng.uniform(-12, 12) * k)
            pts.append((x, y))
        cv2.polylines(out, [np.asarray(pts, np.int32)], False, (rng.uniform(0.2, 0.6),) * 3,
                      max(1, int(0.7 * k)), cv2.LINE_AA)
    if rng.random() < 0.35:
        side = rng.choice("lrtb")
        depth = int(rng.uniform(3, 14) * k)
        ramp = np.linspace(rng.uniform(0.25, 0.6), 1, depth, dtype=np.float32)
        if side == "l":
            out[:, :depth] *= ramp[None, :, None]
        elif side == "r":
            out[:, w - depth:] *= ramp[::-1][None, :, None]
        elif side == "t":
            out[:depth] *= ramp[:, None, None]
        else:
            out[h - depth:] *= ramp[::-1][:, None, None]
    return out


def tilt(rng: random.Random, img: np.ndarray, dpi: float, max_deg: float = 2.0) -> tuple[np.ndarray, np.ndarray, dict]:
    """The sheet askew on the glass: turned ≤ max_deg and shifted a few mm; the glass around it
    shows as the lid's white or grey. Returns the image, the pixel matrix and the details."""
    h, w = img.shape[:2]
    angle = rng.uniform(-max_deg, max_deg)
    dx, dy = (rng.uniform(-4, 4) * dpi / 25.4 for _ in range(2))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m[:, 2] += (dx, dy)
    lid = rng.choice((0.98, 0.95, 0.85, 0.75))
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=(lid, lid, lid))
    return out, np.vstack([m, [0, 0, 1]]), {"tilt_deg": round(angle, 2), "shift_mm": [round(dx * 25.4 / dpi, 1),
                                                                                      round(dy * 25.4 / dpi, 1)]}


def sensor(rng: random.Random, img: np.ndarray, sigma: tuple = (0.004, 0.012), blur: tuple = (0.3, 0.8)) -> np.ndarray:
    out = cv2.GaussianBlur(img, (0, 0), rng.uniform(*blur))
    noise = np.empty_like(out)
    cv2.setRNGSeed(rng.randrange(2 ** 31))
    sd = rng.uniform(*sigma)
    cv2.randn(noise, (0.0,) * 3, (sd,) * 3)
    out += noise
    return np.clip(out, 0, 1)


def to_bw(rng: random.Random, img: np.ndarray) -> np.ndarray:
    """1-bit: a scanner's fixed threshold on luminance (with a little noise), as uint8 0/255."""
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    nrng = np_rng(rng)
    level = rng.uniform(0.5, 0.68)
    noisy = grey + nrng.normal(0, 0.03, grey.shape).astype(np.float32)
    return np.where(noisy > level, 255, 0).astype(np.uint8)


def scan(rng: random.Random, pdf_path, index: int, mode: str, dpi: float | None = None,
         page_size: tuple = A4) -> tuple[np.ndarray, np.ndarray, dict]:
    """One page scanned: mode colour | grey | bw. Returns (pixels: RGB float, grey float or
    bw uint8), the matrix typed-page points → output-page points, and the details."""
    dpi = dpi or rng.choice((150, 200, 200, 240, 300))
    if mode == "bw":
        dpi = max(dpi, 200)  # 1-bit scans are made at 200–300 dpi
    img = render(pdf_path, index, dpi)
    img = printed(rng, img)
    img, m, details = tilt(rng, img, dpi)
    img = specks(rng, img, dpi)
    img = sensor(rng, img)
    s = dpi / 72
    matrix = scale_matrix(1 / s) @ m @ scale_matrix(s)
    if mode == "grey":
        img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    elif mode == "bw":
        img = to_bw(rng, img)
    details.update({"dpi": dpi, "mode": mode})
    return img, matrix, details


def turn(img: np.ndarray, quarter: int) -> np.ndarray:
    """The image fed turned: ``quarter`` × 90° clockwise."""
    return np.ascontiguousarray(np.rot90(img, k=-quarter % 4))


def map_rect(matrix: np.ndarray, rect: list[float]) -> list[float]:
    """Bounding box of a rectangle's corners under a 3×3 (projective) matrix."""
    x0, top, x1, bottom = rect
    pts = np.array([[x0, top, 1], [x1, top, 1], [x1, bottom, 1], [x0, bottom, 1]], dtype=np.float64).T
    out = matrix @ pts
    out = out[:2] / out[2]
    return [round(float(out[0].min()), 1), round(float(out[1].min()), 1),
            round(float(out[0].max()), 1), round(float(out[1].max()), 1)]
