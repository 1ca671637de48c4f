"""What the returns corpus is made of: the classes a form can show, the default recipes that
together cover every class (each paired with a 形式审查 scenario of tools/make_corpus.py), and
the extra data variety (long, 自治州 and 盟 unit names, Latin letters in an address, a 意见
of several paragraphs)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

#: how a form's pages arrive
PAGE_CLASSES = ("text", "rotated_attr_turned", "rotated_attr_upright", "scan", "grey_scan", "bw_scan",
                "rotated_scan", "phone_photo", "sandwich", "attachments", "mixed_scan", "mixed_photo")
#: what is drawn in the 意见 boxes (recorded from the drawn marks, not from the plan)
MARK_CLASSES = ("touching_seals", "seal_across_rules", "seal_wrong_box", "seal_in_box", "faded_seal",
                "handwritten", "name_seal", "e_signature", "signature_touches_label", "no_signature",
                "no_seal", "seal_in_signer_area", "red_heading")
DATA_CLASSES = ("provincial", "long_names", "latin_address", "multi_paragraph_opinion")
SPECIAL_CLASSES = ("owner_password", "encrypted", "truncated", "not_a_pdf", "other_document")
ALL_CLASSES = PAGE_CLASSES + MARK_CLASSES + DATA_CLASSES + SPECIAL_CLASSES

#: per page, what it is in the truth file
PAGE_KINDS = ("text", "scan", "grey", "bw", "photo", "sandwich", "rotated_attr", "rotated_image", "attachment")
COLOURLESS = ("grey", "bw")


@dataclass
class Recipe:
    page: str  # one of PAGE_CLASSES
    seals: tuple  # (申报单位意见, 试点单位意见): in_box | across | touching | wrong_box | signer_area | absent
    signs: tuple  # handwritten | name_seal | e_signature | None
    scenario: str  # a make_corpus scenario
    extra: set = field(default_factory=set)  # red_heading, faded_seal, touch, long_names, latin_address, ...

    def wants(self) -> set:
        """The classes this recipe aims at (the truth records what was really drawn)."""
        out = {self.page, *self.extra} - {"touch"}
        if "touching" in self.seals:
            out.add("touching_seals")
        if "touch" in self.extra:
            out.add("signature_touches_label")
        names = {"across": "seal_across_rules", "wrong_box": "seal_wrong_box", "in_box": "seal_in_box",
                 "signer_area": "seal_in_signer_area", "absent": "no_seal"}
        out.update(names[s] for s in self.seals if s in names)
        out.update(s for s in self.signs if s)
        if None in self.signs:
            out.add("no_signature")
        if self.scenario == "provincial":
            out.add("provincial")
        return out


T, X, A = "touching", "across", "absent"
HW, NS, ES = "handwritten", "name_seal", "e_signature"

DEFAULT_RECIPES = [
    Recipe("text", (T, T), (HW, HW), "complete", {"red_heading"}),
    Recipe("rotated_attr_turned", (X, A), (ES, None), "provincial"),
    Recipe("scan", (T, T), (NS, HW), "complete", {"faded_seal"}),
    Recipe("grey_scan", (T, T), (HW, NS), "complete"),
    Recipe("phone_photo", (T, T), (HW, HW), "complete", {"touch"}),
    Recipe("sandwich", ("in_box", X), (HW, ES), "missing_marks", {"touch"}),
    Recipe("rotated_scan", ("signer_area", "in_box"), (None, HW), "format_email_landline"),
    Recipe("mixed_scan", (T, T), (HW, ES), "format_phone_postcode", {"latin_address"}),
    Recipe("bw_scan", (T, T), (ES, HW), "complete"),
    Recipe("attachments", (X, T), (HW, NS), "late_and_outside", {"latin_address"}),
    Recipe("rotated_attr_upright", (T, T), (NS, HW), "duplicate_pilot", {"red_heading"}),
    Recipe("mixed_photo", ("wrong_box", A), (HW, HW), "partial_row", {"long_names"}),
    Recipe("text", ("in_box", "in_box"), (ES, HW), "no_leader",
           {"multi_paragraph_opinion", "long_names", "faded_seal"}),
    Recipe("scan", (A, T), (HW, None), "too_long", {"attachments"}),
]


def recipes_for(classes: list[str] | None, count: int | None, rng: random.Random) -> list[Recipe]:
    """The recipes of a corpus: the defaults (cycled to ``count``), or, for chosen classes,
    default recipes that aim at them in turn (one form per class unless ``count`` says)."""
    if not classes:
        n = count or len(DEFAULT_RECIPES)
        return [DEFAULT_RECIPES[i % len(DEFAULT_RECIPES)] for i in range(n)]
    wanted = [c for c in classes if c not in SPECIAL_CLASSES]
    if not wanted:
        return []
    n = count or len(wanted)
    out = []
    for i in range(n):
        cls = wanted[i % len(wanted)]
        matches = [r for r in DEFAULT_RECIPES if cls in r.wants()]
        if not matches:
            raise ValueError(f"unknown class {cls!r}; known: {', '.join(ALL_CLASSES)}")
        base = matches[(i // len(wanted)) % len(matches)]
        if base.scenario == "duplicate_pilot":  # needs its pair: a plain form instead
            base = Recipe(base.page, base.seals, base.signs, "complete", set(base.extra))
        out.append(base)
    return out


# --- data variety -------------------------------------------------------------------------

# 申报单位, 试点单位 (long, 自治州, 盟, 兵团), short place, 通讯地址 (some with Latin letters), 邮编, mail stem, 区号
EXTRA_UNITS = [
    ("内蒙古自治区科学技术协会", "锡林郭勒盟科学技术协会", "锡林郭勒盟", "内蒙古自治区锡林浩特市锡林大街政务服务中心B座", "026000", "xlglkx", "0479"),
    ("内蒙古自治区科学技术协会", "阿拉善盟科学技术协会", "阿拉善盟", "内蒙古自治区阿拉善左旗巴彦浩特镇土尔扈特路A区3号", "750306", "alskx", "0483"),
    ("四川省科学技术协会", "甘孜藏族自治州科学技术协会", "甘孜州", "四川省康定市炉城镇东大街8号", "626000", "gzzkx", "0836"),
    ("湖南省科学技术协会", "湘西土家族苗族自治州科学技术协会", "湘西州", "湖南省吉首市乾州街道世纪大道C栋", "416000", "xxkx", "0743"),
    ("云南省科学技术协会", "西双版纳傣族自治州科学技术协会", "西双版纳州", "云南省景洪市宣慰大道12号", "666100", "bnkx", "0691"),
    ("新疆维吾尔自治区科学技术协会", "博尔塔拉蒙古自治州科学技术协会", "博州", "新疆维吾尔自治区博乐市红星路D-2栋", "833400", "bzkx", "0909"),
    ("贵州省科学技术协会", "黔东南苗族侗族自治州科学技术协会", "黔东南州", "贵州省凯里市韶山南路19号", "556000", "qdnkx", "0855"),
    ("湖北省科学技术协会", "恩施土家族苗族自治州科学技术协会", "恩施州", "湖北省恩施市施州大道88号", "445000", "eskx", "0718"),
    ("新疆生产建设兵团科学技术协会", "新疆生产建设兵团第八师石河子市科学技术协会", "石河子市",
     "新疆维吾尔自治区石河子市北四路A区131号", "832000", "shzkx", "0993"),
    ("广东省科学技术协会", "深圳市南山区科学技术协会", "南山区", "广东省深圳市南山区粤海街道科技园R2-B栋5楼", "518057", "nskx", "0755"),
]

LATIN_SUFFIXES = ["A座1203室", "B栋3楼", "C区5号楼", "D-1栋", "科技园R3-A栋", "No.18楼"]

OPINION_PARAGRAPHS = [
    "经审核，{地}科协申报材料齐全，所填内容真实准确，试点方案目标明确、措施可行。",
    "我单位将在人员配备、经费保障和政策支持等方面给予大力支持，确保试点工作按期完成。",
    "同意推荐{地}科协申报本批地方科协深化改革工作试点。",
    "请中国科协改革工作办公室予以审核。",
]


def vary(rng: random.Random, data: dict, extra: set, avoid: set) -> dict:
    """Change the data as the recipe's data classes say; return what was changed."""
    changed = {}
    if "long_names" in extra and data["试点单位"] != data["申报单位"]:
        pool = [u for u in EXTRA_UNITS if u[1] not in avoid] or EXTRA_UNITS
        unit = rng.choice(pool)
        old_pilot = data["试点单位"]
        data["申报单位"], data["试点单位"] = unit[0], unit[1]
        for row in data["试点工作负责人"] + data["主要参与团队"]:
            if str(row.get("单位", "")).startswith(old_pilot):
                row["单位"] = unit[1] + row["单位"][len(old_pilot):]
        for whose in ("申报单位负责人", "试点单位负责人"):
            person = data[whose]
            if person.get("通讯地址") not in ("", "/"):
                person["通讯地址"] = unit[3]
            if person.get("邮编") not in ("", "/"):
                person["邮编"] = unit[4]
        changed["unit"] = unit[1]
    if "latin_address" in extra:
        person = data["申报单位负责人"]
        if person.get("通讯地址") in ("", "/"):
            person["通讯地址"] = "科技路1号"
        if not any("A" <= ch <= "Z" for ch in person["通讯地址"]):
            person["通讯地址"] += rng.choice(LATIN_SUFFIXES)
        changed["address"] = person["通讯地址"]
    if "multi_paragraph_opinion" in extra:
        place = data["试点单位"].replace("科学技术协会", "")
        count = rng.randint(2, 3)
        data["申报单位意见"]["内容"] = "\n".join(p.format(地=place) for p in rng.sample(OPINION_PARAGRAPHS, count))
        changed["opinion_paragraphs"] = count
    return changed
