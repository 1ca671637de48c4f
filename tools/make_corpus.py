"""Generate a corpus of returned 申报书 PDFs with truth files, to measure the form reader on.

Each form NNN gets a synthetic applicant (units from many provinces, compound surnames, phones,
blanks left empty or filled with "/", texts from a few words to several pages), is rendered from
one of several layouts of the 申报书 (tools/corpus_layouts.py: our template and re-laid-out
variants as applicants retype it in Word or WPS), converted to PDF in one LibreOffice run, stamped
with drawn seals and signatures at the 「（签章）：」 and 「（单位公章）」 places of the two 意见 boxes,
and, for some, turned into a print-and-scan image PDF. Special files test the reader's errors:
an owner-password PDF (must read normally), a user-password one ("encrypted"), a truncated one
and a text file named .pdf ("unreadable"), and a real PDF of another document ("not_this_form").

Beside each NNN.pdf, NNN.truth.json holds what the reader should find (extraction keys) and
what 形式审查 must report: ``expected_problems`` ([{field, kind, severity}]) and
``expected_status`` (complete | incomplete | error); the folder's manifest.json lists every file
with the parameters of its variant.

The data keep samples/program.yaml (试点起止日期 within 2026年7月–2027年6月 and 12 months; 意见
dated on or before 2026-06-10). Forms neither scanned nor special get, in order, the SCENARIOS:
complete ones, a provincial pilot with its 试点单位意见 box empty (no problem), and deliberate
violations of each rule of the form's ``checks`` (formats, programme rules, a partly filled row,
no 试点工作负责人, missing marks and dates, a 试点单位 twice). One complete form is also copied
byte for byte under the name of its 申报单位 (the same file twice). Every NNN.pdf draws the
file-name warning (文件名为“申报单位”, seed 004).

    python tools/make_corpus.py --out outputs/corpus [--count 36 --scans 12 --seed 2026]

Deterministic for a seed: the same data, layouts, marks and scan parameters every run (the PDFs'
own creation dates and IDs differ).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_layouts  # noqa: E402

FORM = "申报书"
SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SEAL_FONT_INDEX = 2  # the SC face inside the collection
MM = 72 / 25.4  # PDF points per millimetre

CONTACT_KEYS = ("姓名", "手机", "电子邮箱", "通讯地址", "邮编", "传真", "办公电话")
PEOPLE_KEYS = ("姓名", "性别", "出生年月", "单位", "职务职称")
TEXT_KEYS = ("申报单位推荐理由", "试点单位概况", "改革工作目前进展情况", "改革工作亮点与主要成效",
             "试点内容", "工作计划", "预期成果", "试点成果宣传计划")
OPINIONS = ("申报单位意见", "试点单位意见")
MARK_KINDS = ("签章", "公章")

# --- synthetic applicants ---------------------------------------------------------------------

# 申报单位, 试点单位, short place, 通讯地址, 邮编, e-mail stem, 区号. A 试点单位 equal to the
# 申报单位 is a provincial pilot (省级试点): its 试点单位意见 box stays empty (「省级试点不填写此栏」).
UNITS = [
    ("江苏省科学技术协会", "苏州市科学技术协会", "苏州市", "江苏省苏州市姑苏区三香路120号", "215004", "szast", "0512"),
    ("浙江省科学技术协会", "湖州市科学技术协会", "湖州市", "浙江省湖州市吴兴区仁皇山路666号", "313000", "hzkx", "0572"),
    ("浙江省科学技术协会", "安吉县科学技术协会", "安吉县", "浙江省湖州市安吉县递铺街道昌硕东路1号", "313300", "ajkx", "0572"),
    ("广东省科学技术协会", "佛山市科学技术协会", "佛山市", "广东省佛山市禅城区岭南大道北18号", "528000", "fskx", "0757"),
    ("四川省科学技术协会", "绵阳市科学技术协会", "绵阳市", "四川省绵阳市涪城区临园路东段68号", "621000", "mykx", "0816"),
    ("湖南省科学技术协会", "株洲市科学技术协会", "株洲市", "湖南省株洲市天元区长江北路9号", "412007", "zzkx", "0731"),
    ("山东省科学技术协会", "潍坊市科学技术协会", "潍坊市", "山东省潍坊市奎文区东风东街6396号", "261061", "wfast", "0536"),
    ("河南省科学技术协会", "洛阳市科学技术协会", "洛阳市", "河南省洛阳市洛龙区开元大道218号", "471023", "lykx", "0379"),
    ("湖北省科学技术协会", "宜昌市科学技术协会", "宜昌市", "湖北省宜昌市西陵区沿江大道115号", "443000", "yckx", "0717"),
    ("安徽省科学技术协会", "芜湖市科学技术协会", "芜湖市", "安徽省芜湖市鸠江区赤铸山东路1号", "241000", "whkx", "0553"),
    ("福建省科学技术协会", "泉州市科学技术协会", "泉州市", "福建省泉州市丰泽区东海大街1号", "362000", "qzkx", "0595"),
    ("江西省科学技术协会", "赣州市科学技术协会", "赣州市", "江西省赣州市章贡区长征大道1号", "341000", "gzkx", "0797"),
    ("陕西省科学技术协会", "宝鸡市科学技术协会", "宝鸡市", "陕西省宝鸡市渭滨区经二路31号", "721000", "bjkx", "0917"),
    ("甘肃省科学技术协会", "天水市科学技术协会", "天水市", "甘肃省天水市秦州区民主西路10号", "741000", "tskx", "0938"),
    ("贵州省科学技术协会", "遵义市科学技术协会", "遵义市", "贵州省遵义市汇川区厦门路市级行政中心", "563000", "zykx", "0851"),
    ("云南省科学技术协会", "曲靖市科学技术协会", "曲靖市", "云南省曲靖市麒麟区寥廓南路375号", "655000", "qjkx", "0874"),
    ("广西壮族自治区科学技术协会", "柳州市科学技术协会", "柳州市", "广西壮族自治区柳州市城中区三中路69号", "545001", "lzkx", "0772"),
    ("内蒙古自治区科学技术协会", "鄂尔多斯市科学技术协会", "鄂尔多斯市", "内蒙古自治区鄂尔多斯市康巴什区市府大楼", "017010", "ordoskx", "0477"),
    ("黑龙江省科学技术协会", "大庆市科学技术协会", "大庆市", "黑龙江省大庆市萨尔图区东风路18号", "163311", "dqkx", "0459"),
    ("吉林省科学技术协会", "延边朝鲜族自治州科学技术协会", "延边州", "吉林省延吉市光明街2699号", "133001", "ybkx", "0433"),
    ("河北省科学技术协会", "保定市科学技术协会", "保定市", "河北省保定市莲池区东风中路898号", "071000", "bdkx", "0312"),
    ("新疆维吾尔自治区科学技术协会", "昌吉回族自治州科学技术协会", "昌吉州", "新疆维吾尔自治区昌吉市延安北路98号", "831100", "cjkx", "0994"),
    ("上海市科学技术协会", "上海市浦东新区科学技术协会", "浦东新区", "上海市浦东新区世纪大道2001号", "200135", "pdkx", "021"),
    ("重庆市科学技术协会", "重庆市万州区科学技术协会", "万州区", "重庆市万州区太白路6号", "404100", "wzkx", "023"),
    ("辽宁省科学技术协会", "鞍山市科学技术协会", "鞍山市", "辽宁省鞍山市铁东区胜利南路35号", "114001", "askx", "0412"),
    ("山西省科学技术协会", "长治市科学技术协会", "长治市", "山西省长治市潞州区英雄中路1号", "046000", "czkx", "0355"),
    ("青海省科学技术协会", "海东市科学技术协会", "海东市", "青海省海东市乐都区平安大道8号", "810600", "hdkx", "0972"),
    ("宁夏回族自治区科学技术协会", "宁夏回族自治区科学技术协会", "宁夏", "宁夏回族自治区银川市金凤区北京中路160号", "750002", "nxast", "0951"),
    ("海南省科学技术协会", "海南省科学技术协会", "海南", "海南省海口市美兰区海府路59号", "570203", "hainanast", "0898"),
    ("西藏自治区科学技术协会", "西藏自治区科学技术协会", "西藏", "西藏自治区拉萨市城关区江苏路22号", "850000", "xzkx", "0891"),
]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟汪范陆金石廖贾韦付方")
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "司徒", "慕容", "令狐", "夏侯"]
GIVEN_ONE = list("伟芳敏静磊军勇涛斌刚辉鹏丹颖琳蕾峰昊宁洁毅超娟萍婷")
GIVEN_TWO = ["建国", "志刚", "海燕", "丽娟", "晓东", "文华", "春梅", "国平", "红霞", "永强", "卫东",
             "晓明", "静怡", "俊杰", "雪梅", "立新", "宏伟", "秀英", "振华", "新民", "瑞芳", "明远",
             "海涛", "玉龙", "小军", "亚楠", "思远", "爱华", "德胜", "丽萍", "文斌", "晓燕", "子涵"]
SYLLABLES = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu",
             "sun", "ma", "zhu", "hu", "guo", "lin", "luo", "zheng", "liang", "xie", "song", "han"]
DUTIES = ["党组书记、副主席", "党组成员、副主席", "副主席", "学会部部长", "组织人事部部长",
          "科普部部长", "办公室主任", "调研宣传部部长", "一级调研员", "基层工作部部长",
          "高级工程师", "研究员", "副教授", "科员", "四级主任科员", "部长/高级工程师"]
DEPARTMENTS = ["", "办公室", "学会部", "科普部", "组织人事部", "基层工作部", "科技服务中心"]
MOBILE_PREFIXES = ["133", "135", "136", "137", "138", "139", "150", "151", "152", "158",
                   "159", "177", "180", "181", "186", "187", "188", "189", "199"]
MAIL_DOMAINS = ["163.com", "126.com", "qq.com", "sina.com", "sohu.com"]

# Sentences of the kind 申报书 are written in; {地} is the pilot's short place name.
SENTENCES = [
    "{地}科协坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻落实中央关于群团改革的决策部署。",
    "近年来，{地}科协围绕“三长制”扩面增效，推动医院院长、学校校长、农技站站长进入乡镇（街道）科协班子。",
    "全市已建成乡镇（街道）科协和园区、企业、高校科协组织一百余个，基层组织覆盖面不断扩大。",
    "试点将聚焦基层科协“缺人员、缺经费、缺阵地、缺抓手”问题，探索可复制、可推广的工作模式。",
    "依托“科创中国”服务平台，组织学会、高校院所与企业开展技术需求对接和成果路演活动。",
    "建设线上线下联动的“网上科协”，健全联系服务科技工作者的长效机制。",
    "推动“科普中国”资源精准落地，完善县、乡、村三级科普服务体系。",
    "组建科技志愿服务队伍，开展科技助力乡村振兴行动，培育特色产业和地方品牌。",
    "建立会地合作、上下联动的工作机制，促进创新要素向基层和企业集聚。",
    "试点期间，计划新建村（社区）科普服务站30个，开展科普活动不少于50场。",
    "成立由主要负责同志任组长的试点工作领导小组，明确责任分工和时间节点。",
    "按季度召开试点工作推进会，及时总结经验、研究解决试点中遇到的问题。",
    "形成1份地方科协改革试点报告，提炼一批典型经验和案例。",
    "通过报纸、电视、网站和微信公众号等渠道宣传试点进展和成效。",
    "在“科协改革进行时”等平台报送试点动态信息，推广改革经验。",
    "加强经费管理，专款专用，确保试点资金使用规范、安全、有效。",
    "2025年，{地}科协获评全省科协系统综合考核优秀等次。",
    "{地}“科技工作者之家”建设经验被省科协在全省推广。",
    "引进全国学会服务站3个，促成产学研合作项目15项，服务企业200余家。",
    "开展科技工作者状况调查，形成调研报告2份，相关建议获市委主要领导批示。",
    "下一步，将以试点为契机，进一步推动科协组织向基层延伸、力量向基层下沉。",
    "健全基层科协组织建设和工作考核制度，推动基层科协工作规范化、常态化。",
]
FEW_WORDS = ["详见附件。", "同上。", "见试点方案。", "按申报指南要求执行。", "暂无。", "已在正文说明。"]
OPINION_TEXTS = [
    "同意推荐。", "同意推荐，申报书所填内容真实准确。",
    "经审核，申报书所填内容属实，同意推荐{地}科协申报本批试点。",
    "该单位基础扎实、方案可行，同意推荐。申报书所填内容准确。",
    "同意申报，并将在人员、经费等方面给予支持。",
]


def person_name(rng: random.Random) -> str:
    """A Chinese personal name: about one in seven with a compound surname."""
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.15 else rng.choice(SURNAMES)
    return surname + (rng.choice(GIVEN_ONE) if rng.random() < 0.35 else rng.choice(GIVEN_TWO))


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def office_number(rng: random.Random, area: str) -> str:
    """An office number 0xx-xxxxxxx(x): 8 local digits in large cities, 7 in some others."""
    local = rng.choice("2345678") + digits(rng, 7 if len(area) == 3 or rng.random() < 0.7 else 6)
    return f"{area}-{local}"


def contact(rng: random.Random, unit: tuple, clean: bool = False) -> dict:
    """A 负责人 block with the seven contact fields, some left empty and some "/" (clean: "/"
    where the others leave the blank empty)."""
    _, _, _, address, postcode, stem, area = unit
    person = {
        "姓名": person_name(rng),
        "手机": rng.choice(MOBILE_PREFIXES) + digits(rng, 8),
        "电子邮箱": rng.choice([f"{stem}@{rng.choice(MAIL_DOMAINS)}",
                              f"{stem}{rng.randint(1, 99):02d}@{rng.choice(MAIL_DOMAINS)}",
                              f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}{rng.randint(60, 99)}@{rng.choice(MAIL_DOMAINS)}"]),
        "通讯地址": address,
        "邮编": postcode,
        "传真": office_number(rng, area),
        "办公电话": office_number(rng, area),
    }
    # 「所有空表均需填写，如无内容请填“/”」 (seed 004): some do, some leave the blank empty.
    for key, empty, slash in (("传真", 0.2, 0.3), ("办公电话", 0.1, 0.05), ("电子邮箱", 0.05, 0.05),
                              ("邮编", 0.05, 0.0)):
        roll = rng.random()
        if roll < empty:
            person[key] = "/" if clean else ""
        elif roll < empty + slash:
            person[key] = "/"
    return person


def text_of(rng: random.Random, place: str, kind: str) -> str:
    """A text of the given length kind: "", "/", "few", "paragraph" or "long" (spills a page)."""
    if kind in ("", "/"):
        return kind
    if kind == "few":
        return rng.choice(FEW_WORDS)
    paragraphs = 1 if kind == "paragraph" else rng.randint(5, 9)
    out = []
    for _ in range(paragraphs):
        sentences = rng.sample(SENTENCES, rng.randint(2, 5))
        out.append("".join(s.format(地=place) for s in sentences))
    return "\n".join(out)


def person_row(rng: random.Random, unit_name: str, clean: bool = False) -> dict:
    year, month = rng.randint(1962, 1998), rng.randint(1, 12)
    row = {
        "姓名": person_name(rng),
        "性别": rng.choice("男男女"),
        "出生年月": rng.choice([f"{year}.{month:02d}", f"{year}年{month}月", f"{year}-{month:02d}"]),
        "单位": unit_name + rng.choice(DEPARTMENTS),
        "职务职称": rng.choice(DUTIES),
    }
    if rng.random() < 0.08:
        row[rng.choice(("出生年月", "职务职称"))] = "/" if clean else rng.choice(("", "/"))
    return row


def _local_address(address: str) -> str:
    """The address without its province: 「江苏省苏州市…」 → 「苏州市…」 (tools/returns uses it)."""
    for mark in ("自治区", "省"):
        if mark in address[:9]:
            return address.split(mark, 1)[1]
    return address


def _one_line(person: dict) -> dict:
    """Contacts that fit their cells on one line (street only, a short mailbox): with both 意见
    boxes whole (a box never splits across pages) the 基本情况 page has no line to spare."""
    import re

    person = dict(person)
    street = re.split(r"[市区县]", person["通讯地址"])[-1]
    person["通讯地址"] = street if 2 <= len(street) <= 8 else person["通讯地址"][-8:]
    local, _, _domain = person["电子邮箱"].partition("@")
    if local and local != "/":
        person["电子邮箱"] = f"{local[:6]}@qq.com"
    return person


def program_period(rng: random.Random) -> str:
    """A 试点起止日期 inside samples/program.yaml's 试点期间 (2026-07-01..2027-06-30) and within
    its 周期月数 (12; seed 004: 项目周期原则上为1年)."""
    start = rng.choice((7, 7, 7, 8, 9))
    end = rng.choice((6, 6, 6, 5)) if start == 7 else 6
    return f"2026年{start}月至2027年{end}月"


def signing_date(rng: random.Random) -> str:
    """A date of signature on or before the programme's 截止 (2026-06-10)."""
    month = rng.choice((4, 5, 5, 6))
    day = rng.randint(1, 10) if month == 6 else rng.randint(1, 30)
    return f"2026年{month}月{day}日"


