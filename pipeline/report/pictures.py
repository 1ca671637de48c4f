"""A picture of the page area a problem is about: the page rendered, the area outlined, cropped."""

from __future__ import annotations

import base64
import io

from ..errors import DocumentError
from ..read import render_pages

#: the resolution of report pictures (enough to read a label; a page is ~600 px tall)
PICTURE_DPI = 72
#: points of page shown around the area
MARGIN = 36.0
#: the longest side of a picture, in pixels
SIDE = 420


def page_picture(path, page: int, bbox=None, dpi: int = PICTURE_DPI) -> str | None:
    """A PNG (base64) of ``bbox`` on ``page`` of ``path`` with the area outlined; None if the page
    cannot be drawn (the problem's words stand alone then)."""
    from PIL import Image, ImageDraw

    try:
        (_, pixels), = render_pages(path, dpi, [page])
    except (DocumentError, ValueError, OSError):
        return None
    image = Image.fromarray(pixels)
    scale = dpi / 72
    if bbox:
        xs, ys = sorted((bbox[0] * scale, bbox[2] * scale)), sorted((bbox[1] * scale, bbox[3] * scale))
        x0, x1, top, bottom = xs[0], xs[1], ys[0], ys[1]
        ImageDraw.Draw(image).rectangle([x0, top, x1, bottom], outline=(220, 0, 0), width=3)
        m = MARGIN * scale
        image = image.crop((max(0, x0 - m), max(0, top - m), min(image.width, x1 + m), min(image.height, bottom + m)))
    image.thumbnail((SIDE, SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return base64.b64encode(out.getvalue()).decode("ascii")
