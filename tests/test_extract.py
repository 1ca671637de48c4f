"""kexie extract through the real CLI on 申报书 PDFs rendered from our own template."""

from __future__ import annotations

import csv
import io
import json
import shutil

import openpyxl
import pikepdf
import pytest
import yaml
from click.testing import CliRunner

from conftest import PROGRAM, SAMPLES

from pipeline.cli import main
from pipeline.text import fold as norm
from pipeline.text import squeeze as fold_whitespace
from pipeline.forms import load_form, parse_form
from pipeline.errors import FormDefinitionError

pytestmark = pytest.mark.slow

LONG_PARAGRAPH = (
    "围绕“三长制”扩面增效，推动医院院长、学校校长、农技站站长进入乡镇（街道）科协班子，"
    "建设线上线下联动的“网上科协”，健全联系服务科技工作者的长效机制，2025年新建科普服务站30个。"
)


def person(i: int, unit: str) -> dict:
    return {"姓名": f"测试{'甲乙丙丁戊己庚辛壬癸子丑'[i]}{i}", "性别": "男" if i % 2 else "女",
            "出生年月": f"19{70 + i}.0{1 + i % 9}", "单位": unit, "职务职称": "部长/高级工程师" if i % 3 else "科员"}


def contact(name, phone, email, address, postcode, fax, office) -> dict:
    return {"姓名": name, "手机": phone, "电子邮箱": email, "通讯地址": address, "邮编": postcode,
            "传真": fax, "办公电话": office}


#: three applicants: an ordinary one, one with "/" and blanks, one whose answers run over pages
RECORDS = [
    {
        "试点单位": "杭州市科学技术协会", "申报单位": "浙江省科学技术协会", "填报年月": "2026年6月",
        "试点起止日期": "2026年7月至2027年6月",
        "申报单位负责人": contact("张三", "13800138000", "zhangsan@zast.org.cn",
                               "浙江省杭州市西湖区曙光路100号", "310007", "0571-85000001", "0571-85000000"),
        "试点单位负责人": contact("欧阳明", "13900139000", "lisi@hzkx.org", "杭州市上城区解放路1号",
                               "310002", "0571-87000001", "0571-87000000"),
        "申报单位意见": {"内容": "同意推荐。申报书所填内容真实准确。", "日期": "2026年6月5日"},
        "试点单位意见": {"内容": "同意申报，保证按期完成试点任务。", "日期": "2026年6月3日"},
        "申报单位推荐理由": "杭州市科协在基层组织建设方面基础扎实，改革意愿强烈，具备开展试点的条件和能力，同意推荐。",
        "试点单位概况": "杭州市科协成立于1958年，下设学会部、科普部等部门。",
        "改革工作目前进展情况": "一是建立了“科创中国”市级服务站。\n二是完成了基层科协组织全覆盖，覆盖全部镇街和主要园区，"
                          "累计发展会员超过三万人，较上年增长百分之二十以上。",
        "改革工作亮点与主要成效": "亮点突出，成效明显。",
        "试点内容": "推动学会治理改革。",
        "工作计划": "2026年7月启动，2027年6月结项。",
        "预期成果": "形成可复制经验。",
        "试点成果宣传计划": "通过媒体宣传。",
        "试点工作负责人": [person(0, "杭州市科协"), person(1, "杭州市科协学会部")],
        "主要参与团队": [person(2, "杭州市科协")],
    },
    {
        "试点单位": "苏州市科学技术协会", "申报单位": "江苏省科学技术协会", "填报年月": "2026年6月",
        "试点起止日期": "2026年7月至2027年6月",
        "申报单位负责人": contact("王芳", "13700137000", "wf@jsast.cn", "南京市鼓楼区北京西路2号",
                               "210008", "/", ""),
        "试点单位负责人": contact("司马光", "13600136000", "", "/", "215004", "", "0512-65000000"),
        "申报单位意见": {"内容": "同意推荐。", "日期": ""},
        "试点单位意见": {"内容": "", "日期": ""},
        "申报单位推荐理由": "/",
        "试点单位概况": "苏州市科协。",
        "改革工作目前进展情况": "/",
        "改革工作亮点与主要成效": "",
        "试点内容": "/",
        "工作计划": "",
        "预期成果": "/",
        "试点成果宣传计划": "",
        "试点工作负责人": [person(3, "苏州市科协")],
        "主要参与团队": [],
    },
    {
        "试点单位": "鄂尔多斯市科学技术协会", "申报单位": "内蒙古自治区科学技术协会", "填报年月": "2026年6月",
        "试点起止日期": "2026年7月至2028年6月",
        "申报单位负责人": contact("乌兰", "13500135000", "wulan@nmgkx.org.cn",
                               "内蒙古自治区呼和浩特市新城区新华大街63号院科协大楼", "010055", "", "0471-6600000"),
        "试点单位负责人": contact("巴特尔", "13400134000", "bte@ordoskx.cn", "鄂尔多斯市康巴什区市府大楼",
                               "017010", "", "0477-8500000"),
        "申报单位意见": {"内容": "同意推荐。" + LONG_PARAGRAPH, "日期": "2026年6月8日"},
        "试点单位意见": {"内容": "同意。", "日期": "2026年6月6日"},
        "申报单位推荐理由": "\n".join([LONG_PARAGRAPH * 3] * 3),
        "试点单位概况": "\n".join([LONG_PARAGRAPH * 2] * 4),
        "改革工作目前进展情况": LONG_PARAGRAPH * 4,
        "改革工作亮点与主要成效": LONG_PARAGRAPH,
        "试点内容": "\n".join([LONG_PARAGRAPH * 3] * 6),
        "工作计划": "\n".join([LONG_PARAGRAPH * 2] * 8),
        "预期成果": LONG_PARAGRAPH * 2,
        "试点成果宣传计划": LONG_PARAGRAPH,
        # more rows than the 8 printed ones, so the team table runs on to the next page
        "试点工作负责人": [person(i, "鄂尔多斯市科学技术协会") for i in range(3)],
        "主要参与团队": [person(i, "鄂尔多斯市科学技术协会科普部") for i in range(12)],
    },
]

