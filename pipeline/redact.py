"""Blind-review copies of a submission: names, units and contacts really gone, not covered.

Covering text with a black rectangle, or deleting it from the content stream with structural
tools, is not redaction: the text survives in the file (FIELD-NOTES; pikepdf's docs say so).
So every page of a blind copy becomes a picture:

- a page with a text layer: the sensitive strings are found among the page's characters
  (pdfplumber; a string may span many characters and words, and a wrapped value continues on the
  next line), the page is rasterised at 150 dpi (pypdfium2), opaque boxes are painted over the
  strings, over red seals (a seal spells the unit's name) and right of 「（签章）：」 (a signed
  name), and the picture replaces the page;
- a scanned page (no usable text layer) among pages 1–3 is withheld and a notice page takes its
  place: in the official 申报书 these are the cover (申报单位、试点单位), the 填报说明 and the
  基本情况 table with both 负责人 blocks, signatures and seals — deciding by page number works
  even when OCR cannot read the page, and a form whose 基本情况 is a scanned signature page
  inserted into a typed form is caught too;
- a scanned page after page 3 is kept as a picture, with seals painted over and, when the OCR
  engine is installed, the words holding a sensitive string painted over too.

After redacting, the copy's text is extracted again (pdfplumber and pypdfium2) and checked:
a copy that still holds a sensitive string is refused (``RedactionFailed``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import DocumentError, KexieError, UnreadableDocument
from .text import fold

#: resolution of the pictures that replace redacted pages
REDACT_DPI = 150
#: a scanned page among these (1-based) is withheld in a blind copy
WITHHELD_SCAN_PAGES = (1, 2, 3)
#: the contact keys of both 负责人 blocks that identify the applicant
CONTACT_KEYS = ("姓名", "手机", "电子邮箱", "通讯地址", "传真", "办公电话")
PEOPLE_KEYS = ("姓名", "单位")
PEOPLE_TABLES = ("试点工作负责人", "主要参与团队")
#: values that mean "nothing filled in" (「如无内容请填“/”」, seed 004)
_EMPTY = {"", "/", "／", "无", "-", "—"}
_PAD = 1.5  # points of margin around a painted box
_SIGNATURE_LABEL = "签章):"
_SIGNATURE_REACH = (170.0, 22.0)  # points right of, and above/below, a 「（签章）：」 label
_MIN_TEXT_CHARS = 20
_UNMAPPED = re.compile(r"\(cid:\d+\)")


class RedactionFailed(KexieError):
    """A blind copy still holds a sensitive string; it is not written."""

    kind = "redaction"

    def __init__(self, path, leaks: list[str], where: str = "匿名副本"):
        self.path = Path(path) if path is not None else None
        self.leaks = leaks
        shown = "、".join(f"「{s}」" for s in leaks[:5])
        super().__init__(f"文件「{path}」的{where}去除申报单位信息后仍能读出 {shown}，"
                         "为防泄露未予写出；请检查该文件（如文字被拆成图形）后重试")


def short_forms(unit: str) -> list[str]:
    """Other names a unit goes by: 「苏州市科学技术协会」 is also 「苏州市科协」."""
    forms = []
    if "科学技术协会" in unit:
        forms.append(unit.replace("科学技术协会", "科协"))
    return forms


def sensitive_strings(fields: dict) -> list[str]:
    """Every string that identifies the applicant in a submission's extracted fields."""
    values: list[str] = []
    for key in ("申报单位", "试点单位"):
        unit = _text(fields.get(key))
        values += [unit] + short_forms(unit)
    for block in ("申报单位负责人", "试点单位负责人"):
        for key in CONTACT_KEYS:
            values.append(_text(fields.get(f"{block}.{key}")))
            nested = fields.get(block)
            if isinstance(nested, dict):
                values.append(_text(nested.get(key)))
    for table in PEOPLE_TABLES:
        for row in fields.get(table) or []:
            if isinstance(row, dict):
                for key in PEOPLE_KEYS:
                    value = _text(row.get(key))
                    values += [value] + (short_forms(value) if key == "单位" else [])
    out, seen = [], set()
    for value in values:
        folded = fold(value)
        if folded in _EMPTY or len(folded) < 2 or folded in seen:
            continue
        seen.add(folded)
        out.append(value.strip())
    return out


def _text(value) -> str:
    return "" if value is None or isinstance(value, (dict, list, bool)) else str(value)


def leaks(text: str, strings: list[str]) -> list[str]:
    """The strings of ``strings`` that can still be read in ``text`` (whitespace ignored)."""
    folded = fold(text)
    return [s for s in strings if fold(s) and fold(s) in folded]


# --- one submission --------------------------------------------------------------------------


@dataclass
class BlindCopy:
    """A redacted copy of one submission: the PDF bytes and what was done to it."""

    data: bytes
    pages: int
    painted: int = 0  # boxes painted over text, seals and signatures
    withheld: list[int] = field(default_factory=list)  # pages replaced by a notice
    scanned: list[int] = field(default_factory=list)  # pages without a usable text layer
    ocr: bool = False  # whether scanned pages after page 3 were read to paint names over


