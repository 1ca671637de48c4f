"""The OCR engine as kexie drives it: the pinned RapidOCR's own batched recognition and kexie's
crop-by-crop run of the same steps (a sixth of the memory) give the same text and scores.

``pipeline.read.ocr`` calls the recogniser's ``resize_norm_img``, ``session`` and ``postprocess_op``
itself; a RapidOCR release that changes them must fail here, not misread forms in the field.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read import ocr

pytestmark = pytest.mark.slow

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
LINES = ["申报单位意见", "同意推荐。", "2026年6月5日", "sunhan86@126.com", "试点单位负责人（签章）：",
         "围绕“三长制”扩面增效，推动医院院长、学校校长进入乡镇科协班子", "男", "0512-3294848"]


def crop(text: str, size: int = 28) -> np.ndarray:
    font = ImageFont.truetype(CJK_FONT, size)
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("L", (right - left + 12, bottom - top + 12), 255)
    ImageDraw.Draw(image).text((6 - left, 6 - top), text, font=font, fill=20)
    return np.asarray(image)


def test_crop_by_crop_equals_the_recognisers_own_batches():
    import cv2
    from rapidocr.ch_ppocr_rec import TextRecInput

    crops = [crop(text) for text in LINES]
    ours = ocr.recognise(crops)
    recognizer = ocr.ocr_engine().text_rec
    theirs = recognizer(TextRecInput(img=[cv2.cvtColor(c, cv2.COLOR_GRAY2RGB) for c in crops]))
    assert [text for text, _ in ours] == [ocr.simplified(str(t).strip()) for t in theirs.txts]
    assert [score for _, score in ours] == pytest.approx([float(s) for s in theirs.scores], abs=1e-4)
    assert [text for text, _ in ours] == LINES  # and it reads them


def test_detection_finds_each_line():
    page = np.full((400, 900), 255, np.uint8)
    for i, text in enumerate(LINES[:4]):
        line = crop(text, 24)
        page[30 + 80 * i:30 + 80 * i + line.shape[0], 40:40 + line.shape[1]] = line
    quads = ocr.detect_lines(page)
    assert len(quads) == 4
    assert sorted(int((q[:, 1].mean() - 30) // 80) for q in quads) == [0, 1, 2, 3]