def make_applicant(rng: random.Random, *, provincial: bool | None = None, compact: bool = False,
                   one_line: bool = False,
                   clean: bool = False, unit: tuple | None = None, avoid=()):
    """Synthetic data for one 申报书 (template keys) and a description of its variant.

    The data keep samples/program.yaml's dates. ``clean``: every blank filled (or "/") and both
    意见 dated, so the form passes 形式审查; otherwise some blanks stay empty, as returned forms
    have them. ``unit``: this (申报单位, 试点单位, …) row of UNITS; ``avoid``: 试点单位 already
    used in the batch, not chosen again while others are left (an unplanned duplicate)."""
    if provincial is None:
        provincial = rng.random() < 0.15
    if unit is None:
        pool = [u for u in UNITS if (u[0] == u[1]) == provincial] or UNITS
        unit = rng.choice([u for u in pool if u[1] not in avoid] or pool)
    applicant, pilot, place = unit[0], unit[1], unit[2]
    if provincial:
        pilot = applicant
    period = program_period(rng)

    kinds = {}
    for key in TEXT_KEYS:
        weights = {"": 4, "/": 5, "few": 10, "paragraph": 46, "long": 35}
        if compact:
            weights = {"": 5, "/": 5, "few": 30, "paragraph": 60, "long": 0}
        if clean:
            weights[""] = 0
        kinds[key] = rng.choices(list(weights), weights=list(weights.values()))[0]

    def opinion(filled: bool) -> dict:
        if not filled:
            return {"内容": "", "日期": ""}
        text = rng.choice(OPINION_TEXTS[:2] if compact else OPINION_TEXTS).format(地=place)
        dated = clean or rng.random() < 0.6
        return {"内容": text, "日期": signing_date(rng) if dated else ""}

    leader = contact(rng, unit, clean)
    if compact:  # short values so both 意见 boxes stay on one page
        leader["通讯地址"] = _local_address(leader["通讯地址"])
    if one_line:
        leader = _one_line(leader)
    if provincial:
        style = rng.choice(("same", "slash") if clean else ("same", "slash", "empty"))
        pilot_leader = (dict(leader) if style == "same" else
                        {k: ("/" if style == "slash" else "") for k in CONTACT_KEYS})
    else:
        pilot_leader = contact(rng, unit, clean)
        if compact:
            pilot_leader["通讯地址"] = _local_address(pilot_leader["通讯地址"])
        if one_line:
            pilot_leader = _one_line(pilot_leader)

    team_size = rng.choices(range(13), weights=[4, 3, 5, 6, 7, 8, 8, 7, 6, 4, 4, 3, 3])[0]
    data = {
        "试点单位": pilot,
        "申报单位": applicant,
        "填报年月": f"2026年{rng.randint(5, 6)}月",
        "试点起止日期": period,
        "申报单位负责人": leader,
        "试点单位负责人": pilot_leader,
        "申报单位意见": opinion(True),
        "试点单位意见": opinion(not provincial),
        **{key: text_of(rng, place, kinds[key]) for key in TEXT_KEYS},
        "试点工作负责人": [person_row(rng, pilot, clean) for _ in range(rng.choice((1, 1, 1, 2)))],
        "主要参与团队": [person_row(rng, pilot, clean) for _ in range(team_size)],
    }
    variant = {"provincial": provincial, "texts": kinds, "team_rows": team_size,
               "leader_rows": len(data["试点工作负责人"]), "unit": UNITS.index(unit)}
    return data, variant