def blind_copy(path, strings: list[str], *, dpi: int = REDACT_DPI, ocr: bool = True) -> BlindCopy:
    """The submission at ``path`` with every page a redacted picture (see the module's rules)."""
    import pdfplumber
    import pikepdf
    import pypdfium2 as pdfium

    path = Path(path)
    needles = sorted({fold(s) for s in strings if fold(s)}, key=len, reverse=True)
    scale = dpi / 72.0
    out = pikepdf.Pdf.new()
    copy = BlindCopy(data=b"", pages=0)
    engine_ok = ocr and _ocr_available()
    try:
        plumber = pdfplumber.open(path)
        document = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfminer and pdfium raise many kinds on damaged files
        raise UnreadableDocument(path, f"PDF 无法打开，可能已损坏（{type(exc).__name__}）") from None
    try:
        if len(plumber.pages) != len(document):
            raise UnreadableDocument(path, "PDF 页数无法确定，文件可能已损坏")
        for number, (page, rendered) in enumerate(zip(plumber.pages, document), start=1):
            width, height = float(page.width), float(page.height)
            text_layer = _has_text_layer(page)
            if not text_layer:
                copy.scanned.append(number)
                if number in WITHHELD_SCAN_PAGES:
                    copy.withheld.append(number)
                    _append_notice(out, width, height)
                    page.close()
                    continue
            image = np.array(rendered.render(scale=scale).to_pil().convert("RGB"))
            boxes: list[tuple[float, float, float, float]] = []
            if text_layer and _mentions(page, rendered, needles):
                # Two independent finders: pdfplumber's characters (whitespace-blind) and
                # pdfium's own text search (what a viewer's search would find).
                boxes = _text_boxes(page, needles) + _pdfium_boxes(rendered, strings, height)
                straight = page.rotation % 360 == 0 and _same_box(page)
                if boxes and not straight:
                    # Page coordinates and the rendered picture may not line up: withhold it.
                    copy.withheld.append(number)
                    _append_notice(out, width, height)
                    page.close()
                    continue
            image_dpi = float(dpi)
            if not text_layer and engine_ok:
                image, image_dpi, words = _ocr_words(image, dpi, number)
                boxes = [w for w, text in words if any(n in fold(text) for n in needles)]
                copy.ocr = True
            boxes += _seal_boxes(image, image_dpi)
            _paint(image, boxes, image_dpi / 72.0)
            copy.painted += len(boxes)
            _append_picture(out, image, width, height)
            page.close()
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 — a damaged page must name the file, not crash the batch
        raise UnreadableDocument(path, f"生成匿名副本时页面无法读取（{type(exc).__name__}: {exc}）") from None
    finally:
        plumber.close()
        document.close()
    copy.pages = len(out.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    copy.data = buffer.getvalue()
    found = text_leaks(copy.data, strings)
    if found:
        raise RedactionFailed(path, found)
    return copy


def text_leaks(data: bytes, strings: list[str], *, plumber: bool = True) -> list[str]:
    """Sensitive strings still readable in a PDF's text, by pypdfium2 and (optionally) pdfplumber."""
    import pdfplumber
    import pypdfium2 as pdfium

    texts = []
    document = pdfium.PdfDocument(data)
    try:
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    if plumber:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                texts.append(page.extract_text() or "")
                page.close()
    return leaks("\n".join(texts), strings)


def _has_text_layer(page) -> bool:
    text = "".join(c["text"] for c in page.chars)
    if len(text.strip()) < _MIN_TEXT_CHARS:
        return False
    unmapped = sum(len(m) for m in _UNMAPPED.findall(text)) + text.count("\ufffd")
    return unmapped / len(text) <= 0.3


def _same_box(page) -> bool:
    """True when the rendered picture covers the same area as pdfplumber's coordinates."""
    media = [float(v) for v in page.mediabox]
    return all(abs(a - b) < 0.5 for a, b in zip(media, page.bbox)) and abs(media[0]) < 0.5 and abs(media[1]) < 0.5


def _text_boxes(page, needles: list[str]) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom in points) of every occurrence of every needle on the page.

    Characters are searched twice: in content-stream order (a value wrapped inside a table cell
    continues in the stream) and in reading order line by line (a value drawn out of order).
    """
    page = page.dedupe_chars(tolerance=1)  # fake bold draws each glyph twice (pdfplumber #992)
    chars = [c for c in page.chars if c.get("text")]
    orders = [chars]
    lines = page.extract_text_lines(return_chars=True, strip=True)
    orders.append([c for line in lines for c in line["chars"]])
    boxes = []
    for sequence in orders:
        text, owners = [], []
        for index, char in enumerate(sequence):
            for folded in fold(char["text"]):
                text.append(folded)
                owners.append(index)
        joined = "".join(text)
        for needle in needles:
            start = joined.find(needle)
            while start >= 0:
                hit = {owners[i] for i in range(start, start + len(needle))}
                boxes += [_char_box(sequence[i]) for i in sorted(hit)]
                start = joined.find(needle, start + 1)
        # A signed name sits right of 「（签章）：」 (ink, not text): paint that area too.
        start = joined.find(_SIGNATURE_LABEL)
        while start >= 0:
            last = sequence[owners[start + len(_SIGNATURE_LABEL) - 1]]
            reach_x, reach_y = _SIGNATURE_REACH
            boxes.append((float(last["x1"]), float(last["top"]) - reach_y,
                          min(float(page.width), float(last["x1"]) + reach_x), float(last["bottom"]) + reach_y))
            start = joined.find(_SIGNATURE_LABEL, start + 1)
    return boxes


def _collapse(text: str) -> str:
    """Runs of one character to one: fake bold (a glyph drawn twice) reads 「王王建建国国」."""
    return re.sub(r"(.)\1+", r"\1", text)


def _mentions(page, rendered, needles: list[str]) -> bool:
    """Whether the page may hold a needle (or a 「（签章）：」): a cheap test on the text of both
    readers, in stream and in reading order, so most body pages skip the character search."""
    textpage = rendered.get_textpage()
    try:
        texts = [textpage.get_text_range(), "".join(c["text"] for c in page.chars)]
    finally:
        textpage.close()
    wanted = needles + [_SIGNATURE_LABEL]
    for text in texts:
        folded = fold(text)
        collapsed = _collapse(folded)
        if any(n in folded or _collapse(n) in collapsed for n in wanted):
            return True
    return False


def _pdfium_boxes(page, strings: list[str], height: float) -> list[tuple[float, float, float, float]]:
    """Boxes of every occurrence pdfium's text search finds (PDF space turned to top-left)."""
    boxes = []
    textpage = page.get_textpage()
    try:
        for string in strings:
            for variant in {string.strip(), fold(string)}:
                if not variant:
                    continue
                searcher = textpage.search(variant, match_case=False)
                try:
                    hit = searcher.get_next()
                    while hit:
                        for i in range(textpage.count_rects(*hit)):
                            left, bottom, right, top = textpage.get_rect(i)
                            boxes.append((left, height - top, right, height - bottom))
                        hit = searcher.get_next()
                finally:
                    searcher.close()
    finally:
        textpage.close()
    return boxes


