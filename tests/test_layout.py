"""Documents a 科协 office would send as they are (issue 13 part 5, GB/T 9704-2012): titles broken
between words, 落款 never alone on a page, 版记 at the foot of the last page, 申报书 dates in
年月日 form with boxes and names kept whole, 任务书 考核指标 one numbered row each with 大写
amounts, 公示 without filler lines and with names on one line.

The documents are filled once for the module through the CLI and the ones whose page layout is
tested are converted to PDF in one LibreOffice run; pages are read with pdfplumber."""

from __future__ import annotations

import datetime
import re

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from conftest import PROGRAM, ROSTER, docx_text
from pipeline.filters import given, split_items, written_date
from pipeline.layout.title import break_title, issuer_flag, text_width

# --- title lines: a pure function --------------------------------------------------------------

#: real titles (seeds 000–004 and the sample programmes), the words none may be split inside
TITLES = [
    ("关于申报第二批地方科协深化改革工作试点的通知", "", ["第二批", "深化改革", "试点", "通知"]),  # seed 004
    ("关于申报2026年度地方科协深化改革工作试点的通知", "2026年度地方科协深化改革工作试点",
     ["2026年度", "科协", "试点", "通知"]),
    ("关于印发《益阳市科协学会服务能力提升计划实施方案（试行）》和《益阳市科协学会服务能力提升计划"
     "专项资金管理办法》的通知", "益阳市科协学会服务能力提升计划", ["益阳市", "实施方案", "试行", "专项资金", "通知"]),  # seed 001
    ("“基层科协改革试点支持计划”项目管理办法", "", ["基层", "试点", "管理办法"]),  # seed 000
    ("引领地方学会能力提升项目实施方案", "", ["学会", "实施方案"]),  # seed 002
    ("安徽省基层科普行动计划项目管理办法", "", ["安徽省", "科普", "管理办法"]),  # seed 003
    ("关于2026年度地方科协深化改革工作试点拟立项项目的公示", "2026年度地方科协深化改革工作试点",
     ["拟立项", "公示", "试点"]),
    ("关于申报2026年度益阳市科协学会服务能力提升计划项目的通知", "2026年度益阳市科协学会服务能力提升计划",
     ["益阳市", "学会", "通知"]),
]


def _cuts(lines):
    positions, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        positions.append(at)
    return positions


@pytest.mark.parametrize("width", [20, 16, 10])
@pytest.mark.parametrize("title, keep, words", TITLES, ids=[t[0][:12] for t in TITLES])
def test_a_title_breaks_between_words_into_a_trapezoid_or_diamond(title, keep, words, width):
    lines = break_title(title, width, keep)
    assert "".join(lines) == title
    assert all(text_width(line) <= width for line in lines), lines
    assert all(len(line) >= 3 for line in lines), f"a line of one or two characters: {lines}"
    for word in words:
        for found in re.finditer(re.escape(word), title):
            inside = [c for c in _cuts(lines) if found.start() < c < found.end()]
            assert not inside, f"「{word}」 split: {lines}"
    assert not re.search(r"^[的和及与、》”）]", "\n".join(lines[1:]), re.M), f"a line starts with a particle: {lines}"
    widths = [text_width(line) for line in lines]
    if len(widths) > 1:  # the longest line first or in the middle (GB/T 9704 7.3.1 梯形或菱形)
        assert widths.index(max(widths)) < len(widths) - 1, lines


def test_a_title_that_fits_stays_on_one_line_and_the_kept_name_stays_whole():
    assert break_title("关于申报第二批试点的通知", 20) == ["关于申报第二批试点的通知"]
    lines = break_title("关于2026年度安徽省基层科普行动计划拟立项项目的公示", 20, "2026年度安徽省基层科普行动计划")
    assert any("2026年度安徽省基层科普行动计划" in line for line in lines), lines


def test_a_very_long_title_breaks_in_reasonable_time():
    import time

    title = TITLES[2][0] * 2  # 130 characters: trying every layout took 14 s
    started = time.monotonic()
    lines = break_title(title, 20)
    assert time.monotonic() - started < 5
    assert "".join(lines) == title and all(len(line) >= 3 for line in lines)


def test_a_flag_too_long_for_its_line_never_leaves_a_character_alone():
    assert break_title("益阳市科学技术协会文件", 10) == ["益阳市", "科学技术协会文件"]  # not 「…协会文\n件」