def truth_fields(data: dict, marks: dict) -> dict:
    """The values the reader should extract, under the extraction keys."""
    fields = {key: data[key] for key in ("试点单位", "申报单位", "试点起止日期")}
    for whose in ("申报单位负责人", "试点单位负责人"):
        for key in CONTACT_KEYS:
            fields[f"{whose}.{key}"] = data[whose][key]
    for whose in OPINIONS:
        fields[whose] = data[whose]["内容"]
        fields[f"{whose}.日期"] = data[whose]["日期"]  # "" when only 年 月 日 is printed
        for kind in MARK_KINDS:
            fields[f"{whose}.{kind}"] = marks[f"{whose}.{kind}"]["present"]
    for key in TEXT_KEYS:
        fields[key] = data[key]
    for table in ("试点工作负责人", "主要参与团队"):
        fields[table] = [{k: row.get(k, "") for k in PEOPLE_KEYS} for row in data[table]
                         if any(str(row.get(k, "")).strip() for k in PEOPLE_KEYS)]
    return fields


# --- 形式审查: deliberate violations and the problems they must raise ------------------------

#: One scenario per form, given in this order to the forms that are neither scanned nor special
#: (so each injected violation sits on a text-layer form). Each breaks rules of the checks section
#: of pipeline/forms/申报书.yaml, or — "complete", "provincial" — none.
SCENARIOS = ("complete", "provincial", "format_phone_postcode", "format_email_landline",
             "late_and_outside", "too_long", "partial_row", "no_leader", "missing_marks",
             "complete", "duplicate_pilot")
