"""Raster marks drawn with Pillow/numpy: round 公章, square 私章, handwritten and e-signatures.

Every function returns (RGBA PIL image, width_pt, height_pt). Images are drawn at PX_PER_PT.
"""
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

PX_PER_PT = 4.0  # ~288 dpi
MM = 72 / 25.4
FONT_FILES = {
    "serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    "serif_b": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    "sans_b": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "sans": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "wqy": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
}
SEAL_COLOURS = [(214, 30, 38), (180, 18, 30), (150, 20, 60), (226, 70, 110), (200, 40, 45), (168, 30, 80)]


def font(key, size):
    path, idx = FONT_FILES[key]
    try:
        return ImageFont.truetype(path, int(size), index=idx)
    except OSError:
        return ImageFont.truetype(path, int(size), index=0)


def _char_tile(ch, fnt, colour, sx=1.0):
    bb = fnt.getbbox(ch)
    w, h = bb[2] - bb[0] + 4, bb[3] - bb[1] + 4
    t = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    ImageDraw.Draw(t).text((2 - bb[0], 2 - bb[1]), ch, font=fnt, fill=colour + (255,))
    if sx != 1.0:
        t = t.resize((max(1, int(w * sx)), h), Image.LANCZOS)
    return t


def _fade(img, rng, inked):
    """Keep roughly `inked` fraction of ink using low-frequency noise (uneven stamp pressure)."""
    a = np.array(img)
    h, w = a.shape[:2]
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    small = nrng.random((max(2, h // 40), max(2, w // 40)))
    noise = np.array(Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)) / 255.0
    fine = nrng.random((h, w)) * 0.25
    n = noise + fine
    thr = np.quantile(n, 1 - inked)
    keep = np.clip((n - thr) * 8 + 0.5, 0, 1)
    a[..., 3] = (a[..., 3] * keep).astype(np.uint8)
    return Image.fromarray(a)


def round_seal(rng: random.Random, unit: str, diameter_mm=None, colour=None, code=None, fade=None,
               partial=False, font_key=None):
    d_mm = diameter_mm or rng.uniform(38, 44)
    d_pt = d_mm * MM
    S = int(d_pt * PX_PER_PT)
    R = S / 2
    colour = colour or rng.choice(SEAL_COLOURS)
    ring = rng.uniform(0.8, 1.5) * MM * PX_PER_PT
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    dr = ImageDraw.Draw(img)
    dr.ellipse([1, 1, S - 2, S - 2], outline=colour + (255,), width=max(2, int(ring)))
    # star
    cx = cy = R
    rs = R * rng.uniform(0.26, 0.32)
    pts = []
    for i in range(10):
        ang = -math.pi / 2 + i * math.pi / 5
        rr = rs if i % 2 == 0 else rs * 0.382
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    dr.polygon(pts, fill=colour + (255,))
    # unit name on upper arc
    fk = font_key or rng.choice(["serif_b", "sans_b", "wqy", "serif"])
    n = len(unit)
    fsize = R * rng.uniform(0.23, 0.28) * (1.0 if n <= 10 else 10 / n * 1.05)
    fsize = max(fsize, R * 0.16)
    fnt = font(fk, fsize)
    span = rng.uniform(220, 250) if n > 6 else 180
    r_text = R - ring - fsize * 0.62 - R * 0.03
    for i, ch in enumerate(unit):
        ang_deg = -90 - span / 2 + span * (i + 0.5) / n  # from left round the top to right
        a = math.radians(ang_deg)
        t = _char_tile(ch, fnt, colour, sx=rng.uniform(0.72, 0.85))
        t = t.rotate(-(ang_deg + 90), resample=Image.BICUBIC, expand=True)
        px, py = cx + r_text * math.cos(a), cy + r_text * math.sin(a)
        img.alpha_composite(t, (int(px - t.width / 2), int(py - t.height / 2)))
    if code:
        cf = font("sans", R * 0.11)
        span2 = 70
        rc = R - ring - R * 0.1
        for i, ch in enumerate(code):
            ang_deg = 90 + span2 / 2 - span2 * (i + 0.5) / len(code)
            a = math.radians(ang_deg)
            t = _char_tile(ch, cf, colour)
            t = t.rotate(-(ang_deg - 90), resample=Image.BICUBIC, expand=True)
            px, py = cx + rc * math.cos(a), cy + rc * math.sin(a)
            img.alpha_composite(t, (int(px - t.width / 2), int(py - t.height / 2)))
    elif rng.random() < 0.4:
        sub = rng.choice(["", "", "办公室"])
        if sub:
            t = _char_tile(sub, font(fk, R * 0.16), colour)
            img.alpha_composite(t, (int(cx - t.width / 2), int(cy + R * 0.42)))
    img = img.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
    img = img.filter(ImageFilter.GaussianBlur(0.7))
    inked = fade if fade else rng.choice([0.97, 0.92, 0.85, 0.75, 0.65])
    img = _fade(img, rng, inked)
    a = np.array(img)
    a[..., 3] = (a[..., 3] * rng.uniform(0.78, 0.92)).astype(np.uint8)
    if partial:  # stamp rocked: one side barely printed
        h, w = a.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w]
        ang = rng.uniform(0, 2 * math.pi)
        proj = ((xx - w / 2) * math.cos(ang) + (yy - h / 2) * math.sin(ang)) / (w / 2)
        a[..., 3] = (a[..., 3] * np.clip(1.2 - np.clip(proj - 0.1, 0, None) * 2.2, 0, 1)).astype(np.uint8)
    return Image.fromarray(a), d_pt, d_pt


def name_seal(rng: random.Random, name: str, white_on_red=None, colour=None):
    side_pt = rng.uniform(17, 22) * MM
    S = int(side_pt * PX_PER_PT)
    colour = colour or rng.choice(SEAL_COLOURS[:3])
    white_on_red = rng.random() < 0.5 if white_on_red is None else white_on_red
    chars = list(name)
    if len(chars) == 2:
        chars += ["之", "印"]
    elif len(chars) == 3:
        chars += ["印"]
    chars = chars[:4]
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    dr = ImageDraw.Draw(img)
    b = int(S * 0.06)
    if white_on_red:
        dr.rectangle([0, 0, S - 1, S - 1], fill=colour + (255,))
    else:
        dr.rectangle([b // 2, b // 2, S - 1 - b // 2, S - 1 - b // 2], outline=colour + (255,), width=b)
    fnt = font(rng.choice(["serif_b", "sans_b", "wqy"]), S * 0.40)
    cell = (S - 2 * b) / 2
    # traditional order: right column top->bottom, then left column
    pos = [(1, 0), (1, 1), (0, 0), (0, 1)]
    for ch, (cxi, cyi) in zip(chars, pos):
        t = _char_tile(ch, fnt, (0, 0, 0) if white_on_red else colour)
        t = t.resize((int(cell * 0.9), int(cell * 0.92)), Image.LANCZOS)
        x = int(b + cxi * cell + (cell - t.width) / 2)
        y = int(b + cyi * cell + (cell - t.height) / 2)
        if white_on_red:
            al = np.array(t)[..., 3]
            base = np.array(img)
            sub = base[y:y + t.height, x:x + t.width, 3]
            base[y:y + t.height, x:x + t.width, 3] = np.minimum(sub, 255 - al[:sub.shape[0], :sub.shape[1]])
            img = Image.fromarray(base)
        else:
            img.alpha_composite(t, (x, y))
    img = img.rotate(rng.uniform(-6, 6), resample=Image.BICUBIC, expand=True)
    img = _fade(img.filter(ImageFilter.GaussianBlur(0.6)), rng, rng.choice([0.95, 0.88, 0.8]))
    return img, img.width / PX_PER_PT, img.height / PX_PER_PT


def _catmull(points, steps=12):
    out = []
    p = [points[0]] + points + [points[-1]]
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(0.5 * ((2 * p1[k]) + (-p0[k] + p2[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                                    + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3) for k in range(2)))
    out.append(points[-1])
    return out


def handwritten(rng: random.Random, name: str, ink=None):
    """Cursive-looking pen signature. Either scribbled strokes or the name in a warped font."""
    ink = ink or rng.choice([(20, 35, 150), (15, 15, 25), (30, 50, 120), (40, 40, 45)])
    h_pt = rng.uniform(22, 34)
    n = len(name)
    w_pt = h_pt * n * rng.uniform(0.8, 1.15)
    S = 3  # supersample
    W, H = int(w_pt * PX_PER_PT), int(h_pt * PX_PER_PT)
    big = Image.new("L", (W * S, H * S), 0)
    dr = ImageDraw.Draw(big)
    pen = max(2, int(rng.uniform(1.1, 2.0) * PX_PER_PT * S))
    if rng.random() < 0.45:
        fnt = font(rng.choice(["sans", "wqy", "serif"]), H * S * 0.85)
        dr.text((W * S * 0.02, 0), name, font=fnt, fill=255, stroke_width=pen // 3)
        a = np.array(big)
        hh, ww = a.shape
        yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
        amp = hh * 0.04
        mapx = xx + yy * rng.uniform(0.25, 0.45) - hh * 0.3 + amp * np.sin(yy / hh * 6.0 + rng.random() * 6)
        mapy = yy + amp * np.sin(xx / ww * 9.0 + rng.random() * 6)
        import cv2
        a = cv2.remap(a, mapx, mapy, cv2.INTER_LINEAR, borderValue=0)
        big = Image.fromarray(a)
        dr = ImageDraw.Draw(big)
        # a flourish under it
        y0 = H * S * rng.uniform(0.75, 0.92)
        pts = [(W * S * 0.05, y0), (W * S * 0.5, y0 + H * S * 0.05), (W * S * 0.95, y0 - H * S * 0.2)]
        dr.line(_catmull(pts), fill=255, width=pen, joint="curve")
    else:
        cw = W * S / n
        x = cw * 0.1
        for i in range(n):
            pts = []
            k = rng.randint(5, 9)
            for j in range(k):
                pts.append((x + cw * (j / k) * rng.uniform(0.7, 1.2), H * S * rng.uniform(0.15, 0.85)))
            pts.sort(key=lambda p: p[0]) if rng.random() < 0.5 else None
            dr.line(_catmull(pts), fill=255, width=pen, joint="curve")
            if rng.random() < 0.6:  # a loop
                cx0, cy0 = x + cw * 0.5, H * S * 0.5
                r = cw * rng.uniform(0.15, 0.3)
                loop = [(cx0 + r * math.cos(t / 8 * 2 * math.pi), cy0 + r * 0.7 * math.sin(t / 8 * 2 * math.pi)) for t in range(10)]
                dr.line(_catmull(loop), fill=255, width=max(1, pen - 1), joint="curve")
            x += cw * rng.uniform(0.85, 1.05)
    alpha = big.resize((W, H), Image.LANCZOS)
    alpha = alpha.rotate(rng.uniform(-8, 8), resample=Image.BICUBIC, expand=True)
    a = np.array(alpha).astype(np.float32)
    a = (np.clip(a * rng.uniform(1.0, 1.3), 0, 255)).astype(np.uint8)
    img = Image.new("RGBA", alpha.size, ink + (0,))
    img.putalpha(Image.fromarray(a))
    return img, img.width / PX_PER_PT, img.height / PX_PER_PT


def e_signature(rng: random.Random, name: str):
    colour = rng.choice([(220, 20, 30), (200, 0, 0), (235, 50, 50)])
    h_pt = rng.uniform(20, 28)
    H = int(h_pt * PX_PER_PT)
    fnt = font(rng.choice(["serif_b", "sans_b"]), H * 0.8)
    bb = fnt.getbbox(name)
    W = bb[2] - bb[0] + 20
    img = Image.new("RGBA", (W, H + 10), (0, 0, 0, 0))
    ImageDraw.Draw(img).text((10 - bb[0], 5 - bb[1]), name, font=fnt, fill=colour + (255,))
    img = img.transform(img.size, Image.AFFINE, (1, rng.uniform(0.15, 0.3), -H * 0.12, 0, 1, 0), Image.BICUBIC)
    return img, img.width / PX_PER_PT, img.height / PX_PER_PT