def test_the_issuer_flag_of_one_and_of_two_issuers():
    assert issuer_flag("益阳市科学技术协会文件") == {"names": ["益阳市科学技术协会"], "suffix": "文件", "width": 11}
    assert issuer_flag("中国科协部门发文")["suffix"] == ""
    joint = issuer_flag(["益阳市科学技术协会", "益阳市财政局文件"])  # 联合发文: names stacked, 文件 beside
    assert joint["names"] == ["益阳市科学技术协会", "益阳市财政局"] and joint["suffix"] == "文件"
    with pytest.raises(ValueError, match="发文机关标志为空"):
        issuer_flag([])


@pytest.mark.parametrize("value, written", [
    ("2026-04-10", "2026年4月10日"), (datetime.date(2026, 4, 10), "2026年4月10日"), ("2026.4.10", "2026年4月10日"),
    ("2026-04", "2026年4月"), ("2026-07-01至2027-06-30", "2026年7月1日至2027年6月30日"),
    ("2026年7月至2027年6月", "2026年7月至2027年6月"), ("/", "/"), ("待定", "待定"), (None, ""),
])
def test_written_date_writes_year_month_day_and_leaves_other_text(value, written):
    assert written_date(value) == written


def test_a_placeholder_is_not_a_given_value_and_indicators_split_on_the_renderers_newline():
    assert [given(v) for v in ("/", "／", "无", " ", None, "苏州市科学技术协会")] == [False] * 5 + [True]
    assert split_items("建成平台1个\a注册3000人") == ["建成平台1个", "注册3000人"]  # pipeline/render.py: \n → \a


# --- filled documents ----------------------------------------------------------------------------

FLAG = "益阳市科学技术协会文件"
COPY_TO = "湖南省科学技术协会，益阳市财政局"
APPLICATION = """
试点单位: 伊犁哈萨克自治州科学技术协会
申报单位: 新疆维吾尔自治区科学技术协会
填报年月: 2026-04
试点起止日期: 2026-07-01至2027-06-30
申报单位负责人: {姓名: 阿依古丽·买买提, 手机: "13900000000", 电子邮箱: a@xjast.org, 通讯地址: 乌鲁木齐市,
  邮编: "830000", 传真: /, 办公电话: 0991-1234567}
试点单位负责人: {姓名: 欧阳娜仁托娅, 手机: "13900000001", 电子邮箱: b@ylkx.org, 通讯地址: 伊宁市,
  邮编: "835000", 传真: /, 办公电话: 0999-1234567}
申报单位意见:
  内容: {opinion}
  日期: 2026-04-10
试点单位意见: {内容: 同意。, 日期: 2026-04-08}
试点工作负责人:
  - {姓名: 欧阳娜仁托娅, 性别: 女, 出生年月: "1980.02", 单位: 伊犁州科协, 职务职称: 党组书记、主席}
主要参与团队:
  - {姓名: 阿依古丽·买买提, 性别: 女, 出生年月: "1985.11", 单位: 伊犁州科协科普部, 职务职称: 部长/高级工程师}
  - {姓名: 司马相如, 性别: 男, 出生年月: "1990.01", 单位: 伊犁州科协, 职务职称: 科员}
"""
#: long enough to push the 试点单位意见 box over the page end, where it used to split
OPINION = "同意推荐。" + "围绕“三长制”扩面增效，推动医院院长、学校校长、农技站站长进入乡镇（街道）科协班子，" * 4


def _roster_rows():
    sheet = openpyxl.load_workbook(ROSTER).active
    rows = list(sheet.values)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture(scope="module")
