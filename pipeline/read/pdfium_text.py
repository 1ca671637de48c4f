"""The text layer read fast, with pypdfium2, exactly as pdfplumber would read it.

pdfminer (under pdfplumber) interprets content streams in Python, about 0.05 s a page; pdfium
does it in C. This reading reproduces pdfplumber's chars (pdfminer's boxes: the origin, the
advance width, the font descriptor's descent and the font size), its fake-bold dedupe, its word
splitting and its edges (pdfminer's line / rect / curve split of each subpath), so both readings
give the same PageLayout. Whatever it cannot reproduce exactly (rotated pages or text, a cropped
page, fonts without a plain descriptor, unmapped glyphs, pages with hardly any text), it
declines, and that page is read with pdfplumber (:mod:`pipeline.read.textlayer`).
"""

from __future__ import annotations

import pypdfium2 as pdfium

from .classify import needs_ocr
from .page import PageLayout
from .textlayer import cells_from_edges, read_text_page
from .words import dedupe, words_of


class _Decline(Exception):
    """This page is not one the fast reading reproduces exactly: read it with pdfplumber."""


def read_text_page_fast(pdfium_page, page, number: int) -> PageLayout | None:
    """Like :func:`read_text_page`, from pdfium; falls back to pdfplumber where it must."""
    layout = read_with_pdfium(pdfium_page, page, number)
    return layout if layout is not None else read_text_page(page, number)


def read_with_pdfium(pdfium_page, page, number: int) -> PageLayout | None:
    """The pdfium reading of a text page; None where it declines to (see the module's rules)."""
    try:
        return _read_fast(pdfium_page, page, number)
    except (_Decline, pdfium.PdfiumError):
        return None


def _read_fast(pdfium_page, page, number: int) -> PageLayout:
    import pypdfium2.raw as raw

    if pdfium_page.get_rotation() % 360:
        raise _Decline
    left, low, right, high = pdfium_page.get_mediabox()
    if left or low or pdfium_page.get_cropbox() != (left, low, right, high):
        raise _Decline
    width, height = float(page.width), float(page.height)
    if abs(width - (right - left)) > 0.01 or abs(height - (high - low)) > 0.01:
        raise _Decline
    textpage = pdfium_page.get_textpage()
    try:
        chars = _fast_chars(raw, textpage, page, height)
    finally:
        textpage.close()
    if needs_ocr("".join(c[0] for c in chars), _image_area(raw, pdfium_page) / (width * height)):
        raise _Decline  # a picture with hardly any text: the careful reading decides
    words = words_of(dedupe(chars))
    edges = _fast_edges(raw, pdfium_page, height)
    return PageLayout(number=number, width=width, height=height, words=words,
                      cells=cells_from_edges(edges), source="text")


def _font_descents(page) -> dict[str, float]:
    """pdfminer's descent (font units / 1000) of each font on the page, by BaseFont name."""
    from pdfminer.pdftypes import resolve1

    fonts = resolve1((page.page_obj.resources or {}).get("Font")) or {}
    descents = {}
    for spec in fonts.values():
        spec = resolve1(spec)
        if not isinstance(spec, dict):
            continue
        base = resolve1(spec.get("BaseFont"))
        subtype = resolve1(spec.get("Subtype"))
        name = getattr(base, "name", None)
        if isinstance(name, str) and len(name) > 7 and name[6] == "+":
            name = name[7:]  # pdfium names fonts without the subset tag
        if name is None or getattr(subtype, "name", None) == "Type3":
            continue
        if getattr(subtype, "name", None) == "Type0":
            descendants = resolve1(spec.get("DescendantFonts")) or []
            spec = resolve1(descendants[0]) if descendants else {}
        descriptor = resolve1(spec.get("FontDescriptor")) if isinstance(spec, dict) else None
        if not isinstance(descriptor, dict):
            continue  # standard-14 metrics: pdfminer has its own table; decline
        descent = resolve1(descriptor.get("Descent", 0))
        if not isinstance(descent, (int, float)):
            continue
        descent = -abs(descent) / 1000.0
        if descents.setdefault(name, descent) != descent:
            descents[name] = None  # two fonts of one name that differ: decline
    return descents


