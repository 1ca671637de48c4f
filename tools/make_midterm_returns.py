"""Returned 中期报告 for samples and tests: the three sample grantees filled, signed and stamped in
their 承担单位意见 box, one of them printed and scanned, one returned unsigned.

Usage: python tools/make_midterm_returns.py [--out samples/中期报告/returned] [--seed 7]

Each PDF comes with ``<name>.truth.json``: the fields as filled (from the sample's YAML), its
marks, and the problems 形式审查 must find (the unsigned one; the forbidden expense of 宜昌).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import make_corpus  # noqa: E402

SAMPLES = ROOT / "samples" / "中期报告"
SIGN = r"承担单位负责人\s*[（(]\s*签\s*章\s*[）)]\s*[：:]"
SEAL = r"[（(]\s*单\s*位\s*公\s*章\s*[）)]"
#: what each sample becomes: (scanned, signed and sealed)
PLAN = {"宜昌市科学技术协会": (False, True), "泉州市科学技术协会": (True, True), "绵阳市科学技术协会": (False, False)}


def opinion_box(pdf_path: Path) -> make_corpus.Box:
    """The 承担单位意见 box: the page and ruling lines around its signer's line."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            signs = page.search(SIGN, regex=True)
            if not signs:
                continue
            sign = signs[0]
            seal = min(page.search(SEAL, regex=True), key=lambda s: abs(s["top"] - sign["top"]))
            rules = [e for e in page.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 200]
            top = max(e["top"] for e in rules if e["top"] < sign["top"] - 1)
            bottom = min(e["top"] for e in rules if e["top"] > sign["bottom"] + 1)
            near = [e for e in rules if abs(e["top"] - top) < 1 or abs(e["top"] - bottom) < 1]
            return make_corpus.Box("承担单位意见", number, min(e["x0"] for e in near), top,
                                   max(e["x1"] for e in near), bottom,
                                   sign={k: sign[k] for k in ("x0", "top", "x1", "bottom")},
                                   seal={k: seal[k] for k in ("x0", "top", "x1", "bottom")})
    raise RuntimeError(f"{pdf_path.name}: no 承担单位意见 signer line")


def marks(rng: random.Random, box: make_corpus.Box, unit: str) -> list[dict]:
    """A signature right of 「（签章）：」 and the unit's seal over 「（单位公章）」, inside the box."""
    signature = make_corpus.draw_signature(rng)
    w = rng.uniform(70, 100)
    h = w * signature.height / signature.width
    placed = [{"kind": "签章", "page": box.page, "image": signature, "w": w, "h": h,
               "x": box.sign["x1"] + rng.uniform(4, 18),
               "y": (box.sign["top"] + box.sign["bottom"]) / 2 - h * rng.uniform(0.45, 0.6)}]
    diameter = rng.uniform(40, 42)
    seal = make_corpus.draw_seal(rng, unit, diameter)
    side = seal.width / (12.0 / make_corpus.MM)
    r = diameter * make_corpus.MM / 2
    cx = (box.seal["x0"] + box.seal["x1"]) / 2 + rng.uniform(-10, 10)
    cy = min(max((box.seal["top"] + box.seal["bottom"]) / 2 + rng.uniform(-10, 10), box.top + r * 0.8),
             box.bottom - r * 0.8)
    placed.append({"kind": "公章", "page": box.page, "image": seal, "w": side, "h": side,
                   "x": cx - side / 2, "y": cy - side / 2})
    return placed


def truth_fields(data: dict, marked: bool) -> dict:
    """The values ``kexie extract --form 中期报告`` should give for a sample's data."""
    fields = {key: data[key] for key in ("项目名称", "承担单位", "填报日期", "项目起止日期")}
    fields.update({f"项目负责人.{k}": v for k, v in data["项目负责人"].items()})
    fields["资助金额"], fields["已拨付金额"] = f"{data['资助金额']:.2f}", f"{data['已拨付金额']:.2f}"
    for key in ("项目进展情况", "存在的问题及下一步工作计划"):
        fields[key] = data[key]
    fields["经费使用情况"] = [{k: (f"{v:.2f}" if isinstance(v, (int, float)) else v) for k, v in row.items()}
                        for row in data["经费使用情况"]]
    fields["承担单位意见"] = data["承担单位意见"]["内容"]
    fields["承担单位意见.日期"] = data["承担单位意见"]["日期"]
    fields["承担单位意见.签章"] = fields["承担单位意见.公章"] = marked
    return fields


def generate(out_dir, seed: int = 7) -> list[Path]:
    """Write the returned 中期报告 and their truth files into ``out_dir``; return the PDFs."""
    from pipeline.convert import convert_to_pdf
    from pipeline.render import build_context, find_template, render_docx

    out = Path(out_dir)
    work = out / "sources"
    work.mkdir(parents=True, exist_ok=True)
    spec = find_template("中期报告")
    sources = {}
    for path in sorted(SAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        docx = work / f"{path.stem}.docx"
        docx.write_bytes(render_docx(spec, build_context(spec, data), record=path.stem))
        sources[path.stem] = (data, docx)
    converted = convert_to_pdf([docx for _, docx in sources.values()], work)
    outputs = []
    for stem, (data, docx) in sources.items():
        rng = random.Random(f"{seed}:{stem}")
        scanned, marked = PLAN.get(stem, (False, True))
        typed = converted[docx]
        box = opinion_box(typed)
        placements = marks(rng, box, data["承担单位"]) if marked else []
        stamped = work / f"{stem}.stamped.pdf"
        make_corpus.overlay_marks(typed, stamped, placements)
        target = out / f"{stem}.pdf"
        if scanned:
            make_corpus.scan_pdf(stamped, target, rng)
        else:
            target.write_bytes(stamped.read_bytes())
        problems = [] if marked else [{"field": "承担单位意见.签章", "kind": "missing_signature", "severity": "error"},
                                      {"field": "承担单位意见.公章", "kind": "missing_seal", "severity": "error"}]
        for i, row in enumerate(data["经费使用情况"]):
            if "补贴" in row["支出科目"] + row["说明"]:
                problems.append({"field": f"经费使用情况[{i}].支出科目", "kind": "rule", "severity": "review"})
        status = "incomplete" if any(p["severity"] == "error" for p in problems) else \
            "review" if problems else "complete"
        truth = {"file": target.name, "form": "中期报告", "scan": scanned, "fields": truth_fields(data, marked),
                 "expected_problems": problems, "expected_status": status}
        target.with_suffix(".truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n",
                                                     encoding="utf-8")
        outputs.append(target)
    for scratch in work.iterdir():
        scratch.unlink()
    work.rmdir()
    return outputs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write returned 中期报告 (signed, stamped, one scanned) with truth files.")
    parser.add_argument("--out", default=str(SAMPLES / "returned"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for path in generate(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
