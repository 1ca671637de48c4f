"""Benchmark: render 200 records of the 任务书 to DOCX, then to DOCX + PDF; print documents/s.

Run on its own (not part of the tests):  .venv/bin/python bench/fill.py [--records 200]
Aim on a 2-core machine: ≥ 20 DOCX/s, ≥ 2 PDF/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.fill import fill  # noqa: E402
from pipeline.program import load_program  # noqa: E402
from pipeline.records import Record, load_records  # noqa: E402
from pipeline.render import find_template  # noqa: E402


def records(n: int) -> list[Record]:
    """n distinct records made from the sample roster (unit names numbered)."""
    base = load_records(ROOT / "samples" / "roster.xlsx")
    out = []
    for i in range(n):
        fields = dict(base[i % len(base)].fields)
        fields["申报单位"] = f"{fields['申报单位']}{i:03d}"
        out.append(Record(fields=fields, label=f"第{i + 1}条", index=i))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200)
    args = parser.parse_args()
    spec = find_template("任务书")
    program = load_program(ROOT / "samples" / "program.yaml")
    batch = records(args.records)
    print(f"机器：{os.cpu_count()} 核；记录：{len(batch)} 条（任务书）")
    work = Path(tempfile.mkdtemp(prefix="kexie-bench-"))
    try:
        start = time.perf_counter()
        results = fill(spec, batch, work / "docx", program=program)
        docx_seconds = time.perf_counter() - start
        assert all(r.status == "written" for r in results), [r.error for r in results if r.error]
        print(f"DOCX：{len(results)} 份 {docx_seconds:.2f} 秒，{len(results) / docx_seconds:.1f} 份/秒")

        start = time.perf_counter()
        results = fill(spec, batch, work / "pdf", program=program, pdf=True)
        both_seconds = time.perf_counter() - start
        pdfs = sum(1 for r in results if r.pdf)
        assert pdfs == len(batch), [r.error for r in results if r.error]
        print(f"DOCX+PDF：{pdfs} 份 {both_seconds:.2f} 秒，{pdfs / both_seconds:.1f} 份/秒")

        start = time.perf_counter()
        results = fill(spec, batch, work / "pdf", program=program, pdf=True)
        rerun = time.perf_counter() - start
        assert all(r.status == "unchanged" for r in results)
        print(f"未变重跑：{rerun:.2f} 秒")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
