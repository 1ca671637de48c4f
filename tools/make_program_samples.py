"""Generate the roster and experts of the 益阳 sample programme (seed 001) for kexie.

samples/programs/益阳学会服务能力提升计划/roster.xlsx (sheet 名单): six 市级学会 and 高校科协, two
in each of the programme's three kinds (组别 = 项目类别: 学术交流项目, 社会化服务项目,
学会建设项目), with the columns the 责任书 and 公示 read; experts.xlsx: two reviewers a kind.
The names, people and numbers are invented; the units are of the kind seed 001 addresses.

    python tools/make_program_samples.py [--out samples/programs/益阳学会服务能力提升计划]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402

from make_samples import write_experts  # noqa: E402  (tools/ is not a package)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "samples" / "programs" / "益阳学会服务能力提升计划"
#: the roster's columns: seed 004's without 试点单位 (a 学会 carries out its own project)
HEADERS = ["序号", "申报单位", "项目名称", "负责人", "职务", "手机", "电子邮箱", "通讯地址", "邮编", "资助金额",
           "项目目标", "考核指标", "组别"]
ADDRESS = "湖南省益阳市赫山区康富南路"

# 申报单位, 项目名称, 负责人, 职务, 手机, 邮箱 stem, 资助金额, 项目目标, 考核指标 (one a line), 组别
UNITS = [
    ("益阳市农学会", "益阳现代农业与稻渔综合种养学术研讨会", "周建平", "秘书长", "13907370121", "yynxh", 50000,
     "围绕益阳现代农业发展，举办稻渔综合种养前沿学术研讨会，促进产学研合作和成果转化。",
     "举办市级学术研讨会1次，参会科技工作者不少于150人\n征集学术论文不少于40篇并汇编《论文集》\n"
     "形成决策咨询建议1份报市委、市政府", "学术交流项目"),
    ("益阳市医学会", "益阳市基层医疗新技术学术交流年会", "谢丽华", "副会长兼秘书长", "13873703356", "yyyxh", 40000,
     "举办基层医疗新技术学术交流年会，推广适宜技术，提升基层医务人员诊疗水平。",
     "举办学术年会1次、专题讲座4场\n培训基层医务人员不少于300人次\n推广适宜技术5项", "学术交流项目"),
    ("益阳市机械工程学会", "装备制造企业技术标准与科技评价服务", "曹志强", "理事长", "13786712460", "yyjxxh", 50000,
     "为益阳装备制造企业开展团体标准制定和科技成果评价，承接政府转移职能。",
     "制定团体标准2项\n完成科技成果评价10项\n为企业开展技术咨询服务不少于20次", "社会化服务项目"),
    ("湖南城市学院科学技术协会", "高校科技资源服务益阳中小企业行动", "彭晓燕", "常务副主席", "13975796682", "hncukx", 30000,
     "组织高校科技工作者服务益阳中小企业，开展技术诊断和科技咨询。",
     "组建科技服务团3个\n走访服务企业不少于30家\n促成产学研合作项目3项", "社会化服务项目"),
    ("益阳市计算机学会", "学会会员管理服务信息化建设", "黄海波", "秘书长", "13549725038", "yyjsjxh", 20000,
     "建设学会网站和会员、专家数据库，提高会员管理服务的信息化水平。",
     "建成学会网站和会员管理系统1套\n录入会员信息不少于500人\n建立专家数据库，入库专家不少于60人", "学会建设项目"),
    ("益阳市林学会", "学会内部治理与会员服务体系建设", "罗建军", "副秘书长", "13707374419", "yylxh", 30000,
     "完善学会章程和内部治理结构，健全会员发展、管理、服务体系，在理事会层面建立党的工作小组。",
     "修订学会章程，建立理事会议事规则等制度5项\n发展新会员不少于80人\n建立学会党的工作小组", "学会建设项目"),
]

EXPERTS = [  # 姓名, 单位, 组别, 职称, 回避单位
    ("胡文华", "湖南农业大学", "学术交流项目", "教授", ""),
    ("邓春梅", "益阳市中心医院", "学术交流项目", "主任医师", "益阳市医学会"),
    ("陈卫东", "湖南大学机械与运载工程学院", "社会化服务项目", "教授", ""),
    ("李红霞", "益阳市科技局", "社会化服务项目", "高级工程师", ""),
    ("王国平", "湖南省科学技术协会学会部", "学会建设项目", "研究员", ""),
    ("杨永强", "长沙理工大学", "学会建设项目", "副教授", ""),
]


def make_rows() -> list[list]:
    rows = []
    for number, (unit, title, leader, duty, phone, mail, amount, goal, targets, kind) in enumerate(UNITS, 1):
        values = {"序号": number, "申报单位": unit, "项目名称": title, "负责人": leader, "职务": duty,
                  "手机": phone, "电子邮箱": f"{mail}@163.com", "通讯地址": ADDRESS, "邮编": "413000",
                  "资助金额": amount, "项目目标": goal, "考核指标": targets, "组别": kind}
        rows.append([values.get(header, "") for header in HEADERS])
    return rows


def write_roster(path: Path, rows: list[list]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        row[HEADERS.index("手机")].number_format = "@"  # text: leading zeros and long numbers survive
        row[HEADERS.index("邮编")].number_format = "@"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = make_rows()
    write_roster(args.out / "roster.xlsx", rows)
    write_experts(args.out / "experts.xlsx", [list(e) for e in EXPERTS])
    print(f"wrote {args.out / 'roster.xlsx'} ({len(rows)} rows) and experts.xlsx ({len(EXPERTS)} experts)")


if __name__ == "__main__":
    main()
