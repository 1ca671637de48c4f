"""One returned form from its typed PDF: marks planned and drawn in the 意见 boxes, red print,
pages turned into what arrives (rotated, scanned, photographed, sandwich), attachments, the
file written, and its truth measured from what was drawn."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

import make_corpus as mc

from . import attachments, pages, pdfbuild, photo, placement, stamp
from . import boxes as bx
from .recipes import COLOURLESS, Recipe
from .seals import name_seal, round_seal
from .signatures import e_signature, handwriting

FORM = "申报书"
GENERATOR = "make_returns"
OPINIONS = placement.OPINIONS
MARK_KEYS = [f"{w}.{k}" for w in OPINIONS for k in ("签章", "公章")]
#: page classes that image-ify pages, and the page kind they make
IMAGING = {"scan": "scan", "grey_scan": "grey", "bw_scan": "bw", "rotated_scan": "scan", "phone_photo": "photo",
           "sandwich": "sandwich", "mixed_scan": "scan", "mixed_photo": "photo"}


@dataclass
class FormJob:
    index: int
    stem: str
    recipe: Recipe
    scenario: str
    rng: random.Random
    data: dict
    variant: dict
    injected: list
    layout: str
    special: str | None = None
    docx: Path | None = None
    typed: Path | None = None
    texts: list = field(default_factory=list)
    boxes: dict = field(default_factory=dict)

    def locate(self) -> None:
        """Read the typed PDF: page texts, and the 意见 boxes on the pages with signer labels."""
        self.texts = bx.page_texts(self.typed)
        with_labels = [n for n, t in enumerate(self.texts, 1) if re.search(r"负责人[（(]签章", t)]
        self.boxes = bx.find_boxes(self.typed, with_labels)


def _plan(job: FormJob) -> dict:
    provincial = job.variant["provincial"]
    plan = {}
    touch_done = False
    for i, whose in enumerate(OPINIONS):
        if whose == "试点单位意见" and provincial:  # 「省级试点不填写此栏」
            plan[whose] = {"seal": "absent", "sign": None}
            continue
        sign = job.recipe.signs[i]
        touch = "touch" in job.recipe.extra and sign == "handwritten" and not touch_done
        touch_done |= touch
        plan[whose] = {"seal": job.recipe.seals[i], "sign": sign, "touch": touch}
    return mc.scenario_marks(job.scenario, plan)


def _red_heading(rng: random.Random, data: dict, box: bx.Box, lowest: float) -> list[dict]:
    """Red print that is not a seal: a heading over the page, often a red rule under it, and
    sometimes a red note under the table (``lowest``: the bottom of the lowest box)."""
    red = (rng.randint(200, 232), rng.randint(0, 30), rng.randint(18, 42))
    width = box.page_size[0]
    text = rng.choice((data["申报单位"], data["试点单位"] + "申报材料", "地方科协深化改革工作试点申报材料"))
    size, scale = rng.uniform(15, 21), rng.choice((100, 100, 85, 75))
    text_w = stamp.text_width(text, size) * scale / 100
    top = rng.uniform(36, 56)
    items = [{"text": text, "x": (width - text_w) / 2, "top": top, "size": size, "rgb": red,
              "bold": rng.random() < 0.6, "scale": scale}]
    if rng.random() < 0.75:
        items.append({"rule": {"x0": box.rect.x0, "x1": box.rect.x1, "y": top + size + 6,
                               "width": rng.uniform(0.8, 2.2)}, "rgb": red})
    if rng.random() < 0.6:
        note = rng.choice(("注：本页须由单位负责人签字并加盖单位公章。", "（此页须加盖公章）", "请核对后签章"))
        items.append({"text": note, "x": box.rect.x0 + rng.uniform(0, 60), "size": rng.uniform(9, 11),
                      "top": min(box.page_size[1] - 30, lowest + rng.uniform(6, 14)), "rgb": red})
    return items


def _classes(job: FormJob, placed: list, marks: dict, kinds: dict, extra_done: set) -> list[str]:
    recipe, boxes = job.recipe, job.boxes
    provincial = job.variant["provincial"]
    out = [recipe.page, *sorted(extra_done)]
    if placement.touching_pairs(placed):
        out.append("touching_seals")
    for p in placed:
        holder = p.details.get("holder")
        if p.kind == "公章":
            if holder and holder != p.whose:
                out.append("seal_wrong_box")
            elif holder and placement.crosses_rule(p, boxes):
                out.append("seal_across_rules")
            if holder and p.details["shares"].get(holder, 0) >= 0.97:
                out.append("seal_in_box")
            if p.details.get("inked_share") or p.details.get("ink") == "faded":
                out.append("faded_seal")
            box = boxes.get(p.whose)
            if p.details.get("how") == "signer_area" and box is not None:
                disc = bx.Rect(p.centre[0] - p.radius, p.centre[1] - p.radius, p.centre[0] + p.radius, p.centre[1] + p.radius)
                if bx.rect_share(disc, box.signer_area) > 0.3 and marks[f"{p.whose}.签章"]["present"] is False:
                    out.append("seal_in_signer_area")
        else:
            out.append(p.ink.kind)
            if placement.sign_touches_label(p, boxes):
                out.append("signature_touches_label")
    for whose in OPINIONS:
        if provincial and whose == "试点单位意见":
            continue
        if marks[f"{whose}.签章"]["present"] is False:
            out.append("no_signature")
        if marks[f"{whose}.公章"]["present"] is False:
            out.append("no_seal")
    if provincial:
        out.append("provincial")
    changed = job.variant.get("changed", {})
    if "unit" in changed:
        out.append("long_names")
    if "address" in changed:
        out.append("latin_address")
    if "opinion_paragraphs" in changed:
        out.append("multi_paragraph_opinion")
    if job.special:
        out.append(job.special)
    seen = []
    for c in out:
        if c not in seen:
            seen.append(c)
    return seen


def _image_page(rng: random.Random, src: Path, index: int, kind: str, size: tuple, turned: bool,
                words: list | None) -> tuple[pikepdf.Pdf, object, dict, str]:
    """One page image-ified as ``kind`` (scan | grey | bw | photo | sandwich)."""
    if kind == "photo":
        img, matrix, details, out_size = photo.photograph(rng, src, index, size)
        quality = rng.randint(55, 85)
        return pdfbuild.image_page(img, "colour", quality, out_size), matrix, {**details, "quality": quality}, "photo"
    mode = {"scan": "colour", "sandwich": "colour"}.get(kind, kind)
    img, matrix, details = pages.scan(rng, src, index, mode)
    quality = rng.randint(55, 90)
    label = kind
    if turned:
        quarter = rng.choice((1, 2, 3))
        img = pages.turn(img, quarter)
        if quarter % 2:
            size = (size[1], size[0])
        details["quarter_turns_clockwise"] = quarter
        label = "rotated_image"
    details["quality"] = quality if mode != "bw" else None
    if kind == "sandwich":
        return pdfbuild.sandwich_page(img, quality, size, words or [], matrix), matrix, details, label
    return pdfbuild.image_page(img, mode, quality, size), matrix, details, label


def process(job: FormJob, out_dir: Path, work: Path, scan_pages: str) -> tuple[dict, dict]:
    rng, recipe, data, boxes = job.rng, job.recipe, job.data, job.boxes
    provincial = job.variant["provincial"]
    n_pages = len(job.texts)
    box_pages = sorted({b.page for b in boxes.values()}) or [3]
    # the 基本情况 page: where the table of names and contacts starts
    home = next((n for n, t in enumerate(job.texts, 1) if "一、基本情况" in t),
                boxes["申报单位意见"].page if "申报单位意见" in boxes else 3)
    kinds = {n: "text" for n in range(1, n_pages + 1)}
    imaging = IMAGING.get(recipe.page)
    imaged = []
    if imaging:
        imaged = box_pages if (recipe.page.startswith("mixed") or scan_pages == "marks") else list(kinds)
    colourless = {n for n in imaged if imaging in COLOURLESS}

    # marks
    plan = _plan(job)
    faded_wanted = ["faded_seal" in recipe.extra]

    def make_seal(whose):
        faded = True if faded_wanted[0] else None
        faded_wanted[0] = False
        return round_seal(rng, data["申报单位"] if whose == "申报单位意见" else data["试点单位"], faded=faded)

    def make_sign(whose, kind):
        person = data[whose[:4] + "负责人"]["姓名"] or mc.person_name(rng)
        if kind == "name_seal":
            return name_seal(rng, person)
        if kind == "e_signature":
            return e_signature(rng, person)
        return handwriting(rng)

    placed = placement.place_all(rng, plan, boxes, make_seal, make_sign)
    physical = any(b.page in imaged for b in boxes.values())
    seal_blend = "Multiply" if physical else rng.choice(("Multiply", "Normal"))
    seal_opacity = 1.0 if seal_blend == "Multiply" else rng.uniform(0.85, 1.0)
    pdf = pikepdf.open(job.typed)
    for p in sorted(placed, key=lambda q: q.kind != "签章"):  # signatures first, seals over them
        if p.kind == "公章":
            stamp.add_ink(pdf, pdf.pages[p.page - 1], p.ink, p.x, p.top, blend=seal_blend, opacity=seal_opacity)
        else:
            stamp.add_ink(pdf, pdf.pages[p.page - 1], p.ink, p.x, p.top)
    extra_done = set()
    red_items = None
    if "red_heading" in recipe.extra and "申报单位意见" in boxes:
        first = boxes["申报单位意见"]
        lowest = max(b.rect.bottom for b in boxes.values() if b.page == first.page)
        red_items = _red_heading(rng, data, first, lowest)
        stamp.red_print(pdf, pdf.pages[first.page - 1], red_items)
        extra_done.add("red_heading")
    stamped = work / f"{job.stem}.stamped.pdf"
    pdf.save(stamped)
    pdf.close()
    stamp.release()

    # pages as they arrive
    base = pikepdf.open(stamped)
    details: dict[int, dict] = {}
    if recipe.page in ("rotated_attr_turned", "rotated_attr_upright"):
        counter = recipe.page.endswith("upright")
        style = rng.choice(("all", "some", "box"))
        same = rng.choice((90, 180, 270))
        chosen = list(kinds) if style == "all" else \
            sorted(set(box_pages) | ({n for n in kinds if rng.random() < 0.4} if style == "some" else set()))
        for n in chosen:
            angle = same if style == "all" else rng.choice((90, 180, 270))
            pdfbuild.rotate_attr(base, base.pages[n - 1], angle, counter)
            kinds[n] = "rotated_attr"
            details[n] = {"rotate": angle, "content": "counter_rotated" if counter else "unchanged"}
    replace, matrices = {}, {}
    for n in imaged:
        page_box = [float(v) for v in base.pages[n - 1].mediabox]
        size = (page_box[2] - page_box[0], page_box[3] - page_box[1])
        turned = recipe.page == "rotated_scan" and (n in box_pages or rng.random() < 0.3)
        words = bx.page_words(job.typed, n) if imaging == "sandwich" else None
        doc, matrix, d, label = _image_page(rng, stamped, n - 1, imaging, size, turned, words)
        replace[n - 1], matrices[n], details[n], kinds[n] = doc, matrix, d, label

    # 佐证材料
    extra_docs = []
    if recipe.page == "attachments" or "attachments" in recipe.extra:
        place = data["试点单位"].replace("科学技术协会", "")
        names = [r["姓名"] for r in data["主要参与团队"] + data["试点工作负责人"]] or [mc.person_name(rng)]
        docs, att = attachments.make(rng, data["试点单位"], place, [s.format(地=place) for s in mc.SENTENCES], names)
        number = n_pages
        for doc, d in zip(docs, att):
            if imaging and imaging != "sandwich" and scan_pages == "all" and not recipe.page.startswith("mixed"):
                src = work / f"{job.stem}.att{number}.pdf"
                doc.save(src)
                for i in range(len(doc.pages)):
                    box = [float(v) for v in doc.pages[i].mediabox]
                    page_doc, _, d2, _ = _image_page(rng, src, i, imaging, (box[2] - box[0], box[3] - box[1]), False, None)
                    extra_docs.append(page_doc)
                    number += 1
                    kinds[number], details[number] = "attachment", {**d, **d2}
            else:
                extra_docs.append(doc)
                for _ in doc.pages:
                    number += 1
                    kinds[number], details[number] = "attachment", d
        extra_done.add("attachments")
    target = out_dir / f"{job.stem}.pdf"
    pdfbuild.assemble(base, replace, extra_docs, target)
    base.close()

    # truth, measured from what was drawn
    marks = placement.truth(placed, boxes, colourless)
    for mark in marks.values():
        if mark["bbox"] and mark["page"] in matrices:
            mark["bbox"] = pages.map_rect(matrices[mark["page"]], mark["bbox"])
    error = {"encrypted": "encrypted", "truncated": "unreadable"}.get(job.special)
    if job.special in ("owner_password", "encrypted"):
        with pikepdf.open(target, allow_overwriting_input=True) as doc:
            doc.save(target, encryption=pikepdf.Encryption(owner="kexie-owner", user="" if job.special == "owner_password"
                                                           else "kexie-user", R=6))
    elif job.special == "truncated":
        blob = target.read_bytes()
        target.write_bytes(blob[: len(blob) // 2])
    fields = mc.truth_fields(data, marks)
    problems = mc.expected_problems(fields, provincial, job.injected, target.name)
    exempt = set(mc.PILOT_OPINION) if provincial else set()
    for key in MARK_KEYS:
        if fields[key] is None and key not in exempt:
            problems.append({"field": key, "kind": "review", "severity": "review"})
    classes = _classes(job, placed, marks, kinds, extra_done)
    where = bx.field_pages(fields, job.texts, home)
    for key in MARK_KEYS:
        where[key] = [marks[key]["page"] or home]
    truth = {"file": target.name, "form": FORM, "generator": GENERATOR, "seed": None, "classes": classes,
             "pages": {str(n): kinds[n] for n in sorted(kinds)} if error is None else {},
             "error": error, "fields": fields if error is None else {}, "marks": marks if error is None else {},
             "field_pages": {k: v for k, v in where.items()} if error is None else {},
             "expected_problems": problems if error is None else [], "expected_status": None,
             "scenario": job.scenario, "layout": job.layout}
    entry = {
        "file": target.name, "truth": f"{job.stem}.truth.json", "classes": classes, "scenario": job.scenario,
        "layout": job.layout, "special": job.special, "error": error,
        "recipe": {"page": recipe.page, "seals": list(recipe.seals), "signs": list(recipe.signs),
                   "extra": sorted(recipe.extra)},
        "plan": plan, "variant": {k: v for k, v in job.variant.items() if k != "texts"},
        "boxes": {w: {"page": b.page, "rect": b.rect.as_list(), "signer_area": b.signer_area.as_list()}
                  for w, b in boxes.items()},
        "marks_placed": [{"kind": p.kind, "mark": p.ink.kind, "meant_for": p.whose, "page": p.page,
                          "bbox_typed": p.bbox.as_list(), **{k: v for k, v in p.details.items()}} for p in placed],
        "red_print": [{k: v for k, v in i.items()} for i in red_items] if red_items else None,
        "page_details": {str(n): d for n, d in sorted(details.items())},
    }
    return truth, entry
