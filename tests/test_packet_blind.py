"""Blind review that survives a reader: every form of a unit's name people write is painted, and a
page on which OCR of the redacted picture still reads a listed string keeps its submission out.

The submissions are drawn in code (reportlab): a 上海市浦东新区 submission that writes its unit
short (「浦东新区科协」, 「浦东」, 「上海」), and one with its unit's name inside a picture, where no
text layer shows it. The packets are made by the real ``kexie packet --blind``; the test reads
their pages back with the OCR engine itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from conftest import PROGRAM
from pipeline.forms import load_form
from pipeline.packet.names import name_forms
from pipeline.packet.redact import sensitive_strings
from pipeline.text import fold
from test_packet import fields_for, pack_report

PILOT, APPLICANT = "上海市浦东新区科学技术协会", "上海市科学技术协会"
#: what people write of the pilot unit (issue 15: OCR of blind packets read these)
WRITTEN = ["浦东新区科协", "浦东新区科学技术协会", "浦东新区", "浦东", "上海市", "上海"]


def shanghai_fields() -> dict:
    fields = fields_for(0)
    fields.update({"申报单位": APPLICANT, "试点单位": PILOT, "组别": ""})
    fields["试点工作负责人"] = [{"姓名": "周志刚", "单位": PILOT}]
    fields["主要参与团队"] = [{"姓名": "冯雪梅", "单位": "上海市黄浦区科学技术协会"}]
    return fields


def draw(path: Path, lines_per_page: list[list[str]], picture: str = "") -> None:
    """A text-layer PDF, one page per list of lines; ``picture``: that text in an image on page 2."""
    from reportlab.pdfgen import canvas

    from pipeline.packet.pages import FONT, cjk_font

    cjk_font()
    c = canvas.Canvas(str(path))
    for number, lines in enumerate(lines_per_page, start=1):
        c.setFont(FONT, 14)
        y = 760
        for line in lines:
            c.drawString(72, y, line)
            y -= 30
        if picture and number == 2:
            image = path.with_suffix(".png")
            _text_image(picture).save(image)
            c.drawImage(str(image), 72, 420, width=300, height=50)
        c.showPage()
    c.save()


def _text_image(text: str):
    """``text`` in black on white, as a picture (a letterhead pasted in as an image)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 48)
    image = Image.new("RGB", (600, 100), "white")
    ImageDraw.Draw(image).text((10, 20), text, fill="black", font=font)
    return image


def pack_blind(run, tmp_path: Path, pdf: Path, fields: dict, program: Path = PROGRAM):
    return pack_report(run, tmp_path, pdf, fields, "--blind", program=program)


def ocr_pages(path: Path, pages: range) -> list[str]:
    """What the OCR engine reads on the given pages (0-based) of a PDF rendered at 150 dpi."""
    from pipeline.read.ocr import ocr_engine

    document = pdfium.PdfDocument(str(path))
    texts = []
    for index in pages:
        image = np.asarray(document[index].render(scale=150 / 72).to_pil().convert("RGB"))
        result = ocr_engine()(image, use_det=True, use_cls=False, use_rec=True)
        texts.append("\n".join(result.txts or ()))
    document.close()
    return texts


def test_the_forms_people_write_of_a_unit():
    assert set(WRITTEN) | {PILOT, "上海市浦东新区科协", "浦东科协"} <= set(name_forms(PILOT))
    assert {"江苏省科协", "江苏", "江苏省"} <= set(name_forms("江苏省科学技术协会"))
    assert {"广西", "广西科协"} <= set(name_forms("广西壮族自治区科学技术协会"))
    # a place that is an ordinary word is not painted alone: 「高新技术」 stays readable
    forms = name_forms("苏州市高新区科学技术协会")
    assert {"苏州市高新区科协", "苏州高新区科协", "苏州"} <= set(forms)
    assert not {"高新", "高新区", "高新区科协"} & set(forms)
    # the rest alone names no one; a name without places has only itself
    assert "科学技术协会" not in name_forms(PILOT) and name_forms("北京大学") == ["北京大学"]
    # the team table's names and units, as the form declares its personal keys
    strings = sensitive_strings(shanghai_fields(), load_form("申报书"))
    assert {"浦东新区科协", "浦东", "上海", "周志刚", "冯雪梅", "黄浦区科协", "黄浦"} <= set(strings)


