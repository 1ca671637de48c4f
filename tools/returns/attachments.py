"""佐证材料 appended after the form: a red-header document (red 「XX市科学技术协会文件」
banner, red rule, black body, its own round seal over the sign-off), pages of photo-like
pictures with captions, and a table. Typeset with reportlab in an embedded TrueType CJK font;
the seal is laid on with tools/returns/stamp.py. None of it is part of the form."""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
import pikepdf

from .ink import np_rng, smooth_noise
from .seals import round_seal
from .stamp import WQY, add_ink

A4 = (595.3, 841.9)
MM = 72 / 25.4
RED = (0.85, 0.05, 0.08)


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    return "WQY"


def _wrap(text: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase import pdfmetrics

    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, _font(), size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def _doc_number(rng: random.Random, place: str) -> str:
    return f"{place[:1]}科协发〔2026〕{rng.randint(3, 48)}号"


def red_header(rng: random.Random, unit: str, place: str, sentences: list[str]) -> tuple[pikepdf.Pdf, dict]:
    """A 红头文件 of the pilot unit, with its round seal over the sign-off."""
    from reportlab.pdfgen import canvas

    font = _font()
    w, h = A4
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    banner = f"{unit}文件"
    size = min(40.0, 150 * MM / max(1, len(banner)) / 0.62)
    c.saveState()  # the banner's horizontal scale must not carry over to the body text
    c.setFillColorRGB(*RED)
    t = c.beginText()
    t.setFont(font, size)
    t.setHorizScale(62)
    bw = 0.62 * size * len(banner)
    t.setTextOrigin((w - bw) / 2, h - 45 * MM)
    t.textOut(banner)
    c.drawText(t)
    c.restoreState()
    c.setFillColorRGB(0, 0, 0)
    c.setFont(font, 15)
    number = _doc_number(rng, place)
    c.drawCentredString(w / 2, h - 62 * MM, number)
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(2.2)
    c.line(25 * MM, h - 67 * MM, w - 25 * MM, h - 67 * MM)
    if rng.random() < 0.5:
        c.setLineWidth(0.6)
        c.line(25 * MM, h - 68.2 * MM, w - 25 * MM, h - 68.2 * MM)
    title = f"关于印发《{place}科协深化改革工作试点实施方案》的通知"
    c.setFont(font, 17)
    y = h - 82 * MM
    for line in _wrap(title, 17, w - 60 * MM):
        c.drawCentredString(w / 2, y, line)
        y -= 26
    c.setFont(font, 13.5)
    y -= 8
    c.drawString(28 * MM, y, "各县（市、区）科协，市级学会：")
    y -= 24
    body = "".join(rng.sample(sentences, min(len(sentences), rng.randint(5, 8))))
    for line in _wrap("　　" + body, 13.5, w - 56 * MM):
        c.drawString(28 * MM, y, line)
        y -= 23
        if y < 70 * MM:
            break
    y -= 30
    sign_x = w - 28 * MM - 0.95 * 13.5 * len(unit)
    c.drawString(sign_x, y, unit)
    date = f"2026年{rng.randint(3, 5)}月{rng.randint(1, 28)}日"
    c.drawString(w - 28 * MM - 13.5 * len(date) * 0.7, y - 24, date)
    c.showPage()
    c.save()
    pdf = pikepdf.Pdf.open(io.BytesIO(buffer.getvalue()))
    ink, details = round_seal(rng, unit)
    cx = sign_x + 13.5 * len(unit) * 0.45 + rng.uniform(-10, 10)
    cy = (h - y) + rng.uniform(-5, 15)
    iw, ih = ink.size_mm
    add_ink(pdf, pdf.pages[0], ink, cx - iw * MM / 2, cy - ih * MM / 2,
            blend=rng.choice(("Multiply", "Normal")))
    return pdf, {"kind": "red_header", "number": number, "seal": details}


def picture(rng: random.Random, size: tuple[int, int], banner: str) -> np.ndarray:
    """A photo-like picture of an event: a wall or sky, a red banner with text, rows of people."""
    from PIL import Image, ImageDraw

    from . import fonts

    w, h = size
    nrng = np_rng(rng)
    ys = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    indoor = rng.random() < 0.6
    top = np.asarray((0.78, 0.74, 0.66) if indoor else (0.55, 0.7, 0.92), np.float32)
    bottom = np.asarray((0.55, 0.45, 0.35) if indoor else (0.35, 0.5, 0.3), np.float32)
    img = top * (1 - ys) + bottom * ys + 0 * np.zeros((h, w, 3), np.float32)
    img = np.broadcast_to(img, (h, w, 3)).copy()
    pil = Image.fromarray((img * 255).astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    bx0, by0 = int(w * rng.uniform(0.08, 0.2)), int(h * rng.uniform(0.06, 0.16))
    bx1, by1 = w - bx0, by0 + int(h * rng.uniform(0.1, 0.16))
    draw.rectangle((bx0, by0, bx1, by1), fill=(180 + rng.randint(0, 40), 20, 30))
    face = fonts.pick(rng, "bold")
    text_px = int((by1 - by0) * 0.5)
    font = fonts.load(face[0], face[1], max(8, min(text_px, int((bx1 - bx0) / max(1, len(banner)) * 0.95))))
    draw.text(((bx0 + bx1) / 2, (by0 + by1) / 2), banner, fill=(250, 240, 200), font=font, anchor="mm")
    rows = rng.randint(2, 4)
    for r in range(rows):
        y = int(h * (0.55 + 0.13 * r))
        n = rng.randint(6, 12)
        for i in range(n):
            x = int(w * (i + 0.5 + rng.uniform(-0.25, 0.25)) / n)
            head = int(h * rng.uniform(0.035, 0.05) * (1 + 0.25 * r))
            skin = (rng.randint(170, 220), rng.randint(130, 170), rng.randint(100, 140))
            coat = rng.choice(((30, 30, 40), (60, 60, 70), (120, 30, 30), (200, 200, 205), (40, 60, 110)))
            draw.ellipse((x - int(head * 1.6), y + head, x + int(head * 1.6), y + head * 5), fill=coat)
            draw.ellipse((x - head, y - head, x + head, y + head), fill=skin)
            draw.chord((x - head, y - head - 2, x + head, y + head // 2), 180, 360, fill=(20, 18, 18))
    arr = np.asarray(pil, dtype=np.float32) / 255
    light = 0.85 + 0.3 * smooth_noise(nrng, (h, w), max(h, w) / 2)[..., None]
    arr = cv2.GaussianBlur(arr * light, (0, 0), rng.uniform(0.8, 1.8))
    arr = arr + nrng.normal(0, 0.02, arr.shape).astype(np.float32)
    return np.clip(arr, 0, 1)


def pictures(rng: random.Random, place: str) -> tuple[pikepdf.Pdf, dict]:
    """A page of 2–3 event photos with captions."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    font = _font()
    w, h = A4
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont(font, 16)
    c.drawCentredString(w / 2, h - 30 * MM, "附件：试点工作相关活动照片")
    events = ["深化改革工作推进会", "科技志愿服务进社区", "三长制工作座谈会", "科普大篷车进乡村",
              "学会服务站揭牌仪式", "科技工作者之家建设现场会"]
    count = rng.choice((2, 3))
    slot = (h - 60 * MM) / count
    captions = []
    for i, event in enumerate(rng.sample(events, count)):
        banner = f"{place}{event}"
        px = (1200, 800)
        arr = picture(rng, px, banner)
        data = io.BytesIO()
        Image.fromarray((arr * 255).astype(np.uint8)).save(data, "JPEG", quality=rng.randint(60, 85))
        data.seek(0)
        img_h = slot - 22
        img_w = min(w - 50 * MM, img_h * 1.5)
        y = h - 40 * MM - (i + 1) * slot + 20
        c.drawImage(ImageReader(data), (w - img_w) / 2, y, img_w, img_h)
        c.setFont(font, 11)
        caption = f"图{i + 1}  {banner}（2026年{rng.randint(1, 5)}月）"
        c.drawCentredString(w / 2, y - 14, caption)
        captions.append(caption)
    c.showPage()
    c.save()
    return pikepdf.Pdf.open(io.BytesIO(buffer.getvalue())), {"kind": "pictures", "captions": captions}


def table(rng: random.Random, place: str, names: list[str]) -> tuple[pikepdf.Pdf, dict]:
    """A ruled table: 基层组织建设情况 by county, with numbers."""
    from reportlab.pdfgen import canvas

    font = _font()
    w, h = A4
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont(font, 15)
    c.drawCentredString(w / 2, h - 30 * MM, f"{place}基层科协组织建设情况统计表")
    headers = ["序号", "县（市、区）", "乡镇科协", "企业科协", "高校科协", "科普服务站", "负责人"]
    widths = [12, 36, 20, 20, 20, 24, 22]
    rows = rng.randint(8, 16)
    x0, top, row_h = 20 * MM, h - 40 * MM, 9 * MM
    xs = [x0]
    for wd in widths:
        xs.append(xs[-1] + wd * MM)
    c.setLineWidth(0.7)
    counties = ["一区", "二区", "三县", "四县", "五县", "六市", "七县", "八区", "九县", "十县",
                "新区", "高新区", "经开区", "东县", "西县", "南县"]
    for r in range(rows + 2):
        c.line(xs[0], top - r * row_h, xs[-1], top - r * row_h)
    for x in xs:
        c.line(x, top, x, top - (rows + 1) * row_h)
    c.setFont(font, 10.5)
    for i, head in enumerate(headers):
        c.drawCentredString((xs[i] + xs[i + 1]) / 2, top - row_h + 9, head)
    for r in range(rows):
        y = top - (r + 2) * row_h + 9
        cells = [str(r + 1), place[:2] + counties[r], str(rng.randint(3, 30)), str(rng.randint(0, 40)),
                 str(rng.randint(0, 5)), str(rng.randint(2, 60)), rng.choice(names)]
        for i, cell in enumerate(cells):
            c.drawCentredString((xs[i] + xs[i + 1]) / 2, y, cell)
    c.setFont(font, 10.5)
    c.drawString(x0, top - (rows + 1) * row_h - 20, f"填表说明：数据截至2026年{rng.randint(3, 5)}月底。")
    c.showPage()
    c.save()
    return pikepdf.Pdf.open(io.BytesIO(buffer.getvalue())), {"kind": "table", "rows": rows}


def make(rng: random.Random, unit: str, place: str, sentences: list[str], names: list[str]) -> tuple[list[pikepdf.Pdf], list[dict]]:
    """2–4 pages of 佐证材料, the red-header document always among them."""
    parts = [red_header(rng, unit, place, sentences)]
    more = [lambda: pictures(rng, place), lambda: table(rng, place, names), lambda: pictures(rng, place)]
    for build in more[:rng.randint(1, 3)]:
        parts.append(build())
    rng.shuffle(parts)
    return [p for p, _ in parts], [d for _, d in parts]
