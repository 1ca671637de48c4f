"""Laying marks and red print onto the pages of a vector PDF (pikepdf).

A mark goes in as an image XObject of its ink colour whose soft mask is the mark's coverage,
drawn either with the Multiply blend mode followed by a Lighten pass of a darker shade of the
same ink (a stamp pressed on paper: print under it stays readable, and where the ink lies
over black toner it shows dark red), or with normal blending (an image pasted by software).
Red print (a red heading, a red note) is typeset with reportlab in an embedded TrueType CJK
font and laid over the page as a form XObject."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pikepdf

from .ink import Ink

MM = 72 / 25.4
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _image(pdf: pikepdf.Pdf, pixels: np.ndarray, colour_space: str, smask=None) -> pikepdf.Stream:
    h, w = pixels.shape[:2]
    stream = pikepdf.Stream(pdf, zlib.compress(np.ascontiguousarray(pixels).tobytes(), 6))
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = w, h
    stream.ColorSpace = pikepdf.Name(colour_space)
    stream.BitsPerComponent = 8
    stream.Filter = pikepdf.Name.FlateDecode
    if smask is not None:
        stream.SMask = smask
    return stream


def _gstate(pdf: pikepdf.Pdf, blend: str, opacity: float) -> pikepdf.Dictionary:
    return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, BM=pikepdf.Name("/" + blend),
                                                ca=float(opacity), CA=float(opacity)))


def fresh_name(page: pikepdf.Page, kind: str, prefix: str) -> pikepdf.Name:
    """The first unused resource name /{prefix}{n} (pikepdf's own prefix names are random,
    which would make the same seed give different bytes)."""
    resources = page.obj.get("/Resources")
    taken = set(resources.get(kind, {}).keys()) if resources is not None and kind in resources else set()
    n = 0
    while f"/{prefix}{n}" in taken:
        n += 1
    return pikepdf.Name(f"/{prefix}{n}")


def page_height(page: pikepdf.Page) -> float:
    box = [float(v) for v in page.mediabox]
    return box[3] - box[1]


def add_ink(pdf: pikepdf.Pdf, page: pikepdf.Page, ink: Ink, x: float, top: float,
            blend: str | None = None, opacity: float = 1.0) -> None:
    """Lay ``ink`` with its image's top-left at (x, top) in points from the page's top-left."""
    h_px, w_px = ink.alpha.shape
    w_pt, h_pt = w_px / ink.px_per_mm * MM, h_px / ink.px_per_mm * MM
    box = [float(v) for v in page.mediabox]
    llx, lly = box[0] + x, box[3] - top - h_pt
    mask = _image(pdf, (np.clip(ink.alpha, 0, 1) * 255).astype(np.uint8), "/DeviceGray")
    colour = np.empty((h_px, w_px, 3), np.uint8)
    colour[:] = ink.rgb
    blend = blend or ("Multiply" if ink.blend == "multiply" else "Normal")
    ops = []
    passes = [(colour, blend)]
    if blend == "Multiply":
        dark = np.empty_like(colour)
        dark[:] = (np.asarray(ink.rgb) * 0.45).astype(np.uint8)
        passes.append((dark, "Lighten"))
    for pixels, mode in passes:
        image = pdf.make_indirect(_image(pdf, pixels, "/DeviceRGB", smask=mask))
        name = page.add_resource(image, pikepdf.Name.XObject, fresh_name(page, "/XObject", "Ink"))
        gs = page.add_resource(_gstate(pdf, mode, opacity), pikepdf.Name.ExtGState,
                               fresh_name(page, "/ExtGState", "GSink"))
        ops.append(f"q {gs} gs {w_pt:.3f} 0 0 {h_pt:.3f} {llx:.3f} {lly:.3f} cm {name} Do Q")
    _append(pdf, page, "\n".join(ops))


def _append(pdf: pikepdf.Pdf, page: pikepdf.Page, content: str) -> None:
    """Append drawing operators after the page's own, isolated from its graphics state."""
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n" + content.encode("ascii") + b"\n"))


def red_print(pdf: pikepdf.Pdf, page: pikepdf.Page, items: list[dict]) -> None:
    """Typeset red print onto the page: items of {text, x, top, size, rgb, bold?, rule?}
    (a rule: {x0, x1, y, width} drawn in the same colour)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    box = [float(v) for v in page.mediabox]
    width, height = box[2] - box[0], box[3] - box[1]
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    for item in items:
        c.saveState()  # text state (scale, render mode) must not carry over to the next item
        r, g, b = (v / 255 for v in item["rgb"])
        c.setFillColorRGB(r, g, b)
        c.setStrokeColorRGB(r, g, b)
        if "text" in item:
            c.setFont("WQY", item["size"])
            text = c.beginText()
            text.setTextOrigin(item["x"], height - item["top"] - item["size"] * 0.88)
            text.setFont("WQY", item["size"])
            text.setHorizScale(item.get("scale", 100))
            text.setCharSpace(item.get("spacing", 0))
            if item.get("bold"):  # fill and stroke: a heavier face
                text.setTextRenderMode(2)
                c.setLineWidth(item["size"] * 0.03)
            text.textOut(item["text"])
            c.drawText(text)
        if "rule" in item:
            rule = item["rule"]
            c.setLineWidth(rule["width"])
            c.line(rule["x0"], height - rule["y"], rule["x1"], height - rule["y"])
        c.restoreState()
    c.showPage()
    c.save()
    overlay = pikepdf.Pdf.open(io.BytesIO(buffer.getvalue()))
    form = pdf.copy_foreign(overlay.pages[0].as_form_xobject())
    name = page.add_resource(form, pikepdf.Name.XObject, fresh_name(page, "/XObject", "Red"))
    _append(pdf, page, f"q 1 0 0 1 {box[0]:.3f} {box[1]:.3f} cm {name} Do Q")
    _KEEP.append(overlay)  # qpdf copies the overlay's streams when the target is saved


#: overlay sources kept open until the PDFs they were laid on are saved (see release())
_KEEP: list = []


def release() -> None:
    """Close the overlay sources (call after saving the PDFs they were laid onto)."""
    while _KEEP:
        _KEEP.pop().close()


def text_width(text: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    return pdfmetrics.stringWidth(text, "WQY", size)