#: the scenario whose 试点单位 "duplicate_pilot" takes over (a form already faulty, so that no
#: complete form turns incomplete)
DUPLICATE_OF = "format_email_landline"
#: the 申报单位意见/试点单位意见 keys a provincial pilot leaves empty (「省级试点不填写此栏」)
PILOT_OPINION = ("试点单位意见", "试点单位意见.日期", "试点单位意见.签章", "试点单位意见.公章")


def inject(scenario: str, data: dict) -> list[dict]:
    """Break the data as the scenario says; return the format and rule problems this makes
    (blanks and missing marks are read off the truth by expected_problems)."""
    made = []

    def fault(key: str, kind: str):
        made.append({"field": key, "kind": kind, "severity": "error"})

    def put(key: str, value: str, kind: str):
        whose, _, sub = key.partition(".")
        if sub:
            data[whose][sub] = value
        else:
            data[key] = value
        fault(key, kind)

    if scenario == "format_phone_postcode":
        put("申报单位负责人.手机", data["申报单位负责人"]["手机"][:10], "format")  # 10 digits
        put("试点单位负责人.邮编", data["试点单位负责人"]["邮编"][:5] if data["试点单位负责人"]["邮编"] not in ("", "/")
            else "31300", "format")
        put("试点单位意见.日期", "2026年6月31日", "format")  # no such day
    elif scenario == "format_email_landline":
        put("申报单位负责人.电子邮箱", "szast163.com", "format")  # no @
        put("试点单位负责人.办公电话", "68572088", "format")  # no area code
        put("申报单位负责人.传真", "68572089", "format")
    elif scenario == "late_and_outside":
        put("申报单位意见.日期", "2026年6月15日", "rule")  # after 截止 2026-06-10
        put("试点起止日期", "2026年6月至2027年5月", "rule")  # starts before 试点期间; 12 months
    elif scenario == "too_long":
        # 7月 to 8月 of the next year is 13 months (seed 004's own 「2020年7月至2021年7月」 is its
        # 「1年」: months are counted end minus start): longer than 周期月数 12, and past 试点期间
        put("试点起止日期", "2026年7月至2027年8月", "rule")
        fault("试点起止日期", "rule")
    elif scenario == "no_leader":
        data["试点工作负责人"] = []  # 「至少一行」: a blank of the table itself
        put("试点起止日期", "2026年7月至2027年12月", "rule")  # 18 months, ends after 试点期间
        fault("试点起止日期", "rule")
    elif scenario == "partial_row":
        team = data["主要参与团队"]
        while len(team) < 3:
            team.append(person_row(random.Random(len(team)), data["试点单位"], clean=True))
        team[0]["职务职称"] = "/"  # filled with "/": not a problem
        team[1]["职务职称"] = ""  # a partly filled row: a blank of that cell
        team[2]["出生年月"] = "80年5月"
        fault("主要参与团队[2].出生年月", "format")
        put("试点起止日期", "2026年下半年至2027年上半年", "format")
    elif scenario == "missing_marks":
        data["试点单位意见"]["日期"] = ""
        data["工作计划"] = ""
        data["申报单位负责人"]["传真"] = ""
    return made


def scenario_marks(scenario: str, plan: dict) -> dict:
    """The marks plan of a scenario: "missing_marks" leaves out a signature and a seal."""
    if scenario == "missing_marks":
        plan["申报单位意见"]["sign"] = False
        plan["试点单位意见"]["seal"] = "absent"
    return plan


def expected_problems(fields: dict, provincial: bool, injected: list[dict], file_name: str) -> list[dict]:
    """The problems 形式审查 must report for one readable form, from what the generator made:
    its truth fields, whether it is a provincial pilot, the injected violations, its file name
    (duplicates across the batch are added by generate)."""
    exempt = set(PILOT_OPINION) if provincial else set()  # 「省级试点不填写此栏」
    out = []

    def add(key: str, kind: str, severity: str = "error"):
        out.append({"field": key, "kind": kind, "severity": severity})

    for key, value in fields.items():
        if key in exempt:
            continue
        if isinstance(value, bool):  # 意见栏须有签章、公章
            if not value:
                add(key, "missing_signature" if key.endswith(".签章") else "missing_seal")
        elif isinstance(value, list):
            # 部分填写的行须填全；整行空白可以（truth holds no wholly empty row）
            for i, row in enumerate(value):
                for column, cell in row.items():
                    if not str(cell).strip():
                        add(f"{key}[{i}].{column}", "blank")
            if key == "试点工作负责人" and not value:  # 至少一行
                add(key, "blank")
        elif not str(value).strip():  # 「所有空表均需填写，如无内容请填“/”」
            add(key, "blank")
    out.extend(injected)
    # seed 004: 文件名为“申报单位” — a warning
    if fields["申报单位"].strip() not in Path(file_name).stem:
        add("文件名", "rule", "warning")
    return out


def expected_status(error, problems: list[dict]) -> str:
    if error:
        return "error"
    return "incomplete" if any(p["severity"] == "error" for p in problems) else "complete"


# --- drawn marks --------------------------------------------------------------------------------