def _char_box(char) -> tuple[float, float, float, float]:
    return float(char["x0"]), float(char["top"]), float(char["x1"]), float(char["bottom"])


def _seal_boxes(image: np.ndarray, dpi: float) -> list[tuple[float, float, float, float]]:
    from .read.seals import find_seals

    return [(m.x0, m.top, m.x1, m.bottom) for m in find_seals(image, dpi)]


def _paint(image: np.ndarray, boxes, scale: float) -> None:
    height, width = image.shape[:2]
    for x0, top, x1, bottom in boxes:
        left = max(0, int((x0 - _PAD) * scale))
        right = min(width, int(np.ceil((x1 + _PAD) * scale)))
        upper = max(0, int((top - _PAD) * scale))
        lower = min(height, int(np.ceil((bottom + _PAD) * scale)))
        if right > left and lower > upper:
            image[upper:lower, left:right] = 0


def _ocr_available() -> bool:
    try:
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def _ocr_words(image: np.ndarray, dpi: float, number: int):
    """OCR a scanned page: (the straightened picture, its dpi, [(box in points, text)])."""
    from .read.scan import read_scan

    page = read_scan(image, dpi, number)
    words = [((w.x0, w.top, w.x1, w.bottom), w.text) for w in page.layout.words]
    # The boxes are measured on the straightened image, so that is the one to paint on.
    picture = page.image if page.image.ndim == 3 else np.stack([page.image] * 3, axis=-1)
    return np.ascontiguousarray(picture), float(page.dpi), words


def _append_picture(pdf, image: np.ndarray, width: float, height: float) -> None:
    """A page of ``width`` × ``height`` points showing ``image`` (JPEG) and nothing else."""
    import pikepdf
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=82, optimize=False)
    rows, cols = image.shape[:2]
    xobject = pikepdf.Stream(pdf, buffer.getvalue())
    xobject.Type = pikepdf.Name.XObject
    xobject.Subtype = pikepdf.Name.Image
    xobject.Width, xobject.Height = cols, rows
    xobject.ColorSpace = pikepdf.Name.DeviceRGB
    xobject.BitsPerComponent = 8
    xobject.Filter = pikepdf.Name.DCTDecode
    content = f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /Im0 Do Q".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, width, height],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobject)),
        Contents=pikepdf.Stream(pdf, content),
    )
    pdf.pages.append(pikepdf.Page(page))


def _append_notice(pdf, width: float, height: float) -> None:
    import pikepdf

    from .pdfpages import notice_pages

    notice = pikepdf.Pdf.open(io.BytesIO(notice_pages([(width, height)])))
    pdf.pages.append(notice.pages[0])
