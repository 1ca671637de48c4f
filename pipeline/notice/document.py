"""One 补正通知 as a document: the 「补正通知」 template rendered (sandboxed, strict undefined, as
``kexie fill`` renders), then a captioned crop of each defective spot on its 附件 page."""

from __future__ import annotations

import base64
import io

from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Mm, Pt

from ..render import TemplateSpec, build_context, check_encodable, render_docx

#: the widest a crop is printed (the 公文 text block is 156 mm wide)
PICTURE_WIDTH_MM = 120.0


def render_notice(spec: TemplateSpec, fields: dict, program: dict, today, pictures: list[tuple[str, str]],
                  label: str) -> bytes:
    """The .docx bytes of one notice; ``pictures``: (caption, PNG base64) for its 附件 page."""
    context = build_context(spec, fields, program, None, today)
    check_encodable(spec, context, label)
    data = render_docx(spec, context, record=label)
    if not pictures:
        return data
    document = Document(io.BytesIO(data))
    for caption, png in pictures:
        raw = base64.b64decode(png)
        title = document.add_paragraph(caption)
        title.paragraph_format.keep_with_next = True
        title.paragraph_format.space_before = Pt(10)  # apart from the picture above
        holder = document.add_paragraph()
        # the body's fixed 28 pt line pitch would cut a picture to one line
        holder.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        width = min(PICTURE_WIDTH_MM, _natural_width_mm(raw))
        holder.add_run().add_picture(io.BytesIO(raw), width=Mm(width))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _natural_width_mm(png: bytes) -> float:
    from PIL import Image

    from ..report.pictures import PICTURE_DPI

    with Image.open(io.BytesIO(png)) as image:
        return image.width / PICTURE_DPI * 25.4
