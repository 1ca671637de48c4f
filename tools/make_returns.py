"""Generate a corpus of returned 申报书 PDFs as they arrive at a 科协 office, with truth files.

Independent of the reader: the forms are filled with tools/make_corpus.py's data side (synthetic
applicants, the 形式审查 scenarios and the problems they must raise) and rendered from the five
layouts of tools/corpus_layouts.py, then marked and turned into what comes back, all drawn by
tools/returns/: round 公章 of the units (touching each other across the rule between the two
意见 boxes, across the rules, mostly in the neighbouring box, over the signer's area, faded),
signatures (handwriting, name seals, e-signatures), red print that is not a seal, and pages as
they arrive (/Rotate of both kinds, colour / grey / 1-bit scans, scans fed turned, phone photos,
sandwich PDFs with an invisible text layer, 佐证材料 attachments, a typed form with its
基本情况 page replaced by a scan or photo). Special files: an owner-password PDF (reads
normally), a user-password one, a truncated one, a text file named .pdf, another document.

Per form NNN.pdf and NNN.truth.json (fields under the extractor's keys, the four marks with
page, kind and bbox on the upright page, the class of every page, expected problems and
status), plus manifest.json and contact.png (every page of every file). On grey and 1-bit pages
a seal is not red: the truth of its 公章 key is null and the form's status "review".

    python tools/make_returns.py --out outputs/returns --seed 41 [--count 14] [--classes a,b] [--scan-pages marks]

Deterministic for a seed (truths, manifest and drawn images; not the PDFs' own IDs).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import corpus_layouts  # noqa: E402
import make_corpus as mc  # noqa: E402  (data side only: applicants, scenarios, expected problems)
from returns import boxes as bx  # noqa: E402
from returns import contact, recipes  # noqa: E402
from returns.forms import FormJob, process  # noqa: E402

FORM = "申报书"
GENERATOR = "make_returns"
STACKING_LAYOUTS = ("original", "songti_wide", "kaiti_plain_labels")
SPECIAL_FORMS = ("owner_password", "encrypted", "truncated")


def _no_ascii85() -> None:
    """reportlab wraps images in ASCII85 by default: binary streams are smaller and faster."""
    from reportlab import rl_config

    rl_config.useA85 = 0


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def expected_status(error, problems: list[dict]) -> str:
    if error:
        return "error"
    if any(p["severity"] == "error" for p in problems):
        return "incomplete"
    return "review" if any(p["severity"] == "review" for p in problems) else "complete"


def _clean(out_dir: Path) -> None:
    old = []
    manifest = out_dir / "manifest.json"
    if manifest.is_file():
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
            old = [out_dir / e[k] for e in entries for k in ("file", "truth") if e.get(k)]
        except (ValueError, OSError):
            pass
    for path in [*out_dir.glob("[0-9][0-9][0-9].pdf"), *out_dir.glob("[0-9][0-9][0-9].truth.json"), *old,
                 manifest, out_dir / "contact.png"]:
        path.unlink(missing_ok=True)


def _render(job: FormJob, layouts: dict, work: Path) -> None:
    from pipeline.render import build_context, find_template, render_docx

    spec = find_template(str(layouts[job.layout]))
    job.docx = work / f"{job.stem}.docx"
    blob = render_docx(spec, build_context(spec, job.data), record=job.stem)
    if job.variant.get("short_boxes"):
        blob = _short_boxes(blob, job.variant["short_boxes"])
    job.docx.write_bytes(blob)


def _short_boxes(blob: bytes, height_mm: float) -> bytes:
    """The two 意见 rows retyped without their blank lines and with a lower row height, as many
    returned forms have them: each box is then shorter than a 42 mm seal."""
    import io

    import docx
    from docx.shared import Mm

    document = docx.Document(io.BytesIO(blob))
    for table in document.tables:
        for row in table.rows:
            cell = row.cells[0]
            if not cell.text.startswith(("申报单位意见", "试点单位意见")):
                continue
            for paragraph in list(cell.paragraphs)[1:]:
                if not paragraph.text.strip():
                    paragraph._p.getparent().remove(paragraph._p)
            row.height = Mm(height_mm)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _make_job(index: int, stem: str, recipe: recipes.Recipe, seed: int, layouts: dict, used: set,
              unit_of: dict, special: str | None = None) -> FormJob:
    rng = random.Random(f"{seed}:{stem}")
    scenario = recipe.scenario
    unit = None
    if scenario == "duplicate_pilot":
        if mc.DUPLICATE_OF in unit_of:
            unit = mc.UNITS[unit_of[mc.DUPLICATE_OF]]
        else:
            scenario = "complete"
    stacking = "touching" in recipe.seals or "wrong_box" in recipe.seals
    data, variant = mc.make_applicant(rng, provincial=scenario == "provincial", compact=stacking or rng.random() < 0.3,
                                      clean=True, unit=unit, avoid=used)
    changed = recipes.vary(rng, data, recipe.extra, used)
    if stacking:  # short addresses keep both 意见 boxes on the 基本情况 page
        for whose in ("申报单位负责人", "试点单位负责人"):
            data[whose]["通讯地址"] = mc._local_address(data[whose]["通讯地址"])
    injected = mc.inject(scenario, data) if scenario not in ("complete", "provincial") else []
    used.add(data["试点单位"])
    unit_of.setdefault(scenario, variant["unit"])
    names = list(layouts)
    layout = rng.choice(STACKING_LAYOUTS if stacking else names)
    if stacking and "unit" in changed:  # long unit names make the table taller
        layout = rng.choice(("original", "kaiti_plain_labels"))
    # about half the forms come back with the 意见 boxes retyped lower than a seal (not where a
    # seal must fit inside its box)
    short = None
    if "in_box" not in recipe.seals and rng.random() < 0.55:
        short = round(rng.uniform(26, 38), 1)
    return FormJob(index=index, stem=stem, recipe=recipe, scenario=scenario, rng=rng, data=data,
                   variant={**variant, "changed": changed, "short_boxes": short}, injected=injected,
                   layout=layout, special=special)


def generate(out_dir, *, seed: int = 2026, count: int | None = None, classes=None,
             scan_pages: str = "all", verbose: bool = False) -> list[Path]:
    """Write the corpus into out_dir; return the PDFs' paths (see the module's docstring)."""
    from pipeline.convert import convert_to_pdf
    from pipeline.errors import KexieError

    started = time.monotonic()
    _no_ascii85()
    if scan_pages not in ("all", "marks"):
        raise ValueError("scan_pages must be 'all' or 'marks'")
    if isinstance(classes, str):
        classes = [c.strip() for c in classes.split(",") if c.strip()]
    for cls in classes or []:
        if cls not in recipes.ALL_CLASSES:
            raise ValueError(f"unknown class {cls!r}; known: {', '.join(recipes.ALL_CLASSES)}")
    specials = set(recipes.SPECIAL_CLASSES) if not classes else set(classes) & set(recipes.SPECIAL_CLASSES)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clean(out_dir)
    plan = recipes.recipes_for(classes, count, random.Random(f"{seed}:plan"))

    with tempfile.TemporaryDirectory(prefix="kexie-returns-") as tmp:
        work = Path(tmp)
        layouts = corpus_layouts.build_all(work / "layouts")
        used, unit_of, jobs = set(), {}, []
        for index, recipe in enumerate(plan):
            jobs.append(_make_job(index, f"{index + 1:03d}", recipe, seed, layouts, used, unit_of))
        next_stem = len(jobs) + 1
        plain = recipes.Recipe("text", ("in_box", "in_box"), ("handwritten", "handwritten"), "complete")
        for name in SPECIAL_FORMS:
            if name in specials:
                jobs.append(_make_job(len(jobs), f"{next_stem:03d}", plain, seed, layouts, used, unit_of, special=name))
                next_stem += 1
        for job in jobs:
            _render(job, layouts, work)
        notice_stem = not_pdf_stem = None
        docs = [job.docx for job in jobs]
        if "other_document" in specials:
            notice_stem = f"{next_stem:03d}"
            next_stem += 1
            mc._notice_docx(work / f"{notice_stem}.docx")
            docs.append(work / f"{notice_stem}.docx")
        if "not_a_pdf" in specials:
            not_pdf_stem = f"{next_stem:03d}"
            next_stem += 1
        converted = convert_to_pdf(docs, work / "typed")
        failures = {p: e for p, e in converted.items() if isinstance(e, KexieError)}
        if failures:
            raise RuntimeError("LibreOffice failed: " + "; ".join(f"{p.name}: {e}" for p, e in failures.items()))
        for job in jobs:
            job.typed = converted[job.docx]
            job.locate()
        # two seals that touch need both boxes on one page: re-lay-out the few that split
        retry = [j for j in jobs if {"touching", "wrong_box"} & set(j.recipe.seals) and not bx.stacked(j.boxes)]
        if retry:
            if verbose:
                print("  boxes not stacked, laid out again: " + ", ".join(f"{j.stem} ({j.layout})" for j in retry))
            for job in retry:
                job.layout = "original"
                for whose in ("申报单位负责人", "试点单位负责人"):
                    job.data[whose]["通讯地址"] = mc._local_address(job.data[whose]["通讯地址"])
                _render(job, layouts, work)
            again = convert_to_pdf([j.docx for j in retry], work / "typed2")
            for job in retry:
                job.typed = again[job.docx]
                job.locate()
        if verbose:
            print(f"  typed PDFs ready ({time.monotonic() - started:.1f} s)")

        truths, entries, outputs = [], [], []
        for job in jobs:
            truth, entry = process(job, out_dir, work, scan_pages)
            truth["seed"] = seed
            truths.append(truth)
            entries.append(entry)
            outputs.append(out_dir / truth["file"])
            if verbose:
                print(f"  {truth['file']}: {', '.join(truth['classes'])} ({time.monotonic() - started:.1f} s)")
        # the same 试点单位 twice: a duplicate on each of them
        by_pilot: dict[str, list[dict]] = {}
        for truth in truths:
            if truth["error"] is None:
                by_pilot.setdefault(truth["fields"]["试点单位"], []).append(truth)
        for same in by_pilot.values():
            if len(same) > 1:
                for truth in same:
                    truth["expected_problems"].append({"field": "试点单位", "kind": "duplicate", "severity": "error"})
        if notice_stem:
            target = out_dir / f"{notice_stem}.pdf"
            shutil.copyfile(converted[work / f"{notice_stem}.docx"], target)
            truths.append(_special_truth(target.name, "not_this_form", ["other_document"], seed))
            entries.append({"file": target.name, "truth": f"{notice_stem}.truth.json", "special": "other_document"})
            outputs.append(target)
        if not_pdf_stem:
            target = out_dir / f"{not_pdf_stem}.pdf"
            target.write_text("这不是 PDF 文件：申报单位把 Word 文件改了扩展名后发来。\n", encoding="utf-8")
            truths.append(_special_truth(target.name, "unreadable", ["not_a_pdf"], seed))
            entries.append({"file": target.name, "truth": f"{not_pdf_stem}.truth.json", "special": "not_a_pdf"})
            outputs.append(target)

    for truth in truths:
        truth["expected_status"] = expected_status(truth["error"], truth["expected_problems"])
        _write_json(out_dir / Path(truth["file"]).with_suffix(".truth.json"), truth)
    covered = sorted({c for t in truths for c in t["classes"]})
    _write_json(out_dir / "manifest.json", {
        "generator": GENERATOR, "form": FORM, "seed": seed, "count": len(plan), "scan_pages": scan_pages,
        "classes_requested": classes or None, "classes_covered": covered,
        "missing_classes": [c for c in (classes or recipes.ALL_CLASSES) if c not in covered],
        "files": entries,
    })
    contact.sheet(outputs, {t["file"]: t for t in truths}, out_dir / "contact.png")
    return outputs


def _special_truth(name: str, error: str, classes: list[str], seed: int) -> dict:
    return {"file": name, "form": FORM, "generator": GENERATOR, "seed": seed, "classes": classes,
            "pages": {}, "error": error, "fields": {}, "marks": {}, "expected_problems": [],
            "expected_status": "error"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate returned 申报书 PDFs (seals, signatures, scans, photos, turned pages) with truth files.",
        epilog="example: python tools/make_returns.py --out outputs/returns --seed 41 --scan-pages marks")
    parser.add_argument("--out", default=str(ROOT / "outputs" / "returns"), help="output folder")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same corpus)")
    parser.add_argument("--count", type=int, default=None, help="forms (default: one per recipe, 14)")
    parser.add_argument("--classes", default=None,
                        help="comma-separated classes to make (default: all); known: " + ", ".join(recipes.ALL_CLASSES))
    parser.add_argument("--scan-pages", choices=("all", "marks"), default="all",
                        help="image-ify every page of a scan-class form, or only the 基本情况 page")
    args = parser.parse_args(argv)
    started = time.monotonic()
    paths = generate(args.out, seed=args.seed, count=args.count, classes=args.classes,
                     scan_pages=args.scan_pages, verbose=True)
    out = Path(args.out)
    print(f"{len(paths)} PDFs with truth files in {out} ({time.monotonic() - started:.1f} s)")
    for path in paths:
        truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
        kinds = sorted(set(truth["pages"].values()))
        print(f"  {path.name:14s} {truth['expected_status']:10s} pages: {'/'.join(kinds) or '-':28s} "
              f"{', '.join(truth['classes'])}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    if manifest["missing_classes"]:
        print("  classes not drawn this time: " + ", ".join(manifest["missing_classes"]))
    print(f"  contact sheet: {out / 'contact.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