def _fast_chars(raw, textpage, page, height: float) -> list[tuple]:
    """(text, x0, top, x1, bottom, font, size) of every real (not generated) character."""
    import ctypes

    descents = _font_descents(page)
    objects: dict[int, tuple] = {}
    widths: dict[tuple, float] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    size_c, width_c = ctypes.c_float(), ctypes.c_float()
    matrix = raw.FS_MATRIX()
    loose = raw.FS_RECTF()
    ink_left, ink_right = ctypes.c_double(), ctypes.c_double()
    ink_bottom, ink_top = ctypes.c_double(), ctypes.c_double()
    name_buffer = ctypes.create_string_buffer(256)
    chars = []
    count = raw.FPDFText_CountChars(textpage)
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    page_text = buffer.raw[:2 * max(0, written - 1)].decode("utf-16-le", "surrogatepass")
    if len(page_text) != count:
        raise _Decline
    for i, text in enumerate(page_text):
        code = ord(text)
        if (code <= 0x20 or text.isspace()) and raw.FPDFText_IsGenerated(textpage, i):
            continue  # pdfium's own spaces and line breaks: not in the content stream
        if (code in (0, 0xFFFD, 0xFFFE) or 0xD800 <= code <= 0xDFFF
                or raw.FPDFText_HasUnicodeMapError(textpage, i)):
            raise _Decline  # unmapped glyphs or surrogate pairs: pdfplumber's (cid:) rule decides
        obj = raw.FPDFText_GetTextObject(textpage, i)
        if not obj:
            raise _Decline
        key = ctypes.cast(obj, ctypes.c_void_p).value
        info = objects.get(key)
        if info is None:
            if not raw.FPDFPageObj_GetMatrix(obj, matrix) or not raw.FPDFTextObj_GetFontSize(obj, size_c):
                raise _Decline
            if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
                raise _Decline  # rotated, mirrored or skewed text
            font = raw.FPDFTextObj_GetFont(obj)
            length = raw.FPDFFont_GetBaseFontName(font, name_buffer, len(name_buffer)) if font else 0
            if not length or length > len(name_buffer):
                raise _Decline
            name = name_buffer.raw[:length - 1].decode("latin-1")
            descent = descents.get(name)
            if descent is None:
                raise _Decline
            info = objects[key] = (font, ctypes.cast(font, ctypes.c_void_p).value, size_c.value,
                                   matrix.a, matrix.d, descent, name)
        font, font_key, size, a, d, descent, name = info
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        x0 = x.value
        # pdfminer's advance is the font's width of the char code. pdfium's loose box is the
        # advance box united with the glyph's ink box, so its right side is the advance unless
        # the ink overhangs it; then ask the font for the width of the (unicode) character.
        raw.FPDFText_GetLooseCharBox(textpage, i, loose)
        advance = widths.get((font_key, code, size))
        if advance is None:
            if not raw.FPDFFont_GetGlyphWidth(font, code, size, width_c):
                raise _Decline
            advance = widths[(font_key, code, size)] = width_c.value
        x1 = x0 + advance * a
        if abs(x1 - loose.right) > 0.01:
            raw.FPDFText_GetCharBox(textpage, i, ink_left, ink_right, ink_bottom, ink_top)
            if loose.right - ink_right.value > 1e-3:
                x1 = loose.right  # the ink stays inside: the loose box is the advance box
            elif x1 > loose.right + 0.01:
                raise _Decline  # the font's width of the unicode is not this glyph's
        lower = y.value + descent * size * d
        chars.append((text, x0, height - (lower + size * d), x1, height - lower,
                      font_key, round(size * d, 4)))
    return chars


def _image_area(raw, pdfium_page) -> float:
    """Area of the page's images (pdfplumber's ``page.images``), forms included."""
    import ctypes

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    area = 0.0

    def visit(obj):
        nonlocal area
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, j))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE and raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            area += max(0.0, (right.value - left.value) * (top.value - bottom.value))

    for index in range(raw.FPDFPage_CountObjects(pdfium_page.raw)):
        visit(raw.FPDFPage_GetObject(pdfium_page.raw, index))
    return area


