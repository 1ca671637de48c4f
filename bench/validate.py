"""Benchmark of kexie validate (run on its own, not part of the tests).

    .venv/bin/python bench/validate.py [--submissions 500] [--pages 5] [--scan-pages 100]

1. ``--submissions`` text-layer submissions of ``--pages`` pages each (cut from forms rendered
   from the 申报书 template, each made distinct so none is served from the cache), validated
   with the process pool: seconds, pages per second. Target: 500 × 5 pages in ≤ 60 s on 2 cores.
2. The same batch again, unchanged: everything comes from the workspace. Target: ≤ 5 s.
   Then the reports, each on an unchanged rerun (no reading, so the time is the report's): a .json
   report; an .xlsx; an .html made for the first time (its page pictures drawn) and again (the
   pictures kept in the workspace); .xlsx + .html together, as staff run it.
3. One scan of ``--scan-pages`` pages (rasterised form pages, image only): peak memory of the
   process that reads it. Target: a 100-page scan in ≤ 500 MB. Skipped with --scan-pages 0.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KEXIE = [sys.executable, "-m", "pipeline.cli"]


def render_forms(out: Path, count: int) -> list[Path]:
    """``count`` different filled forms, rendered in one LibreOffice run."""
    from pipeline.fill import fill
    from pipeline.records import Record
    from pipeline.render import find_template

    person = {"姓名": "欧阳明", "手机": "13912345678", "电子邮箱": "oym@jskx.org.cn", "通讯地址": "南京市北京东路39号",
              "邮编": "210008", "传真": "025-83360002", "办公电话": "025-83360001"}
    records = []
    for i in range(count):
        data = {"试点单位": f"第{i + 1}试点市科学技术协会", "申报单位": f"第{i + 1}省科学技术协会",
                "试点起止日期": "2026年7月至2027年6月", "申报单位负责人": person, "试点单位负责人": person,
                "申报单位意见": {"内容": "同意推荐。", "日期": "2026年6月5日"},
                "试点单位意见": {"内容": "同意。", "日期": "2026年6月5日"}}
        for key in ("申报单位推荐理由", "试点单位概况", "改革工作目前进展情况", "改革工作亮点与主要成效", "试点内容"):
            data[key] = f"第{i + 1}份：" + "围绕深化改革开展试点工作，建立工作机制，取得初步成效。" * (3 + i % 5)
        records.append(Record(data, f"第{i + 1}份"))
    results = fill(find_template("申报书"), records, out, pdf=True, name_pattern="{申报单位}")
    return [r.pdf for r in results]


def cut_copies(forms: list[Path], out: Path, count: int, pages: int) -> None:
    """``count`` submissions of ``pages`` pages, each with its own bytes (a distinct title)."""
    import pikepdf

    out.mkdir(parents=True, exist_ok=True)
    sources = [pikepdf.open(f) for f in forms]
    for i in range(count):
        source = sources[i % len(sources)]
        pdf = pikepdf.new()
        for page in source.pages[:pages]:
            pdf.pages.append(page)
        pdf.docinfo["/Title"] = f"申报书 {i:04d}"
        pdf.save(out / f"{i:04d}.pdf")
    for source in sources:
        source.close()


def scanned_copy(form: Path, out: Path, pages: int, dpi: int = 200) -> Path:
    """An image-only PDF of ``pages`` pages: the form's pages rasterised, repeated."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(str(form))
    images = []
    for page in document:
        buffer = io.BytesIO()
        page.render(scale=dpi / 72).to_pil().convert("L").save(buffer, format="JPEG", quality=75)
        images.append(buffer.getvalue())
    document.close()
    frames = [Image.open(io.BytesIO(images[i % len(images)])) for i in range(pages)]
    target = out / "扫描件.pdf"
    frames[0].save(target, save_all=True, append_images=frames[1:], resolution=dpi)
    return target


def run(args: list) -> float:
    start = time.perf_counter()
    result = subprocess.run([*KEXIE, *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"kexie 失败：{result.stderr}")
    return time.perf_counter() - start


def time_reports(batch: Path, db: Path, work: Path, count: int) -> None:
    """Unchanged reruns with each kind of report: what the reports themselves cost."""
    base = run(["validate", batch, "--db", db, "--report", work / "r3.json"])
    print(f"报告（{count} 份，未变重跑）：.json {base:.2f} 秒")
    for label, names in ((".xlsx", ["r.xlsx"]), (".html 首次", ["r.html"]), (".html 再次", ["r.html"]),
                         (".xlsx + .html", ["r2.xlsx", "r2.html"])):
        reports = [arg for name in names for arg in ("--report", work / name)]
        seconds = run(["validate", batch, "--db", db, *reports])
        print(f"报告（{count} 份，未变重跑）：{label} {seconds:.2f} 秒（比 .json 多 {seconds - base:.2f} 秒）")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--scan-pages", type=int, default=100)
    parser.add_argument("--reports-only", action="store_true", help="只测形式审查、未变重跑和报告，不测扫描件。")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kexie-bench-validate-"))
    try:
        print(f"机器：{os.cpu_count()} 核")
        forms = render_forms(work / "forms", 10)
        batch = work / "batch"
        cut_copies(forms, batch, options.submissions, options.pages)
        total_pages = options.submissions * options.pages
        db = work / "ws.sqlite"
        seconds = run(["validate", batch, "--db", db, "--report", work / "r.json"])
        print(f"形式审查：{options.submissions} 份 × {options.pages} 页 = {total_pages} 页，{seconds:.1f} 秒，"
              f"{total_pages / seconds:.1f} 页/秒（目标：500 份 × 5 页 ≤ 60 秒）")
        seconds = run(["validate", batch, "--db", db, "--report", work / "r2.json"])
        print(f"未变重跑：{seconds:.2f} 秒（目标 ≤ 5 秒）")
        time_reports(batch, db, work, options.submissions)
        if options.scan_pages and not options.reports_only:
            scan_dir = work / "scan"
            scan_dir.mkdir()
            scanned_copy(forms[0], scan_dir, options.scan_pages)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            seconds = run(["validate", scan_dir, "--db", work / "scan.sqlite", "--jobs", "1",
                           "--report", work / "scan.json"])
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            print(f"{options.scan_pages} 页扫描件：{seconds:.0f} 秒（{seconds / options.scan_pages:.2f} 秒/页），"
                  f"进程内存峰值 {peak / 1024:.0f} MB（目标 ≤ 500 MB；之前的子进程峰值 {before / 1024:.0f} MB）")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
