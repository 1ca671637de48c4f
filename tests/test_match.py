"""Small pieces of the matcher on hand-made words and cells: what goes on one line, where a row
table ends, how OCR's stray readings are cleaned from a box's value."""

from __future__ import annotations

from pipeline.forms import load_form
from pipeline.match.regions import Region, lines_of
from pipeline.match.rows import _same_columns
from pipeline.read.page import Box, Word


def test_a_scribble_grazing_a_line_is_not_on_it():
    """「同意推荐。」 above a signature OCR read as 「@」 that reaches up into it from the signer's
    line: the opinion stays a line of its own (else the signer's label cut it off the value)."""
    words = [Word(104, 434.2, 163, 447.5, "同意推荐。"), Word(234, 440.6, 291, 465.8, "@"),
             Word(76, 456.1, 233, 470.2, "申报单位负责人（签章）："), Word(323, 456.5, 389, 469.4, "(单位公章)")]
    assert [line.text for line in lines_of(words)][0] == "同意推荐。"


def test_words_of_one_line_stay_one_line():
    words = [Word(10, 100, 60, 112, "姓名"), Word(70, 99, 140, 113, "石永强"), Word(150, 101, 200, 111, "男")]
    assert len(lines_of(words)) == 1


def cells(*lefts, top=100.0):
    edges = list(lefts) + [lefts[-1] + 80]
    return [Region(1, Box(x0, top, x1, top + 20), [], True) for x0, x1 in zip(edges, edges[1:])]


def test_a_table_continues_only_in_its_own_columns():
    header = [(name, cell) for name, cell in zip("ABCDE", cells(70, 130, 170, 230, 380))]
    assert _same_columns(cells(71, 131, 169, 232, 381, top=60), header)  # the same rules, a scan's wander
    assert _same_columns(cells(71, 169, 232, 381, top=60), header)  # a merged cell loses a rule
    assert not _same_columns(cells(70, 190, 300, 410, top=60), header)  # an attachment's own table


def test_a_lone_stroke_beside_an_opinion_is_dropped_from_an_ocr_value():
    from pipeline.match.matcher import Matcher
    from pipeline.match.regions import Document

    form = load_form("申报书")
    spec = form.field("试点单位意见")
    matcher = Matcher(Document([]), form)
    assert matcher.clean("同意推荐。\nT", spec, ocr=True) == "同意推荐。"
    assert matcher.clean("同意推荐。\nT", spec, ocr=False) == "同意推荐。\nT"  # a text layer is as written
    assert matcher.clean("/", spec, ocr=True) == "/"
    address = form.field("申报单位负责人.通讯地址")
    assert matcher.clean("深圳市南山区科技园 R2-B 栋5楼", address, ocr=True) == "深圳市南山区科技园R2-B栋5楼"
