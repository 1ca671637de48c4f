"""Fill the experts' score sheets a ``kexie packet`` run wrote, as experts would, for samples and tests.

Each 评分表 under ``PACKET_OUT/评审包/`` is copied to ``--out`` (default ``PACKET_OUT/回收评分表/``:
what the experts send back; the packet's own files stay as kexie wrote them, so that the next
``kexie packet`` may replace them) and every yellow (unlocked) score cell of the copy gets a plausible
score: each submission has a quality of its own (the same for every expert, so that the ranking
means something), each expert his own leniency and each cell a little noise — deterministic for a
given ``--seed``, different from one expert to the next. Nothing outside the yellow cells is touched:
``kexie scores`` refuses a sheet changed elsewhere (pipeline/admit.py compares every other cell with
what the packet wrote).

    python tools/fill_score_sheets.py outputs/评审 --seed 1 [--out outputs/评审/回收评分表]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.scoresheet import (CODE_COLUMN, EXPERT_CELLS, FIRST_ROW, HEADER_ROW, MAX_ROW,  # noqa: E402
                                 SHEET_NAME)

PACKETS_FOLDER, RETURNED_FOLDER = "评审包", "回收评分表"
#: a submission's quality (share of 满分) and an expert's leniency: plausible review marks
QUALITY, LENIENCY, NOISE = (0.62, 0.92), (-0.05, 0.05), 0.04


def _rng(*parts) -> random.Random:
    """A generator seeded by text (stable across runs and Python versions, unlike ``hash``)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def sheet_paths(packet_out) -> list[Path]:
    """The score sheets a packet run wrote under ``packet_out`` (its 评审包/ folder, or the folder itself)."""
    folder = Path(packet_out)
    if (folder / PACKETS_FOLDER).is_dir():
        folder = folder / PACKETS_FOLDER
    return sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))


def fill_sheet(path: Path, seed: int) -> int:
    """Score every yellow cell of the sheet at ``path`` in place; return how many were filled."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book[SHEET_NAME]
    expert = str(sheet[EXPERT_CELLS[1]].value or "")
    headers = {cell.column: cell.value for cell in sheet[HEADER_ROW]}
    code_column = next(col for col, name in headers.items() if name == CODE_COLUMN)
    leniency = _rng(seed, "expert", expert).uniform(*LENIENCY)
    filled = 0
    for row in sheet.iter_rows(min_row=FIRST_ROW):
        code = row[code_column - 1].value
        quality = _rng(seed, "submission", code).uniform(*QUALITY)
        for cell in row:
            if cell.protection.locked:
                continue  # only the yellow cells are the expert's
            maximum = float(sheet.cell(row=MAX_ROW, column=cell.column).value)
            noise = _rng(seed, expert, code, headers[cell.column]).uniform(-NOISE, NOISE)
            share = min(1.0, max(0.0, quality + leniency + noise))
            cell.value = round(share * maximum * 2) / 2  # half points, as experts mark
            filled += 1
    book.save(path)
    return filled


def fill_sheets(packet_out, seed: int, out=None) -> list[tuple[Path, int]]:
    """Copy every score sheet under ``packet_out`` to ``out`` (default ``packet_out``/回收评分表, its
    earlier sheets removed first) and fill the copies: [(filled sheet, cells filled)]."""
    paths = sheet_paths(packet_out)
    if not paths:
        raise SystemExit(f"「{packet_out}」下没有评分表（应为 kexie packet 的 --out 目录）")
    out = Path(out) if out else Path(packet_out) / RETURNED_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.xlsx"):  # a previous run's sheets, of another batch
        old.unlink()
    done = []
    for path in paths:
        copy = out / path.name
        shutil.copyfile(path, copy)
        done.append((copy, fill_sheet(copy, seed)))
    return done


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packet_out", type=Path, help="kexie packet 的 --out 目录")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="填好的评分表存放目录（默认：评审目录/回收评分表）")
    args = parser.parse_args(argv)
    done = fill_sheets(args.packet_out, args.seed, args.out)
    where = done[0][0].parent
    print(f"已填写 {len(done)} 份评分表，共 {sum(n for _, n in done)} 个分数：{where}")


if __name__ == "__main__":
    main()