PROMPTS = ["申报单位意见（包括是否同意推荐，申报书所填内容是否准确等）：", "（包括是否同意推荐",
           "（含目的、意义、内容，当前工作基础等。）", "（可另加页）", "1. 工作计划", "2．预期成果",
           "申报单位负责人（签章）：", "试点单位负责人（签章）：", "（单位公章）", "年 月 日", "申报单位推荐理由"]

FORM = load_form("申报书")
ROW_KEYS = set(FORM.row_keys)
MARK_KEYS = set(FORM.mark_keys)


def expected_fields(record: dict) -> dict:
    """The extraction keys of a fill record (意见.内容 → 意见; marks are absent on our rendering)."""
    fields = {}
    for key in FORM.keys:
        if key in MARK_KEYS:
            fields[key] = False
        elif key in ROW_KEYS:
            fields[key] = record[key]
        elif key.endswith(".日期"):
            fields[key] = record[key.split(".")[0]]["日期"]
        elif key in ("申报单位意见", "试点单位意见"):
            fields[key] = record[key]["内容"]
        elif "." in key:
            group, name = key.split(".")
            fields[key] = record[group][name]
        else:
            fields[key] = record[key]
    return fields


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The three applicants as PDFs (one LibreOffice run), the 通知 PDF, and damaged variants."""
    root = tmp_path_factory.mktemp("extract")
    data = root / "data.yaml"
    records = [dict(r, 序号=f"{i + 1:02d}") for i, r in enumerate(RECORDS)]
    data.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    forms = root / "forms"
    result = invoke("fill", "申报书", "--data", data, "--out", forms, "--pdf", "--name", "{序号}")
    assert result.exit_code == 0, result.output
    notice = root / "notice"
    result = invoke("fill", "通知", "--program", PROGRAM, "--out", notice, "--pdf")
    assert result.exit_code == 0, result.output

    batch = root / "batch"
    batch.mkdir()
    pdfs = [forms / f"{i + 1:02d}.pdf" for i in range(len(RECORDS))]
    for pdf in pdfs:
        shutil.copyfile(pdf, batch / pdf.name)
    with pikepdf.open(pdfs[0]) as pdf:
        pdf.save(batch / "04-owner.pdf", encryption=pikepdf.Encryption(owner="x", user="", R=6))
    with pikepdf.open(pdfs[0]) as pdf:
        pdf.save(batch / "05-user.pdf", encryption=pikepdf.Encryption(owner="x", user="y", R=6))
    blob = pdfs[1].read_bytes()
    (batch / "06-truncated.pdf").write_bytes(blob[: len(blob) // 2])
    (batch / "07-not-a-pdf.pdf").write_text("这不是 PDF 文件。\n", encoding="utf-8")
    shutil.copyfile(notice / "通知.pdf", batch / "08-notice.pdf")
    return {"root": root, "pdfs": pdfs, "batch": batch}


@pytest.fixture(scope="module")
def batch_report(rendered):
    """One ``kexie extract`` over the whole batch folder: (exit code, report, stderr)."""
    result = CliRunner().invoke(main, ["extract", str(rendered["batch"]), "--form", "申报书"],
                                                catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout), result.stderr


def entry_for(report, name):
    return next(e for e in report["files"] if e["file"].endswith(name))


@pytest.mark.parametrize("index", range(len(RECORDS)))
def test_every_field_exact_on_our_rendering(batch_report, index):
    _, report, _ = batch_report
    entry = entry_for(report, f"{index + 1:02d}.pdf")
    assert entry["status"] == "ok" and entry["error"] is None
    assert entry["source"] == "text" and entry["form"] == "申报书"
    expected = expected_fields(RECORDS[index])
    assert set(entry["fields"]) == set(expected)
    for key, value in expected.items():
        got = entry["fields"][key]
        if isinstance(value, str):
            assert fold_whitespace(got) == fold_whitespace(value), key
        else:
            assert got == value, key
    assert set(entry["marks"]) == MARK_KEYS
    for mark in entry["marks"].values():
        assert mark["present"] is False and mark["page"] >= 3 and len(mark["bbox"]) == 4


def test_long_answers_continue_over_pages_and_paragraphs_kept(batch_report):
    _, report, _ = batch_report
    fields = entry_for(report, "03.pdf")["fields"]
    assert fields["试点内容"] == "\n".join([LONG_PARAGRAPH * 3] * 6)
    assert fields["工作计划"].count("\n") == 7
    assert len(fields["主要参与团队"]) == 12  # more rows than printed, over a page break


def test_prompts_never_leak_into_values(batch_report):
    _, report, _ = batch_report
    for entry in report["files"]:
        for key, value in entry["fields"].items():
            if isinstance(value, str):
                for prompt in PROMPTS:
                    assert norm(prompt) not in norm(value), (entry["file"], key, prompt)


def test_slash_stays_and_blank_stays_empty(batch_report):
    _, report, _ = batch_report
    fields = entry_for(report, "02.pdf")["fields"]
    assert fields["申报单位负责人.传真"] == "/"
    assert fields["试点单位负责人.通讯地址"] == "/"
    assert fields["申报单位推荐理由"] == "/" and fields["试点内容"] == "/"
    assert fields["申报单位负责人.办公电话"] == ""
    assert fields["改革工作亮点与主要成效"] == "" and fields["工作计划"] == ""
    assert fields["试点单位意见"] == "" and fields["试点单位意见.日期"] == ""
    assert fields["申报单位意见.日期"] == ""  # only 「年 月 日」 printed
    assert fields["主要参与团队"] == []  # the printed empty rows are left out


def test_batch_reports_each_bad_file_and_finishes(batch_report):
    code, report, stderr = batch_report
    assert code == 1
    names = [e["file"].rsplit("/", 1)[-1] for e in report["files"]]
    assert names == sorted(names) and len(names) == 8
    kinds = {name: (e["error"] or {}).get("kind") for name, e in zip(names, report["files"])}
    assert kinds == {"01.pdf": None, "02.pdf": None, "03.pdf": None, "04-owner.pdf": None,
                     "05-user.pdf": "encrypted", "06-truncated.pdf": "unreadable",
                     "07-not-a-pdf.pdf": "unreadable", "08-notice.pdf": "not_this_form"}
    owner = entry_for(report, "04-owner.pdf")
    assert owner["status"] == "ok" and owner["fields"] == entry_for(report, "01.pdf")["fields"]
    for entry in report["files"]:
        if entry["status"] == "error":
            assert entry["file"] in entry["error"]["message"]  # the message names the file
            assert entry["file"] in stderr
            assert entry["fields"] == {} and entry["marks"] == {}


def test_all_good_exits_zero_and_csv_xlsx_have_one_row_per_file(rendered, tmp_path):
    pdfs = rendered["pdfs"]
    out = tmp_path / "r.csv"
    result = invoke("extract", *pdfs, "--format", "csv", "--out", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    header = rows[0]
    assert len(rows) == 1 + len(pdfs)
    assert "申报单位负责人.手机" in header and "主要参与团队" in header and "申报单位意见.公章" in header
    first = dict(zip(header, rows[1]))
    assert first["申报单位负责人.手机"] == "13800138000"
    assert first["试点工作负责人"].splitlines()[0].startswith("测试甲0，女，1970.01，杭州市科协")

    xlsx = tmp_path / "r.xlsx"
    result = invoke("extract", *pdfs, "--format", "xlsx", "--out", xlsx)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(xlsx).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + len(pdfs) and list(values[0]) == header


def test_usage_errors_exit_two(rendered, tmp_path):
    result = invoke("extract", rendered["pdfs"][0], "--format", "xlsx")
    assert result.exit_code == 2 and "--out" in result.output
    result = invoke("extract", rendered["pdfs"][0], "--form", "申报")
    assert result.exit_code == 2 and "申报书" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("extract", empty)
    assert result.exit_code == 2 and "没有 PDF" in result.output


def test_form_definition_rejects_unknown_keys_by_name(tmp_path):
    with pytest.raises(FormDefinitionError, match="「lables」.*是否要写「labels」"):
        parse_form({"fields": {"试点单位": {"lables": ["试点单位"], "find": "right"}}}, tmp_path / "x.yaml")
    with pytest.raises(FormDefinitionError, match="「rigth」.*是否要写「right」"):
        parse_form({"fields": {"试点单位": {"labels": ["试点单位"], "find": "rigth"}}}, tmp_path / "x.yaml")
    with pytest.raises(FormDefinitionError, match="顶层有未知的键「fileds」"):
        parse_form({"fileds": {}}, tmp_path / "x.yaml")


# --- OCR slips (pure functions, no rendering) ---------------------------------------------------


def test_ocr_specks_dropped_but_real_dots_kept():
    from pipeline.match.ocrtext import ocr_punctuation

    assert ocr_punctuation("项目15.项，服务") == "项目15项，服务"
    assert ocr_punctuation("不少于50.场。") == "不少于50场。"
    assert ocr_punctuation("站30·个，开") == "站30个，开"
    assert ocr_punctuation("挂牌。 ·试点将") == "挂牌。 试点将"
    assert ocr_punctuation("和企业集聚。·") == "和企业集聚。"
    assert ocr_punctuation("ordoskx@sohu.com .") == "ordoskx@sohu.com "
    assert ocr_punctuation("“抓手”.问题") == "“抓手”问题"
    assert ocr_punctuation("/·..") == "/"
    assert ocr_punctuation("经审核，*申报书") == "经审核，申报书"  # a seal's star
    assert ocr_punctuation("问题。\n:试点将") == "问题。\n试点将"
    assert ocr_punctuation(": 该单位") == " 该单位"
    assert ocr_punctuation("/ •") == "/ "
    assert ocr_punctuation("1985-05.") == "1985-05"
    for kept in ("ordoskx@sohu.com", "1977.01", "增长3.5倍", "工作。2.加强组织", "1.工作计划",
                 "申报单位：长治市", "电话：0351", "a*b"):
        assert ocr_punctuation(kept) == kept


def test_ocr_paragraph_indent_measured_in_printed_characters():
    # OCR boxes stand taller (21 pt) than the 16 pt print; the next paragraph's indent, cut to
    # 14 pt by a loose box, is still most of a character and starts a paragraph.
    from pipeline.match import Line, Region
    from pipeline.read import Box, Word

    texts = [(128, 502, "进入乡镇（街道）科协班子。2025年，长治市科协获"),
             (128, 511, "评全省科协系统综合考核优秀等次。开展科技工作者状"),
             (129, 469, "会，及时总结经验、研究解决试点中遇到的问题。"),
             (142, 511, "推动“科普中国”资源精准落地，完善县、乡、村")]
    lines = [Line([Word(x0, 400 + 28 * i, x1, 421 + 28 * i, text)]) for i, (x0, x1, text) in enumerate(texts)]
    region = Region(1, Box(122, 390, 522, 520), lines, True, ocr=True)
    assert region.text.split("\n")[-1] == texts[-1][2]


def test_ocr_date_box_holds_a_date_or_nothing():
    # The seal stamped over 「（单位公章）」 makes OCR read 「确位公章）」: no date was written.
    from pipeline.match import Document, Matcher

    form = load_form("申报书")
    spec = next(s for s in form.fields if s.key == "申报单位意见.日期")
    matcher = Matcher(Document([]), form)
    assert matcher.clean("确位公章）", spec, ocr=True) == ""
    assert matcher.clean("（单位公章）\n2026年5月29日", spec, ocr=True) == "2026年5月29日"
    assert matcher.clean("/", spec, ocr=True) == "/"
    assert matcher.clean("2026.年6月5日", spec, ocr=True) == "2026年6月5日"
    assert matcher.clean("二〇二六年五月", spec, ocr=True) == "二〇二六年五月"  # kept for the format check


def test_ocr_label_matches_through_specks():
    from pipeline.match import Line, Region
    from pipeline.read import Box, Word

    lines = [Line([Word(0, 0, 40, 13, "电子 ·")]), Line([Word(0, 20, 26, 33, "邮箱")])]
    region = Region(1, Box(0, 0, 60, 40), lines, True, ocr=True)
    assert region.find("电子邮箱") is not None
    assert Region(1, Box(0, 0, 60, 40), lines, True).find("电子邮箱") is None  # text layer: as written
    numbered = Region(1, Box(0, 0, 200, 20), [Line([Word(0, 0, 80, 13, "1.工作计划")])], True, ocr=True)
    assert numbered.find("1.工作计划") is not None


def test_signer_area_inside_one_ocr_word_holding_both_labels_and_the_scribble():
    from pipeline.match import Line
    from pipeline.match.marks import printed_end, printed_part, printed_start
    from pipeline.read import Box, Word

    em = 13.1  # 12 characters of 「申报单位负责人（签章）：」, a scribble, then 「（单位公章)」
    word = Word(86.8, 603.7, 399.6, 628.9, "申报单位负责人（签章）：（单位公章)")
    line = Line([word])
    x0 = printed_end(line, 11, em, 0.0)
    x1 = printed_start(line, 12, em, 0.0)
    assert 240 <= x0 <= 255 and 315 <= x1 <= 335
    parts = printed_part(word, Box(x0, 590, x1, 640), em)
    assert len(parts) == 2 and parts[0].x1 <= x0 and parts[1].x0 >= x1
    plain = Line([Word(85.7, 177.1, 243.4, 190.1, "试点单位负责人（签章）：")])
    assert abs(printed_end(plain, 11, em, 243.0) - 243.4) < 1  # a word of print only: its end
    # a short scribble (3 em) OCR took in with half-width 「(」「)」 and lost 「（」 of the label
    short = Line([Word(86, 157, 363, 181, "试点单位负责人(签章)：单位公章)")])
    x0, x1 = printed_end(short, 11, 13.97, 200.0), printed_start(short, 12, 13.97, 200.0)
    assert 250 <= x0 < x1 - 20 and x1 <= 295
    # the scribble read as a character of the label's word
    read = Line([Word(87, 620, 224, 634, "申报单位负责人(签章):"), Word(260, 611, 363, 635, "4(单位公章)")])
    assert 270 <= printed_start(read, 12, 13.62, 274.7) <= 285


@pytest.mark.parametrize("signed", [True, False])
def test_a_scribble_ocr_read_as_part_of_the_label_is_still_a_signature(signed):
    # OCR read the scribble left of 「(单位公章)」 as a character of that word: 「4(单位公章)」.
    import numpy as np
    from PIL import Image, ImageDraw

    from pipeline.match import Found, Line, Region
    from pipeline.match.marks import signature_verdict
    from pipeline.read import Box, PageLayout, Word

    dpi = 150
    k = dpi / 72
    page = Image.new("RGB", (int(600 * k), int(720 * k)), (236, 236, 236))
    if signed:
        ImageDraw.Draw(page).line([(x * k, y * k) for x, y in ((262, 632), (268, 612), (272, 630), (279, 614))],
                                  fill=(30, 30, 30), width=int(1.2 * k))
    lines = [Line([Word(87, 510, 495, 525, "申报单位意见（包括是否同意推荐，申报书所填内容是否准确等）：")]),
             Line([Word(113, 534, 465, 550, "经审核，申报书所填内容属实，同意推荐安吉县科协申报本批试点。")]),
             Line([Word(87, 620, 224, 634, "申报单位负责人(签章):"), Word(260, 611, 363, 635, "4(单位公章)")]),
             Line([Word(429, 647, 487, 658, "年月日")])]
    region = Region(3, Box(79, 506, 521, 694), lines, True, ocr=True)
    layout = PageLayout(number=3, width=600, height=720, words=[w for l in lines for w in l.words],
                        cells=[region.box], seals=[], source="ocr")
    spec = next(s for s in load_form("申报书").fields if s.key == "申报单位意见.签章")
    mark = signature_verdict(Found(region), spec, {3: layout}, {3: (np.asarray(page), dpi)})
    assert mark["present"] is signed and mark["page"] == 3

    # no 「(单位公章)」 on the signer's line, but a printed date: print, not a signature
    page = Image.new("RGB", (int(600 * k), int(720 * k)), (236, 236, 236))
    date = Word(380, 621, 470, 634, "2026年5月1日")
    draw = ImageDraw.Draw(page)
    for x in range(int(date.x0) + 2, int(date.x1) - 8, 10):  # character-like strokes, not rules
        draw.line([(x * k, 623 * k), ((x + 7) * k, 632 * k)], fill=(30, 30, 30), width=int(1.2 * k))
        draw.line([(x * k, 632 * k), ((x + 7) * k, 623 * k)], fill=(30, 30, 30), width=int(1.2 * k))
    lines[2] = Line([Word(87, 620, 224, 634, "申报单位负责人(签章):"), date])
    region = Region(3, Box(79, 506, 521, 694), lines[:3], True, ocr=True)
    layout = PageLayout(number=3, width=600, height=720, words=[w for l in lines[:3] for w in l.words],
                        cells=[region.box], seals=[], source="ocr")
    assert not signature_verdict(Found(region), spec, {3: layout}, {3: (np.asarray(page), dpi)})["present"]


@pytest.mark.parametrize("colour", [True, False])
@pytest.mark.parametrize("signed", [True, False])
def test_a_thin_scribble_ocr_read_as_latin_letters_is_a_signature(signed, colour):
    # r3141/023 (a 1-bit scan): OCR read a light scribble as its own word 「7OP」; its ink was
    # left out as print and the area, nearly blank, was judged 「签章处未见签名或名章」
    import numpy as np
    from PIL import Image, ImageDraw

    from pipeline.match import Found, Line, Region
    from pipeline.match.marks import signature_verdict
    from pipeline.read import Box, PageLayout, Word

    dpi = 150
    k = dpi / 72
    page = Image.new("RGB", (int(600 * k), int(720 * k)), (255, 255, 255))
    lines = [Line([Word(87, 510, 495, 525, "试点单位意见（包括是否同意推荐，申报书所填内容是否准确等）：")]),
             Line([Word(113, 534, 200, 550, "同意推荐。")]),
             Line([Word(87, 620, 224, 634, "试点单位负责人(签章):"), Word(330, 620, 420, 634, "(单位公章)")]),
             Line([Word(429, 647, 487, 658, "2026年5月27日")])]
    if signed:  # three thin strokes, a few pixels of ink in all
        draw = ImageDraw.Draw(page)
        for stroke in (((240, 614), (247, 615), (243, 630)), ((252, 620), (258, 630), (263, 619)),
                       ((270, 618), (276, 616), (279, 624), (271, 627))):
            draw.line([(x * k, y * k) for x, y in stroke], fill=(0, 0, 0), width=1)
        lines[2].words.insert(1, Word(238, 612, 282, 631, "7OP"))
    region = Region(3, Box(79, 506, 521, 694), lines, True, ocr=True)
    layout = PageLayout(number=3, width=600, height=720, words=[w for l in lines for w in l.words],
                        cells=[region.box], seals=[], source="ocr", kind="scan", colour=colour)
    spec = next(s for s in load_form("申报书").fields if s.key == "试点单位意见.签章")
    mark = signature_verdict(Found(region), spec, {3: layout}, {3: (np.asarray(page), dpi)})
    assert mark["present"] is signed, mark


def test_ocr_em_from_printed_characters():
    # OCR's half-width 「(」「):」 stand for full-width print; 「年 月 日」 is mostly gap
    from pipeline.match import Line, Region
    from pipeline.match.regions import ocr_em
    from pipeline.read import Box, Word

    lines = [Line([Word(82, 421, 496, 435, "申报单位意见(包括是否同意推荐，申报书所填内容是否准确等):")]),
             Line([Word(114, 443, 496, 458, "该单位基础扎实、方案可行，同意推荐申报书所填内容准确。")]),
             Line([Word(86, 503, 400, 522, "申报单位负责人(签章):(单位公章)")]),  # took a scribble
             Line([Word(419, 531, 486, 544, "年 月 日")])]
    em = ocr_em(Region(3, Box(79, 414, 521, 584), lines, True, ocr=True))
    assert 13.5 <= em <= 14.5
    # a short answer, a stretched word and a date printed with spaces: the long line decides
    lines = [Line([Word(87, 419, 495, 435, "申报单位意见(包括是否同意推荐，申报书所填内容是否准确等):")]),
             Line([Word(114, 443, 174, 456, "同意推荐。")]),
             Line([Word(87, 506, 400, 523, "申报单位负责人(签章):(单位公章)")]),
             Line([Word(388, 531, 486, 544, "2026年5月1日")])]
    em = ocr_em(Region(3, Box(79, 414, 521, 584), lines, True, ocr=True))
    assert 13.0 <= em <= 14.0


def test_row_broken_across_pages_is_one_row():
    """西藏's form (made without 「不允许跨页断行」) breaks 罗亚楠's row over pages 12–13:
    「…科学技术协会科」 | 「普部」. It is one person, not a person and a partly filled row."""
    result = invoke("extract", SAMPLES / "returned" / "西藏自治区科学技术协会.pdf", "--form", "申报书")
    team = json.loads(result.stdout)["files"][0]["fields"]["主要参与团队"]
    assert len(team) == 11
    row = next(r for r in team if r["姓名"] == "罗亚楠")
    assert row == {"姓名": "罗亚楠", "性别": "男", "出生年月": "1978.12",
                   "单位": "西藏自治区科学技术协会科普部", "职务职称": "四级主任科员"}
    assert all(r["姓名"] for r in team)


@pytest.mark.parametrize("previous, values, merged", [
    # the rest of the 单位 over the break: merged
    ({"姓名": "罗亚楠", "单位": "协会科", "职务职称": "科员"}, {"姓名": "", "单位": "普部", "职务职称": ""}, True),
    # a name of its own: a new row
    ({"姓名": "罗亚楠", "单位": "协会", "职务职称": "科员"}, {"姓名": "魏颖", "单位": "科普部", "职务职称": ""}, False),
    # fills what the previous row left empty: a partly filled row of its own
    ({"姓名": "罗亚楠", "单位": "协会", "职务职称": ""}, {"姓名": "", "单位": "", "职务职称": "科员"}, False),
    # the previous row had no name either: nothing to continue
    ({"姓名": "", "单位": "协会", "职务职称": ""}, {"姓名": "", "单位": "科普部", "职务职称": ""}, False),
])
def test_continuation_rule(previous, values, merged):
    from pipeline.match.rows import continues

    assert continues(previous, values, "姓名") is merged


def test_a_column_the_header_lacks_is_a_doubt_not_a_silent_blank(rendered, tmp_path):
    """A form definition naming a column the printed table does not have (学历): the table is read,
    and the missing column is reported for a person to check — not blanks on every row."""
    from pipeline.extract import extract_file
    from pipeline.validate import check_entry

    data = yaml.safe_load(FORM.path.read_text(encoding="utf-8"))
    data["fields"]["主要参与团队"]["columns"] = {**data["fields"]["主要参与团队"]["columns"], "学历": ["学历"]}
    path = tmp_path / "申报书.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    form = load_form(path)
    entry = extract_file(rendered["pdfs"][0], form)
    team = entry["fields"]["主要参与团队"]
    assert team and all(row["姓名"] for row in team) and all(row["学历"] == "" for row in team)
    assert entry["doubts"] == [{"field": "主要参与团队[].学历", "kind": "column_not_found",
                                "message": "表头中找不到「学历」列，该列未能读出"}]
    problems = check_entry(entry, form)
    assert not [p for p in problems if p.kind == "blank" and p.field.endswith(".学历")]  # no blank on every row
    review = [p for p in problems if p.severity == "review"]
    assert [(p.field, p.kind) for p in review] == [("主要参与团队[].学历", "review")]
    assert "表头中找不到「学历」列" in review[0].message


def test_a_fault_in_kexie_is_named_as_one_logged_and_exits_3(rendered, tmp_path, monkeypatch):
    """A bug in the matcher is not a damaged file: the entry says so, the batch goes on, the
    traceback is in the log, and the command ends with exit 3."""
    import pipeline.extract

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    log = tmp_path / "kexie.log"
    monkeypatch.setenv("KEXIE_LOG", str(log))
    monkeypatch.setattr(pipeline.extract, "read_fields", broken)
    result = invoke("extract", rendered["pdfs"][0], rendered["batch"] / "07-not-a-pdf.pdf", "--form", "申报书")
    assert result.exit_code == 3
    entries = json.loads(result.stdout)["files"]
    assert entries[0]["error"]["kind"] == "internal" and "内部出错" in entries[0]["error"]["message"]
    assert "损坏" not in entries[0]["error"]["message"] and str(log) in entries[0]["error"]["message"]
    assert entries[1]["error"]["kind"] == "unreadable"  # the batch went on
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8") and "Traceback" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("column_x, found", [(79, True), (400, False)])
def test_a_label_cut_by_the_page_break_continues_only_in_the_cell_below_it(column_x, found):
    """「试点单位改革工作亮点与主」 | 「要成效」: the label runs on into the first cell of the next
    page — when that cell stands under it; a cell elsewhere on the page is another box."""
    from pipeline.match import Document, Matcher
    from pipeline.read import Box, PageLayout, Word

    label, value = Box(79, 600, 120, 760), Box(120, 600, 520, 760)
    first = PageLayout(number=1, width=595, height=842, source="text", cells=[label, value],
                       words=[Word(82, 610, 118, 740, "试点单位改革工作亮点与主"), Word(130, 610, 300, 625, "前半段")])
    rest = Box(column_x, 60, column_x + 41, 120)
    second = PageLayout(number=2, width=595, height=842, source="text", cells=[rest],
                        words=[Word(column_x + 3, 70, column_x + 38, 110, "要成效")])
    matcher = Matcher(Document([first, second]), load_form("申报书"))
    spec = next(s for s in FORM.fields if s.key == "改革工作亮点与主要成效")
    value_text, where = matcher.text_field(spec)
    assert (where is not None) is found
    if found:
        assert value_text == "前半段"
