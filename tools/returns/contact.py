"""A contact sheet of a corpus: every page of every file at low resolution, one row per file,
each thumbnail labelled with the page's class from the truth."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from . import fonts

THUMB_H = 120
LABEL_W = 150


def thumbnails(pdf: Path, height: int = THUMB_H) -> list[Image.Image] | None:
    """Every page of the file at ``height`` pixels, or None when it does not open."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(pdf))
    except Exception:  # not a PDF, encrypted, truncated
        return None
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            image = page.render(scale=0.25).to_pil().convert("RGB")  # as displayed (/Rotate applied)
            image = image.resize((max(1, round(image.width * height / image.height)), height))
            out.append(image)
            page.close()
    except Exception:
        return out or None
    finally:
        doc.close()
    return out


def sheet(pdfs: list[Path], truths: dict[str, dict], dst: Path) -> Path:
    face = fonts.pick(__import__("random").Random(0), "sans")
    font = fonts.load(face[0], face[1], 13)
    small = fonts.load(face[0], face[1], 10)
    rows = []
    for pdf in pdfs:
        truth = truths.get(pdf.name, {})
        thumbs = thumbnails(pdf)
        rows.append((pdf.name, truth, thumbs))
    width = LABEL_W + max((sum(t.width + 4 for t in thumbs) for _, _, thumbs in rows if thumbs), default=200) + 8
    row_h = THUMB_H + 22
    canvas = Image.new("RGB", (width, row_h * len(rows) + 8), (205, 205, 205))
    draw = ImageDraw.Draw(canvas)
    for r, (name, truth, thumbs) in enumerate(rows):
        y = 4 + r * row_h
        draw.text((6, y + 4), name, fill=(0, 0, 0), font=font)
        status = truth.get("expected_status") or ""
        draw.text((6, y + 22), status + (f" ({truth['error']})" if truth.get("error") else ""), fill=(80, 0, 0), font=small)
        classes = [c for c in truth.get("classes", [])]
        for i in range(0, min(len(classes), 8), 2):
            draw.text((6, y + 38 + i * 7), ", ".join(classes[i:i + 2]), fill=(40, 40, 40), font=small)
        x = LABEL_W
        if not thumbs:
            draw.rectangle((x, y, x + 85, y + THUMB_H), fill=(150, 150, 150))
            draw.text((x + 6, y + THUMB_H / 2 - 8), "不可读", fill=(255, 255, 255), font=font)
            continue
        pages = truth.get("pages", {})
        for n, thumb in enumerate(thumbs, 1):
            canvas.paste(thumb, (x, y))
            label = pages.get(str(n), "")
            draw.text((x + 2, y + THUMB_H + 2), f"{n} {label}", fill=(0, 0, 90), font=small)
            x += thumb.width + 4
    canvas.save(dst, optimize=True)
    return dst
