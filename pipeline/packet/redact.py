"""Blind-review copies of a submission: names, units and contacts really gone, not covered.

Covering text with a black rectangle, or deleting it from the content stream with structural
tools, is not redaction: the text survives in the file (FIELD-NOTES; pikepdf's docs say so).
So every page of a blind copy becomes a picture. What must go is the form's to say
(``blind`` in its definition): the values of its ``redact`` keys, and units' 科协 short forms.

- a page with a text layer: the strings are found among the page's characters and by pdfium's
  search (:mod:`pipeline.read.search`), the page is rasterised at 150 dpi, opaque boxes are
  painted over the strings, over red seals (a seal spells the unit's name) and right of the
  signer's label (「（签章）：」: a signed name), and the picture replaces the page;
- a scanned page among the form's ``withhold_scanned_pages`` is withheld and a notice page takes
  its place: deciding by page number works even when OCR cannot read the page;
- any other scanned page is kept as a picture, with seals painted over and, when the OCR engine
  is installed, the words holding a string and the signer's area painted over too.

After redacting, each page on which something was painted is read again as a reader would, by
OCR of the very picture that goes into the copy (:func:`read_back`): a string still read there
(in a picture on the page, in text drawn as outlines, past the edge of a box) refuses the copy
(``RedactionReadBack``). Only the painted pages are read, to keep the cost bounded (bench/packet.py).
Then the copy's text is extracted again (pdfplumber and pypdfium2) and checked: a copy that
still holds a sensitive string is refused (``RedactionFailed``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import KexieError, RedactionFailed, RedactionReadBack, ToolMissing, UnreadableDocument
from ..forms import FormDefinition, flat_items, key_matches
from ..messages import readable
from ..read.search import pdf_text, search_pages
from ..text import fold
from .names import ALIASES, name_forms

#: resolution of the pictures that replace redacted pages
REDACT_DPI = 150
#: values that mean "nothing filled in" (「如无内容请填“/”」, seed 004)
_EMPTY = {"", "/", "／", "无", "-", "—"}
_PAD = 1.5  # points of margin around a painted box
_SIGNATURE_REACH = (170.0, 22.0)  # points right of, and above/below, a signer's label
_READ_PAD = 2  # pixels of margin around a line OCR reads back


def short_forms(unit: str) -> list[str]:
    """Other names a unit goes by: 「苏州市科学技术协会」 is also 「苏州市科协」 (the same unit, for
    the conflict rule; a blind copy paints more, :func:`pipeline.packet.names.name_forms`)."""
    return [unit.replace(full, short) for full, short in ALIASES if full in unit]



def sensitive_strings(fields: dict, form: FormDefinition) -> list[str]:
    """Every string that identifies the applicant: the values of the form's ``blind.redact`` keys
    (a nested block counts as its dotted keys; the team tables' names and units as the form
    declares them, ``*[].姓名``), each with the forms people write of it (``name_forms``: a
    unit's short names, its places, province and city)."""
    flat = {}
    for key, value in flat_items(fields):
        if isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    values: list[str] = []
    for key, value in flat.items():
        if isinstance(value, str) and any(key_matches(pattern, key) for pattern in form.blind.redact):
            values += name_forms(value)
    out, seen = [], set()
    for value in values:
        folded = fold(value)
        if folded in _EMPTY or len(folded) < 2 or folded in seen:
            continue
        seen.add(folded)
        out.append(value.strip())
    return out


def leaks(text: str, strings: list[str]) -> list[str]:
    """The strings of ``strings`` that can still be read in ``text`` (whitespace ignored)."""
    folded = fold(text)
    return [s for s in strings if fold(s) and fold(s) in folded]


@dataclass
class BlindCopy:
    """A redacted copy of one submission: the PDF bytes and what was done to it."""

    data: bytes
    pages: int
    painted: int = 0  # boxes painted over text, seals and signatures
    withheld: list[int] = field(default_factory=list)  # pages replaced by a notice
    scanned: list[int] = field(default_factory=list)  # pages without a usable text layer
    ocr: bool = False  # whether scanned pages after page 3 were read to paint names over
    read_back: list[int] = field(default_factory=list)  # painted pages OCR read again, to check



def blind_copy(path, strings: list[str], form: FormDefinition, *, dpi: int = REDACT_DPI,
               ocr: bool = True) -> BlindCopy:
    """The submission at ``path`` with every page a redacted picture (see the module's rules)."""
    import pikepdf

    path = Path(path)
    needles = sorted({fold(s) for s in strings if fold(s)}, key=len, reverse=True)
    signers = sorted({fold(label) for label in form.signer_labels if fold(label)}, key=len)
    out = pikepdf.Pdf.new()
    copy = BlindCopy(data=b"", pages=0)
    engine_ok = ocr and _ocr_available()
    if ocr and not engine_ok:
        raise ToolMissing("文字识别引擎 RapidOCR", "匿名评审须对涂去后的页面做文字识别复核；请运行 scripts/setup.sh 安装依赖后重试")
    try:
        with search_pages(path) as pages:
            for page in pages:
                if not page.text_layer:
                    copy.scanned.append(page.number)
                    if page.number in form.blind.withhold_scanned_pages:
                        copy.withheld.append(page.number)
                        _append_notice(out, page.width, page.height)
                        continue
                image = page.render(dpi)
                boxes: list[tuple[float, float, float, float]] = []
                if page.text_layer and page.mentions(needles + signers):
                    boxes = page.boxes(needles, strings) + page.after(signers, _SIGNATURE_REACH)
                    if boxes and not page.straight:
                        # Page coordinates and the rendered picture may not line up: withhold it.
                        copy.withheld.append(page.number)
                        _append_notice(out, page.width, page.height)
                        continue
                image_dpi = float(dpi)
                if not page.text_layer and engine_ok:
                    image, image_dpi, words = _ocr_words(image, dpi, page.number)
                    boxes = [box for box, text in words if any(n in fold(text) for n in needles)]
                    boxes += _after_words(words, signers)
                    copy.ocr = True
                boxes += _seal_boxes(image, image_dpi)
                _paint(image, boxes, image_dpi / 72.0)
                copy.painted += len(boxes)
                if boxes and engine_ok:
                    still = read_back(image, strings)
                    copy.read_back.append(page.number)
                    if still:
                        raise RedactionReadBack(path, page.number, still)
                _append_picture(out, image, page.width, page.height)
    except KexieError:  # the file's own problem, or the read-back's refusal: as it is
        raise
    except Exception as exc:  # noqa: BLE001 — a damaged page must name the file, not crash the batch
        raise UnreadableDocument(path, f"生成匿名副本时页面无法读取（{readable(exc)}）") from None
    copy.pages = len(out.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    copy.data = buffer.getvalue()
    found = text_leaks(copy.data, strings)
    if found:
        raise RedactionFailed(path, found)
    return copy


def read_back(image: np.ndarray, strings: list[str]) -> list[str]:
    """The strings of ``strings`` OCR still reads on a page picture, line by line.

    Lines are found on the picture at half its resolution (75 dpi finds 9-point print and costs
    a quarter of the time: bench/packet.py) and read at full resolution; a line that is mostly a
    painted box is not read.
    """
    import cv2

    from ..read.ocr import detect_lines, recognise

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    height, width = gray.shape
    small = cv2.resize(gray, (max(1, width // 2), max(1, height // 2)), interpolation=cv2.INTER_AREA)
    crops = []
    for quad in detect_lines(small):
        quad = quad * 2.0
        x0, y0 = np.maximum(np.floor(quad.min(axis=0)).astype(int) - _READ_PAD, 0)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int) + _READ_PAD
        crop = gray[y0:min(int(y1), height), x0:min(int(x1), width)]
        if crop.shape[0] >= 4 and crop.shape[1] >= 4 and (crop > 0).mean() > 0.3:
            crops.append(crop)
    found: list[str] = []
    for text, _ in recognise(crops):
        found += [s for s in leaks(text, strings) if s not in found]
    return found


def text_leaks(data: bytes, strings: list[str], *, plumber: bool = True) -> list[str]:
    """Sensitive strings still readable in a PDF's text, by pypdfium2 and (optionally) pdfplumber."""
    return leaks(pdf_text(data, plumber=plumber), strings)


def _after_words(words, signers: list[str]) -> list[tuple[float, float, float, float]]:
    """On a scanned page, the area right of an OCR word's signer label (the word may have taken
    the scribble too: the area starts where the label's characters end in the word)."""
    reach_x, reach_y = _SIGNATURE_REACH
    boxes = []
    for (x0, top, x1, bottom), text in words:
        folded = fold(text)
        for label in signers:
            at = folded.find(label)
            if at >= 0:
                end = x0 + (x1 - x0) * (at + len(label)) / max(len(folded), 1)
                boxes.append((end, top - reach_y, end + reach_x, bottom + reach_y))
                break
    return boxes


def _seal_boxes(image: np.ndarray, dpi: float) -> list[tuple[float, float, float, float]]:
    from ..read.seals import find_seals

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
    from ..read.scan import read_scan

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

    from .pages import notice_pages

    notice = pikepdf.Pdf.open(io.BytesIO(notice_pages([(width, height)])))
    pdf.pages.append(notice.pages[0])

