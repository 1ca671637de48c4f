"""Benchmark: review packets for 100 submissions of 10 pages, 3 groups of 5 experts; print seconds.

Run on its own (not part of the tests):  .venv/bin/python bench/packet.py [--submissions 100 --blind]
Aim on a 2-core machine: ≤ 60 s for the non-blind run (the packet command from a validation report).

The submissions are text-layer PDFs drawn with reportlab in the shape of the 申报书 (cover with
试点单位/申报单位, 基本情况 with both 负责人 blocks, body pages, the team table), each with its own
unit names and contacts; the validation report that ``kexie packet`` reads lists their fields.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.packet.pages import FONT, cjk_font  # noqa: E402

PROVINCES = ["江苏省", "浙江省", "山东省", "四川省", "湖南省", "广东省", "河南省", "福建省", "安徽省", "江西省"]
CITIES = ["苏州市", "湖州市", "潍坊市", "绵阳市", "株洲市", "佛山市", "洛阳市", "泉州市", "芜湖市", "赣州市"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "晓明", "伟", "静", "洋", "敏", "丽", "强", "磊", "军", "杰", "娟"]
BODY = ("围绕科协组织深化改革，健全联系广泛、服务群众的群团工作体系，推动学会治理、科普服务和"
        "科技志愿服务机制创新，形成可复制、可推广的制度成果。")


def fields_for(i: int) -> dict:
    province, city = PROVINCES[i % 10], CITIES[(i // 10) % 10]
    person = lambda k: SURNAMES[(i * 3 + k) % len(SURNAMES)] + GIVEN[(i + k) % len(GIVEN)]  # noqa: E731
    fields = {"申报单位": f"{province}科学技术协会", "试点单位": f"{city}第{i + 1}科学技术协会"}
    for k, block in enumerate(("申报单位负责人", "试点单位负责人")):
        fields.update({f"{block}.姓名": person(k), f"{block}.手机": f"139{i:04d}{k:04d}",
                       f"{block}.电子邮箱": f"s{i}b{k}@kx.org.cn",
                       f"{block}.通讯地址": f"{city}人民路{i + 1}号{k + 1}楼",
                       f"{block}.办公电话": f"0512-6{i:03d}{k:04d}"})
    fields["主要参与团队"] = [{"姓名": person(k), "单位": fields["试点单位"]} for k in range(2, 5)]
    return fields


def make_submission(path: Path, fields: dict, pages: int = 10) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.setFont(FONT, 20)
    c.drawString(110, 700, "地方科协深化改革工作试点申报书")
    c.setFont(FONT, 14)
    c.drawString(110, 600, f"试点单位：{fields['试点单位']}")
    c.drawString(110, 570, f"申报单位：{fields['申报单位']}")
    c.showPage()
    c.setFont(FONT, 11)
    y = 760
    for block in ("申报单位负责人", "试点单位负责人"):
        c.drawString(72, y, block)
        y -= 20
        for key in ("姓名", "手机", "电子邮箱", "通讯地址", "办公电话"):
            c.drawString(90, y, f"{key}：{fields[f'{block}.{key}']}")
            y -= 18
    c.showPage()
    for number in range(3, pages):
        c.setFont(FONT, 11)
        y = 780
        for line in range(30):
            c.drawString(60, y, f"{number}-{line + 1} " + BODY[: 38])
            y -= 22
        c.showPage()
    c.setFont(FONT, 11)
    c.drawString(72, 760, "五、主要参与团队")
    for k, row in enumerate(fields["主要参与团队"]):
        c.drawString(72, 730 - 20 * k, f"{row['姓名']}  {row['单位']}")
    c.showPage()
    c.save()


def build(work: Path, count: int) -> tuple[Path, Path]:
    """The submissions, their validation report and the experts file; returns (report, experts)."""
    from openpyxl import Workbook

    cjk_font()
    folder = work / "submissions"
    folder.mkdir(parents=True)
    entries = []
    for i in range(count):
        fields = fields_for(i)
        path = folder / f"{i + 1:03d}-{fields['申报单位']}.pdf"
        make_submission(path, fields)
        entries.append({"file": str(path), "status": "complete", "problems": [], "error": None,
                        "fields": fields})
    report = work / "validation.json"
    report.write_text(json.dumps({"files": entries, "summary": {}}, ensure_ascii=False), encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "单位", "组别", "回避单位"])
    for g, group in enumerate(("第一组", "第二组", "第三组")):
        for k in range(5):
            # one expert per group works at a pilot unit: a conflict of interest to honour
            unit = fields_for(g * 7 + k)["试点单位"] if k == 0 else f"某大学{g}{k}"
            sheet.append([f"专家{g + 1}{k + 1}", unit, group, ""])
    experts = work / "experts.xlsx"
    book.save(experts)
    return report, experts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--blind", action="store_true", help="also time a --blind run")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kexie-bench-packet-"))
    try:
        start = time.perf_counter()
        report, experts = build(work, args.submissions)
        print(f"机器：{os.cpu_count()} 核；生成 {args.submissions} 份 10 页申报材料：{time.perf_counter() - start:.1f} 秒")
        # this checkout's kexie, whichever virtualenv runs the script
        kexie = [sys.executable, "-m", "pipeline"]
        runs = [("普通", [])] + ([("匿名（--blind）", ["--blind"])] if args.blind else [])
        for label, extra in runs:
            out = work / ("out-blind" if extra else "out")
            command = [*kexie, "packet", str(report), "--experts", str(experts),
                       "--program", str(ROOT / "samples" / "program.yaml"), "--out", str(out),
                       "--db", str(work / "kexie.sqlite"), *extra]  # the run's record stays in the work folder
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            seconds = time.perf_counter() - start
            if done.returncode != 0:
                print(done.stdout, done.stderr, file=sys.stderr)
                raise SystemExit(f"kexie packet 退出码 {done.returncode}")
            data = json.loads((out / "办公室" / "manifest.json").read_text("utf-8"))
            pages = sum(p["pages"] for p in data["packets"])
            print(f"{label}：15 位专家的评审包共 {pages} 页，用时 {seconds:.1f} 秒")
            if extra:  # the blind run: how many redacted pages OCR read again to check them
                read = sum(len(s["blind"]["pages_read_back"]) for s in data["submissions"])
                total = sum(s["pages"] for s in data["submissions"])
                print(f"  涂去后文字识别复核：{read} / {total} 页")
        if args.keep:
            print(f"输出保留在 {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
