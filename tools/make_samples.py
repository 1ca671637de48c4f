"""Generate the sample roster samples/roster.xlsx (sheet 名单) for kexie.

Deterministic: a fixed random seed, so running it again gives the same file.
The 24 rows are invented but realistic: one row per 申报单位 / 试点单位 pair (a provincial
科协 applying for one of its 地市级科协, or a provincial 科协 as its own pilot), with a
project drawn from the five 试点内容 of the 申报指南 (seed 004, 附件1). Every unit of a sample
returned form (samples/returned/) is among them: a 申报名单 lists every unit that applied, or its
funded project has no 项目名称 or 负责人 for the 公示 and 任务书.

A further programme's folder (samples/programs/<计划简称>/, holding only its program.yaml) gets its
own roster.xlsx and experts.xlsx from ``write_programme_samples``: applicants of the kind the
programme addresses (POOLS), amounts within its 经费, experts in its review groups.

    python tools/make_samples.py [--out samples/roster.xlsx]
    python tools/make_samples.py --programme samples/programs/益阳学会服务能力提升计划
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

SEED = 20260521
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "samples" / "roster.xlsx"

HEADERS = ["序号", "申报单位", "试点单位", "项目名称", "负责人", "职务", "手机", "电子邮箱",
           "通讯地址", "邮编", "资助金额", "项目目标", "考核指标", "组别"]

# 申报单位, 试点单位, short name used in project titles, 通讯地址, 邮编, e-mail stem.
# A 试点单位 equal to the 申报单位 is a provincial pilot (省级试点).
UNITS = [
    ("江苏省科学技术协会", "苏州市科学技术协会", "苏州市", "江苏省苏州市姑苏区三香路120号", "215004", "szast"),
    ("浙江省科学技术协会", "湖州市科学技术协会", "湖州市", "浙江省湖州市吴兴区仁皇山路666号", "313000", "hzkx"),
    ("广东省科学技术协会", "佛山市科学技术协会", "佛山市", "广东省佛山市禅城区岭南大道北18号", "528000", "fskx"),
    ("四川省科学技术协会", "绵阳市科学技术协会", "绵阳市", "四川省绵阳市涪城区临园路东段68号", "621000", "mykx"),
    ("湖南省科学技术协会", "株洲市科学技术协会", "株洲市", "湖南省株洲市天元区长江北路9号", "412007", "zzkx"),
    ("山东省科学技术协会", "潍坊市科学技术协会", "潍坊市", "山东省潍坊市奎文区东风东街6396号", "261061", "wfast"),
    ("河南省科学技术协会", "洛阳市科学技术协会", "洛阳市", "河南省洛阳市洛龙区开元大道218号", "471023", "lykx"),
    ("湖北省科学技术协会", "宜昌市科学技术协会", "宜昌市", "湖北省宜昌市西陵区沿江大道115号", "443000", "yckx"),
    ("安徽省科学技术协会", "芜湖市科学技术协会", "芜湖市", "安徽省芜湖市鸠江区赤铸山东路1号", "241000", "whkx"),
    ("福建省科学技术协会", "泉州市科学技术协会", "泉州市", "福建省泉州市丰泽区东海大街1号", "362000", "qzkx"),
    ("江西省科学技术协会", "赣州市科学技术协会", "赣州市", "江西省赣州市章贡区长征大道1号", "341000", "gzkx"),
    ("陕西省科学技术协会", "宝鸡市科学技术协会", "宝鸡市", "陕西省宝鸡市渭滨区经二路31号", "721000", "bjkx"),
    ("甘肃省科学技术协会", "天水市科学技术协会", "天水市", "甘肃省天水市秦州区民主西路10号", "741000", "tskx"),
    ("贵州省科学技术协会", "遵义市科学技术协会", "遵义市", "贵州省遵义市汇川区厦门路市级行政中心", "563000", "zykx"),
    ("云南省科学技术协会", "曲靖市科学技术协会", "曲靖市", "云南省曲靖市麒麟区寥廓南路375号", "655000", "qjkx"),
    ("广西壮族自治区科学技术协会", "柳州市科学技术协会", "柳州市", "广西壮族自治区柳州市城中区三中路69号", "545001", "lzkx"),
    ("内蒙古自治区科学技术协会", "鄂尔多斯市科学技术协会", "鄂尔多斯市", "内蒙古自治区鄂尔多斯市康巴什区市府大楼", "017010", "ordoskx"),
    ("黑龙江省科学技术协会", "大庆市科学技术协会", "大庆市", "黑龙江省大庆市萨尔图区东风路18号", "163311", "dqkx"),
    ("吉林省科学技术协会", "延边朝鲜族自治州科学技术协会", "延边州", "吉林省延吉市光明街2699号", "133001", "ybkx"),
    ("河北省科学技术协会", "保定市科学技术协会", "保定市", "河北省保定市莲池区东风中路898号", "071000", "bdkx"),
    ("新疆维吾尔自治区科学技术协会", "昌吉回族自治州科学技术协会", "昌吉州", "新疆维吾尔自治区昌吉市延安北路98号", "831100", "cjkx"),
    ("上海市科学技术协会", "上海市浦东新区科学技术协会", "浦东新区", "上海市浦东新区世纪大道2001号", "200135", "pdkx"),
    ("宁夏回族自治区科学技术协会", "宁夏回族自治区科学技术协会", "宁夏", "宁夏回族自治区银川市金凤区北京中路160号", "750002", "nxast"),
    # the provincial pilot of samples/returned/西藏自治区科学技术协会.pdf (it took 海南's place: the other
    # rows, drawn in the same order, stay as they were)
    ("西藏自治区科学技术协会", "西藏自治区科学技术协会", "西藏", "西藏自治区拉萨市城关区江苏路22号", "850000", "xzast"),
]

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟汪范陆金石廖贾韦付方")
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫"]
GIVEN_ONE = list("伟芳敏静磊军勇涛斌刚辉鹏丹颖琳蕾峰昊宁洁毅超娟萍")
GIVEN_TWO = ["建国", "志刚", "海燕", "丽娟", "晓东", "文华", "春梅", "国平", "红霞", "永强", "卫东",
             "晓明", "静怡", "俊杰", "雪梅", "立新", "宏伟", "秀英", "振华", "新民", "瑞芳", "明远",
             "海涛", "玉龙", "小军", "亚楠", "思远", "爱华", "德胜", "丽萍", "文斌", "晓燕"]
DUTIES = ["党组书记、副主席", "党组成员、副主席", "副主席", "学会部部长", "组织人事部部长",
          "科普部部长", "办公室主任", "调研宣传部部长", "企业和农村工作部部长", "一级调研员",
          "改革工作联络处处长", "基层工作部部长"]
MOBILE_PREFIXES = ["133", "135", "136", "137", "138", "139", "150", "151", "152", "158",
                   "159", "177", "180", "181", "186", "187", "188", "189", "199"]
MAIL_DOMAINS = ["163.com", "126.com", "qq.com", "sina.com"]

# One theme per 试点内容 of the 申报指南: title pattern, goal text, candidate indicators.
# {地} is the short place name; {n1}… are filled with plausible counts.
THEMES = [
    ("{地}“三长制”扩面增效与基层科协组织建设试点",
     "以“党建带群建”为引领，推动医院院长、学校校长、农技站站长等“三长”进入乡镇（街道）科协，"
     "健全县、乡、村三级科协组织网络，着力破解基层科协“缺人员、缺经费、缺阵地、缺抓手”问题，"
     "形成可复制、可推广的基层组织建设模式。",
     ["新建或换届乡镇（街道）科协{n1}个，“三长”进入乡镇（街道）科协领导班子实现全覆盖",
      "建成村（社区）科普服务站{n2}个，配备专兼职科普工作人员",
      "制定基层科协组织建设和工作考核制度文件不少于{n3}项",
      "组织基层科协干部专题培训不少于{n4}期、培训{n5}人次",
      "形成1份基层科协组织建设试点工作报告"]),
    ("{地}“科创中国”会地合作服务平台建设试点",
     "围绕地方主导产业需求，搭建学会、高校院所与企业对接的“科创中国”服务平台，建立会地合作、"
     "上下联动的工作机制，促进创新要素向基层和企业集聚，服务地方经济高质量发展。",
     ["引进全国学会、省级学会服务站或专家工作站{n3}个",
      "组织技术需求对接、成果路演等活动不少于{n4}场，征集企业技术需求{n2}项",
      "促成产学研合作项目{n1}项",
      "建成“科创中国”地方服务平台1个，入驻科技服务团队{n6}个",
      "形成1份会地合作工作机制研究报告"]),
    ("{地}基层科普服务能力提升试点",
     "统筹科协系统科普资源，推动“科普中国”资源精准落地，完善县、乡、村三级科普服务体系，"
     "创新科普手段和服务模式，有效提升当地公众科学素质。",
     ["建设或提升改造基层科普阵地{n2}个",
      "开展科普进社区、进农村、进校园活动不少于{n4}场，受众{n7}人次",
      "培育科普志愿服务队伍{n3}支，注册科普志愿者{n5}人",
      "“科普中国”资源落地推送覆盖全部乡镇（街道）",
      "形成1份基层科普服务体系建设试点报告"]),
    ("{地}“网上科协”联系服务科技工作者机制创新试点",
     "聚焦增强联系服务科技工作者能力，建设线上线下联动的“网上科协”工作平台，扩大科协组织覆盖面，"
     "着力解决科技工作者与科协组织联系不亲、不紧的问题。",
     ["建成“网上科协”服务平台1个，实现组织管理、活动发布、建言献策等功能",
      "平台注册科技工作者{n7}人",
      "在园区、企业、高校新建科协组织{n1}个",
      "开展科技工作者状况调查和建言献策活动{n3}次，形成调研报告{n8}份",
      "建立科技工作者联系服务工作制度不少于{n3}项"]),
    ("{地}科技志愿服务助力乡村振兴试点",
     "依托农技协、农村专业技术协会和科技志愿服务队伍，开展科技助力乡村振兴行动，"
     "推进农技专家服务站和乡镇农技协联合会建设，培育特色产业和品牌。",
     ["建设农技专家服务站{n3}个、乡镇农技协联合会{n8}个",
      "组建科技志愿服务队{n6}支，开展科技志愿服务活动不少于{n4}次",
      "开展农业实用技术培训{n4}期，培训农民{n7}人次",
      "帮助培育特色产业品牌{n8}个",
      "形成1份科技助力乡村振兴典型案例汇编"]),
]


def person_name(rng: random.Random, compound: bool) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if compound else rng.choice(SURNAMES)
    one_char = rng.random() < 0.35
    return surname + (rng.choice(GIVEN_ONE) if one_char else rng.choice(GIVEN_TWO))


def indicator_counts(rng: random.Random) -> dict:
    return {"n1": rng.randint(5, 30), "n2": rng.randint(10, 60), "n3": rng.randint(2, 6),
            "n4": rng.randint(8, 40), "n5": rng.choice([200, 300, 500, 800, 1000]),
            "n6": rng.randint(5, 20), "n7": rng.choice([3000, 5000, 8000, 10000, 20000]),
            "n8": rng.randint(2, 5)}


def make_rows(seed: int = SEED) -> list[list]:
    rng = random.Random(seed)
    compound_row = rng.randrange(len(UNITS))  # exactly one person with a compound surname
    odd_amount_row = rng.randrange(len(UNITS))  # one award with odd yuan
    amounts = [rng.choice(range(300000, 400001, 10000)) for _ in UNITS]
    if 350000 not in amounts:
        amounts[rng.randrange(len(UNITS))] = 350000
    if amounts[odd_amount_row] == 350000:
        odd_amount_row = (odd_amount_row + 1) % len(UNITS)
    amounts[odd_amount_row] = 312345
    rows = []
    for index, (applicant, pilot, place, address, postcode, stem) in enumerate(UNITS):
        title, goal, indicators = rng.choice(THEMES)
        counts = indicator_counts(rng)
        chosen = sorted(rng.sample(range(len(indicators)), rng.randint(3, 5)))
        mobile = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        mail = rng.choice([f"{stem}@{rng.choice(MAIL_DOMAINS)}",
                           f"{stem}{rng.randint(1, 99):02d}@{rng.choice(MAIL_DOMAINS)}",
                           f"{stem}_bgs@{rng.choice(MAIL_DOMAINS)}"])
        rows.append([
            index + 1,
            applicant,
            pilot,
            title.format(地=place),
            person_name(rng, compound=index == compound_row),
            rng.choice(DUTIES),
            mobile,
            mail,
            address,
            postcode,
            amounts[index],
            goal,
            "\n".join(indicators[i].format(**counts) for i in chosen),
            rng.choice(["第一组", "第二组", "第三组"]),
        ])
    return rows


def unit_row(rng: random.Random, number: int, unit: tuple, themes: list, amount, groups: list,
             duties: list) -> list:
    """One roster row (HEADERS) for ``unit`` (申报单位, 试点单位, place, 通讯地址, 邮编, e-mail stem)."""
    applicant, pilot, place, address, postcode, stem = unit
    title, goal, indicators = rng.choice(themes)
    counts = indicator_counts(rng)
    chosen = sorted(rng.sample(range(len(indicators)), rng.randint(3, min(5, len(indicators)))))
    mobile = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    mail = f"{stem}{rng.randint(1, 99):02d}@{rng.choice(MAIL_DOMAINS)}"
    return [number, applicant, pilot, title.format(地=place), person_name(rng, compound=False),
            rng.choice(duties), mobile, mail, address, postcode, amount, goal,
            "\n".join(indicators[i].format(**counts) for i in chosen), rng.choice(groups)]


def write_roster(path: Path, rows: list[list]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    thin = Side(style="thin", color="999999")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if cell.row > 1:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    # Keep 手机 and 邮编 as text so leading zeros survive; 资助金额 stays a number.
    for row in ws.iter_rows(min_row=2):
        row[HEADERS.index("手机")].number_format = "@"
        row[HEADERS.index("邮编")].number_format = "@"
        row[HEADERS.index("资助金额")].number_format = "#,##0"
    widths = {"序号": 6, "申报单位": 26, "试点单位": 26, "项目名称": 36, "负责人": 9, "职务": 16,
              "手机": 14, "电子邮箱": 22, "通讯地址": 34, "邮编": 9, "资助金额": 12,
              "项目目标": 50, "考核指标": 50, "组别": 8}
    for i, header in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths[header]
    ws.freeze_panes = "B2"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


EXPERT_UNITS = ["中国科学院科技战略咨询研究院", "清华大学公共管理学院", "北京师范大学政府管理学院", "中国科协创新战略研究院",
                "南京大学社会学院", "浙江大学公共管理学院", "武汉大学政治与公共管理学院", "中山大学政治与公共事务管理学院",
                "四川大学公共管理学院", "复旦大学国际关系与公共事务学院", "中国人民大学公共管理学院", "西安交通大学公共政策与管理学院",
                "苏州市科学技术协会", "湖南省科学技术协会", "中国科普研究所"]
EXPERT_TITLES = ["研究员", "教授", "副研究员", "副教授", "高级工程师"]


def make_experts(rows: list[list], seed: int = SEED) -> list[list]:
    """15 reviewers in three groups of five; two sit in units that apply (conflicts of interest)."""
    rng = random.Random(seed + 1)
    experts = []
    for i, unit in enumerate(EXPERT_UNITS):
        avoid = ""
        if i == 3:  # an expert who declares a unit to avoid (e.g. a former employer)
            avoid = f"{rows[1][1]}、{rows[1][2]}"
        experts.append([person_name(rng, compound=i == 7), unit, ["第一组", "第二组", "第三组"][i % 3],
                        rng.choice(EXPERT_TITLES), avoid])
    return experts


def write_experts(path: Path, experts: list[list]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "专家"
    ws.append(["姓名", "单位", "组别", "职称", "回避单位"])
    for row in experts:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (10, 34, 8, 12, 50)):
        ws.column_dimensions[letter].width = width
    wb.save(path)


POOLS_FILE = Path(__file__).resolve().parent / "sample_pools.yaml"
EXPERTS_PER_GROUP = 5  # 「去掉最高最低分」 needs at least 5 reviewers (samples/program.yaml 评审规则)


def programme_pool(program: dict) -> dict | None:
    """The sample pool (tools/sample_pools.yaml) of the applicants ``program`` addresses; None: UNITS."""
    import yaml

    text = "".join(str(program.get(key) or "") for key in ("名称", "发文机关", "申报范围"))
    pools = yaml.safe_load(POOLS_FILE.read_text(encoding="utf-8"))
    return next((pool for pool in pools if any(word in text for word in pool["适用"])), None)


def programme_amounts(rng: random.Random, program: dict, count: int) -> list:
    """Proposed amounts within the programme's 经费 (下限..上限, round figures); none (blank) for
    因素法, whose amounts come from the scores (pipeline/scores.py)."""
    funds = program.get("经费") or {}
    if funds.get("分配方式") == "因素法":
        return [None] * count
    top = int(funds["上限"])
    low = int(funds.get("下限") or top // 2)
    step = 10000 if top >= 100000 else 1000
    choices = list(range(-(-low // step) * step, top + 1, step)) or [top]
    return [rng.choice(choices) for _ in range(count)]


def programme_samples(program: dict, seed: int = SEED) -> tuple[list[list], list[list]]:
    """(roster rows, experts) for a programme: its pool's applicants, amounts within its 经费,
    five experts in each of its review groups; the 2026 试点's when no pool fits."""
    pool = programme_pool(program)
    if pool is None:
        rows = make_rows(seed)
        return rows, make_experts(rows, seed)
    rng = random.Random(f"{seed}:{pool['名称']}")
    units = [tuple(unit) for unit in pool["单位"]]
    amounts = programme_amounts(rng, program, len(units))
    themes = [tuple(theme) for theme in pool["主题"]]
    rows = [unit_row(rng, i + 1, unit, themes, amounts[i], pool["组别"], pool["职务"])
            for i, unit in enumerate(units)]
    experts = []
    places = list(pool["专家单位"])
    for i in range(EXPERTS_PER_GROUP * len(pool["组别"])):
        avoid = f"{rows[0][1]}" if i == 1 else ""  # one declared conflict of interest, as in seed 004's list
        experts.append([person_name(rng, compound=False), places[i % len(places)],
                        pool["组别"][i % len(pool["组别"])], rng.choice(EXPERT_TITLES), avoid])
    return rows, experts


def write_programme_samples(folder, seed: int = SEED) -> tuple[Path, Path]:
    """Write ``folder``/roster.xlsx and experts.xlsx from ``folder``/program.yaml (deterministic)."""
    import yaml

    folder = Path(folder)
    program = yaml.safe_load((folder / "program.yaml").read_text(encoding="utf-8"))
    rows, experts = programme_samples(program, seed)
    write_roster(folder / "roster.xlsx", rows)
    write_experts(folder / "experts.xlsx", experts)
    return folder / "roster.xlsx", folder / "experts.xlsx"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--programme", type=Path, help="a programme folder holding program.yaml: "
                        "write its roster.xlsx and experts.xlsx")
    args = parser.parse_args(argv)
    if args.programme:
        roster, experts = write_programme_samples(args.programme, args.seed)
        print(f"wrote {roster} and {experts}")
        return
    rows = make_rows(args.seed)
    write_roster(args.out, rows)
    experts = make_experts(rows, args.seed)
    write_experts(args.out.with_name("experts.xlsx"), experts)
    print(f"wrote {args.out} ({len(rows)} rows) and experts.xlsx ({len(experts)} experts)")


if __name__ == "__main__":
    main()
