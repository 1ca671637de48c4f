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


def test_a_table_photographed_a_little_askew_is_read_row_by_row():
    """A phone photo flattened with its corners a little off: the 试点工作负责人 table's rules slope,
    its header's tops 11 pt lower at the right than at the left (cells and words as measured on
    such a page). Neighbour to neighbour each row is one row, and both people are read."""
    from pipeline.match.matcher import Matcher
    from pipeline.match.regions import Document
    from pipeline.match.rows import read_table
    from pipeline.read.page import PageLayout

    boxes = [[91, 127, 152, 157], [152, 128, 194, 158], [194, 130, 265, 160], [264, 133, 431, 165],
             [431, 138, 541, 168], [88, 156, 150, 204], [149, 158, 192, 205], [191, 159, 263, 206],
             [262, 162, 430, 210], [428, 167, 540, 213], [85, 203, 147, 250], [146, 205, 190, 251],
             [188, 206, 261, 252], [260, 208, 427, 255], [426, 212, 538, 257]]
    words = [(93, 107, 244, 126, "四、试点工作负责人"), (110, 138, 134, 150, "姓名"), (161, 140, 185, 152, "性别"),
             (206, 141, 253, 154, "出生年月"), (338, 145, 360, 157, "单位"), (464, 150, 509, 162, "职务职称"),
             (101, 176, 138, 189, "汪思远"), (166, 178, 176, 190, "男"), (206, 180, 250, 190, "1989-06"),
             (275, 170, 419, 185, "泉州市科学技术协会科技服"), (474, 186, 496, 198, "科员"),
             (330, 194, 364, 206, "务中心"), (201, 215, 251, 226, "1972年7"), (98, 223, 135, 236, "潘红霞"),
             (163, 225, 173, 236, "男"), (291, 228, 398, 241, "泉州市科学技术协会"), (466, 232, 500, 243, "副主席"),
             (219, 238, 228, 249, "月")]
    layout = PageLayout(1, 595.4, 842.0, words=[Word(*w) for w in words], cells=[Box(*b) for b in boxes],
                        source="ocr", kind="photo")
    form = load_form("申报书")
    table = read_table(Matcher(Document([layout]), form), form.field("试点工作负责人"))
    assert [(r["姓名"], r["出生年月"], r["职务职称"]) for r in table.rows] == [
        ("汪思远", "1989-06", "科员"), ("潘红霞", "1972年7月", "副主席")]
    assert table.rows[0]["单位"] == "泉州市科学技术协会科技服务中心" and not table.missing


def _format_test(name):
    from pipeline.forms.formats import satisfies
    rule = load_form("申报书").checks["formats"][name]
    return lambda text: satisfies(rule, text)


def test_an_ocr_look_alike_is_put_right_only_where_one_reading_fits_the_box():
    from pipeline.match.ocrtext import repaired
    date, mobile, email, postcode = (_format_test(n) for n in ("date", "mobile", "email", "postcode"))
    assert repaired("2026年5月30H", date) == "2026年5月30日"
    assert repaired("2026午5月30日", date) == "2026年5月30日"
    assert repaired("2.026年5月30日", date) == "2026年5月30日"
    assert repaired("138O5711234", mobile) == "13805711234"
    assert repaired("31OO07", postcode) is None  # two look-alikes: a person reads it
    assert repaired("kxbgs@foxmail,com", email) == "kxbgs@foxmail.com"  # indep M/008: a comma for the dot
    landline = _format_test("landline")
    assert repaired("0433:30939978", landline) == "0433-30939978"  # returns R4/004: a colon for the hyphen
    # what the applicant wrote wrong stays wrong: no one-character look-alike makes it right
    assert repaired("2026年6月31日", date) is None
    assert repaired("1380571123", mobile) is None
    assert repaired("wjg.zast.cn", email) is None
    assert repaired("31007", postcode) is None


def test_an_ocr_value_is_weighed_against_its_own_box_format():
    from pipeline.match.fields import _as_formatted
    form = load_form("申报书")
    assert _as_formatted(form, "申报单位意见.日期", "2026年5月30H") == "2026年5月30日"
    assert _as_formatted(form, "试点单位负责人.手机", "1395710678g") == "13957106789"
    assert _as_formatted(form, "主要参与团队[2].出生年月", "198O.05") == "1980.05"
    # no format for the box, a 「/」, or a value no single look-alike mends: read as it was
    assert _as_formatted(form, "试点单位", "杭州市余杭区科学技术协会H") == "杭州市余杭区科学技术协会H"
    assert _as_formatted(form, "申报单位意见.日期", "/") == "/"
    assert _as_formatted(form, "申报单位意见.日期", "2026年6月31日") == "2026年6月31日"