def draw_seal(rng: random.Random, unit: str, diameter_mm: float, px_per_mm: float = 12.0) -> Image.Image:
    """A red round 公章: ring, star, the unit's name along the upper arc; uneven, translucent ink."""
    size = int(round(diameter_mm * px_per_mm))
    scale = size / 42.0  # drawing units: millimetres of a 42 mm seal
    ink = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(ink)
    ring = 1.2 * scale
    draw.ellipse((ring / 2, ring / 2, size - ring / 2, size - ring / 2), outline=255, width=int(ring))
    # five-pointed star in the centre
    cx = cy = size / 2
    outer, inner = 7.0 * scale, 2.7 * scale
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=255)
    # the unit's name, upright characters turned along the arc from lower left to lower right
    chars = list(unit)
    span = math.radians(min(250, 22 * len(chars) + 40))
    char_mm = min(6.2, 0.92 * (span * 15.0) / max(len(chars), 1))
    font = ImageFont.truetype(SEAL_FONT, int(char_mm * scale * 1.05), index=SEAL_FONT_INDEX)
    text_radius = size / 2 - ring - char_mm * scale * 0.62
    for i, char in enumerate(chars):
        t = (i + 0.5) / len(chars)
        angle = -math.pi / 2 - span / 2 + t * span  # clockwise from the left, 0 = east
        glyph = Image.new("L", (int(char_mm * scale * 1.6),) * 2, 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), char, fill=255, font=font,
                                   anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        gx = cx + text_radius * math.cos(angle) - glyph.width / 2
        gy = cy + text_radius * math.sin(angle) - glyph.height / 2
        ink.paste(255, (int(gx), int(gy)), glyph)
    # uneven ink: a smooth field of pressure, then pores where the ink did not take
    field_small = np.array([[rng.uniform(0.45, 1.0) for _ in range(6)] for _ in range(6)], dtype=np.float32)
    pressure = np.asarray(Image.fromarray((field_small * 255).astype(np.uint8)).resize(
        (size, size), Image.BICUBIC), dtype=np.float32) / 255
    pores = np.random.default_rng(rng.randrange(2**32)).random((size, size)) < 0.06
    alpha = np.asarray(ink.filter(ImageFilter.GaussianBlur(0.8)), dtype=np.float32) / 255
    alpha = alpha * np.clip(pressure + 0.15, 0, 1) * rng.uniform(0.78, 0.92)
    alpha[pores] *= 0.35
    red = (rng.randint(200, 230), rng.randint(20, 45), rng.randint(30, 55))
    rgba = np.zeros((size, size, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = red
    rgba[..., 3] = (np.clip(alpha, 0, 1) * 255).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA").rotate(rng.uniform(-18, 18), resample=Image.BICUBIC)


def _spline(points, steps=12):
    """Catmull-Rom curve through points: a smooth pen path."""
    if len(points) < 3:
        return points
    padded = [points[0], *points, points[-1]]
    out = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1:i + 3]
        for s in range(steps):
            t = s / steps
            out.append(tuple(0.5 * ((2 * p1[k]) + (-p0[k] + p2[k]) * t
                                    + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t * t
                                    + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t ** 3)
                             for k in range(2)))
    out.append(points[-1])
    return out


def draw_signature(rng: random.Random, px_per_mm: float = 12.0) -> Image.Image:
    """A handwriting-like signature: 2–3 quick 'characters' of curved strokes, black or blue."""
    glyphs = rng.randint(2, 3)
    cell = 11 * px_per_mm
    width, height = int(cell * (glyphs + 0.8)), int(cell * 1.3)
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    pen = max(2, int(0.45 * px_per_mm))
    for g in range(glyphs):
        x0, y0 = cell * (g + 0.2), cell * 0.15
        for _ in range(rng.randint(2, 4)):
            n = rng.randint(3, 4)
            points = [(x0 + rng.uniform(0, cell * 1.1), y0 + rng.uniform(0.1, 0.95) * cell) for _ in range(n)]
            draw.line(_spline(points), fill=255, width=pen + rng.randint(-1, 1), joint="curve")
    # a closing flourish
    last = [(cell * (glyphs - 0.3), height * 0.55), (cell * (glyphs + 0.2), height * 0.35),
            (cell * (glyphs + 0.6), height * rng.uniform(0.5, 0.8))]
    draw.line(_spline(last), fill=255, width=pen, joint="curve")
    # slant like quick handwriting
    shear = rng.uniform(0.1, 0.35)
    canvas = canvas.transform(canvas.size, Image.AFFINE, (1, shear, -shear * height / 2, 0, 1, 0),
                              resample=Image.BICUBIC)
    colour = rng.choice(((25, 25, 30), (20, 45, 150), (30, 30, 110)))
    alpha = np.asarray(canvas.filter(ImageFilter.GaussianBlur(0.7)), dtype=np.float32) * rng.uniform(0.85, 0.97)
    rgba = np.zeros((height, width, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = colour
    rgba[..., 3] = np.clip(alpha, 0, 255).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


# --- geometry of the 意见 boxes in a rendered PDF -----------------------------------------------


@dataclass
class Box:
    """One 意见 box on its page, in PDF points from the page's top-left (pdfplumber's frame)."""

    whose: str  # 申报单位意见 | 试点单位意见
    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float
    sign: dict = field(default_factory=dict)  # bbox of 「…负责人（签章）：」
    seal: dict = field(default_factory=dict)  # bbox of 「（单位公章）」

    def fraction_of_disk(self, page: int, cx: float, cy: float, r: float) -> float:
        """Share of a disk's area inside this box (0 when on another page)."""
        if page != self.page:
            return 0.0
        g = np.linspace(-1, 1, 81)
        xs, ys = np.meshgrid(cx + r * g, cy + r * g)
        inside_disk = (xs - cx) ** 2 + (ys - cy) ** 2 <= r * r
        inside_box = (xs >= self.x0) & (xs <= self.x1) & (ys >= self.top) & (ys <= self.bottom)
        return float((inside_disk & inside_box).sum() / inside_disk.sum())


SIGN_PATTERN = r"(申报|试点)单位负责人\s*[（(]\s*签\s*章\s*[）)]\s*[：:]"
SEAL_PATTERN = r"[（(]\s*单\s*位\s*公\s*章\s*[）)]"


def find_opinion_boxes(pdf_path: Path) -> dict[str, Box]:
    """Find the 签章 and 公章 words of both 意见 boxes and the ruling lines around them."""
    import pdfplumber

    boxes: dict[str, Box] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            signs = page.search(SIGN_PATTERN, regex=True)
            if not signs:
                continue
            seals = page.search(SEAL_PATTERN, regex=True)
            rules = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 200]
            for sign in signs:
                whose = sign["text"][:2] + "单位意见"
                seal = min(seals, key=lambda s: abs(s["top"] - sign["top"]), default=None)
                above = [e for e in rules if e["top"] < sign["top"] - 1]
                below = [e for e in rules if e["top"] > sign["bottom"] + 1]
                top = max((e["top"] for e in above), default=37 * MM)
                bottom = min((e["top"] for e in below), default=page.height - 35 * MM)
                near = [e for e in rules if abs(e["top"] - top) < 1 or abs(e["top"] - bottom) < 1] or rules
                boxes[whose] = Box(whose, number, min(e["x0"] for e in near), top,
                                   max(e["x1"] for e in near), bottom,
                                   sign={k: sign[k] for k in ("x0", "top", "x1", "bottom")},
                                   seal={k: seal[k] for k in ("x0", "top", "x1", "bottom")} if seal else {})
    return boxes


# --- marks: plan, place, overlay -------------------------------------------------------------


def plan_marks(rng: random.Random, provincial: bool, wrong_box: bool, clean: bool = False) -> dict:
    """Which marks a form gets: per box, seal ok|bleed|absent|wrong_box and signature yes/no
    (clean: every box signed and sealed)."""
    plan = {}
    for whose in OPINIONS:
        if whose == "试点单位意见" and provincial:
            plan[whose] = {"seal": "absent", "sign": False}
            continue
        seal = rng.choices(("ok", "bleed", "absent"), weights=(60, 22, 0 if clean else 18))[0]
        plan[whose] = {"seal": seal, "sign": clean or rng.random() < 0.75}
    if wrong_box:
        plan["申报单位意见"]["seal"] = "wrong_box"
        plan["试点单位意见"]["seal"] = "absent"  # the misplaced seal is the only one in that box
    return plan


def _seal_centre_y(box: Box, cx: float, r: float, how: str, share: float, cy: float) -> tuple[float, str]:
    """Where to put a seal's centre vertically: "ok" inside its box (as far as the box allows),
    "bleed"/"wrong_box" moved down over the box's bottom line until only `share` stays inside."""
    centre = (box.top + box.bottom) / 2
    best = box.fraction_of_disk(box.page, cx, centre, r)
    if how != "ok" and best < share + 0.05:
        how = "ok"  # a box shorter than the seal (the tail of a box split over two pages)
    if how == "ok":
        step = 1.0 if cy < centre else -1.0
        while box.fraction_of_disk(box.page, cx, cy, r) < min(0.97, best) - 1e-6 and abs(cy - centre) > 1:
            cy += step
        return cy, how
    cy = max(cy, centre)
    while box.fraction_of_disk(box.page, cx, cy, r) > share and cy < box.bottom + r:
        cy += 1.0
    return cy, how


def place_marks(rng: random.Random, plan: dict, boxes: dict[str, Box], unit_of: dict) -> list[dict]:
    """Positions (points, top-left frame) of the seal and signature images of one form."""
    placements = []
    for whose in OPINIONS:
        box = boxes.get(whose)
        if box is None:
            continue
        wants = plan[whose]
        if wants["sign"] and box.sign:
            w = rng.uniform(70, 105)
            image = draw_signature(rng)
            h = w * image.height / image.width
            x = box.sign["x1"] + rng.uniform(2, 22)
            y = (box.sign["top"] + box.sign["bottom"]) / 2 - h * rng.uniform(0.45, 0.65)
            placements.append({"kind": "签章", "aimed": whose, "page": box.page,
                               "x": x, "y": y, "w": w, "h": h, "image": image})
        if wants["seal"] == "absent" or not box.seal:
            continue
        diameter_mm = rng.uniform(40, 42)
        r = diameter_mm * MM / 2
        cx = (box.seal["x0"] + box.seal["x1"]) / 2 + rng.uniform(-14, 8)
        cx = min(cx, box.x1 - r * 0.6)
        cy = (box.seal["top"] + box.seal["bottom"]) / 2 + rng.uniform(-18, 4)
        # bleed: across the line below, most of it still in its own box;
        # wrong_box: over the bottom edge, most of it in the box below
        share = rng.uniform(0.2, 0.35) if wants["seal"] == "wrong_box" else rng.uniform(0.6, 0.8)
        cy, how = _seal_centre_y(box, cx, r, wants["seal"], share, cy)
        image = draw_seal(rng, unit_of[whose], diameter_mm)
        side = image.width / (12.0 / MM)  # the rotated image's side in points
        placements.append({"kind": "公章", "aimed": whose, "page": box.page, "cx": cx, "cy": cy, "r": r,
                           "x": cx - side / 2, "y": cy - side / 2, "w": side, "h": side,
                           "image": image, "placement": how})
    return placements


def marks_truth(placements: list[dict], boxes: dict[str, Box]) -> dict:
    """Truth of the four marks: present where the box holds most of a mark's area."""
    marks = {}
    for whose in OPINIONS:
        for kind in MARK_KINDS:
            box = boxes.get(whose)
            marks[f"{whose}.{kind}"] = {"present": False, "page": box.page if box else None}
    for p in placements:
        if p["kind"] == "公章":
            shares = {w: b.fraction_of_disk(p["page"], p["cx"], p["cy"], p["r"]) for w, b in boxes.items()}
        else:  # a signature is small: the box holding its centre
            centre = (p["x"] + p["w"] / 2, p["y"] + p["h"] / 2)
            shares = {w: float(b.page == p["page"] and b.x0 <= centre[0] <= b.x1 and b.top <= centre[1] <= b.bottom)
                      for w, b in boxes.items()}
        p["shares"] = {w: round(s, 3) for w, s in shares.items()}
        holder = max(shares, key=shares.get) if shares else None
        p["box"] = holder if holder and shares[holder] > 0 else None
        if p["box"]:
            marks[f"{p['box']}.{p['kind']}"] = {"present": True, "page": boxes[p["box"]].page}
    return marks


def overlay_marks(src: Path, dst: Path, placements: list[dict]) -> None:
    """Draw the mark images over the pages of src (text layer kept) and write dst."""
    import pikepdf
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    if not placements:
        shutil.copyfile(src, dst)
        return
    with pikepdf.open(src) as pdf:
        by_page: dict[int, list[dict]] = {}
        for p in placements:
            by_page.setdefault(p["page"], []).append(p)
        buffer = io.BytesIO()
        sheet = canvas.Canvas(buffer)
        order = sorted(by_page)
        for number in order:
            _, _, width, height = (float(v) for v in pdf.pages[number - 1].mediabox)
            sheet.setPageSize((width, height))
            for p in by_page[number]:
                sheet.drawImage(ImageReader(p["image"]), p["x"], height - p["y"] - p["h"], p["w"], p["h"],
                                mask="auto")
            sheet.showPage()
        sheet.save()
        with pikepdf.open(io.BytesIO(buffer.getvalue())) as marks:
            for number, mark_page in zip(order, marks.pages):
                pdf.pages[number - 1].add_overlay(mark_page)
            pdf.save(dst)


# --- print and scan ---------------------------------------------------------------------------


def scan_pdf(src: Path, dst: Path, rng: random.Random) -> dict:
    """Rasterise src like a print-and-scan: dpi, tilt, grey paper, speckles, blur, JPEG."""
    import cv2
    import pypdfium2 as pdfium

    dpi = rng.choice((150, 200, 300))
    angle = round(rng.uniform(-2, 2), 1)  # degrees, counter-clockwise positive
    quality = rng.randint(60, 85)
    paper = (np.array([rng.uniform(222, 240)] * 3) + np.array([2, 1, -3]) * rng.uniform(0, 2)).astype(np.float32)
    noise = np.random.default_rng(rng.randrange(2**32))
    cv2.setRNGSeed(rng.randrange(2**31))
    blur = rng.uniform(0.4, 0.9)
    pages = []
    document = pdfium.PdfDocument(str(src))
    try:
        for page in document:
            image = np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"), dtype=np.float32)
            h, w = image.shape[:2]
            image *= paper / 255  # white paper turns grey
            # light falls unevenly across the glass
            shade = np.linspace(rng.uniform(0.96, 1.0), rng.uniform(0.96, 1.02), w, dtype=np.float32)
            image *= shade[None, :, None]
            matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
            image = cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR,
                                   borderValue=tuple(float(v) for v in paper))
            grain = np.empty_like(image)
            cv2.randn(grain, 0.0, rng.uniform(3, 7))  # seeded below: cv2.setRNGSeed
            image += grain
            count = int(w * h * rng.uniform(2e-5, 6e-5))
            ys, xs = noise.integers(0, h, count), noise.integers(0, w, count)
            for y, x in zip(ys, xs):
                radius = int(noise.integers(0, 2 + dpi // 150))
                cv2.circle(image, (int(x), int(y)), radius, (float(noise.uniform(30, 110)),) * 3, -1)
            image = cv2.GaussianBlur(image, (0, 0), blur * dpi / 200)
            rgb = np.clip(image, 0, 255).astype(np.uint8)
            out = io.BytesIO()
            Image.fromarray(rgb).save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
            pages.append((out.getvalue(), w, h))
            page.close()
    finally:
        document.close()
    _image_pdf(pages, dpi, dst)
    return {"dpi": dpi, "angle": angle}, {"jpeg_quality": quality, "blur": round(blur, 2),
                                          "paper": [round(float(v)) for v in paper]}


def _image_pdf(pages: list[tuple[bytes, int, int]], dpi: int, dst: Path) -> None:
    """An image-only PDF: one JPEG per page (DCTDecode, not re-encoded), no text layer."""
    import pikepdf
    from pikepdf import Dictionary, Name

    pdf = pikepdf.Pdf.new()
    for jpeg, w, h in pages:
        width, height = w * 72 / dpi, h * 72 / dpi
        image = pikepdf.Stream(pdf, jpeg, Type=Name.XObject, Subtype=Name.Image, Width=w, Height=h,
                               ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode)
        content = pikepdf.Stream(pdf, f"q {width:.3f} 0 0 {height:.3f} 0 0 cm /Scan Do Q".encode())
        page = Dictionary(Type=Name.Page, MediaBox=[0, 0, width, height], Contents=content,
                          Resources=Dictionary(XObject=Dictionary(Scan=image)))
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(dst)


# --- the corpus -------------------------------------------------------------------------------


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _notice_docx(path: Path) -> None:
    """The 通知 of samples/program.yaml: a real PDF that is not this form."""
    from pipeline.program import announcement_period, load_program
    from pipeline.render import build_context, find_template, render_docx

    spec = find_template("通知")
    program = load_program(ROOT / "samples" / "program.yaml")
    extra = {}
    if program.get("公示", {}).get("开始"):
        start, end = announcement_period(program)
        extra = {"公示期": {"开始": start, "结束": end}}
    path.write_bytes(render_docx(spec, build_context(spec, {}, program, extra), record="通知"))


def _scan_indices(count: int, scans: int) -> set[int]:
    """Forms to scan, spread evenly so that they fall on different layouts."""
    scans = min(scans, count)
    return {min(count - 1, int((k + 0.5) * count / scans)) for k in range(scans)}


def generate(out_dir, count: int = 36, scans: int = 12, seed: int = 2026) -> list[Path]:
    """Write `count` returned forms (of which `scans` print-and-scan) and 5 special files, each
    NNN.pdf with NNN.truth.json, plus manifest.json, into out_dir; return the PDFs' paths."""
    from pipeline.convert import convert_to_pdf
    from pipeline.errors import KexieError
    from pipeline.render import build_context, find_template, render_docx

    if count < 3:
        raise ValueError("count must be at least 3 (one form carries the seal stamped into the wrong box)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / "sources"
    work.mkdir(exist_ok=True)
    old_copies = []
    if (out_dir / "manifest.json").is_file():  # the byte copy of a previous run, named after its unit
        old_manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        old_copies = [out_dir / name for e in old_manifest.get("files", []) if e.get("special") == "byte_copy"
                      for name in (e["file"], e["truth"])]
    for old in [*out_dir.glob("[0-9][0-9][0-9].*"), *work.glob("*"), *old_copies]:
        old.unlink(missing_ok=True)
    layouts = corpus_layouts.build_all(out_dir / "layouts")
    names = list(layouts)
    scan_set = _scan_indices(count, scans)
    wrong_box_index = 2  # form 003: its 申报单位 seal is stamped mostly into the 试点单位意见 box
    # three more forms become special files: owner password, user password, truncated
    specials = {count: "owner_password", count + 1: "user_password", count + 2: "truncated"}

    # the scenarios of 形式审查 go, in order, to forms neither scanned nor special
    plain_forms = [i for i in range(count) if i not in scan_set and i != wrong_box_index]
    scenario_of = dict(zip(plain_forms, SCENARIOS))

    forms, used, unit_of_scenario = [], set(), {}
    for index in range(count + 3):
        rng = random.Random(f"{seed}:{index}")
        wrong_box = index == wrong_box_index
        scenario = scenario_of.get(index)
        provincial = None if scenario is None and not wrong_box else scenario == "provincial"
        unit = UNITS[unit_of_scenario[DUPLICATE_OF]] if scenario == "duplicate_pilot" else None
        data, variant = make_applicant(rng, provincial=provincial, compact=wrong_box, one_line=wrong_box,
                                       clean=wrong_box or scenario is not None, unit=unit, avoid=used)
        used.add(data["试点单位"])
        if scenario:
            unit_of_scenario[scenario] = variant["unit"]
        injected = inject(scenario, data) if scenario else []
        variant["scenario"] = "wrong_box" if wrong_box else scenario
        layout = names[index % len(names)]
        if wrong_box and layout == "wps_like":
            layout = "original"
        stem = f"{index + 1:03d}"
        spec = find_template(str(layouts[layout]))
        docx = work / f"{stem}.docx"
        docx.write_bytes(render_docx(spec, build_context(spec, data), record=stem))
        forms.append({"index": index, "stem": stem, "rng": rng, "data": data, "variant": variant,
                      "layout": layout, "docx": docx, "wrong_box": wrong_box, "injected": injected,
                      "scan": index in scan_set, "special": specials.get(index)})
    notice_stem = f"{count + 4:03d}"
    _notice_docx(work / f"{notice_stem}.docx")

    converted = convert_to_pdf([f["docx"] for f in forms] + [work / f"{notice_stem}.docx"], work)
    failures = {p: e for p, e in converted.items() if isinstance(e, KexieError)}
    if failures:
        raise RuntimeError("LibreOffice failed: " + "; ".join(f"{p.name}: {e}" for p, e in failures.items()))

    entries, outputs, truths = [], [], []
    for form in forms:
        rng, data, stem = form["rng"], form["data"], form["stem"]
        plain = converted[form["docx"]]
        boxes = find_opinion_boxes(plain)
        scenario = form["variant"]["scenario"]
        plan = plan_marks(rng, form["variant"]["provincial"], form["wrong_box"], clean=scenario is not None)
        plan = scenario_marks(scenario, plan)
        if form["wrong_box"]:
            a, b = boxes.get("申报单位意见"), boxes.get("试点单位意见")
            if not (a and b and a.page == b.page and abs(a.bottom - b.top) < 2):
                raise RuntimeError(f"form {stem}: the two 意见 boxes are not stacked on one page; "
                                   "cannot stamp a seal across them")
        unit_of = {"申报单位意见": data["申报单位"], "试点单位意见": data["试点单位"]}
        placements = place_marks(rng, plan, boxes, unit_of)
        marks = marks_truth(placements, boxes)
        target = out_dir / f"{stem}.pdf"
        stamped = work / f"{stem}.stamped.pdf"
        overlay_marks(plain, stamped, placements)

        scan, scan_details, error = None, None, None
        if form["scan"]:
            scan, scan_details = scan_pdf(stamped, target, rng)
        elif form["special"] == "owner_password":
            _encrypt(stamped, target, user="")
        elif form["special"] == "user_password":
            _encrypt(stamped, target, user="kexie-user")
            error = "encrypted"
        elif form["special"] == "truncated":
            blob = stamped.read_bytes()
            target.write_bytes(blob[: len(blob) // 2])
            error = "unreadable"
        else:
            shutil.copyfile(stamped, target)

        fields = truth_fields(data, marks) if error is None else {}
        problems = (expected_problems(fields, form["variant"]["provincial"], form["injected"], target.name)
                    if error is None else [])
        truth = {"file": target.name, "form": FORM, "layout": form["layout"], "scan": scan, "error": error,
                 "fields": fields, "marks": marks if error is None else {},
                 "expected_problems": problems, "expected_status": None}
        truths.append(truth)
        outputs.append(target)
        entries.append({
            "file": target.name, "truth": f"{stem}.truth.json", "layout": form["layout"],
            "special": form["special"], "error": error, "scan": scan, "scan_details": scan_details,
            **form["variant"],
            "marks_plan": plan,
            "marks_placed": [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in p.items()
                              if k not in ("image",)} for p in placements],
            "boxes": {w: {"page": b.page, "rect": [round(b.x0, 1), round(b.top, 1), round(b.x1, 1),
                                                   round(b.bottom, 1)]} for w, b in boxes.items()},
        })

    # the same file twice: a byte copy of the first complete form, named as the notice asks
    # (文件名为“申报单位”), so it draws no file-name warning but is the second of two equal files
    original = next((t for t, f in zip(truths, forms) if f["variant"]["scenario"] == "complete"), None)
    copy = None
    if original is not None:
        copy = dict(original, file=f"{original['fields']['申报单位']}.pdf")
        shutil.copyfile(out_dir / original["file"], out_dir / copy["file"])
        copy["expected_problems"] = [p for p in original["expected_problems"] if p["field"] != "文件名"]
        copy["expected_problems"].append({"field": "文件", "kind": "duplicate", "severity": "error"})
        truths.append(copy)
        outputs.append(out_dir / copy["file"])
        entries.append({"file": copy["file"], "truth": Path(copy["file"]).with_suffix(".truth.json").name,
                        "layout": copy["layout"], "special": "byte_copy", "copy_of": original["file"],
                        "error": None, "scan": copy["scan"]})
    # the same 试点单位 twice (not counting a byte copy): a duplicate on each of them
    by_pilot: dict[str, list[dict]] = {}
    for truth in truths:
        if truth["error"] is None and truth is not copy:
            by_pilot.setdefault(truth["fields"]["试点单位"], []).append(truth)
    for same in by_pilot.values():
        if len(same) > 1:
            for truth in same:
                truth["expected_problems"].append({"field": "试点单位", "kind": "duplicate", "severity": "error"})
    for truth in truths:
        truth["expected_status"] = expected_status(truth["error"], truth["expected_problems"])
        _write_json(out_dir / Path(truth["file"]).with_suffix(".truth.json"), truth)

    # a text file named .pdf, and a real PDF of another document
    not_pdf_stem = f"{count + 4:03d}"
    notice_stem_final = f"{count + 5:03d}"
    shutil.copyfile(converted[work / f"{notice_stem}.docx"], out_dir / f"{notice_stem_final}.pdf")
    (out_dir / f"{not_pdf_stem}.pdf").write_text(
        "这不是 PDF 文件：申报单位把 Word 文件改了扩展名后发来。\n", encoding="utf-8")
    for stem, error, special in ((not_pdf_stem, "unreadable", "not_a_pdf"),
                                 (notice_stem_final, "not_this_form", "other_document")):
        _write_json(out_dir / f"{stem}.truth.json",
                    {"file": f"{stem}.pdf", "form": FORM, "layout": None, "scan": None, "error": error,
                     "fields": {}, "marks": {}, "expected_problems": [], "expected_status": "error"})
        outputs.append(out_dir / f"{stem}.pdf")
        entries.append({"file": f"{stem}.pdf", "truth": f"{stem}.truth.json", "layout": None,
                        "special": special, "error": error, "scan": None})

    # the intermediate PDFs go: `kexie validate` on the folder must see the returned files only
    for scratch in work.glob("*.pdf"):
        scratch.unlink()
    _write_json(out_dir / "manifest.json", {
        "form": FORM, "seed": seed, "count": count, "scans": len(scan_set),
        "layouts": {name: str(path.relative_to(out_dir)) for name, path in layouts.items()},
        "files": entries,
    })
    return outputs


def _encrypt(src: Path, dst: Path, user: str) -> None:
    """Save src with an owner password (AES-256, R=6) and the given user password."""
    import pikepdf

    with pikepdf.open(src) as pdf:
        pdf.save(dst, encryption=pikepdf.Encryption(owner="kexie-owner", user=user, R=6))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate returned 申报书 PDFs with truth files for measuring the reader.",
        epilog="example: python tools/make_corpus.py --out outputs/corpus --count 36 --scans 12")
    parser.add_argument("--out", default=str(ROOT / "outputs" / "corpus"), help="output folder")
    parser.add_argument("--count", type=int, default=36, help="returned forms (plus 5 special files)")
    parser.add_argument("--scans", type=int, default=12, help="how many of them are print-and-scan images")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same corpus)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    paths = generate(args.out, count=args.count, scans=args.scans, seed=args.seed)
    print(f"{len(paths)} PDFs with truth files in {args.out} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
