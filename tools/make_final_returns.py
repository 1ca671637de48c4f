"""Returned 结项报告 for samples and tests: each sample grantee's form pre-filled from the results
(「名单」 of results.xlsx, or the sample roster, which has the same columns) and the programme, then
completed by the unit (samples/结项报告/<unit>.yaml), signed and stamped in its 承担单位意见 box — or
returned unsigned.

Usage: python tools/make_final_returns.py [--out samples/结项报告/returned] [--results samples/roster.xlsx] [--seed 7]

Each PDF comes with ``<name>.truth.json``: the fields as filled, its marks, and the problems
形式审查 must find (宜昌's 合计 that is not the sum of its rows; 泉州 unsigned, with a forbidden expense).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import make_corpus  # noqa: E402
from make_midterm_returns import marks, opinion_box  # noqa: E402

SAMPLES = ROOT / "samples" / "结项报告"
RESULTS = ROOT / "samples" / "roster.xlsx"
PROGRAM = ROOT / "samples" / "program.yaml"
#: the samples returned without the unit's signature and seal
UNSIGNED = {"泉州市科学技术协会"}


def amount(value) -> str:
    return f"{value:.2f}" if isinstance(value, (int, float)) else str(value)


def column_sum(rows: list[dict], key: str) -> str:
    return f"{sum(Decimal(str(r[key])) for r in rows if isinstance(r[key], (int, float))):.2f}"


def truth_fields(data: dict, program: dict, marked: bool) -> dict:
    """The values ``kexie extract --form 结项报告`` should give for a sample's data."""
    from pipeline.filters import split_items, wan

    start, end = program["试点期间"]["开始"], program["试点期间"]["结束"]
    fields = {"项目名称": data["项目名称"], "承担单位": data["试点单位"] or data["申报单位"],
              "填报日期": data["填报日期"], "项目负责人": data["负责人"], "联系电话": str(data["手机"]),
              "项目起止时间": f"{start.year}年{start.month}月至{end.year}年{end.month}月",
              "资助金额": wan(data["资助金额"])}
    fields["项目完成情况"] = [{"序号": str(i), "考核指标": item, "完成情况": done} for i, (item, done)
                        in enumerate(zip(split_items(data["考核指标"]), data["完成情况"]), 1)]
    fields["项目成果"] = [dict(row) for row in data["项目成果"]]
    fields["经费决算"] = [{k: amount(v) for k, v in row.items()} for row in data["经费决算"]]
    written = data.get("经费合计") or {}
    for key in ("预算数", "决算数"):
        fields[f"经费决算.合计.{key}"] = amount(written[key]) if key in written else \
            column_sum(data["经费决算"], key)
    fields["承担单位意见"] = data["承担单位意见"]["内容"]
    fields["承担单位意见.日期"] = data["承担单位意见"]["日期"]
    fields["承担单位意见.签章"] = fields["承担单位意见.公章"] = marked
    return fields


def expected_problems(fields: dict, program: dict, marked: bool) -> list[dict]:
    """What 形式审查 must find in a sample: missing marks, a 合计 that is no sum, forbidden expenses."""
    problems = [] if marked else [{"field": "承担单位意见.签章", "kind": "missing_signature", "severity": "error"},
                                  {"field": "承担单位意见.公章", "kind": "missing_seal", "severity": "error"}]
    for key in ("预算数", "决算数"):
        added = sum((Decimal(r[key]) for r in fields["经费决算"] if r[key] != "/"), Decimal(0))
        if Decimal(fields[f"经费决算.合计.{key}"]) != added:
            problems.append({"field": f"经费决算.合计.{key}", "kind": "rule", "severity": "error"})
    for i, row in enumerate(fields["经费决算"]):
        cell = next((c for c in ("科目", "说明") if any(t in row[c] for t in program["禁止支出关键词"])), None)
        if cell:
            problems.append({"field": f"经费决算[{i}].{cell}", "kind": "rule", "severity": "review"})
    return problems


def project_rows(results) -> dict:
    """The results' funded projects (「名单」), by 申报单位."""
    from pipeline.records import load_records

    return {record.fields["申报单位"]: record.fields for record in load_records(results)}


def generate(out_dir, seed: int = 7, results=RESULTS, program_path=PROGRAM) -> list[Path]:
    """Write the returned 结项报告 and their truth files into ``out_dir``; return the PDFs.

    The forms are made as ``kexie fill 结项报告 --data … --program … --pdf`` makes them (one
    LibreOffice batch), from each project's row of the results and the unit's own part."""
    from pipeline.fill import fill
    from pipeline.program import load_program
    from pipeline.records import Record
    from pipeline.render import find_template

    out = Path(out_dir)
    work = out / "sources"
    spec = find_template("结项报告")
    program = load_program(program_path)
    projects = project_rows(results)
    samples = {}
    for path in sorted(SAMPLES.glob("*.yaml")):
        written = yaml.safe_load(path.read_text(encoding="utf-8"))
        samples[path.stem] = {**projects[written["申报单位"]], **written}
    filled = fill(spec, [Record(fields=data, label=stem) for stem, data in samples.items()], work,
                  pdf=True, program=program)
    failed = [r.error.message for r in filled if r.status == "failed" or r.pdf is None]
    if failed:
        raise RuntimeError("；".join(failed))
    outputs = []
    for (stem, data), result in zip(samples.items(), filled):
        rng = random.Random(f"{seed}:{stem}")
        marked = stem not in UNSIGNED
        placements = marks(rng, opinion_box(result.pdf), data["试点单位"]) if marked else []
        target = out / f"{stem}.pdf"
        make_corpus.overlay_marks(result.pdf, target, placements)
        fields = truth_fields(data, program, marked)
        problems = expected_problems(fields, program, marked)
        status = "incomplete" if any(p["severity"] == "error" for p in problems) else \
            "review" if problems else "complete"
        truth = {"file": target.name, "form": "结项报告", "scan": False, "fields": fields,
                 "expected_problems": problems, "expected_status": status}
        target.with_suffix(".truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n",
                                                     encoding="utf-8")
        outputs.append(target)
    shutil.rmtree(work)
    return outputs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write returned 结项报告 (pre-filled, completed, signed, stamped) with truth files.")
    parser.add_argument("--out", default=str(SAMPLES / "returned"))
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for path in generate(args.out, args.seed, args.results):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
