"""Independent corpus of returned 申报书: 24 forms per seed, with truth files.

    /work/main/.venv/bin/python /work/main/tools/indep/make_indep.py --out DIR --seed N [--n 24]
"""
import argparse
import io
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pikepdf  # noqa: E402

import data  # noqa: E402
import degrade  # noqa: E402
import extras  # noqa: E402
import marks  # noqa: E402
from form import draw_form  # noqa: E402
from layout import Doc, random_layout  # noqa: E402

ARRIVALS = (["text"] * 5 + ["attachment"] + ["rotated_attr"] * 2 + ["scan"] * 3 + ["rotated_scan"] * 2 + ["grey"]
            + ["bw"] * 2 + ["photo"] * 2 + ["sandwich"] * 2 + ["mixed"])
INCOMPLETE = ["missing_seal", "missing_sig", "blank", "bad_phone", "bad_email", "bad_postcode", "bad_date", "dup", "dup"]
BOXES = ["申报单位意见", "试点单位意见"]
MARK_KEYS = [b + "." + k for b in BOXES for k in ("签章", "公章")]


def scenario_plan(rng):
    """List of (arrival, scenario) for 24 forms, plus 3 error forms."""
    colour = [a for a in ARRIVALS if a not in ("grey", "bw")]
    scen = ["complete"] * (len(colour) - len(INCOMPLETE)) + INCOMPLETE
    rng.shuffle(scen)
    plan = list(zip(colour, scen)) + [("grey", "complete"), ("bw", "complete"), ("bw", "missing_sig")]
    plan += [("encrypted", "error"), ("unreadable", "error"), ("not_this_form", "error")]
    rng.shuffle(plan)
    return plan


def sig_mark(rng, name, mono):
    kind = rng.choice(["handwritten", "handwritten", "name_seal", "e_signature"])
    if mono and kind == "e_signature":
        kind = "handwritten"
    if kind == "handwritten":
        img = marks.handwritten(rng, name, ink=rng.choice([(15, 15, 25), (20, 35, 150)]) if mono else None)
    elif kind == "name_seal":
        img = marks.name_seal(rng, name)
    else:
        img = marks.e_signature(rng, name)
    return {"img": img, "kind": kind, "truth": True, "dx": rng.uniform(-3, 30), "dy": rng.uniform(-6, 6)}


def seal_mark(rng, unit, place, mono):
    code = "".join(rng.choice("0123456789") for _ in range(13)) if rng.random() < 0.35 else None
    img = marks.round_seal(rng, unit, code=code, partial=rng.random() < 0.15)
    return {"img": img, "place": place, "truth": None if mono else True, "dx": rng.uniform(-35, 25),
            "dy": rng.uniform(-40, 8), "touch_f": rng.uniform(0.82, 1.0)}


