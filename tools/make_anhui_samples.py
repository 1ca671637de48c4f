"""Generate the roster and experts of the seed 003 sample programme (安徽基层科普行动计划).

    python tools/make_anhui_samples.py [--out samples/programs/安徽基层科普行动计划]

Writes roster.xlsx (sheet 名单: the 16 cities and the two 省直管县 that seed 003 第三条 names, each
with its base factors and 基础因素得分) and experts.xlsx (sheet 专家: the 绩效评价 panel).

Seed 003 第六条 names the base factors (人口数、行政区划数、乡村振兴重点帮扶县数) but not how they
make a score: here each is taken as a share of the largest value (×100) and weighted 50/30/20 —
plausible, not the province's rule. The figures are illustrative (near the 2020 census for
population), not official data; the contacts are invented.
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.files import write_atomic
from pipeline.xlsx import add_table, new_book, to_bytes

DEFAULT_OUT = ROOT / "samples" / "programs" / "安徽基层科普行动计划"
SEED = 3
#: (城市, 人口数（万人）, 行政区划数（县级）, 乡村振兴重点帮扶县数, 邮编) — illustrative figures
CITIES = [
    ("合肥市", 937, 9, 0, "230071"), ("芜湖市", 364, 7, 0, "241000"), ("蚌埠市", 330, 7, 1, "233000"),
    ("淮南市", 303, 7, 1, "232001"), ("马鞍山市", 216, 6, 0, "243000"), ("淮北市", 197, 4, 0, "235000"),
    ("铜陵市", 131, 4, 0, "244000"), ("安庆市", 360, 9, 3, "246003"), ("黄山市", 133, 7, 1, "245000"),
    ("滁州市", 399, 8, 1, "239000"), ("阜阳市", 820, 8, 4, "236000"), ("宿州市", 532, 5, 3, "234000"),
    ("六安市", 440, 7, 3, "237000"), ("亳州市", 500, 4, 2, "236800"), ("池州市", 134, 4, 1, "247000"),
    ("宣城市", 200, 6, 0, "242000"), ("广德市", 50, 1, 0, "242200"), ("宿松县", 57, 1, 1, "246500"),
]
#: plausible weights of the three base factors inside 基础因素 (seed 003 is silent)
BASE_WEIGHTS = (Decimal(50), Decimal(30), Decimal(20))
HEADERS = ["序号", "申报单位", "试点单位", "项目名称", "负责人", "职务", "手机", "电子邮箱", "通讯地址", "邮编",
           "项目目标", "考核指标", "组别", "人口数（万人）", "行政区划数", "乡村振兴重点帮扶县数", "基础因素得分"]
STREETS = ("长江路", "人民路", "文化路", "建设路", "胜利路")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗"
GIVEN = "文静明华建国志强海燕丽娟晓东春梅立新玉兰振宇思远"
#: seed 003 第四条: what the programme supports
GOAL = ("围绕基层科普组织队伍建设、基层科普阵地建设和完善创新基层科普服务手段，提升{city}基层科普服务能力，"
        "推动科普资源向乡村和社区延伸。")
INDICATORS = ["建设或提升基层科普阵地{a}个", "培育基层科普志愿服务队伍{b}支", "开展科普进乡村、进社区活动不少于{c}场",
              "形成1份年度项目绩效自评报告"]
EXPERT_UNITS = ["安徽大学管理学院", "中国科学技术大学科技传播系", "合肥工业大学经济学院", "安徽农业大学农学院",
                "安徽师范大学教育科学学院", "安徽省科技馆", "安徽省财政科学研究所", "安徽省社会科学院"]
EXPERT_TITLES = ["教授", "研究员", "副教授", "副研究员", "高级会计师"]


def base_scores(cities=CITIES) -> list[Decimal]:
    """Each city's 基础因素得分 (0–100): Σ weight × value ÷ largest value, to 0.01."""
    largest = [max(c[i] for c in cities) for i in (1, 2, 3)]
    out = []
    for city in cities:
        total = sum(w * Decimal(city[i]) / largest[i - 1] for i, w in zip((1, 2, 3), BASE_WEIGHTS))
        out.append(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return out


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def roster_rows(seed: int = SEED) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for number, (city, people, counties, helped, postcode), base in zip(range(1, 99), CITIES, base_scores()):
        unit = f"{city}科学技术协会"
        counts = {"a": 2 + counties // 2, "b": 3 + helped, "c": 20 + people // 20}
        rows.append([number, unit, unit, f"{city}2026年度基层科普行动计划项目", person(rng), "党组成员、副主席",
                     f"1{rng.choice('35789')}{rng.randrange(10**8, 10**9)}",
                     f"kx{postcode}@example.cn", f"安徽省{city}{rng.choice(STREETS)}{rng.randrange(1, 200)}号", postcode,
                     GOAL.format(city=city), "\n".join(i.format(**counts) for i in INDICATORS),
                     "第一组" if number % 2 else "第二组", people, counties, helped, float(base)])
    return rows


def expert_rows(seed: int = SEED) -> list[list]:
    """Eight reviewers in two groups; one declares a unit to avoid."""
    rng = random.Random(seed + 1)
    rows = []
    for i, unit in enumerate(EXPERT_UNITS):
        avoid = "合肥市科学技术协会" if i == 2 else ""
        rows.append([person(rng), unit, "第一组" if i % 2 == 0 else "第二组", rng.choice(EXPERT_TITLES), avoid])
    return rows


def write_book(path: Path, title: str, header: list[str], rows: list[list]) -> None:
    book = new_book()
    add_table(book, title, header, rows, widths={"申报单位": 24, "试点单位": 24, "项目名称": 34, "项目目标": 50,
                                                   "考核指标": 40, "单位": 30, "通讯地址": 30},
              wrap=("项目目标", "考核指标"))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, to_bytes(book), guard=False)  # a file of the repository, not a user output


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    roster, experts = roster_rows(), expert_rows()
    write_book(args.out / "roster.xlsx", "名单", HEADERS, roster)
    write_book(args.out / "experts.xlsx", "专家", ["姓名", "单位", "组别", "职称", "回避单位"], experts)
    print(f"wrote {args.out / 'roster.xlsx'} ({len(roster)} rows) and experts.xlsx ({len(experts)} experts)")


if __name__ == "__main__":
    main()
