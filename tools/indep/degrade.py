"""Turning clean pages into scans, photos, grey/1-bit images, and assembling the PDF with pikepdf."""
import io
import math
import random
import zlib

import cv2
import numpy as np
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageFilter


def render(pdf_bytes, dpi):
    doc = pdfium.PdfDocument(pdf_bytes)
    out = []
    for i in range(len(doc)):
        out.append(doc[i].render(scale=dpi / 72).to_pil().convert("RGB"))
    doc.close()
    return out


def scan(img, rng: random.Random, colour=True, skew_max=1.4):
    """Flatbed-scan look. Returns (image, 3x3 matrix mapping source px -> output px)."""
    a = np.asarray(img).astype(np.float32)
    h, w = a.shape[:2]
    ang = rng.uniform(-skew_max, skew_max)
    M = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
    M[0, 2] += rng.uniform(-8, 8)
    M[1, 2] += rng.uniform(-8, 8)
    border = (rng.uniform(200, 235),) * 3
    a = cv2.warpAffine(a, M, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
    u, lv = rng.uniform(0.01, 0.09), rng.uniform(0.93, 1.0)
    tint = np.array([lv, lv * (1 - u * 0.45), lv * (1 - u)], np.float32)  # white to slightly yellowed paper
    a = a * tint
    nr = np.random.default_rng(rng.randint(0, 2**31))
    a += nr.normal(0, rng.uniform(3, 8), a.shape[:2])[..., None]
    # uneven lamp: faint gradient
    gy = np.linspace(rng.uniform(0.94, 1.0), rng.uniform(0.97, 1.02), h, dtype=np.float32)[:, None, None]
    a = a * gy
    # specks
    for _ in range(rng.randint(5, 40)):
        x, y = nr.integers(0, w), nr.integers(0, h)
        cv2.circle(a, (int(x), int(y)), int(nr.integers(1, 3)), (60, 60, 60), -1)
    a = np.clip(a, 0, 255).astype(np.uint8)
    out = Image.fromarray(a).filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    if not colour:
        out = out.convert("L")
    return out, np.vstack([M, [0, 0, 1]])


def to_bw(img, rng):
    g = np.asarray(img.convert("L")).astype(np.int16)
    thr = rng.randint(150, 185)
    return Image.fromarray(((g > thr) * 255).astype(np.uint8)).convert("1")


def photo(img, rng: random.Random):
    """Phone photo of the page on a desk: keystone, light gradient, soft shadow, JPEG."""
    src = np.asarray(img).astype(np.float32)
    h, w = src.shape[:2]
    mx, my = int(w * rng.uniform(0.08, 0.14)), int(h * rng.uniform(0.06, 0.1))
    CW, CH = w + 2 * mx, h + 2 * my
    nr = np.random.default_rng(rng.randint(0, 2**31))
    # desk: wood-ish or grey cloth
    base = np.array(rng.choice([(120, 84, 52), (150, 110, 70), (90, 90, 95), (70, 60, 55)]), np.float32)
    yy, xx = np.mgrid[0:CH, 0:CW].astype(np.float32)
    grain = np.sin(yy / rng.uniform(6, 14) + np.sin(xx / 90.0) * 3) * 10
    desk = base[None, None, :] + grain[..., None] + nr.normal(0, 6, (CH, CW))[..., None]
    k = rng.uniform(0.02, 0.045)  # keystone
    sj = lambda s: rng.uniform(-s, s)
    dst = np.float32([[mx + w * k + sj(10), my + sj(10)], [mx + w - w * k + sj(10), my + sj(10)],
                      [mx + w + sj(12), my + h + sj(10)], [mx + sj(12), my + h + sj(10)]])
    ang = math.radians(rng.uniform(-3, 3))
    c = np.float32([CW / 2, CH / 2])
    R = np.float32([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
    dst = (dst - c) @ R.T + c
    srcq = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    Hm = cv2.getPerspectiveTransform(srcq, dst)
    warped = cv2.warpPerspective(src, Hm, (CW, CH), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), Hm, (CW, CH))
    # soft shadow of the page on the desk
    sh = cv2.GaussianBlur(np.roll(np.roll(mask, int(rng.uniform(8, 25)), 0), int(rng.uniform(5, 20)), 1), (0, 0), 18)
    desk = desk * (1 - 0.55 * sh[..., None])
    out = desk * (1 - mask[..., None]) + warped * mask[..., None]
    # light gradient + a soft shadow (hand/phone) across part of the page
    gx = rng.uniform(0.72, 0.88) + (1 - rng.uniform(0.72, 0.88)) * (xx / CW if rng.random() < 0.5 else 1 - xx / CW)
    gy = 1 - rng.uniform(0.0, 0.15) * (yy / CH)
    light = gx * gy
    cx, cy = rng.uniform(0, CW), rng.uniform(CH * 0.6, CH)
    blob = np.exp(-(((xx - cx) / (CW * 0.35)) ** 2 + ((yy - cy) / (CH * 0.25)) ** 2))
    light *= 1 - rng.uniform(0.12, 0.25) * blob
    out = out * light[..., None]
    warm = np.array([1.0, rng.uniform(0.96, 1.0), rng.uniform(0.85, 0.95)], np.float32)
    out = np.clip(out * warm + nr.normal(0, 4, out.shape[:2])[..., None], 0, 255).astype(np.uint8)
    outimg = Image.fromarray(out).filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.1)))
    return outimg, Hm