def test_blind_packet_paints_every_written_form(run, tmp_path):
    fields = shanghai_fields()
    pdf = tmp_path / "浦东.pdf"
    draw(pdf, [
        ["地方科协深化改革工作试点申报书", f"试点单位：{PILOT}", f"申报单位：{APPLICANT}"],
        ["二、试点内容", "浦东新区科协牵头推进深化改革工作，", "依托浦东的产业基础建设科普阵地，",
         "联合上海各高校开展科技志愿服务，", "围绕群团改革形成可推广的制度成果。"],
        ["五、主要参与团队", "冯雪梅  女  1985.09  黄浦区科协  部长"],
    ])
    result, out = pack_blind(run, tmp_path, pdf, fields)
    assert result.exit_code == 0, result.output
    packet = next((out / "评审包").glob("*.pdf"))
    texts = [fold(t) for t in ocr_pages(packet, range(2, 5))]  # the submission's three pages
    assert "深化改革工作" in texts[1] and "科普阵地" in texts[1]  # the page is still read
    for form in WRITTEN + ["冯雪梅", "黄浦"]:
        assert not any(form in t for t in texts), (form, texts)
    data = json.loads((out / "办公室" / "manifest.json").read_text(encoding="utf-8"))
    assert data["submissions"][0]["blind"]["pages_read_back"] == [1, 2, 3]


def test_a_name_still_read_on_a_redacted_page_refuses_the_submission(run, tmp_path):
    """The unit's name in a picture: no text layer shows it, so only reading the redacted page
    image again finds it; the submission is left out, named with the string read (exit 1)."""
    fields = shanghai_fields()
    pdf = tmp_path / "图片中的单位名.pdf"
    draw(pdf, [
        ["地方科协深化改革工作试点申报书", f"试点单位：{PILOT}", f"申报单位：{APPLICANT}"],
        ["二、试点内容", "浦东新区科协牵头推进深化改革工作。"],
    ], picture="浦东新区科学技术协会")
    result, out = pack_blind(run, tmp_path, pdf, fields)
    assert result.exit_code == 1, result.output
    assert "图片中的单位名.pdf" in result.output and "第 2 页" in result.output
    assert "文字识别仍读出" in result.output and "「浦东新区科学技术协会」" in result.output
    assert list((out / "评审包").glob("*.pdf")) == []
    data = json.loads((out / "办公室" / "manifest.json").read_text(encoding="utf-8"))
    assert data["excluded"][0]["failed"] is True and "浦东新区科学技术协会" in data["excluded"][0]["reason"]


def test_a_programme_named_for_the_province_is_no_leak(run, tmp_path):
    """「上海市」 is painted in the submission, but kexie's own cover names the programme
    「2026年度上海市科协…」: the packet is not refused for what kexie itself wrote."""
    program = tmp_path / "program.yaml"
    program.write_text(PROGRAM.read_text(encoding="utf-8").replace(
        "名称: 2026年度地方科协深化改革工作试点", "名称: 2026年度上海市科协深化改革工作试点", 1), encoding="utf-8")
    assert "上海市科协" in program.read_text(encoding="utf-8")
    pdf = tmp_path / "浦东.pdf"
    draw(pdf, [["地方科协深化改革工作试点申报书", f"试点单位：{PILOT}", f"申报单位：{APPLICANT}"]])
    result, out = pack_blind(run, tmp_path, pdf, shanghai_fields(), program=program)
    assert result.exit_code == 0, result.output
    assert len(list((out / "评审包").glob("*.pdf"))) == 1