def test_a_date_whose_year_ocr_read_in_part_is_for_a_person_to_check():
    # indep B2/011: a seal's ring over 「20」 of 「2026年5月22日」; OCR read 「26年5月22日」 at 0.95
    # and 形式审查 reported a confident 日期格式 error on a complete form
    from types import SimpleNamespace

    from pipeline.match.fields import _confidence
    from pipeline.match.matcher import Found
    from pipeline.validate.rules import CONFIDENCE_MIN

    spec = next(s for s in load_form("申报书").fields if s.key == "试点单位意见.日期")
    document = SimpleNamespace(layouts={})

    def sure(text):
        region = Region(3, Box(70, 600, 520, 700), lines_of([Word(380, 660, 480, 674, text, score=0.95)]), True, ocr=True)
        return _confidence(Found(region), text, spec, document, set())

    assert sure("26年5月22日") < CONFIDENCE_MIN and sure("6年5月28日") < CONFIDENCE_MIN
    assert sure("二二六年五月二十七日") < CONFIDENCE_MIN  # indep C/004: 〇 lost
    assert sure("2026年5月22日") >= CONFIDENCE_MIN and sure("二〇二六年五月二十二日") >= CONFIDENCE_MIN


def test_a_date_with_stray_characters_or_a_latin_letter_ocr_read_is_for_a_person_to_check():
    # indep G/010 (a photo): a name seal's 「印」 and a stroke taken into the date's line,
    # 「印洋二〇二六年六月四日」; G/003: 「2026F5月24日」 — each a confident 日期格式 error on a
    # complete form
    from types import SimpleNamespace

    from pipeline.match.fields import _confidence
    from pipeline.match.matcher import Found
    from pipeline.validate.rules import CONFIDENCE_MIN

    spec = next(s for s in load_form("申报书").fields if s.key == "申报单位意见.日期")
    document = SimpleNamespace(layouts={})

    def sure(text, ocr=True):
        region = Region(3, Box(70, 400, 520, 500), lines_of([Word(380, 460, 480, 474, text, score=0.96)]), True,
                        ocr=ocr)
        return _confidence(Found(region), text, spec, document, set())

    assert sure("印洋二〇二六年六月四日") < CONFIDENCE_MIN and sure("印2026年6月4日") < CONFIDENCE_MIN
    assert sure("2026F5月24日") < CONFIDENCE_MIN
    # indep M/020 (turned 180°): 「2026年523日」, its 月 lost, a confident 日期格式 error
    assert sure("2026年523日") < CONFIDENCE_MIN and sure("二〇二六年五二十三日") < CONFIDENCE_MIN
    assert sure("2026年5月24日") >= CONFIDENCE_MIN and sure("二〇二六年六月四日") >= CONFIDENCE_MIN
    assert sure("2026.5.24") >= CONFIDENCE_MIN  # a date written otherwise: the format check's, not OCR's
    assert sure("印洋二〇二六年六月四日", ocr=False) >= CONFIDENCE_MIN  # typed: as written


def test_ocr_quotes_read_alike_are_paired_open_then_close():
    # indep B2/024 (a photo): 「创建“科创中国“服务站」 — the closing quote read as an opening one
    from pipeline.match.ocrtext import paired_quotes

    assert paired_quotes("创建“科创中国“服务站，“网上科协”") == "创建“科创中国”服务站，“网上科协”"
    assert paired_quotes("”科技工作者之家”建设") == "“科技工作者之家”建设"
    assert paired_quotes("创建“科创中国服务站") == "创建“科创中国服务站"  # one lost: left as read
    assert paired_quotes("同意推荐。") == "同意推荐。"


def test_a_long_prompt_with_a_character_misread_still_starts_its_box_on_a_scan():
    # indep C/017 (a photo): 「申报单位章见（包括是否同意推荐……）：」 — 意 read 章; the box, its
    # opinion, date, 签章 and 公章 were all reported 未能在表中找到
    from pipeline.match.regions import line_starting
    from pipeline.text import fold

    read = "申报单位章见（包括是否同意推荐，申报书所填内容是否准确等）："
    label = fold("申报单位意见（包括是否同意推荐，申报书所填内容是否准确等）：")
    lines = lines_of([Word(71, 329, 370, 339, read, score=0.97)])
    assert line_starting(Region(3, Box(62, 318, 522, 555), lines, True, ocr=True), label) == 0
    assert line_starting(Region(3, Box(62, 318, 522, 555), lines, True), label) is None  # a text layer: as written
    other = "试点单位意见（包括是否同意推荐，申报书所填内容是否准确等，省级试点不填写此栏）："
    pilot = lines_of([Word(71, 566, 471, 576, other, score=0.98)])
    assert line_starting(Region(3, Box(62, 555, 522, 788), pilot, True, ocr=True), label) is None
    assert line_starting(Region(3, Box(62, 318, 522, 555), lines_of([Word(71, 329, 140, 339, "申报单位章见：")]),
                                True, ocr=True), fold("申报单位意见：")) is None  # short: exact only
