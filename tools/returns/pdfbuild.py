"""Pages of the returned PDFs: image pages (JPEG colour or grey, 1-bit Flate), sandwich pages
(an image plus an invisible text layer, render mode 3, as a scanner's OCR or OCRmyPDF writes
them, no vector rules), /Rotate pages of both kinds, and the assembly of a file from typed
pages, replaced pages and attachments."""

from __future__ import annotations

import io
import math
import zlib

import numpy as np
import pikepdf
from PIL import Image

TEXT_FONT = "WQY"  # an embedded TrueType subset, as OCR tools embed their (glyphless) font
TEXT_FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def encode(pixels: np.ndarray, mode: str, quality: int) -> tuple[bytes, dict]:
    """Image bytes and the XObject keys: colour/grey as JPEG, bw as 1-bit Flate."""
    if mode == "bw":
        bits = np.packbits(pixels > 127, axis=1)  # 1 = white in DeviceGray at 1 bit
        h, w = pixels.shape
        return zlib.compress(bits.tobytes(), 9), {"Filter": "/FlateDecode", "ColorSpace": "/DeviceGray",
                                                  "BitsPerComponent": 1, "Width": w, "Height": h}
    arr = np.clip(pixels * 255 + 0.5, 0, 255).astype(np.uint8)
    image = Image.fromarray(arr, "L" if arr.ndim == 2 else "RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=False)
    return buffer.getvalue(), {"Filter": "/DCTDecode", "ColorSpace": "/DeviceGray" if arr.ndim == 2 else "/DeviceRGB",
                               "BitsPerComponent": 8, "Width": image.width, "Height": image.height}


def image_page(pixels: np.ndarray, mode: str, quality: int, size_pt: tuple[float, float]) -> pikepdf.Pdf:
    """A one-page PDF showing the image over the whole page."""
    data, keys = encode(pixels, mode, quality)
    pdf = pikepdf.new()
    w, h = size_pt
    pdf.add_blank_page(page_size=(w, h))
    page = pdf.pages[0]
    image = pikepdf.Stream(pdf, data)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height = keys["Width"], keys["Height"]
    image.ColorSpace = pikepdf.Name(keys["ColorSpace"])
    image.BitsPerComponent = keys["BitsPerComponent"]
    image.Filter = pikepdf.Name(keys["Filter"])
    name = page.add_resource(pdf.make_indirect(image), pikepdf.Name.XObject, pikepdf.Name("/Scan0"))
    page.obj.Contents = pdf.make_indirect(pikepdf.Stream(pdf, f"q {w:.3f} 0 0 {h:.3f} 0 0 cm {name} Do Q".encode()))
    return pdf


def sandwich_page(pixels: np.ndarray, quality: int, size_pt: tuple[float, float], words: list[dict],
                  matrix: np.ndarray) -> pikepdf.Pdf:
    """A one-page PDF: the JPEG image and, over it, each word of the typed page as invisible
    text (render mode 3) placed where ``matrix`` (typed points → this page's points) put it."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if TEXT_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(TEXT_FONT, TEXT_FONT_FILE, subfontIndex=0))
    data, _ = encode(pixels, "colour" if pixels.ndim == 3 else "grey", quality)
    w, h = size_pt
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(w, h), pageCompression=1, invariant=1)
    c.drawImage(ImageReader(io.BytesIO(data)), 0, 0, w, h)

    def at(x, y):
        v = matrix @ np.array([x, y, 1.0])
        return v[0] / v[2], h - v[1] / v[2]

    for word in words:
        text = word["text"]
        base = word["bottom"] - 0.12 * (word["bottom"] - word["top"])
        (ax, ay), (bx, by) = at(word["x0"], base), at(word["x1"], base)
        length = math.hypot(bx - ax, by - ay)
        natural = pdfmetrics.stringWidth(text, TEXT_FONT, 1.0)
        if length <= 0 or natural <= 0:
            continue
        size = max(1.0, word["size"] * length / max(1e-6, word["x1"] - word["x0"]))
        angle = math.atan2(by - ay, bx - ax)
        t = c.beginText()
        t.setTextRenderMode(3)
        t.setTextTransform(math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle), ax, ay)
        t.setFont(TEXT_FONT, size)
        t.setHorizScale(100 * length / (natural * size))
        t.textOut(text)
        c.drawText(t)
    c.showPage()
    c.save()
    return pikepdf.Pdf.open(io.BytesIO(buffer.getvalue()))


def rotate_attr(pdf: pikepdf.Pdf, page: pikepdf.Page, angle: int, counter: bool) -> None:
    """Set /Rotate ``angle``. counter=False: content unchanged, so the page displays turned;
    counter=True: the content is turned the other way first, so the page displays upright."""
    if counter:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        W, H = x1 - x0, y1 - y0
        cm = {90: (0, 1, -1, 0, H, 0), 180: (-1, 0, 0, -1, W, H), 270: (0, -1, 1, 0, 0, W)}[angle]
        shift = f"1 0 0 1 {-x0:.3f} {-y0:.3f} cm" if (x0 or y0) else ""
        head = "q " + " ".join(f"{v:.4f}" for v in cm) + " cm " + shift + "\n"
        page.contents_add(pikepdf.Stream(pdf, head.encode()), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
        size = (H, W) if angle in (90, 270) else (W, H)
        page.mediabox = pikepdf.Array([0, 0, *size])
        if "/CropBox" in page.obj:
            del page.obj["/CropBox"]
    page.obj.Rotate = angle


def assemble(typed: pikepdf.Pdf, replace: dict[int, pikepdf.Pdf], extra: list[pikepdf.Pdf], dst) -> None:
    """Write the file: the typed pages, with page i (0-based) replaced by replace[i]'s only page,
    then every page of the extra PDFs (attachments)."""
    out = pikepdf.new()
    for i, page in enumerate(typed.pages):
        out.pages.append(replace[i].pages[0] if i in replace else page)
    for other in extra:
        for page in other.pages:
            out.pages.append(page)
    out.save(dst, deterministic_id=True)