def documents(tmp_path_factory, output_ledger):
    """Fill 通知, 公示, 申报书 and 任务书 once; convert the first three to PDF in one run."""
    from pipeline.cli import main
    from pipeline.convert import convert_to_pdf

    work = tmp_path_factory.mktemp("layout")
    program = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    program.pop("附件")  # the 落款 then follows the contacts: it fell alone onto page 3
    program["抄送"] = COPY_TO
    (work / "program.yaml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    flagged = {**program, "发文机关标志": FLAG}  # one line at 40 pt would leave 「件」 alone
    (work / "flagged.yaml").write_text(yaml.safe_dump(flagged, allow_unicode=True), encoding="utf-8")
    rows = _roster_rows()
    rows[0]["试点单位"] = "/"  # a roster's way of writing 「none」
    rows[1].update({"申报单位": "新疆维吾尔自治区科学技术协会", "试点单位": "伊犁哈萨克自治州科学技术协会"})
    (work / "roster.yaml").write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    (work / "a.yaml").write_text(APPLICATION.replace("{opinion}", OPINION), encoding="utf-8")
    runner = CliRunner()
    for out, args in (("通知", ["通知", "--program", work / "program.yaml"]),
                      ("标志", ["通知", "--program", work / "flagged.yaml", "--name", "标志"]),
                      ("公示", ["公示", "--data", work / "roster.yaml", "--program", PROGRAM, "--date", "2026-09-25"]),
                      ("申报书", ["申报书", "--data", work / "a.yaml"]),
                      ("任务书", ["任务书", "--data", ROSTER, "--program", PROGRAM])):
        result = runner.invoke(main, ["fill", *map(str, args), "--out", str(work / out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    files = {"通知": work / "通知" / "通知.docx", "标志": work / "标志" / "标志.docx",
             "公示": work / "公示" / "公示.docx",
             "申报书": work / "申报书" / "新疆维吾尔自治区科学技术协会-申报书.docx",
             "任务书": work / "任务书" / "江苏省科学技术协会-任务书.docx"}
    converted = convert_to_pdf([files[name] for name in ("通知", "标志", "公示", "申报书")], work / "pdf")
    pdfs = {name: converted[files[name]] for name in ("通知", "标志", "公示", "申报书")}
    return {"docx": files, "pdf": pdfs, "rows": rows}


def _pages(pdf_path):
    """Each page's text lines with blanks removed (pdfplumber spaces Latin and CJK runs apart)."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        return [[re.sub(r"\s+", "", line) for line in (page.extract_text() or "").splitlines()]
                for page in pdf.pages]


def _words(pdf_path, page_index):
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_index]
        return page.width, page.height, page.extract_words(keep_blank_chars=True, x_tolerance=4)


PAGE_NUMBER = re.compile(r"^—\d+—$")


def test_no_page_of_the_notice_holds_only_the_signature(documents):
    signature = {"中国科协改革工作办公室", "（中国科协调研宣传部代章）", "2026年5月21日"}
    colophon = re.compile(r"^(抄送：|中国科协改革工作办公室2026年5月21日印发)")
    for number, lines in enumerate(_pages(documents["pdf"]["通知"]), 1):
        body = [line for line in lines if not PAGE_NUMBER.match(line) and not colophon.match(line)]
        assert not set(body) <= signature, f"page {number} holds only the 落款: {lines}"


def test_the_signature_date_is_set_four_characters_from_the_right_with_the_issuer_over_it(documents):
    pages = _pages(documents["pdf"]["通知"])
    width, _height, words = _words(documents["pdf"]["通知"], len(pages) - 1)
    date = next(w for w in words if re.sub(r"\s", "", w["text"]) == "2026年5月21日")
    issuer = next(w for w in words if w["text"].strip() == "中国科协改革工作办公室" and w["top"] < date["top"])
    char = 16  # 三号
    right_margin = 26 / 25.4 * 72
    assert abs((width - right_margin - date["x1"]) - 4 * char) < char, date  # 成文日期右空四字
    assert abs((issuer["x0"] + issuer["x1"]) / 2 - (date["x0"] + date["x1"]) / 2) < char / 2  # 居中


def test_the_colophon_closes_the_last_page_at_its_foot(documents):
    pages = _pages(documents["pdf"]["通知"])
    assert f"抄送：{COPY_TO}。" in pages[-1]
    assert "中国科协改革工作办公室2026年5月21日印发" in pages[-1]
    assert not any("印发" in line for page in pages[:-1] for line in page)
    _width, height, words = _words(documents["pdf"]["通知"], len(pages) - 1)
    printed = next(w for w in words if w["text"].endswith("印发"))
    text_bottom = height - 35 / 25.4 * 72  # GB/T 9704 版心 ends 35 mm above the page edge
    assert text_bottom - printed["bottom"] < 14, printed  # the 版记's last line is the page's last line
    assert all(w["bottom"] <= printed["bottom"] + 1 for w in words if not PAGE_NUMBER.match(w["text"].replace(" ", "")))


def test_the_issuer_flag_and_the_title_keep_their_words_whole(documents):
    first = _pages(documents["pdf"]["标志"])[0]
    assert FLAG in first, first  # one line: no 「件」 alone under it
    program = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    for line in break_title(program["标题"], 20, program["名称"]):
        assert line in first, (line, first)


def test_application_form_dates_are_written_as_year_month_day(documents):
    text = docx_text(documents["docx"]["申报书"])
    for written in ("2026年4月10日", "2026年4月8日", "2026年7月1日至2027年6月30日"):
        assert written in text, written
    assert "2026年4月" in text.splitlines()
    assert not re.search(r"(?<!\d)20\d\d-\d\d", text)  # not 2026-04-10 (a phone 0991-… is fine)


def test_application_form_keeps_the_signer_in_the_box_and_names_on_one_line(documents):
    pages = _pages(documents["pdf"]["申报书"])
    box = next(i for i, lines in enumerate(pages) if any(line.startswith("试点单位意见（") for line in lines))
    assert any(line.startswith("试点单位负责人（签章）") for line in pages[box]), pages[box]
    team = pages[-1]
    for name in ("阿依古丽·买买提", "欧阳娜仁托娅", "司马相如"):
        assert any(line.startswith(name) for line in team), (name, team)


def test_task_agreement_numbers_each_indicator_and_writes_the_amount_in_daxie(documents):
    document = docx.Document(str(documents["docx"]["任务书"]))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "考核指标")
    indicators = [row for row in _roster_rows() if row["申报单位"] == "江苏省科学技术协会"][0]["考核指标"].split("\n")
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        [str(i), item] for i, item in enumerate(indicators, 1)]
    text = docx_text(documents["docx"]["任务书"])
    assert "人民币370,000.00元（大写：叁拾柒万元整）" in text


def test_announcement_has_no_filler_lines_and_names_on_one_line(documents):
    assert "试点单位：/" not in docx_text(documents["docx"]["公示"])
    lines = [line for page in _pages(documents["pdf"]["公示"]) for line in page]
    for row in documents["rows"]:
        assert any(row["申报单位"] in line for line in lines), row["申报单位"]
        if row["试点单位"] not in ("/", row["申报单位"]):
            assert any(f"试点单位：{row['试点单位']}" in line for line in lines), row["试点单位"]
        assert any(row["负责人"] in line for line in lines), row["负责人"]


def test_a_joint_issue_stacks_the_issuers_with_wenjian_beside_them(tmp_path):
    # 联合发文 (seed 001): the 主办机关 (发文机关) first, then 联合发文机关, 「文件」 to their right
    from pipeline.program import load_program
    from pipeline.render import build_context, find_template, render_docx

    program = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    program.update(发文机关="益阳市科学技术协会", 联合发文机关=["益阳市财政局"], 发文机关标志="文件")
    program.pop("代章", None)
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    spec = find_template("通知")
    context = build_context(spec, {}, load_program(tmp_path / "p.yaml"))
    (tmp_path / "joint.docx").write_bytes(render_docx(spec, context))
    flag = docx.Document(str(tmp_path / "joint.docx")).tables[0]
    names, suffix = flag.rows[0].cells
    assert [p.text for p in names.paragraphs if p.text] == ["益阳市科学技术协会", "益阳市财政局"]
    assert [p.text for p in suffix.paragraphs if p.text] == ["文件"]


def test_task_agreement_titles_break_a_long_programme_name_between_words(run, tmp_path):
    program = yaml.safe_load(PROGRAM.read_text(encoding="utf-8"))
    program["名称"] = "2026年度益阳市科协学会服务能力提升计划项目"  # 21 characters: two lines at 2号
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(_roster_rows()[:1], allow_unicode=True), encoding="utf-8")
    result = run("fill", "任务书", "--data", "r.yaml", "--program", "p.yaml", "--out", "out")
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "out").glob("*.docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    lines = break_title(program["名称"], 20)
    assert len(lines) == 2
    for at in (i for i, text in enumerate(paragraphs) if text == lines[0]):
        assert paragraphs[at + 1] == lines[1]
    assert paragraphs.count(lines[0]) == 2  # the cover and the first page