def build_form(rng, arrival, scen, forced=None, used=None):
    provincial = scen == "complete" and rng.random() < 0.22
    for _ in range(200):
        f, ctx = data.make_values(rng, provincial=provincial, forced=forced)
        if forced or used is None or f["试点单位"] not in used:
            break
    if used is not None:
        used.add(f["试点单位"])
    L = random_layout(rng)
    mono = arrival in ("grey", "bw")
    tags = []
    problems = []
    # ---- value damage
    if scen == "blank":
        key = rng.choice(["申报单位负责人.传真", "试点单位负责人.邮编", "工作计划", "试点单位概况", "试点单位负责人.电子邮箱"])
        f[key] = ""
        problems.append({"field": key, "kind": "blank", "severity": "error"})
    elif scen == "bad_phone":
        who = rng.choice(["申报单位负责人", "试点单位负责人"])
        f[who + ".手机"] = f[who + ".手机"][:10] if rng.random() < 0.5 else "12" + f[who + ".手机"][2:]
        problems.append({"field": who + ".手机", "kind": "format", "severity": "error"})
    elif scen == "bad_email":
        who = rng.choice(["申报单位负责人", "试点单位负责人"])
        e = f[who + ".电子邮箱"]
        f[who + ".电子邮箱"] = rng.choice([e.replace("@", ""), e.replace(".com", ",com"), e.replace("@", "@@")])
        problems.append({"field": who + ".电子邮箱", "kind": "format", "severity": "error"})
    elif scen == "bad_postcode":
        who = rng.choice(["申报单位负责人", "试点单位负责人"])
        f[who + ".邮编"] = rng.choice([f[who + ".邮编"][:5], f[who + ".邮编"] + "0"])
        problems.append({"field": who + ".邮编", "kind": "format", "severity": "error"})
    elif scen == "bad_date":
        v = rng.choice(["late", "invalid", "period"])
        if v == "late":
            f["申报单位意见.日期"] = rng.choice(["2026年6月18日", "2026年6月25日", "二〇二六年七月二日"])
            problems.append({"field": "申报单位意见.日期", "kind": "rule", "severity": "error"})
        elif v == "invalid":
            f["试点单位意见.日期"] = rng.choice(["2026年6月31日", "2026年13月5日", "2026年2月30日"])
            problems.append({"field": "试点单位意见.日期", "kind": "format", "severity": "error"})
        else:
            f["试点起止日期"] = rng.choice(["2026年3月至2027年2月", "2026年1月至2026年12月"])
            problems.append({"field": "试点起止日期", "kind": "rule", "severity": "error"})
    elif scen == "dup":
        problems.append({"field": "试点单位", "kind": "duplicate", "severity": "error"})
    # ---- marks
    plan = {}
    touch = rng.random() < 0.3 and not provincial
    for bi, box in enumerate(BOXES):
        if provincial and box == "试点单位意见":
            plan[box] = {}
            continue
        unit = f["申报单位"] if bi == 0 else f["试点单位"]
        signer = f[("申报单位负责人" if bi == 0 else "试点单位负责人") + ".姓名"]
        place = rng.choice(["normal", "normal", "normal", "across_rule", "into_signer"])
        if touch:
            place = "across_rule" if bi == 0 else "touch"
        plan[box] = {"sig": sig_mark(rng, signer, mono), "seal": seal_mark(rng, unit, place, mono)}
    if touch:
        tags.append("touching_seals")
    if scen == "missing_seal":
        box = "申报单位意见" if provincial else rng.choice(BOXES)
        plan[box]["seal"] = None
        problems.append({"field": box + ".公章", "kind": "missing_seal", "severity": "error"})
    if scen == "missing_sig":
        box = rng.choice(BOXES)
        plan[box]["sig"] = None
        if plan[box]["seal"] is not None and plan[box]["seal"]["place"] != "touch":
            plan[box]["seal"]["place"] = "into_signer"
            tags.append("seal_in_signer_area")
        problems.append({"field": box + ".签章", "kind": "missing_signature", "severity": "error"})
    for box in BOXES:
        p = plan[box]
        if p.get("seal"):
            tags.append("seal_" + p["seal"]["place"])
        if p.get("sig"):
            tags.append(p["sig"]["kind"])
    if provincial:
        tags.append("provincial")
    return f, L, plan, problems, tags, ctx


def draw(f, L, plan, arrival, rng, invisible=False):
    b = io.BytesIO()
    d, mtruth, fp = draw_form(b, L, f, plan, invisible=invisible)
    att = []
    if arrival == "attachment":
        att = extras.attachments(d, rng, f)
    d.save()
    return b.getvalue(), mtruth, fp, att


def make_one(rng, idx, arrival, scen, seed, forced=None, used=None):
    f, L, plan, problems, tags, ctx = build_form(rng, arrival, scen, forced, used)
    rstate = rng.getstate()
    pdf_bytes, mtruth, fp, att = draw(f, L, plan, arrival, random.Random(rng.random()))
    n = len(pikepdf.open(io.BytesIO(pdf_bytes)).pages)
    pages = {str(i + 1): "text" for i in range(n)}
    for p in att:
        pages[str(p)] = "attachment"
    orient = {"rotate_attr": {}, "turned_ccw": {}}
    out = pikepdf.new()
    src = pikepdf.open(io.BytesIO(pdf_bytes))
    dpi = rng.choice([150, 150, 200, 200, 300]) if arrival != "photo" else 150
    if arrival in ("text", "attachment"):
        out.pages.extend(src.pages)
    elif arrival == "rotated_attr":
        rot = rng.choice([90, 180, 270])
        which = range(n) if rng.random() < 0.5 else sorted({2} | {i for i in range(n) if i > 2 and rng.random() < 0.5})
        out.pages.extend(src.pages)
        for i in which:
            out.pages[i].Rotate = rot
            pages[str(i + 1)] = "rotated_attr"
            orient["rotate_attr"][str(i + 1)] = rot
        tags.append(f"rotate_{rot}")
    else:
        imgs = degrade.render(pdf_bytes, dpi)
        inv = None
        if arrival == "sandwich":
            ib, _, _, _ = draw(f, L, plan, arrival, random.Random(0), invisible=True)
            inv = pikepdf.open(io.BytesIO(ib))
        scanned = set(range(n))
        if arrival == "mixed":
            scanned = {2} | set(rng.sample(range(n), 2))
        turn = {}
        if arrival == "rotated_scan":
            k = rng.choice([1, 2, 3])
            turned = range(n) if rng.random() < 0.5 else sorted({2} | set(rng.sample(range(n), 2)))
            turn = {i: k for i in turned}
            tags.append(f"turned_{k * 90}")
        for i in range(n):
            if i not in scanned:
                out.pages.append(src.pages[i])
                continue
            img = imgs[i]
            Mx = None
            out_dpi = dpi
            if arrival == "photo":
                img, Mx = degrade.photo(img, rng)
                cls = "photo"
            else:
                img, Mx = degrade.scan(img, rng, colour=arrival not in ("grey", "bw"),
                                       skew_max=0.35 if arrival == "sandwich" else 1.4)
                cls = {"grey": "grey", "bw": "bw", "sandwich": "sandwich"}.get(arrival, "scan")
                if arrival == "bw":
                    img = degrade.to_bw(img, rng)
            if i in turn:
                img = img.rotate(90 * turn[i], expand=True)
                cls = "rotated_image"
                orient["turned_ccw"][str(i + 1)] = 90 * turn[i]
            pages[str(i + 1)] = cls
            q = rng.randint(55, 85) if arrival == "photo" else rng.randint(60, 85)
            degrade.image_page(out, img, out_dpi, q, under=inv.pages[i] if inv is not None else None)
            if i == 2:
                for k in MARK_KEYS:
                    mtruth[k]["bbox"] = degrade.map_bbox(mtruth[k]["bbox"], dpi, Mx, out_dpi)
    return f, mtruth, fp, pages, problems, tags, out, dpi, orient, ctx


