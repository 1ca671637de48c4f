"""The pages kexie draws itself for a review packet: cover, 目录, 评分表, 汇总表, notices, watermark.

Everything here is drawn with reportlab and returned as PDF bytes; ``pipeline.packet`` splices
the pages into the packet with pikepdf. Chinese text needs a TrueType CJK font: reportlab cannot
use the CFF-based Noto CJK collections, so the font comes from fonts-wqy-zenhei (or
fonts-arphic-uming), embedded as a subset so every viewer shows the same characters.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from ..errors import ToolMissing

A4 = (595.2756, 841.8898)
#: TrueType CJK fonts reportlab can embed, first found wins: (path, face index in the collection)
CJK_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", None),
)
FONT = "KexieCJK"
#: 目录 and 汇总表 rows per page
CONTENTS_ROWS = 30
SUMMARY_ROWS = 25
CONFIDENTIAL = ("本材料仅供评审专家本人使用，不得复制、外传或用于评审以外的任何用途；"
                "评审结束后请将纸质材料交回组织单位或予以销毁，电子文件请予删除。")
WITHHELD = "本页含可识别单位或个人的信息，匿名评审中不予提供"

_registered = False


def cjk_font() -> str:
    """Register the embeddable CJK font once per process and return its reportlab name."""
    global _registered
    if _registered:
        return FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index in CJK_FONTS:
        if Path(path).is_file():
            kwargs = {"subfontIndex": index} if index is not None else {}
            pdfmetrics.registerFont(TTFont(FONT, path, **kwargs))
            _registered = True
            return FONT
    raise ToolMissing("TrueType 中文字体", "请安装 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei，"
                                         "或运行 scripts/setup.sh）后重试")


def _canvas(buffer, size=A4):
    from reportlab.pdfgen import canvas

    cjk_font()
    # invariant: no creation date or random ID, so the same inputs give the same bytes
    return canvas.Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)


def _fit(c, text: str, size: float, width: float) -> float:
    """The font size (at most ``size``) at which ``text`` fits in ``width`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    measured = stringWidth(text, FONT, size)
    return size if measured <= width else max(6.0, size * width / measured)


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break Chinese text into lines of at most ``width`` points (any character may end a line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for char in text:
        if char == "\n":
            lines.append(line)
            line = ""
            continue
        if stringWidth(line + char, FONT, size) > width and line:
            lines.append(line)
            line = ""
        line += char
    if line:
        lines.append(line)
    return lines


def _box(c, x, y, w, h, text="", size=10.5, align="center"):
    c.rect(x, y, w, h, stroke=1, fill=0)
    if text:
        size = _fit(c, text, size, w - 6)
        c.setFont(FONT, size)
        baseline = y + (h - size) / 2 + size * 0.15
        if align == "center":
            c.drawCentredString(x + w / 2, baseline, text)
        else:
            c.drawString(x + 4, baseline, text)


# --- the front matter and the 汇总表 of one expert's packet ----------------------------------


def contents_page_count(entries: int) -> int:
    return max(1, math.ceil(entries / CONTENTS_ROWS))


def summary_page_count(rows: int) -> int:
    return max(1, math.ceil(rows / SUMMARY_ROWS))


def front_and_summary(*, programme: str, issuer: str, group: str, expert: str, date: str,
                      blind: bool, contents: list[tuple[str, str, int]],
                      summary: list[tuple[str, str]], criteria: list[dict]) -> bytes:
    """Cover, 目录 pages, then 汇总表 pages, as one PDF.

    ``contents`` holds (title, page label, physical page number) per line; ``summary`` holds
    (编号, 名称) per submission.
    """
    buffer = io.BytesIO()
    c = _canvas(buffer)
    _cover(c, programme, issuer, group, expert, date, blind)
    _contents(c, contents)
    _summary(c, programme, group, expert, summary, criteria)
    c.save()
    return buffer.getvalue()


def _cover(c, programme, issuer, group, expert, date, blind):
    width, height = A4
    c.setFont(FONT, _fit(c, programme, 24, width - 120))
    c.drawCentredString(width / 2, height - 200, programme)
    c.setFont(FONT, 30)
    c.drawCentredString(width / 2, height - 260, "专家评审材料")
    if blind:
        c.setFont(FONT, 14)
        c.drawCentredString(width / 2, height - 295, "（匿名评审）")
    c.setFont(FONT, 16)
    y = height - 400
    for label, value in (("评审组别", group), ("评审专家", expert), ("发放日期", date)):
        c.drawString(170, y, f"{label}：")
        c.drawString(260, y, value)
        c.line(255, y - 4, 430, y - 4)
        y -= 40
    if issuer:
        c.setFont(FONT, 14)
        c.drawCentredString(width / 2, 190, issuer)
    c.setStrokeColorRGB(0.7, 0, 0)
    c.setFillColorRGB(0.7, 0, 0)
    c.rect(60, 80, width - 120, 80, stroke=1, fill=0)
    c.setFont(FONT, 18)
    c.drawString(72, 136, "保  密")
    c.setFont(FONT, 10.5)
    y = 138
    for line in _wrap(CONFIDENTIAL, 10.5, width - 200):
        c.drawString(140, y, line)
        y -= 15
    c.setFillColorRGB(0, 0, 0)
    c.setStrokeColorRGB(0, 0, 0)
    c.showPage()


def _contents(c, contents):
    width, height = A4
    pages = contents_page_count(len(contents))
    for index in range(pages):
        c.setFont(FONT, 20)
        c.drawCentredString(width / 2, height - 90, "目  录" if index == 0 else "目  录（续）")
        c.setFont(FONT, 12)
        y = height - 140
        for title, label, number in contents[index * CONTENTS_ROWS:(index + 1) * CONTENTS_ROWS]:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            if stringWidth(title, FONT, 12) > 330:
                while title and stringWidth(title + "…", FONT, 12) > 330:
                    title = title[:-1]
                title += "…"
            c.setFont(FONT, 12)
            c.drawString(72, y, title)
            c.drawRightString(width - 72, y, str(number))
            c.setFont(FONT, 8)
            c.setFillColorRGB(0.45, 0.45, 0.45)
            c.drawRightString(width - 100, y, label)  # the page label a viewer shows
            c.setFillColorRGB(0, 0, 0)
            c.setDash(1, 3)
            c.line(72 + stringWidth(title, FONT, 12) + 8, y + 2,
                   width - 106 - stringWidth(label, FONT, 8), y + 2)
            c.setDash()
            y -= 21
        c.showPage()


def _summary(c, programme, group, expert, summary, criteria):
    width, height = A4
    pages = summary_page_count(len(summary))
    names = [str(k["名称"]) for k in criteria]
    left, right = 50, width - 50
    code_w, name_w = 48, 150
    rest = right - left - code_w - name_w
    col_w = rest / (len(names) + 1)
    row_h = 22
    for index in range(pages):
        c.setFont(FONT, 18)
        c.drawCentredString(width / 2, height - 70, "评分汇总表" if index == 0 else "评分汇总表（续）")
        c.setFont(FONT, 10.5)
        c.drawString(left, height - 100, f"评审组别：{group}    评审专家：{expert}")
        y = height - 140
        heads = ["编号", "申报材料"] + [f"{n}（{_weight(k)}）" for n, k in zip(names, criteria)] + ["总分"]
        widths = [code_w, name_w] + [col_w] * (len(names) + 1)
        x = left
        for head, w in zip(heads, widths):
            _box(c, x, y, w, row_h, head, 9)
            x += w
        for code, name in summary[index * SUMMARY_ROWS:(index + 1) * SUMMARY_ROWS]:
            y -= row_h
            x = left
            for text, w in zip([code, name] + [""] * (len(names) + 1), widths):
                _box(c, x, y, w, row_h, text, 9, align="left" if w == name_w else "center")
                x += w
        c.setFont(FONT, 10.5)
        c.drawString(left, 90, "评审专家（签名）：")
        c.drawString(right - 170, 90, "日期：      年    月    日")
        c.showPage()


def _weight(criterion: dict) -> str:
    value = criterion.get("权重", "")
    return f"{value:g}%" if isinstance(value, (int, float)) else str(value)


# --- one 评分表 per submission ----------------------------------------------------------------


def score_pages(titles: list[str], criteria: list[dict]) -> bytes:
    """One 评分表 page per title, each listing the criteria, weights and blank score boxes."""
    width, height = A4
    buffer = io.BytesIO()
    c = _canvas(buffer)
    left, right = 60, width - 60
    widths = [90, 60, 60, 80, right - left - 290]
    for title in titles:
        c.setFont(FONT, 18)
        c.drawCentredString(width / 2, height - 80, "评  分  表")
        c.setFont(FONT, _fit(c, title, 12, right - left))
        c.drawCentredString(width / 2, height - 108, title)
        y = height - 160
        x = left
        for head, w in zip(("评审标准", "权重", "满分", "得分", "评分要点"), widths):
            _box(c, x, y, w, 26, head, 11)
            x += w
        for criterion in criteria:
            note = str(criterion.get("说明") or "")
            lines = _wrap(note, 9, widths[4] - 8) or [""]
            row_h = max(40, 14 * len(lines) + 12)
            y -= row_h
            x = left
            maximum = criterion.get("满分") if criterion.get("满分") is not None else 100
            for text, w in zip((str(criterion["名称"]), _weight(criterion), f"{maximum:g}", ""), widths):
                _box(c, x, y, w, row_h, text, 11)
                x += w
            c.rect(x, y, widths[4], row_h)
            c.setFont(FONT, 9)
            line_y = y + row_h - 16
            for line in lines:
                c.drawString(x + 4, line_y, line)
                line_y -= 14
        y -= 30
        _box(c, left, y, sum(widths[:3]), 30, "加权总分（满分100）", 11)
        _box(c, left + sum(widths[:3]), y, sum(widths[3:]), 30)
        y -= 150
        c.rect(left, y, right - left, 140)
        c.setFont(FONT, 11)
        c.drawString(left + 6, y + 122, "评审意见：")
        c.drawString(left, y - 40, "评审专家（签名）：")
        c.drawString(right - 170, y - 40, "日期：      年    月    日")
        c.setFont(FONT, 9)
        c.drawString(left, y - 70, "各项得分在0至满分之间；加权总分 = Σ（得分 ÷ 满分 × 权重）。")
        c.showPage()
    c.save()
    return buffer.getvalue()


# --- notices and the watermark ---------------------------------------------------------------


def notice_pages(sizes: list[tuple[float, float]], text: str = WITHHELD) -> bytes:
    """One page per size saying the original page is withheld (匿名评审)."""
    buffer = io.BytesIO()
    c = _canvas(buffer)
    for width, height in sizes:
        c.setPageSize((width, height))
        c.setFont(FONT, _fit(c, text, 18, width - 80))
        c.drawCentredString(width / 2, height / 2, text)
        c.rect(30, 30, width - 60, height - 60)
        c.showPage()
    c.save()
    return buffer.getvalue()


def watermark_pages(expert: str, sizes: list[tuple[float, float]], date: str = "") -> bytes:
    """One transparent overlay page per size: the expert's name, diagonal, light grey."""
    buffer = io.BytesIO()
    c = _canvas(buffer)
    text = f"{expert} 评审专用"
    small = f"{expert}  {date}".strip()
    for width, height in sizes:
        c.setPageSize((width, height))
        c.saveState()
        c.setFillColorRGB(0.55, 0.55, 0.55)
        c.setFillAlpha(0.22)
        c.translate(width / 2, height / 2)
        angle = math.degrees(math.atan2(height, width))
        c.rotate(angle)
        diagonal = math.hypot(width, height)
        c.setFont(FONT, _fit(c, text, 54, diagonal * 0.6))
        c.drawCentredString(0, -18, text)
        c.setFont(FONT, 16)
        for offset in (-diagonal * 0.3, diagonal * 0.3):
            c.drawCentredString(offset, -height * 0.28, small)
            c.drawCentredString(offset, height * 0.25, small)
        c.restoreState()
        c.showPage()
    c.save()
    return buffer.getvalue()
