"""Where things are on the typed PDF the generator made: the two 意见 boxes (rules, the
「…负责人（签章）：」 and 「（单位公章）」 labels, the date line, the signer's area between the
labels), the pages each field's value is printed on, and the words of a page (for the
invisible text of sandwich pages). Coordinates are PDF points from the page's top-left."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MM = 72 / 25.4

SIGN_RE = r"(申报|试点)单位负责人\s*[（(]\s*签\s*章\s*[）)]\s*[：:]?"
SEAL_RE = r"[（(]\s*单\s*位\s*公\s*章\s*[）)]"
DATE_RE = r"(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)|(年\s+月\s+日)"
HEAD_RE = r"(申报|试点)单位意见"


@dataclass
class Rect:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2

    def as_list(self, digits: int = 1) -> list[float]:
        return [round(v, digits) for v in (self.x0, self.top, self.x1, self.bottom)]


@dataclass
class Box:
    """One 意见 box on the page holding its signer's line."""

    whose: str  # 申报单位意见 | 试点单位意见
    page: int  # 1-based
    rect: Rect
    sign: Rect  # 「…负责人（签章）：」
    seal: Rect | None  # 「（单位公章）」
    date: Rect | None  # the date or 「年 月 日」 under the labels
    page_size: tuple[float, float] = (595.3, 841.9)
    extra: dict = field(default_factory=dict)

    @property
    def signer_area(self) -> Rect:
        """Between the end of 「（签章）：」 and the start of 「（单位公章）」, a line and a half
        high around the labels' line."""
        line = self.sign.height
        right = self.seal.x0 if self.seal else self.sign.x1 + 30 * MM
        return Rect(self.sign.x1, max(self.rect.top, self.sign.top - 1.2 * line), right,
                    min(self.rect.bottom, self.sign.bottom + 0.6 * line))


def _rect(d: dict) -> Rect:
    return Rect(float(d["x0"]), float(d["top"]), float(d["x1"]), float(d["bottom"]))


def find_boxes(pdf_path: Path, pages: list[int] | None = None) -> dict[str, Box]:
    """The 意见 boxes, found from the signer labels and the horizontal rules around them.
    ``pages``: 1-based pages to look at (all when None)."""
    import pdfplumber

    boxes: dict[str, Box] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if pages is not None and number not in pages:
                continue
            signs = page.search(SIGN_RE, regex=True)
            if not signs:
                continue
            seals = [_rect(s) for s in page.search(SEAL_RE, regex=True)]
            dates = [_rect(s) for s in page.search(DATE_RE, regex=True)]
            rules = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 150]
            for s in signs:
                sign = _rect(s)
                whose = s["text"][:2] + "单位意见"
                above = [e["top"] for e in rules if e["top"] < sign.top - 1]
                below = [e["top"] for e in rules if e["top"] > sign.bottom + 1]
                top = max(above, default=25 * MM)
                bottom = min(below, default=float(page.height) - 25 * MM)
                near = [e for e in rules if abs(e["top"] - top) < 1.5 or abs(e["top"] - bottom) < 1.5] or rules
                x0 = min((e["x0"] for e in near), default=20 * MM)
                x1 = max((e["x1"] for e in near), default=float(page.width) - 20 * MM)
                seal = min((r for r in seals if abs(r.top - sign.top) < sign.height),
                           key=lambda r: r.x0, default=None)
                date = min((r for r in dates if sign.bottom - 2 < r.top < bottom),
                           key=lambda r: r.top, default=None)
                boxes[whose] = Box(whose, number, Rect(x0, top, x1, bottom), sign, seal, date,
                                   (float(page.width), float(page.height)))
    return boxes


def stacked(boxes: dict[str, Box]) -> bool:
    """Both boxes on one page, the second right under the first (one rule between them)."""
    a, b = boxes.get("申报单位意见"), boxes.get("试点单位意见")
    return bool(a and b and a.page == b.page and abs(a.rect.bottom - b.rect.top) < 2)


def disc_share(rect: Rect, cx: float, cy: float, r: float) -> float:
    """Share of a disc's area inside the rectangle."""
    g = np.linspace(-1, 1, 101)
    xs, ys = np.meshgrid(cx + r * g, cy + r * g)
    disc = (xs - cx) ** 2 + (ys - cy) ** 2 <= r * r
    inside = (xs >= rect.x0) & (xs <= rect.x1) & (ys >= rect.top) & (ys <= rect.bottom)
    return float((disc & inside).sum() / disc.sum())


def rect_share(rect: Rect, other: Rect) -> float:
    """Share of ``other``'s area inside ``rect``."""
    w = max(0.0, min(rect.x1, other.x1) - max(rect.x0, other.x0))
    h = max(0.0, min(rect.bottom, other.bottom) - max(rect.top, other.top))
    area = max(1e-6, other.width * other.height)
    return w * h / area


# --- text of the pages ------------------------------------------------------------------------


def fold(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def page_texts(pdf_path: Path) -> list[str]:
    """The text of every page (pdfium: fast), whitespace removed."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            out.append(fold(tp.get_text_range()))
            tp.close()
            page.close()
        return out
    finally:
        doc.close()


def field_pages(fields: dict, texts: list[str], home: int) -> dict[str, list[int]]:
    """The 1-based pages each field's value is printed on, the page it is read from first: a
    short value printed on ``home`` (the 基本情况 page, e.g. 试点单位, also on the cover) lists
    home first. A blank, "/" or a value too short to find is placed on ``home`` unless its key
    is printed elsewhere; a long text on every page holding a piece of it; a table on the
    pages of its rows."""
    out: dict[str, list[int]] = {}

    def where(value: str) -> list[int]:
        value = fold(value)
        if len(value) < 2:
            return []
        pieces = [value] if len(value) <= 24 else [value[i:i + 16] for i in range(0, len(value) - 15, 16)]
        return [n for n, text in enumerate(texts, 1) if any(p in text for p in pieces)]

    for key, value in fields.items():
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, list):
            found = sorted({n for row in value for n in where(str(row.get("姓名", ""))
                                                             + str(row.get("性别", "")))})
            out[key] = found or [n for n, t in enumerate(texts, 1) if key in t][:1] or [home]
            continue
        pages = where(str(value))
        if home in pages and len(fold(str(value))) <= 24:  # a short value: its cell on 基本情况 first
            pages = [home] + [n for n in pages if n != home]
        if not pages:
            label = key.split(".")[0]
            pages = [n for n, t in enumerate(texts, 1) if label in t][:1] if "." not in key else [home]
        out[key] = pages or [home]
    for key in fields:  # marks: the 意见 box's page
        if key.endswith((".签章", ".公章")):
            out[key] = out.get(key.split(".")[0], [home])[:1] or [home]
    return out


def page_words(pdf_path: Path, number: int) -> list[dict]:
    """The words (runs of characters on one line) of a page, with their boxes and font size."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[number - 1]
        words = page.extract_words(keep_blank_chars=False, use_text_flow=True, extra_attrs=["size"])
    return [{"text": w["text"], "x0": w["x0"], "top": w["top"], "x1": w["x1"], "bottom": w["bottom"],
             "size": w["size"]} for w in words]
