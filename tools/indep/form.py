"""The 申报书 pages (cover, 填报说明, 基本情况, side-label tables, boxes, people tables)."""
from layout import H, W, Doc, ink_bbox, sw, wrap

CONTACT = [("姓名", "姓    名"), ("手机", "手    机"), ("电子邮箱", "电子邮箱"), ("通讯地址", "通讯地址"),
           ("邮编", "邮    编"), ("传真", "传    真"), ("办公电话", "办公电话")]
PROMPT = {
    "申报单位意见": "申报单位意见（包括是否同意推荐，申报书所填内容是否准确等）：",
    "试点单位意见": "试点单位意见（包括是否同意推荐，申报书所填内容是否准确等，省级试点不填写此栏）：",
}
SIGNER = {"申报单位意见": "申报单位负责人（签章）：", "试点单位意见": "试点单位负责人（签章）："}
SIDE = [("申报单位推荐理由", "申报单位推荐理由"), ("试点单位概况", "试点单位概况"),
        ("改革工作目前进展情况", "试点单位改革工作目前进展情况"), ("改革工作亮点与主要成效", "试点单位改革工作亮点与主要成效")]
PLAN = [("工作计划", "1. 工作计划"), ("预期成果", "2．预期成果"), ("试点成果宣传计划", "3. 试点成果宣传计划")]
PEOPLE_COLS = ["姓名", "性别", "出生年月", "单位", "职务职称"]


def cell_text(d, x0, y0, x1, y1, s, font, fs, pad, field=None, centre=False):
    """Text inside a cell, shrinking until it fits; vertically centred."""
    d.fp(field)
    if not s:
        return
    size = fs
    while True:
        lines = wrap(s, font, size, x1 - x0 - 2 * pad)
        if len(lines) * size * 1.2 <= (y1 - y0) - 2 or size < 6:
            break
        size -= 0.5
    tot = len(lines) * size * 1.2
    y = y0 + (y1 - y0 - tot) / 2 + size * 0.95
    for ln in lines:
        if centre:
            d.text((x0 + x1) / 2, y, ln, font, size, align="centre")
        else:
            d.text(x0 + pad, y, ln, font, size)
        y += size * 1.2


def block_text(d, x0, y, x1, s, font, fs, field=None, indent=True, lead=1.55):
    d.fp(field)
    if not s:
        return y
    for para in s.split("\n"):
        p = ("\u3000\u3000" if indent else "") + para
        for ln in wrap(p, font, fs, x1 - x0):
            d.text(x0, y + fs, ln.lstrip("\u3000") if False else ln, font, fs)
            y += fs * lead
    return y


def cover(d, L, f):
    t = L["title"]
    if L["cover_annex"]:
        d.text(L["ml"], L["mt"] + 12, "附件2", t, 14)
    d.text(W / 2, 210, "中国科学技术协会", t, 18, align="centre")
    d.text(W / 2, 268, "地方科协深化改革工作试点申报书", t, L["cover_size"], align="centre")
    x = W / 2 - L["cover_w"] / 2
    for i, (lab, key, second) in enumerate((("试点单位：", "试点单位", True), ("申报单位：", "申报单位", False))):
        y = 430 + i * L["cover_gap"]
        d.text(x, y, lab, L["body"], 15)
        x2 = x + sw(lab, L["body"], 15)
        d.line(x2, y + 4, x + L["cover_w"], y + 4, width=0.6)
        size = 15 if sw(f[key], L["body"], 15) < L["cover_w"] - 80 else 13
        d.text(x2 + 6, y - 1, f[key], L["body"], size, field=None if second else key)
        if second:
            L["_second"].setdefault(key, []).append(d.page)
    d.text(W / 2, 690, "中国科协改革工作办公室", t, 15, align="centre")
    d.text(W / 2, 720, L["cover_date"], t, 14, align="centre")


def notes(d, L):
    t, fs = L["title"], L["fs"] + 1
    d.text(W / 2, L["mt"] + 30, "填 报 说 明", t, 18, align="centre")
    y = L["mt"] + 70
    for p in ["一、填写申报书前，请先认真阅读申报指南相关要求。申报书所填内容应实事求是，表述准确明了，字迹工整易辨，"
              "可打印填表。所有空表均需填写，如无内容请填“/”。",
              "二、各申报单位务必在申报截止日期前将申报书及电子版报送中国科协改革工作办公室，逾期将不予受理。"]:
        y = block_text(d, L["ml"], y, W - L["mr"], p, L["body"], fs, lead=1.9) + 8