def finish(f, mtruth, fp, problems, arrival, pages):
    fields = dict(f)
    provincial = f["试点单位"] == f["申报单位"]
    for k in MARK_KEYS:
        fields[k] = mtruth[k]["present"]
    for k in MARK_KEYS:
        if provincial and k.startswith("试点单位意见"):
            continue
        if mtruth[k]["present"] is None:
            problems.append({"field": k, "kind": "review", "severity": "review"})
    problems.insert(0, {"field": "文件名", "kind": "rule", "severity": "warning"})
    sev = {p["severity"] for p in problems}
    status = "incomplete" if "error" in sev else "review" if "review" in sev else "complete"
    return fields, problems, status


def error_form(rng, kind, out_path, seed):
    f, L, plan, _, tags, _ = build_form(rng, "text", "complete")
    if kind == "not_this_form":
        b = io.BytesIO()
        d = Doc(b)
        extras.notice(d, rng, f)
        d.save()
        open(out_path, "wb").write(b.getvalue())
        return {"1": "text"}
    pdf_bytes, _, _, _ = draw(f, L, plan, "text", random.Random(rng.random()))
    if kind == "encrypted":
        p = pikepdf.open(io.BytesIO(pdf_bytes))
        p.save(out_path, encryption=pikepdf.Encryption(user="kx" + str(rng.randint(1000, 9999)), owner="owner-" + str(seed),
                                                       R=rng.choice([4, 6])), static_id=True)
        return {}
    cut = int(len(pdf_bytes) * rng.uniform(0.3, 0.6))
    junk = bytes(rng.randint(0, 255) for _ in range(rng.randint(200, 2000)))
    open(out_path, "wb").write(pdf_bytes[:cut] + junk)
    return {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n", type=int, default=24, help="only the first N of the 24-form plan")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    rng = random.Random(a.seed)
    plan = scenario_plan(rng)[: a.n]
    dup_forced = None
    used = set()
    for idx, (arrival, scen) in enumerate(plan, 1):
        frng = random.Random(f"{a.seed}-{idx}")
        name = f"{idx:03d}.pdf"
        path = os.path.join(a.out, name)
        truth = {"file": name, "form": "申报书", "generator": "indep", "seed": a.seed}
        if scen == "error":
            pages = error_form(frng, arrival, path, a.seed)
            err = {"encrypted": "encrypted", "unreadable": "unreadable", "not_this_form": "not_this_form"}[arrival]
            truth.update({"classes": [arrival], "pages": pages, "error": err, "fields": {}, "marks": {},
                          "field_pages": {}, "expected_problems": [], "expected_status": "error", "scenario": "error"})
        else:
            forced = dup_forced if scen == "dup" else None
            f, mtruth, fp, pages, problems, tags, out, dpi, orient, ctx = make_one(frng, idx, arrival, scen, a.seed,
                                                                                  forced, used)
            if scen == "dup":
                dup_forced = ctx["forced"]
            out.save(path, deterministic_id=True)
            fields, problems, status = finish(f, mtruth, fp, problems, arrival, pages)
            truth.update({"classes": [arrival] + sorted(set(tags)), "pages": pages, "error": None, "fields": fields,
                          "marks": {k: mtruth[k] for k in MARK_KEYS}, "field_pages": fp,
                          "expected_problems": problems, "expected_status": status, "scenario": scen,
                          "layout": "indep", **orient, "dpi": dpi if arrival not in ("text", "attachment", "rotated_attr") else None})
        with open(path[:-4] + ".truth.json", "w", encoding="utf-8") as fh:
            json.dump(truth, fh, ensure_ascii=False, indent=2)
        print(f"{name} {arrival:14s} {scen:13s} {truth['expected_status']}", flush=True)
    print(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