def map_bbox(bbox, dpi_in, Mx, dpi_out):
    """bbox (pt, top-left) through a 3x3 px matrix; returns envelope in output pt."""
    if bbox is None:
        return None
    s = dpi_in / 72
    x0, y0, x1, y1 = [v * s for v in bbox]
    pts = np.float32([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]]) @ np.asarray(Mx, np.float32).T
    pts = pts[:, :2] / pts[:, 2:3]
    t = 72 / dpi_out
    return [round(float(pts[:, 0].min() * t), 1), round(float(pts[:, 1].min() * t), 1),
            round(float(pts[:, 0].max() * t), 1), round(float(pts[:, 1].max() * t), 1)]


def image_xobject(pdf, img, quality=75):
    if img.mode == "1":
        a = np.asarray(img.convert("L")) > 127
        data = zlib.compress(np.packbits(a, axis=1).tobytes(), 9)
        return pikepdf.Stream(pdf, data, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=img.width,
                              Height=img.height, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=1,
                              Filter=pikepdf.Name.FlateDecode)
    b = io.BytesIO()
    img.save(b, "JPEG", quality=quality)
    cs = pikepdf.Name.DeviceGray if img.mode == "L" else pikepdf.Name.DeviceRGB
    return pikepdf.Stream(pdf, b.getvalue(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=img.width,
                          Height=img.height, ColorSpace=cs, BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode)


def image_page(pdf, img, dpi, quality=75, under=None):
    """Append a page showing img at dpi. `under`: a page (e.g. invisible text) to put the image beneath."""
    wpt, hpt = img.width * 72 / dpi, img.height * 72 / dpi
    xo = image_xobject(pdf, img, quality)
    draw = f"q {wpt:.3f} 0 0 {hpt:.3f} 0 0 cm /IndepIm Do Q\n".encode()
    if under is None:
        page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, wpt, hpt],
                                               Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(IndepIm=xo)),
                                               Contents=pikepdf.Stream(pdf, draw)))
        pdf.pages.append(page)
        return
    pdf.pages.append(under)
    page = pdf.pages[-1]
    res = page.obj.get("/Resources")
    if "/XObject" not in res:
        res["/XObject"] = pikepdf.Dictionary()
    res["/XObject"]["/IndepIm"] = xo
    page.contents_add(pikepdf.Stream(pdf, draw), prepend=True)