def basic(d, L, f, plan):
    """Page 3. Returns mark truth dict."""
    b, lb, fs, pad = L["body"], L["label"], L["fs"], L["pad"]
    x0, x1 = L["ml"], W - L["mr"]
    tw = x1 - x0
    half = x0 + tw / 2
    lw = L["label_w"]
    rh = L["row_h"]
    y = L["mt"]
    d.text(x0, y + 15, "一、基本情况", L["title"], 15)
    y += 26
    top = y
    rows = []
    for lab, key in (("试点单位", "试点单位"), ("试点起止日期", "试点起止日期")):
        cell_text(d, x0, y, x0 + lw, y + rh, lab, lb, fs, pad, centre=True)
        cell_text(d, x0 + lw, y, x1, y + rh, f[key], b, fs, pad, field=key)
        d.line(x0 + lw, y, x0 + lw, y + rh)
        y += rh
        rows.append(y)
    cell_text(d, x0, y, half, y + rh, "申报单位负责人", lb, fs, pad, centre=True)
    cell_text(d, half, y, x1, y + rh, "试点单位负责人", lb, fs, pad, centre=True)
    d.line(half, y, half, y + rh)
    y += rh
    rows.append(y)
    for k, lab in CONTACT:
        labtxt = lab if L["label_spaced"] else k
        for gx, who in ((x0, "申报单位负责人"), (half, "试点单位负责人")):
            cell_text(d, gx, y, gx + lw, y + rh, labtxt, lb, fs, pad, centre=True)
            cell_text(d, gx + lw, y, gx + tw / 2, y + rh, f[who + "." + k], b, fs, pad, field=who + "." + k)
            d.line(gx + lw, y, gx + lw, y + rh)
        d.line(half, y, half, y + rh)
        y += rh
        rows.append(y)
    avail = H - L["mb"] - y
    h1 = avail * L["box_split"]
    boxes = {"申报单位意见": (y, y + h1), "试点单位意见": (y + h1, H - L["mb"])}
    for r in rows:  # the last row's rule is the 意见 box's top
        d.line(x0, r, x1, r)
    d.line(x0, y + h1, x1, y + h1)
    d.rect(x0, top, x1, H - L["mb"], width=L["lw"] * 1.3)
    truth = {}
    seal_centres = {}
    for box, (by0, by1) in boxes.items():
        yy = by0 + pad
        yy = block_text(d, x0 + pad, yy, x1 - pad, PROMPT[box], lb, fs, field=box, indent=False, lead=1.4)
        d.fp(box + ".日期")
        block_text(d, x0 + pad, yy + 2, x1 - pad, f[box], b, fs, field=box, lead=1.45)
        sig_y = by1 - L["sig_off"]
        d.text(x0 + pad + L["sig_indent"], sig_y, SIGNER[box], lb, fs)
        sig_end = x0 + pad + L["sig_indent"] + sw(SIGNER[box], lb, fs)
        seal_lx = x0 + tw * L["seal_label_at"]
        d.text(seal_lx, sig_y, "（单位公章）", lb, fs)
        date = f[box + ".日期"]
        dy = by1 - L["date_off"]
        if date:
            d.text(x1 - pad - 24, dy, date, b, fs, align="right")
        else:
            d.text(x1 - pad - 24, dy, "年      月      日", lb, fs, align="right")
        p = plan[box]
        for k in ("签章", "公章"):
            d.fp(box + "." + k)
        # 签章
        s = p.get("sig")
        key = box + ".签章"
        if s:
            img, w, h = s["img"]
            sx = sig_end + s["dx"]
            sy = sig_y - fs * 0.35 - h / 2 + s["dy"]
            d.image(img, sx, sy, w, h)
            truth[key] = {"present": s["truth"], "page": d.page, "kind": s["kind"], "bbox": ink_bbox(img, sx, sy, w, h)}
        else:
            truth[key] = {"present": False, "page": d.page, "kind": None, "bbox": None}
        # 公章
        s = p.get("seal")
        key = box + ".公章"
        if s:
            img, w, h = s["img"]
            r = w / 2
            cx = seal_lx + sw("（单位公章）", lb, fs) / 2 + s["dx"]
            cy = sig_y - fs * 0.3 + s["dy"]
            if s["place"] == "into_signer":
                cx = sig_end + r * 0.55
            elif s["place"] == "across_rule":
                cy = by1 - r * 0.3
            elif s["place"] == "touch" and "申报单位意见" in seal_centres:
                pcx, pcy, pr = seal_centres["申报单位意见"]
                cx = pcx + s["dx"] * 0.5
                cy = max(pcy + (pr + r) * s["touch_f"], by0 + 12)
            cy = min(cy, by1 - 5)
            cx = min(max(cx, x0 + r * 0.4), x1 - r * 0.2)
            seal_centres[box] = (cx, cy, r)
            d.image(img, cx - r, cy - h / 2, w, h)
            truth[key] = {"present": s["truth"], "page": d.page, "kind": "round_seal",
                          "bbox": ink_bbox(img, cx - r, cy - h / 2, w, h)}
        else:
            truth[key] = {"present": False, "page": d.page, "kind": None, "bbox": None}
    return truth


