"""Seconds per page for ``pipeline.read.scan.read_scan`` at 150, 200 and 300 dpi.

Fills the 申报书 once (LibreOffice), turns three of its pages into tilted, sealed, noisy JPEG
scans (the helpers of ``tests/test_scan.py``) and times reading them. Not part of the tests.

    .venv/bin/python bench/scan.py [--pages 3,5,7] [--repeat 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _helpers():
    spec = importlib.util.spec_from_file_location("scan_helpers", ROOT / "tests" / "test_scan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="3,5,7", help="page numbers of the 申报书 to scan")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per page")
    parser.add_argument("--dpi", default="150,200,300")
    args = parser.parse_args()
    pages = [int(p) for p in args.pages.split(",")]

    h = _helpers()
    from pipeline.read.ocr import ocr_engine
    from pipeline.read.scan import read_scan

    with tempfile.TemporaryDirectory() as tmp:
        pdf = h.fill_application(Path(tmp))
        ocr_engine()
        print(f"cores: {os.cpu_count()}  load average before: {os.getloadavg()[0]:.2f}")
        for dpi in (float(d) for d in args.dpi.split(",")):
            scans = []
            for number in pages:
                image = h.render_page(pdf, dpi, number)
                if number == h.PAGE:
                    image = h.draw_seal(image, dpi, *h.SEAL_CENTRE)
                    image = h.draw_scribble(image, dpi, h.SIGNATURE)
                scans.append((number, h.scan_like(image)))
            read_scan(scans[0][1], dpi, scans[0][0])  # warm the models at this size
            walls, cpus = [], []
            for number, image in scans:
                for _ in range(args.repeat):
                    wall, cpu = time.perf_counter(), time.process_time()
                    page = read_scan(image, dpi, number)
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                print(f"  {dpi:.0f} dpi page {number}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU, "
                      f"{len(page.layout.words)} words, {sum(len(w.text) for w in page.layout.words)} chars, "
                      f"{len(page.layout.cells)} cells, {len(page.layout.seals)} seals")
            print(f"{dpi:.0f} dpi: {sum(walls) / len(walls):.2f} s/page wall (max {max(walls):.2f}), "
                  f"{sum(cpus) / len(cpus):.2f} s/page CPU; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