def _fast_edges(raw, pdfium_page, height: float) -> list[dict]:
    """pdfplumber's ``page.edges``: lines, then rectangle sides, then curve segments."""
    import ctypes

    lines: list[dict] = []
    rects: list[dict] = []
    curves: list[dict] = []
    fx, fy = ctypes.c_float(), ctypes.c_float()
    matrix = raw.FS_MATRIX()

    def visit(obj, outer):
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            return
        if not raw.FPDFPageObj_GetMatrix(obj, matrix):
            raise _Decline
        m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, j), m)
            return
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, fill, stroke)
        if not fill.value and not stroke.value:
            return  # pdfminer paints nothing for "n"
        a, b, c, d, e, f = m
        path: list[tuple[str, tuple[float, float]]] = []
        start = None
        for j in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, j)
            raw.FPDFPathSegment_GetPoint(segment, fx, fy)
            px, py = fx.value, fy.value
            point = (a * px + c * py + e, height - (b * px + d * py + f))
            kind_j = raw.FPDFPathSegment_GetType(segment)
            if kind_j == raw.FPDF_SEGMENT_MOVETO:
                path.append(("m", point))
                start = point
            elif kind_j == raw.FPDF_SEGMENT_LINETO:
                if raw.FPDFPathSegment_GetClose(segment) and point == start:
                    path.append(("h", point))  # pdfium turns "h" into a line back to the start
                    continue
                path.append(("l", point))
            elif kind_j == raw.FPDF_SEGMENT_BEZIERTO:
                path.append(("c", point))  # three points each; only the last is pdfminer's
            else:
                raise _Decline
            if raw.FPDFPathSegment_GetClose(segment):
                path.append(("h", start))
        _paint(_bezier_ops(path), lines, rects, curves)

    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for index in range(raw.FPDFPage_CountObjects(pdfium_page.raw)):
        visit(raw.FPDFPage_GetObject(pdfium_page.raw, index), identity)
    return lines + rects + curves


def _compose(inner, outer):
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _bezier_ops(path):
    """pdfium gives a curve as three BEZIERTO points; pdfminer keeps one "c" op per curve."""
    ops, pending = [], 0
    for op, point in path:
        if op == "c":
            pending += 1
            if pending == 3:
                ops.append(("c", point))
                pending = 0
            continue
        if pending:
            raise _Decline
        ops.append((op, point))
    if pending:
        raise _Decline
    return ops


def _paint(path, lines, rects, curves) -> None:
    """pdfminer's ``paint_path`` (one object per subpath) turned into pdfplumber's edges."""
    subpaths, current = [], []
    for op, point in path:
        if op == "m" and current:
            subpaths.append(current)
            current = []
        if op != "m" and not current:
            return  # pdfminer ignores a path that does not start with m
        current.append((op, point))
    if current:
        subpaths.append(current)
    for sub in subpaths:
        shape = "".join(op for op, _ in sub)
        pts = [point for _, point in sub]
        pts = [sub[0][1] if op == "h" else p for (op, _), p in zip(sub, pts)]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            (x0, y0), (x1, y1) = pts[0], pts[1]
            top, bottom = min(y0, y1), max(y0, y1)
            lines.append({"x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": bottom,
                          "width": abs(x1 - x0), "height": bottom - top, "object_type": "line",
                          "orientation": "h" if top == bottom else "v"})
        elif shape in ("mlllh", "mllll") and pts[0] == pts[4] and (
                (pts[0][0] == pts[1][0] and pts[1][1] == pts[2][1] and pts[2][0] == pts[3][0]
                 and pts[3][1] == pts[0][1])
                or (pts[0][1] == pts[1][1] and pts[1][0] == pts[2][0] and pts[2][1] == pts[3][1]
                    and pts[3][0] == pts[0][0])):
            xs, ys = (pts[0][0], pts[2][0]), (pts[0][1], pts[2][1])
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
            for edge in ((x0, x1, top, top, "h"), (x0, x1, bottom, bottom, "h"),
                         (x0, x0, top, bottom, "v"), (x1, x1, top, bottom, "v")):
                rects.append({"x0": edge[0], "x1": edge[1], "top": edge[2], "bottom": edge[3],
                              "width": edge[1] - edge[0], "height": edge[3] - edge[2],
                              "object_type": "rect_edge", "orientation": edge[4]})
        else:
            for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                curves.append({"x0": min(x0, x1), "x1": max(x0, x1), "top": min(y0, y1),
                               "bottom": max(y0, y1), "width": abs(x0 - x1), "height": abs(y0 - y1),
                               "object_type": "curve_edge",
                               "orientation": "v" if x0 == x1 else ("h" if y0 == y1 else None)})

