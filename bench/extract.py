"""Seconds per text page and per scanned page for ``kexie extract`` on a corpus, and its accuracy.

Runs ``pipeline.extract.extract_file`` over every readable form of a corpus made by
``tools/make_corpus.py`` (text-layer and scanned files told apart by the truth files), first one
file at a time (seconds of one core per page) and then as a batch in a process pool (wall
seconds per page on ``--jobs`` cores, the figure the targets are for: ≤ 0.3 s per text page,
≤ 2.5 s per scanned page on 2 cores). The batch's entries are then scored against the truth
files (tools/accuracy.py, as tests/test_accuracy.py does): characters, fields exact, mark misses.

    python bench/extract.py --corpus outputs/corpus [--jobs 2]
    python bench/extract.py --generate 12 --scans 4      # make a corpus in a temporary folder
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from pipeline.extract import extract_file  # noqa: E402
from pipeline.forms import load_form  # noqa: E402
from pipeline.read import open_pdf  # noqa: E402


def timed(path: Path, form) -> tuple[str, float, dict]:
    start = time.perf_counter()
    entry = extract_file(path, form)
    return str(path), time.perf_counter() - start, entry


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "outputs" / "corpus"))
    parser.add_argument("--generate", type=int, default=0, help="generate a corpus of this many forms first")
    parser.add_argument("--scans", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)

    corpus = Path(args.corpus)
    if args.generate:
        import make_corpus

        corpus = Path(tempfile.mkdtemp(prefix="kexie-bench-"))
        started = time.perf_counter()
        make_corpus.generate(corpus, count=args.generate, scans=args.scans, seed=args.seed)
        print(f"corpus: {args.generate} forms in {corpus} ({time.perf_counter() - started:.0f} s)")
    form = load_form("申报书")

    groups: dict[str, list[tuple[Path, int]]] = {"text": [], "scan": []}
    truths = {}
    for truth_path in sorted(corpus.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth.get("error"):
            continue
        truths[truth["file"]] = truth
        pdf = corpus / truth["file"]
        with open_pdf(pdf) as document:
            pages = len(document.pages)
        groups["scan" if truth.get("scan") else "text"].append((pdf, pages))

    extract_file(groups["text"][0][0], form)  # warm imports
    if groups["scan"]:
        extract_file(groups["scan"][0][0], form)  # and the OCR models

    entries = {}
    for kind, files in groups.items():
        if not files:
            continue
        pages = sum(n for _, n in files)
        single = 0.0
        for path, _ in files:
            single += timed(path, form)[1]
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for path, _, entry in pool.map(timed, [p for p, _ in files], [form] * len(files)):
                entries[Path(path).name] = entry
        wall = time.perf_counter() - start
        print(f"{kind}: {len(files)} files, {pages} pages; one core {single / pages:.3f} s/page; "
              f"{args.jobs} workers {wall / pages:.3f} s/page wall ({wall:.1f} s)")
    from accuracy import score_entries

    print("accuracy: " + score_entries([(truths[name], entries[name]) for name in sorted(entries)])["summary"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
