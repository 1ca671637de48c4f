"""佐证材料 pages (red-header notice with its own seal, photos, a table) and the not-this-form notice."""
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

import marks
from layout import H, W, block_text_simple

RED = (200, 20, 20)


def fake_photo(rng: random.Random, w=900, h=600):
    """A synthetic 'activity photo': sky/wall gradient, a banner, rows of people-like blobs."""
    nr = np.random.default_rng(rng.randint(0, 2**31))
    top = np.array([rng.randint(120, 220), rng.randint(140, 220), rng.randint(170, 240)], np.float32)
    bot = np.array([rng.randint(60, 140), rng.randint(50, 120), rng.randint(40, 100)], np.float32)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    a = top * (1 - t) + bot * t + nr.normal(0, 6, (h, w, 1))
    img = Image.fromarray(np.clip(np.repeat(a, w, axis=1) if a.shape[1] == 1 else a, 0, 255).astype(np.uint8))
    dr = ImageDraw.Draw(img)
    by = int(h * rng.uniform(0.08, 0.2))
    dr.rectangle([int(w * 0.1), by, int(w * 0.9), by + int(h * 0.1)], fill=(190, 25, 30))
    dr.text((int(w * 0.14), by + int(h * 0.02)), "科普进社区活动", font=marks.font("sans_b", h * 0.06), fill=(250, 230, 90))
    for row in range(3):
        yb = int(h * (0.55 + row * 0.12))
        for i in range(rng.randint(6, 11)):
            x = int(w * (0.05 + i * 0.09) + rng.uniform(-10, 10))
            col = tuple(int(v) for v in nr.integers(20, 230, 3))
            dr.ellipse([x, yb - 40, x + 30, yb - 10], fill=(230, 190, 160))
            dr.rectangle([x - 6, yb - 10, x + 36, yb + 60], fill=col)
    return img.filter(ImageFilter.GaussianBlur(1.2))


def attachments(d, rng: random.Random, f):
    """Append 佐证材料 pages to Doc d. Returns list of page numbers added."""
    pages = []
    font = d and "ZenHei"
    # 1) red-header notice with its own seal
    d.new_page()
    pages.append(d.page)
    city_gov = f["试点单位"].replace("科学技术协会", "")
    issuer = city_gov + "人民政府办公室"
    d.text(W / 2, 120, issuer + "文件", "ZenHeiSharp", 26, colour=RED, align="centre")
    d.line(60, 150, W - 60, 150, width=2, colour=RED)
    d.text(W / 2, 175, f"{city_gov[:2]}政办〔2026〕{rng.randint(3, 60)}号", "ZenHei", 12, align="centre")
    d.text(W / 2, 215, "关于支持市科协开展深化改革工作试点的意见", "ZenHei", 16, align="centre")
    body = ("各县（市、区）人民政府，市直各单位：\n为推动科协组织深化改革，经市政府同意，现就支持市科协开展"
            "深化改革工作试点提出如下意见。一是加强组织领导，成立试点工作领导小组。二是强化经费保障，将试点经费纳入年度预算。"
            "三是建立协同推进机制，各有关部门按照职责分工抓好落实。")
    block_text_simple(d, 70, 245, W - 70, body, "ZenHeiSharp", 12)
    img, w, h = marks.round_seal(rng, issuer, colour=(210, 30, 35))
    d.text(W - 110, 520, issuer, "ZenHei", 12, align="right")
    d.text(W - 110, 540, "2026年4月" + str(rng.randint(2, 28)) + "日", "ZenHei", 12, align="right")
    d.image(img, W - 110 - w * 0.9, 530 - h / 2, w, h)
    # 2) photos
    d.new_page()
    pages.append(d.page)
    d.text(70, 80, "附件：试点工作开展情况照片", "ZenHei", 14)
    for i in range(2):
        ph = fake_photo(rng)
        d.photo(ph, 90, 110 + i * 330, W - 180, (W - 180) * 2 / 3)
        d.text(W / 2, 110 + i * 330 + (W - 180) * 2 / 3 + 18, f"图{i + 1}  {city_gov}科协组织开展基层科普活动", "ZenHei", 11,
               align="centre")
    # 3) a table
    d.new_page()
    pages.append(d.page)
    d.text(W / 2, 90, "2025年度基层科协组织建设情况统计表", "ZenHei", 14, align="centre")
    cols = ["序号", "县（市、区）", "乡镇科协（个）", "科普站（个）", "会员（人）"]
    xs = [70, 115, 240, 340, 430, W - 70]
    y = 115
    for r in range(rng.randint(6, 10) + 1):
        vals = cols if r == 0 else [str(r), rng.choice(["东城区", "西湖区", "高新区", "开发区", "南山县", "北川县"]) ,
                                    str(rng.randint(5, 30)), str(rng.randint(10, 80)), str(rng.randint(200, 3000))]
        for j, v in enumerate(vals):
            d.text((xs[j] + xs[j + 1]) / 2, y + 17, v, "ZenHei", 10.5, align="centre")
        d.line(70, y, W - 70, y)
        y += 25
    d.line(70, y, W - 70, y)
    for x in xs:
        d.line(x, 115, x, y)
    return pages


def notice(d, rng: random.Random, f):
    """A different document (申报通知 forwarded by the province)."""
    d.text(W / 2, 110, f["申报单位"], "ZenHeiSharp", 28, colour=RED, align="centre")
    d.line(60, 140, W - 60, 140, width=2, colour=RED)
    d.text(W / 2, 185, "关于转发《关于申报2026年度地方科协深化改革工作试点的通知》的通知", "ZenHei", 14, align="centre")
    body = ("各设区市科协：\n现将中国科协改革工作办公室《关于申报2026年度地方科协深化改革工作试点的通知》转发给你们，"
            "请结合实际认真组织申报。申报材料请于2026年6月3日前报送省科协办公室，逾期不予受理。\n"
            "联系人：" + f["申报单位负责人.姓名"] + "，电话：" + f["申报单位负责人.办公电话"] + "。\n附件：1. 申报指南\n2. 申报书")
    block_text_simple(d, 70, 215, W - 70, body, "ZenHeiSharp", 13)
    img, w, h = marks.round_seal(rng, f["申报单位"])
    d.text(W - 100, 560, f["申报单位"], "ZenHei", 13, align="right")
    d.text(W - 100, 582, "2026年5月" + str(rng.randint(22, 29)) + "日", "ZenHei", 13, align="right")
    d.image(img, W - 100 - w * 0.85, 570 - h / 2, w, h)
