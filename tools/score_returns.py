"""Score the reader on a corpus made by tools/make_returns.py.

Runs the real CLI on the folder (``kexie extract DIR --out X.json`` and ``kexie validate DIR
--program samples/program.yaml --report Y.json --db TMP.sqlite``) and compares with the truth
files: fields by the class of the page they are printed on (text-layer fields exact; scanned
and photographed fields exact and characters right; tables row by row), seals and signatures
(right, missed, false alarms, null where colour existed, judged where there was none),
verdicts, false alarms among the problems, reviews.

    python tools/score_returns.py outputs/returns [--jobs 2] [--json] [--extract X.json --validate Y.json]

Exits 0 whatever the scores; ``score(dir, extract_json, validate_json)`` gives the same as a dict.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEXIE = ROOT / ".venv" / "bin" / "kexie"
PROGRAM = ROOT / "samples" / "program.yaml"
MARK_KEYS = [f"{w}.{k}" for w in ("申报单位意见", "试点单位意见") for k in ("签章", "公章")]
PILOT_KEYS = ("试点单位意见", "试点单位意见.日期", "试点单位意见.签章", "试点单位意见.公章")
TEXT_KINDS = ("text", "rotated_attr")
IMAGE_KINDS = ("scan", "rotated_image", "grey", "bw", "photo", "sandwich")
PAGE_ORDER = TEXT_KINDS + IMAGE_KINDS + ("attachment", "other")


def fold(value) -> str:
    return re.sub(r"\s+", " ", "" if value is None else str(value)).strip()


def bare(value) -> str:
    return re.sub(r"\s+", "", "" if value is None else str(value))


def chars_right(truth: str, got: str) -> int:
    """Characters of the truth found in order in the reading (whitespace ignored)."""
    a, b = bare(truth), bare(got)
    if not a or not b:
        return 0
    return sum(block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def _load(path) -> dict:
    if path is None:
        return {}
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _by_name(doc: dict) -> dict[str, dict]:
    return {Path(str(f.get("file", ""))).name: f for f in doc.get("files", []) if isinstance(f, dict)}


def _field_kind(truth: dict, key: str) -> str:
    pages = truth.get("pages", {})
    where = truth.get("field_pages", {}).get(key) or []
    # the first page listed is where the value is read from (the 基本情况 cell before the cover)
    return pages.get(str(where[0]), "other") if where else "other"


def _mark_value(mark):
    if isinstance(mark, dict):
        return mark.get("present", "missing")
    if mark is None or isinstance(mark, bool):
        return mark
    return "missing"


def _error_kind(error) -> str | None:
    if not error:
        return None
    if isinstance(error, dict) and error.get("kind"):
        return str(error["kind"])
    text = json.dumps(error, ensure_ascii=False) if not isinstance(error, str) else error
    for kind, words in (("encrypted", ("encrypt", "加密", "密码")), ("not_this_form", ("not_this_form", "不是本表", "other_form")),
                        ("unreadable", ("unreadable", "无法读取", "损坏", "不是 PDF", "not a pdf"))):
        if any(w.lower() in text.lower() for w in words):
            return kind
    return "other"


def _provincial(truth: dict) -> bool:
    f = truth.get("fields", {})
    return "provincial" in truth.get("classes", []) or (f.get("试点单位") and f.get("试点单位") == f.get("申报单位"))


def score(corpus_dir, extract_json, validate_json) -> dict:
    """Compare the CLI's extract and validate JSON (paths or loaded dicts) with the truth files."""
    corpus_dir = Path(corpus_dir)
    extract = extract_json if isinstance(extract_json, dict) else _load(extract_json)
    validate = validate_json if isinstance(validate_json, dict) else _load(validate_json)
    got_fields, got_verdicts = _by_name(extract), _by_name(validate)
    truths = {}
    for path in sorted(corpus_dir.glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        truths[truth["file"]] = truth

    fields = defaultdict(lambda: Counter())
    tables = defaultdict(lambda: Counter())
    marks = defaultdict(lambda: Counter())
    misses = defaultdict(list)
    verdicts = Counter()
    confusion = Counter()
    by_class = defaultdict(lambda: Counter())
    errors = Counter()
    false_alarms, missed_problems = Counter(), Counter()
    review = Counter()
    for name, truth in truths.items():
        got = got_fields.get(name)
        verdict = got_verdicts.get(name)
        expected = truth.get("expected_status")
        status = (verdict or {}).get("status")
        confusion[(expected, status)] += 1
        verdicts["right" if status == expected else "wrong"] += 1
        arrived = (truth.get("classes") or ["?"])[0]
        by_class[arrived]["n"] += 1
        by_class[arrived]["right"] += int(status == expected)
        if status == "review":
            review["files_reported"] += 1
        if expected == "review":
            review["files_expected"] += 1
        if truth.get("error"):
            errors["files"] += 1
            kind = _error_kind((got or {}).get("error")) if got else None
            errors["right" if kind == truth["error"] else "wrong"] += 1
            continue
        exempt = set(PILOT_KEYS) if _provincial(truth) else set()
        got_values = (got or {}).get("fields") or {}
        got_marks = (got or {}).get("marks") or {}
        for key, value in truth.get("fields", {}).items():
            if key in MARK_KEYS:
                continue
            kind = _field_kind(truth, key)
            reading = got_values.get(key)
            if isinstance(value, list):
                rows = reading if isinstance(reading, list) else []
                same = 0
                for i, row in enumerate(value):
                    other = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
                    if all(fold(row.get(c)) == fold(other.get(c)) for c in row):
                        same += 1
                tables[kind]["rows"] += len(value)
                tables[kind]["rows_right"] += same
                tables[kind]["extra_rows"] += max(0, len(rows) - len(value))
                exact = same == len(value) and len(rows) == len(value)
                flat_truth = "|".join(fold(row.get(c)) for row in value for c in row)
                flat_got = "|".join(fold(r.get(c)) for r, t in zip(rows, value) for c in t if isinstance(r, dict))
            else:
                exact = fold(value) == fold(reading) and not (reading is None and fold(value))
                flat_truth, flat_got = fold(value), fold(reading)
            counter = fields[kind]
            counter["n"] += 1
            counter["exact"] += int(exact)
            counter["chars"] += len(bare(flat_truth))
            counter["chars_right"] += chars_right(flat_truth, flat_got) if flat_truth else 0
            if not exact and len(misses[kind]) < 12:
                misses[kind].append({"file": name, "field": key, "truth": flat_truth[:60], "got": flat_got[:60]})
        for key in MARK_KEYS:
            if key in exempt:
                continue
            mark = truth.get("marks", {}).get(key, {})
            page_kind = truth.get("pages", {}).get(str(mark.get("page")), "other")
            what = "签章" if key.endswith("签章") else "公章"
            c = marks[(what, page_kind)]
            want = mark.get("present")
            have = _mark_value(got_marks[key]) if key in got_marks else "missing"  # not read at all
            c["n"] += 1
            if want is None:
                c["no_colour"] += 1
                c["null_agreed" if have is None else "judged_without_colour"] += 1
            elif have == "missing":
                c["not_reported"] += 1
            elif have is None:
                c["null_where_colour"] += 1
            elif have == want:
                c["right"] += 1
            elif want:
                c["missed"] += 1
                if len(misses["marks"]) < 20:
                    misses["marks"].append({"file": name, "mark": key, "truth": True, "got": have})
            else:
                c["false_alarm"] += 1
                if len(misses["marks"]) < 20:
                    misses["marks"].append({"file": name, "mark": key, "truth": False, "got": have})
        want_problems = Counter((p["field"], p["kind"]) for p in truth.get("expected_problems", []))
        have_problems = Counter((p.get("field"), p.get("kind")) for p in (verdict or {}).get("problems", []) or [])
        review["problems_expected"] += sum(1 for p in truth.get("expected_problems", []) if p["severity"] == "review")
        review["problems_reported"] += sum(1 for p in (verdict or {}).get("problems", []) or []
                                           if p.get("severity") == "review" or p.get("kind") == "review")
        if verdict is not None:
            for pair, n in (have_problems - want_problems).items():
                false_alarms[pair] += n
            for pair, n in (want_problems - have_problems).items():
                missed_problems[pair] += n

    def rate(a, b):
        return round(100.0 * a / b, 1) if b else None

    out = {"corpus": str(corpus_dir), "files": len(truths),
           "fields": {k: {"n": c["n"], "exact_pct": rate(c["exact"], c["n"]),
                          "chars_pct": rate(c["chars_right"], c["chars"])} for k, c in fields.items()},
           "tables": {k: dict(c) for k, c in tables.items()},
           "marks": {f"{w}|{k}": dict(c) for (w, k), c in marks.items()},
           "verdicts": {"right": verdicts["right"], "n": sum(verdicts.values()),
                        "confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items(), key=str)},
                        "by_form_class": {k: dict(c) for k, c in by_class.items()}},
           "errors": dict(errors),
           "false_alarms": {"n": sum(false_alarms.values()),
                            "top": [{"field": f, "kind": k, "n": n} for (f, k), n in false_alarms.most_common(15)]},
           "missed_problems": {"n": sum(missed_problems.values()),
                               "top": [{"field": f, "kind": k, "n": n} for (f, k), n in missed_problems.most_common(15)]},
           "review": dict(review),
           "examples": dict(misses)}
    text = sum((fields[k] for k in TEXT_KINDS), Counter())
    image = sum((fields[k] for k in IMAGE_KINDS), Counter())
    out["overall"] = {
        "text_fields_exact_pct": rate(text["exact"], text["n"]),
        "image_fields_exact_pct": rate(image["exact"], image["n"]),
        "image_chars_pct": rate(image["chars_right"], image["chars"]),
        "verdicts_right_pct": rate(verdicts["right"], sum(verdicts.values())),
    }
    for what in ("签章", "公章"):
        total = sum((c for (w, _), c in marks.items() if w == what), Counter())
        out["overall"][what] = dict(total)
    return out


def run_cli(corpus_dir: Path, jobs: int, work: Path) -> tuple[Path | None, Path | None, list[str]]:
    """Run kexie extract and kexie validate; return their JSON paths (None where it failed)."""
    kexie = str(KEXIE) if KEXIE.exists() else "kexie"
    notes = []
    extract, report = work / "extract.json", work / "validate.json"
    for stale in (extract, report, work / "kexie.sqlite"):  # a kept folder: nothing from a past run
        stale.unlink(missing_ok=True)
    env = dict(os.environ)
    for name, command, target in (
            ("extract", [kexie, "extract", str(corpus_dir), "--out", str(extract), "--jobs", str(jobs)], extract),
            ("validate", [kexie, "validate", str(corpus_dir), "--program", str(PROGRAM), "--report", str(report),
                          "--db", str(work / "kexie.sqlite"), "--jobs", str(max(1, jobs))], report)):
        started = time.monotonic()
        try:
            done = subprocess.run(command, capture_output=True, text=True, cwd=str(work), env=env, timeout=3600)
            notes.append(f"{name}: exit {done.returncode} in {time.monotonic() - started:.0f} s")
            if not target.is_file():
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                notes.append(f"{name} wrote no JSON: " + " | ".join(tail))
        except (OSError, subprocess.SubprocessError) as exc:
            notes.append(f"{name} did not run: {exc}")
    return (extract if extract.is_file() else None), (report if report.is_file() else None), notes


def _pct(v) -> str:
    return "  -  " if v is None else f"{v:5.1f}"


def print_report(result: dict, notes: list[str]) -> None:
    print(f"Corpus {result['corpus']}: {result['files']} files")
    for note in notes:
        print(f"  {note}")
    print("\nFields by the page they are printed on     n   exact%  chars%")
    for kind in sorted(result["fields"], key=lambda k: PAGE_ORDER.index(k) if k in PAGE_ORDER else 99):
        f = result["fields"][kind]
        t = result["tables"].get(kind, {})
        rows = f"   table rows {t.get('rows_right', 0)}/{t.get('rows', 0)}" if t.get("rows") else ""
        print(f"  {kind:38s} {f['n']:4d}   {_pct(f['exact_pct'])}   {_pct(f['chars_pct'])}{rows}")
    o = result["overall"]
    print(f"  {'text-layer fields (text, rotated_attr)':38s}        {_pct(o['text_fields_exact_pct'])}")
    print(f"  {'scanned / photographed fields':38s}        {_pct(o['image_fields_exact_pct'])}   {_pct(o['image_chars_pct'])}")
    print("\nMarks              page class      n  right missed false_alarm null_where_colour no_colour(null ok/judged) unreported")
    for key in sorted(result["marks"], key=lambda k: (k.split("|")[0], PAGE_ORDER.index(k.split("|")[1])
                                                      if k.split("|")[1] in PAGE_ORDER else 99)):
        what, kind = key.split("|")
        c = result["marks"][key]
        print(f"  {what:16s} {kind:13s} {c.get('n', 0):4d} {c.get('right', 0):6d} {c.get('missed', 0):6d} "
              f"{c.get('false_alarm', 0):11d} {c.get('null_where_colour', 0):17d} "
              f"{c.get('no_colour', 0):9d}({c.get('null_agreed', 0)}/{c.get('judged_without_colour', 0)}) "
              f"{c.get('not_reported', 0):10d}")
    for what in ("签章", "公章"):
        c = o[what]
        print(f"  {what} overall: right {c.get('right', 0)}/{c.get('n', 0)}, missed {c.get('missed', 0)}, "
              f"false alarms {c.get('false_alarm', 0)}, null where colour existed {c.get('null_where_colour', 0)}, "
              f"not reported (file not read) {c.get('not_reported', 0)}")
    v = result["verdicts"]
    print(f"\nVerdicts right: {v['right']}/{v['n']} ({_pct(o['verdicts_right_pct'])} %)")
    for pair, n in v["confusion"].items():
        expected, got = pair.split("->")
        mark = "" if expected == got else "   <-- wrong"
        print(f"  expected {expected:10s} got {got:10s} {n:3d}{mark}")
    print("  by how the form arrived: " + ", ".join(f"{k} {c.get('right', 0)}/{c.get('n', 0)}"
                                                    for k, c in v["by_form_class"].items()))
    e = result["errors"]
    if e:
        print(f"Error files read as the right error: {e.get('right', 0)}/{e.get('files', 0)}")
    fa, mp = result["false_alarms"], result["missed_problems"]
    print(f"\nFalse alarms (problems reported, not expected): {fa['n']}")
    for item in fa["top"][:10]:
        print(f"  {item['n']:3d}  {item['field']} / {item['kind']}")
    print(f"Problems expected but not reported: {mp['n']}")
    for item in mp["top"][:10]:
        print(f"  {item['n']:3d}  {item['field']} / {item['kind']}")
    r = result["review"]
    print(f"\nReview: files reported {r.get('files_reported', 0)} (expected {r.get('files_expected', 0)}); "
          f"review problems reported {r.get('problems_reported', 0)} (expected {r.get('problems_expected', 0)})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Score kexie extract/validate on a make_returns corpus.")
    parser.add_argument("corpus", help="folder made by tools/make_returns.py")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the CLI")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--extract", help="use this extract JSON instead of running kexie extract")
    parser.add_argument("--validate", help="use this validate JSON instead of running kexie validate")
    parser.add_argument("--keep", help="folder to keep the CLI's JSON in")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus).resolve()
    notes = []
    with tempfile.TemporaryDirectory(prefix="kexie-score-") as tmp:
        work = Path(args.keep).resolve() if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        extract, report = args.extract, args.validate
        if not (extract and report):
            ran_extract, ran_report, notes = run_cli(corpus, args.jobs, work)
            extract, report = extract or ran_extract, report or ran_report
        try:
            result = score(corpus, extract, report)
        except Exception as exc:  # a scorer that fails still reports, and exits 0
            print(f"scoring failed: {exc!r}")
            return 0
    result["notes"] = notes
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_report(result, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
