"""Draws the 申报书 with reportlab in top-left coordinates, logging where fields and marks land."""
import io
import random

import numpy as np
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

W, H = A4
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
_REG = False


def register_fonts():
    global _REG
    if _REG:
        return
    for i, n in enumerate(["ZenHei", "ZenHeiMono", "ZenHeiSharp"]):
        pdfmetrics.registerFont(TTFont(n, WQY, subfontIndex=i))
    for n, fn in (("DejaVuSans", "DejaVuSans.ttf"), ("DejaVuSerif", "DejaVuSerif.ttf"),
                  ("DejaVuSansCondensed", "DejaVuSansCondensed.ttf")):
        pdfmetrics.registerFont(TTFont(n, "/usr/share/fonts/truetype/dejavu/" + fn))
    _REG = True


BODY_FONTS = ["ZenHei", "ZenHeiMono", "ZenHeiSharp", "ZenHei"]


def ink_bbox(img, x, y, w, h):
    """Tight bbox (top-left PDF points) of the visible ink of an RGBA image drawn at x,y,w,h."""
    a = np.array(img)[..., 3]
    ys, xs = np.nonzero(a > 40)
    if len(xs) == 0:
        return [x, y, x + w, y + h]
    sx, sy = w / a.shape[1], h / a.shape[0]
    return [round(x + xs.min() * sx, 1), round(y + ys.min() * sy, 1),
            round(x + (xs.max() + 1) * sx, 1), round(y + (ys.max() + 1) * sy, 1)]


class Doc:
    def __init__(self, fh, invisible=False):
        register_fonts()
        self.c = canvas.Canvas(fh, pagesize=A4, invariant=1)
        self.c.setTitle("地方科协深化改革工作试点申报书")
        self.invisible = invisible
        self.page = 1
        self.field_pages = {}
        self.lw = 0.8
        self.latin = None  # a Latin font for ASCII runs (digits, e-mail), as Word does with Times/Arial

    def fp(self, key):
        if key:
            lst = self.field_pages.setdefault(key, [])
            if self.page not in lst:
                lst.append(self.page)

    def text(self, x, y, s, font, size, field=None, colour=(0, 0, 0), align="left"):
        if not s:
            return
        self.fp(field)
        c = self.c
        runs = [[font, s]]
        if self.latin:
            runs = []
            for ch in s:
                fn = self.latin if (ord(ch) < 128 and ch != " ") else font
                if runs and runs[-1][0] == fn:
                    runs[-1][1] += ch
                else:
                    runs.append([fn, ch])
        if align != "left":
            wdt = sum(pdfmetrics.stringWidth(r, fn, size) for fn, r in runs)
            x = x - wdt if align == "right" else x - wdt / 2
        t = c.beginText()
        if self.invisible:
            t.setTextRenderMode(3)
        else:
            t.setFillColorRGB(*[v / 255 for v in colour])
        t.setTextOrigin(x, H - y)
        for fn, r in runs:
            t.setFont(fn, size)
            t.textOut(r)
        c.drawText(t)

    def line(self, x0, y0, x1, y1, width=None, colour=(0, 0, 0)):
        if self.invisible:
            return
        self.c.setLineWidth(width or self.lw)
        self.c.setStrokeColorRGB(*[v / 255 for v in colour])
        self.c.line(x0, H - y0, x1, H - y1)

    def rect(self, x0, y0, x1, y1, width=None):
        for a in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
            self.line(*a, width=width)

    def image(self, img, x, y, w, h):
        if self.invisible:
            return
        b = io.BytesIO()
        img.save(b, "PNG")
        b.seek(0)
        self.c.drawImage(ImageReader(b), x, H - y - h, w, h, mask="auto")

    def photo(self, img, x, y, w, h):
        if self.invisible:
            return
        b = io.BytesIO()
        img.convert("RGB").save(b, "JPEG", quality=80)
        b.seek(0)
        self.c.drawImage(ImageReader(b), x, H - y - h, w, h)

    def new_page(self):
        self.c.showPage()
        self.page += 1

    def save(self):
        self.c.showPage()
        self.c.save()


def wrap(s, font, size, width):
    out = []
    for para in s.split("\n"):
        cur = ""
        for ch in para:
            if pdfmetrics.stringWidth(cur + ch, font, size) > width and cur:
                if ch in "，。、；：）”！？":
                    cur += ch
                    out.append(cur)
                    cur = ""
                    continue
                out.append(cur)
                cur = ""
            cur += ch
        out.append(cur)
    return out


def sw(s, font, size):
    return pdfmetrics.stringWidth(s, font, size)


def random_layout(rng: random.Random):
    body = rng.choice(BODY_FONTS)
    return {
        "ml": rng.uniform(50, 85), "mr": rng.uniform(50, 80), "mt": rng.uniform(55, 85), "mb": rng.uniform(50, 75),
        "body": body, "label": rng.choice([body, body, "ZenHei", "ZenHeiMono"]),
        "title": rng.choice(["ZenHei", "ZenHeiSharp"]),
        "fs": rng.choice([10, 10.5, 11, 11.5, 12]), "row_h": rng.uniform(21, 27),
        "label_w": rng.uniform(74, 96), "lw": rng.choice([0.5, 0.7, 0.9, 1.1]),
        "side": rng.choice(["vertical", "horizontal", "vertical"]),
        "plan_split": rng.choice([(2, 1), (1, 2), (3, 0)]),
        "team_blank_rows": rng.randint(0, 4), "cover_annex": rng.random() < 0.6,
        "latin": rng.choice([None, None, "DejaVuSans", "DejaVuSerif", "DejaVuSansCondensed"]),
        "pad": rng.uniform(5, 9), "label_spaced": rng.random() < 0.5, "box_split": rng.uniform(0.47, 0.55),
        "sig_off": rng.uniform(40, 52), "date_off": rng.uniform(13, 20), "sig_indent": rng.choice([0, 0, 20, 60]),
        "seal_label_at": rng.uniform(0.6, 0.7), "cover_size": rng.choice([22, 24, 26]),
        "cover_w": rng.uniform(310, 350), "cover_gap": rng.uniform(40, 56),
        "cover_date": rng.choice(["2026年5月", "2026年6月", "二〇二六年五月", "年   月"]),
        "col_w": rng.choice([[0.13, 0.08, 0.15, 0.38, 0.26], [0.15, 0.09, 0.16, 0.33, 0.27], [0.12, 0.1, 0.17, 0.36, 0.25]]),
    }


def block_text_simple(d, x0, y, x1, s, font, fs, lead=1.8):
    for para in s.split("\n"):
        for ln in wrap("\u3000\u3000" + para, font, fs, x1 - x0):
            d.text(x0, y + fs, ln, font, fs)
            y += fs * lead
    return y