def side_tables(d, L, f, items):
    b, lb, fs, pad = L["body"], L["label"], L["fs"], L["pad"]
    x0, x1 = L["ml"], W - L["mr"]
    y0, y1 = L["mt"], H - L["mb"]
    lw = 36 if L["side"] == "vertical" else 96
    hh = (y1 - y0) / len(items)
    for i, (key, lab) in enumerate(items):
        a, z = y0 + i * hh, y0 + (i + 1) * hh
        if L["side"] == "vertical":
            chunks = [lab[j:j + 2] for j in range(0, len(lab), 2)]
            yy = a + 16
            for ch in chunks:
                d.text((x0 + x0 + lw) / 2, yy + fs, ch, lb, fs + 1, align="centre")
                yy += (fs + 1) * 1.45
        else:
            lines = wrap(lab, lb, fs + 1, lw - 2 * pad)
            yy = a + (z - a) / 2 - len(lines) * (fs + 1) * 0.7
            for ln in lines:
                d.text((x0 + x0 + lw) / 2, yy + fs, ln, lb, fs + 1, align="centre")
                yy += (fs + 1) * 1.4
        block_text(d, x0 + lw + pad, a + pad, x1 - pad, f[key], b, fs, field=key, lead=1.7)
        d.line(x0, z, x1, z)
    d.rect(x0, y0, x1, y1, width=L["lw"] * 1.3)
    d.line(x0 + lw, y0, x0 + lw, y1)


def content_box(d, L, f):
    b, fs, pad = L["body"], L["fs"], L["pad"]
    x0, x1 = L["ml"], W - L["mr"]
    y = L["mt"]
    d.text(x0, y + 15, "二、试点内容", L["title"], 15)
    top = y + 26
    d.rect(x0, top, x1, H - L["mb"], width=L["lw"] * 1.3)
    yy = block_text(d, x0 + pad, top + pad, x1 - pad, "（含目的、意义、内容，当前工作基础等。）", L["label"], fs, indent=False)
    block_text(d, x0 + pad, yy + 4, x1 - pad, f["试点内容"], b, fs, field="试点内容", lead=1.7)
    d.text(x1 - pad, H - L["mb"] - 10, "（可另加页）", L["label"], fs, align="right")


def plan_boxes(d, L, f, items, heading):
    b, fs, pad = L["body"], L["fs"], L["pad"]
    x0, x1 = L["ml"], W - L["mr"]
    y = L["mt"]
    if heading:
        d.text(x0, y + 15, "三、试点方案", L["title"], 15)
        y += 26
    hh = (H - L["mb"] - y) / len(items)
    for i, (key, lab) in enumerate(items):
        a, z = y + i * hh, y + (i + 1) * hh
        d.rect(x0, a, x1, z, width=L["lw"] * 1.2)
        d.text(x0 + pad, a + pad + fs + 2, lab, L["label"], fs + 1)
        block_text(d, x0 + pad, a + pad + fs * 2.2, x1 - pad, f[key], b, fs, field=key, lead=1.65)
        d.text(x1 - pad, z - 8, "（可另加页）", L["label"], fs, align="right")


def people(d, L, f):
    b, lb, fs, pad = L["body"], L["label"], L["fs"], L["pad"]
    x0, x1 = L["ml"], W - L["mr"]
    tw = x1 - x0
    ws = L["col_w"]
    xs = [x0]
    for w in ws:
        xs.append(xs[-1] + w * tw)
    rh = L["row_h"] * 1.1
    y = L["mt"]
    for key, head, extra in (("试点工作负责人", "四、试点工作负责人", 1), ("主要参与团队", "五、主要参与团队", L["team_blank_rows"])):
        d.text(x0, y + 15, head, L["title"], 15)
        d.fp(key)
        y += 26
        top = y
        for j, c in enumerate(PEOPLE_COLS):
            lab = "姓 名" if (c == "姓名" and L["label_spaced"]) else c
            cell_text(d, xs[j], y, xs[j + 1], y + rh, lab, lb, fs, 2, centre=True)
        y += rh
        for row in f[key] + [None] * extra:
            d.line(x0, y, x1, y)
            if row:
                for j, c in enumerate(PEOPLE_COLS):
                    cell_text(d, xs[j], y, xs[j + 1], y + rh, row[c], b, fs - 0.5, 2, centre=True)
                if any(f["试点单位"] in row["单位"] for _ in [0]):
                    L["_second"].setdefault("试点单位", []).append(d.page)
            y += rh
        for xx in xs:
            d.line(xx, top, xx, y)
        d.line(x0, top, x1, top)
        d.line(x0, y, x1, y)
        y += 30


def draw_form(fh, L, f, plan, invisible=False):
    """Draw all form pages; returns (doc, marks truth, field_pages)."""
    d = Doc(fh, invisible=invisible)
    d.lw = L["lw"]
    d.latin = L.get("latin")
    L["_second"] = {}
    cover(d, L, f)
    d.new_page()
    notes(d, L)
    d.new_page()
    truth = basic(d, L, f, plan)
    d.new_page()
    side_tables(d, L, f, SIDE[:2])
    d.new_page()
    side_tables(d, L, f, SIDE[2:])
    d.new_page()
    content_box(d, L, f)
    a, _ = L["plan_split"]
    d.new_page()
    plan_boxes(d, L, f, PLAN[:a], True)
    if a < 3:
        d.new_page()
        plan_boxes(d, L, f, PLAN[a:], False)
    d.new_page()
    people(d, L, f)
    fp = d.field_pages
    for k, pages in L["_second"].items():
        for p in pages:
            if p not in fp.setdefault(k, []):
                fp[k].append(p)
    return d, truth, fp
