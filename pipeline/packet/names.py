"""The forms of a unit's name that people write, for blind copies to paint over them all.

A unit is named in full on the form (「上海市浦东新区科学技术协会」) and written short in the text:
「浦东新区科协」, 「浦东新区科学技术协会」, 「浦东科协」, or just the place, 「浦东新区」, 「浦东」, and
the province or city it sits in, 「上海市」, 「上海」. OCR of blind packets found 47 such place
names from 12 of 13 submissions when only the full name and its 「科协」 form were painted.

The name is read as places (each a name and an administrative suffix, from the start of the name)
followed by the rest (the organisation). Only the places and the names that keep at least one of
them are forms: the rest alone (「科学技术协会」) names no one.
"""

from __future__ import annotations

from ..text import ALIASES  # the same organisation written two ways: each form is listed with the other

#: administrative suffixes a place name ends with, longest first (「新区」 before 「区」)
PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "地区", "省", "市", "区", "县")
#: ethnic names in an autonomous area's name, left out of its short form (「广西壮族自治区」 → 「广西」)
ETHNIC_NAMES = ("壮族", "回族", "维吾尔", "藏族", "蒙古族", "朝鲜族", "土家族", "苗族", "彝族", "侗族", "布依族",
                "瑶族", "白族", "哈尼族", "傣族", "黎族", "羌族", "满族", "畲族", "土族", "哈萨克", "傈僳族",
                "景颇族", "佤族", "拉祜族", "纳西族", "仡佬族", "水族", "各族")
#: places that are ordinary words, not a place's own name: never listed alone, in full or short
#: (「苏州市高新区科协」 paints 「苏州市」, not every 「高新」 of 「高新技术」)
GENERIC_PLACES = frozenset({"高新", "高新区", "开发", "开发区", "经开", "经开区", "园区", "工业园", "工业园区",
                            "城区", "市区", "郊区", "新区", "矿区", "林区", "景区", "社区", "辖区", "地区", "自治区"})
#: a place's own name is 2 to this many characters (「浦东」, 「石家庄」, 「西双版纳傣族」)
_MAX_PLACE = 8


def places(name: str) -> tuple[list[tuple[str, str]], str]:
    """The places a unit's name starts with, as (place, its short form), and the rest.

    ``places("上海市浦东新区科学技术协会")`` is ``([("上海市", "上海"), ("浦东新区", "浦东")],
    "科学技术协会")``.
    """
    found, at = [], 0
    while at < len(name):
        place = _place_at(name, at)
        if place is None:
            break
        full, short = place
        found.append((full, short))
        at += len(full)
    return found, name[at:]


def _place_at(name: str, at: int) -> tuple[str, str] | None:
    """The shortest place name starting at ``at`` (2+ characters and a suffix), with its short form."""
    for length in range(2, _MAX_PLACE + 1):
        base = name[at:at + length]
        if len(base) < length:
            return None
        for suffix in PLACE_SUFFIXES:
            if name.startswith(suffix, at + length):
                short = base
                if suffix.startswith("自治"):
                    short = _without_ethnic(base)
                return base + suffix, short
    return None


def _without_ethnic(base: str) -> str:
    trimmed = True
    while trimmed:
        trimmed = False
        for ethnic in ETHNIC_NAMES:
            if base.endswith(ethnic) and len(base) - len(ethnic) >= 2:
                base, trimmed = base[:-len(ethnic)], True
    return base


def name_forms(name: str) -> list[str]:
    """Every form of ``name`` people write (the name itself first), each once.

    For 「上海市浦东新区科学技术协会」: the name, 「上海市浦东新区科协」, 「上海浦东新区科协」 …,
    「浦东新区科学技术协会」, 「浦东新区科协」, 「浦东科协」, and the places 「上海市」, 「上海」,
    「浦东新区」, 「浦东」.
    """
    name = name.strip()
    parts, rest = places(name)
    forms = [name]
    for start in range(len(parts)):
        tail = "".join(full for full, _ in parts[start + 1:]) + rest
        for head in dict.fromkeys((parts[start][0], parts[start][1])):
            if start == 0 or head not in GENERIC_PLACES:  # 「高新区科协」 alone is every city's
                forms.append(head + tail)
    for full, short in parts:
        forms += [f for f in (full, short) if f not in GENERIC_PLACES]
    out = []
    for form in forms:
        out += [form] + [form.replace(a, b) for a, b in ALIASES if a in form] + \
            [form.replace(b, a) for a, b in ALIASES if b in form and a not in form]
    return [f for f in dict.fromkeys(out) if len(f) >= 2]
