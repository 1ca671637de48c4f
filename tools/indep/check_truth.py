"""Sanity checks for a generated set; optionally draws mark bboxes on upright page-3 renders.

    /work/main/.venv/bin/python check_truth.py DIR [--draw OUTDIR] [--sheet sheet.png]
"""
import argparse
import collections
import glob
import json
import os
import sys

import pikepdf

PAGE_CLASSES = {"text", "rotated_attr", "scan", "rotated_image", "grey", "bw", "photo", "sandwich", "attachment"}
KINDS = {"blank", "missing_signature", "missing_seal", "format", "rule", "duplicate", "review"}
MARKS = ["申报单位意见.签章", "申报单位意见.公章", "试点单位意见.签章", "试点单位意见.公章"]


def status_of(t):
    if t["error"]:
        return "error"
    sev = {p["severity"] for p in t["expected_problems"]}
    return "incomplete" if "error" in sev else "review" if "review" in sev else "complete"


def check(d):
    errs = []
    pdfs = sorted(glob.glob(os.path.join(d, "*.pdf")))
    truths = {}
    for p in pdfs:
        tp = p[:-4] + ".truth.json"
        if not os.path.exists(tp):
            errs.append(f"{p}: no truth")
            continue
        t = json.load(open(tp, encoding="utf-8"))
        truths[p] = t
        name = os.path.basename(p)
        if t["file"] != name:
            errs.append(f"{name}: file key {t['file']}")
        if t["expected_status"] != status_of(t):
            errs.append(f"{name}: status {t['expected_status']} but problems say {status_of(t)}")
        for k in t["expected_problems"]:
            if k["kind"] not in KINDS:
                errs.append(f"{name}: bad kind {k}")
        if t["error"]:
            if t["error"] == "encrypted":
                try:
                    pikepdf.open(p)
                    errs.append(f"{name}: opens without password")
                except pikepdf.PasswordError:
                    pass
            elif t["error"] == "unreadable":
                if open(p, "rb").read().rstrip().endswith(b"%%EOF"):
                    errs.append(f"{name}: looks complete")
            continue
        pdf = pikepdf.open(p)
        n = len(pdf.pages)
        if sorted(map(int, t["pages"])) != list(range(1, n + 1)):
            errs.append(f"{name}: pages {len(t['pages'])} != {n}")
        for pg, c in t["pages"].items():
            if c not in PAGE_CLASSES:
                errs.append(f"{name}: page class {c}")
            rot = int(pdf.pages[int(pg) - 1].obj.get("/Rotate", 0))
            if (c == "rotated_attr") != (rot != 0):
                errs.append(f"{name}: page {pg} class {c} but /Rotate {rot}")
        prov = t["fields"]["试点单位"] == t["fields"]["申报单位"]
        probs = {(p_["field"], p_["kind"]) for p_ in t["expected_problems"]}
        for k in MARKS:
            m = t["marks"][k]
            if t["fields"][k] != m["present"]:
                errs.append(f"{name}: fields[{k}] != marks present")
            if m["present"] is False and not (prov and k.startswith("试点")):
                want = "missing_signature" if k.endswith("签章") else "missing_seal"
                if (k, want) not in probs:
                    errs.append(f"{name}: {k} absent but no {want}")
            if m["present"] is None and (k, "review") not in probs:
                errs.append(f"{name}: {k} null but no review")
            if m["present"] is not False and not m["bbox"]:
                errs.append(f"{name}: {k} present without bbox")
        for key, v in t["fields"].items():
            if v == "" and not (prov and key.startswith("试点单位意见")) and (key, "blank") not in probs:
                errs.append(f"{name}: {key} blank but no problem")
        if t["pages"]["3"] in ("grey", "bw") and any(t["marks"][k]["present"] is True for k in MARKS if k.endswith("公章")):
            errs.append(f"{name}: colour seal truth on mono page")
    # duplicates
    pil = collections.Counter(t["fields"]["试点单位"] for t in truths.values() if not t["error"])
    for p, t in truths.items():
        if t["error"]:
            continue
        dup = pil[t["fields"]["试点单位"]] > 1
        has = any(x["kind"] == "duplicate" for x in t["expected_problems"])
        if dup != has:
            errs.append(f"{os.path.basename(p)}: duplicate truth {has} but count {pil[t['fields']['试点单位']]}")
    return truths, errs


def upright_page3(path, t, dpi=60):
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(path)
    img = doc[2].render(scale=dpi / 72).to_pil().convert("RGB")
    rot = t.get("rotate_attr", {}).get("3", 0)
    if rot:
        img = img.rotate(rot, expand=True)
    turn = t.get("turned_ccw", {}).get("3", 0)
    if turn:
        img = img.rotate(-turn, expand=True)
    return img


def draw(truths, outdir, sheet):
    from PIL import Image, ImageDraw
    os.makedirs(outdir, exist_ok=True)
    thumbs = []
    for p, t in sorted(truths.items()):
        if t["error"]:
            continue
        dpi = 60
        img = upright_page3(p, t, dpi)
        dr = ImageDraw.Draw(img)
        for k in MARKS:
            m = t["marks"][k]
            if m["bbox"]:
                col = {True: (0, 160, 0), None: (255, 140, 0), False: (0, 0, 255)}[m["present"]]
                dr.rectangle([v * dpi / 72 for v in m["bbox"]], outline=col, width=2)
        dr.text((5, 5), f"{os.path.basename(p)} {t['classes'][0]} {t['expected_status']}", fill=(255, 0, 255))
        img.save(os.path.join(outdir, os.path.basename(p)[:-4] + "_p3.png"))
        thumbs.append(img)
    if sheet and thumbs:
        w = max(i.width for i in thumbs)
        h = max(i.height for i in thumbs)
        cols = 7
        rows = (len(thumbs) + cols - 1) // cols
        c = Image.new("RGB", (w * cols, h * rows), "white")
        for i, im in enumerate(thumbs):
            c.paste(im, ((i % cols) * w, (i // cols) * h))
        c.save(sheet)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--draw")
    ap.add_argument("--sheet")
    a = ap.parse_args()
    truths, errs = check(a.dir)
    st = collections.Counter(t["expected_status"] for t in truths.values())
    ar = collections.Counter(t["classes"][0] for t in truths.values())
    print(f"{len(truths)} forms; status {dict(st)}")
    print(f"arrival {dict(ar)}")
    for e in errs:
        print("PROBLEM", e)
    if a.draw:
        draw(truths, a.draw, a.sheet)
    sys.exit(1 if errs else 0)


if __name__ == "__main__":
    main()
