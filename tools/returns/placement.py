"""Where a clerk puts the marks in the two 意见 boxes, and what the truth then is.

A plan says, per box, how its 公章 lands (in_box, across the rules, touching the other box's
seal, mostly in the neighbouring box, over the signer's area, absent) and what the signer put
in 「负责人（签章）：」 (handwriting, a name seal, an e-signature, nothing). Positions are drawn
at random within those constraints; the truth is then measured from the positions, never
taken from the plan: a seal belongs to the box holding most of its area, a signature to the
box holding its centre."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from .boxes import MM, Box, Rect, disc_share, rect_share, stacked
from .ink import Ink

OPINIONS = ("申报单位意见", "试点单位意见")
SEAL_HOW = ("in_box", "across", "touching", "wrong_box", "signer_area", "absent")
SIGN_HOW = ("handwritten", "name_seal", "e_signature", None)


@dataclass
class Placed:
    """One mark on a page: its ink with the image's top-left at (x, top) in points."""

    whose: str  # the box it was meant for
    kind: str  # 公章 | 签章
    ink: Ink
    page: int
    x: float
    top: float
    details: dict = field(default_factory=dict)
    centre: tuple | None = None  # round seals: disc centre and radius in points
    radius: float | None = None

    @property
    def size_pt(self) -> tuple[float, float]:
        w, h = self.ink.size_mm
        return w * MM, h * MM

    @property
    def ink_rect(self) -> Rect:
        x0, y0, x1, y1 = self.ink.ink_box_mm()
        return Rect(self.x + x0 * MM, self.top + y0 * MM, self.x + x1 * MM, self.top + y1 * MM)

    @property
    def bbox(self) -> Rect:
        if self.centre is not None:
            cx, cy = self.centre
            return Rect(cx - self.radius, cy - self.radius, cx + self.radius, cy + self.radius)
        return self.ink_rect


def _seal_at(rng: random.Random, placed: Placed, cx: float, cy: float) -> None:
    w, h = placed.size_pt
    placed.x, placed.top = cx - w / 2, cy - h / 2
    placed.centre = (cx, cy)


def _clamp_page(box: Box, cx: float, cy: float, r: float) -> tuple[float, float]:
    width, height = box.page_size
    return min(max(cx, r + 4), width - r - 4), min(max(cy, r + 4), height - r - 4)


def seal_position(rng: random.Random, how: str, box: Box, r: float, other: Box | None,
                  partner: tuple | None = None) -> tuple[float, float]:
    """A disc centre for a seal of radius r (points) placed as ``how`` says."""
    label = box.seal or Rect(box.rect.x0 + 0.55 * box.rect.width, box.sign.top, box.rect.x0 + 0.7 * box.rect.width,
                             box.sign.bottom)
    base_x = label.centre[0]
    anchor_y = (label.centre[1] + (box.date.centre[1] if box.date else label.bottom + 12)) / 2
    rect = box.rect
    for attempt in range(400):
        if how == "in_box":
            cx = base_x + rng.uniform(-0.4, 0.6) * r
            lo, hi = rect.top + r, rect.bottom - r
            cy = rng.uniform(lo, hi) if lo < hi else (rect.top + rect.bottom) / 2 + rng.uniform(-3, 3)
            ok = disc_share(rect, cx, cy, r) > (0.9 if lo < hi else 0.75)
        elif how == "across":  # over the labels and the typed text, across the upper or lower rule
            cx = base_x + rng.uniform(-0.8, 0.7) * r
            up = rng.random() < 0.35
            cy = rect.top + rng.uniform(0.05, 0.5) * r if up else rect.bottom - rng.uniform(0.05, 0.5) * r
            share = disc_share(rect, cx, cy, r)
            ok = 0.52 < share < 0.8 and (other is None or disc_share(other.rect, cx, cy, r) < share)
        elif how == "touching":  # below or above the partner seal across the shared rule
            pcx, pcy, pr = partner
            gap = rng.choice((rng.uniform(-2, 0.5), rng.uniform(-0.35, -0.05) * (r + pr)))
            dist = r + pr + gap
            dx = rng.uniform(-0.85, 0.85) * dist
            dy = math.sqrt(max(dist * dist - dx * dx, 1))
            cx, cy = pcx + dx, pcy + (dy if box.rect.top >= pcy else -dy)
            share = disc_share(rect, cx, cy, r)
            ok = share > 0.5 and (other is None or disc_share(other.rect, cx, cy, r) < share)
        elif how == "wrong_box":  # mostly in ``other``, across the rule between them
            cx = base_x + rng.uniform(-0.6, 0.6) * r
            below = other.rect.top >= rect.bottom - 2
            cy = (rect.bottom + rng.uniform(0.1, 0.6) * r) if below else (rect.top - rng.uniform(0.1, 0.6) * r)
            theirs = disc_share(other.rect, cx, cy, r)
            ok = 0.55 < theirs < 0.85
        elif how == "signer_area":  # over the signer's area, left of 「（单位公章）」
            area = box.signer_area
            cx = area.x0 + rng.uniform(0.1, 0.6) * area.width + rng.uniform(-0.2, 0.2) * r
            cy = area.centre[1] + rng.uniform(-0.4, 0.4) * r
            disc = Rect(cx - r, cy - r, cx + r, cy + r)
            ok = rect_share(disc, area) > 0.45 and disc_share(rect, cx, cy, r) > 0.5
        else:
            raise ValueError(how)
        cx, cy = _clamp_page(box, cx, cy, r)
        if ok:
            return cx, cy
        if attempt > 300:  # the box does not allow it: the centre of the box, near the label
            return _clamp_page(box, base_x, (rect.top + rect.bottom) / 2, r)
    return cx, cy


def sign_position(rng: random.Random, box: Box, ink: Ink, touch: bool) -> tuple[float, float]:
    """Top-left of a signature's image in the signer's area (reaching into 「（单位公章）」 when
    ``touch``)."""
    area = box.signer_area
    x0, y0, x1, y1 = (v * MM for v in ink.ink_box_mm())
    iw, ih = x1 - x0, y1 - y0
    line_mid = (box.sign.top + box.sign.bottom) / 2
    if ink.kind == "name_seal":
        left = area.x0 + rng.uniform(0.05, 0.6) * max(1, area.width - iw)
        mid = line_mid + rng.uniform(-0.35, 0.25) * ih
    else:
        if touch and box.seal:
            left = box.seal.x0 + rng.uniform(2, 14) - iw
            left = max(left, box.sign.x1 - 0.3 * iw)
        else:
            left = area.x0 + rng.uniform(0.0, 0.3) * max(1.0, area.width - iw)
        mid = line_mid - rng.uniform(0.05, 0.45) * ih
    # the signer writes inside the box: its centre stays within the box's rules
    lo, hi = box.rect.top + 0.3 * ih, box.rect.bottom - 0.3 * ih
    if lo < hi:
        mid = min(max(mid, lo), hi)
    return left - x0, mid - ih / 2 - y0


def truth(placed: list[Placed], boxes: dict[str, Box], colourless_pages: set[int]) -> dict:
    """The four marks as the truth file gives them: present (or None on a page without
    colour, for 公章), page, kind of mark, bbox (points, top-left origin, typed page frame)."""
    marks = {}
    for whose in OPINIONS:
        for kind in ("签章", "公章"):
            box = boxes.get(whose)
            marks[f"{whose}.{kind}"] = {"present": False, "page": box.page if box else None,
                                        "kind": None, "bbox": None}
    best: dict[str, float] = {}
    for p in placed:
        if p.kind == "公章":
            shares = {w: (disc_share(b.rect, *p.centre, p.radius) if b.page == p.page else 0.0)
                      for w, b in boxes.items()}
        else:
            cx, cy = p.ink_rect.centre
            shares = {w: float(b.page == p.page and b.rect.x0 <= cx <= b.rect.x1 and b.rect.top <= cy <= b.rect.bottom)
                      for w, b in boxes.items()}
        p.details["shares"] = {w: round(s, 3) for w, s in shares.items()}
        holder = max(shares, key=shares.get) if shares else None
        if not holder or shares[holder] <= 0:
            p.details["holder"] = None
            continue
        p.details["holder"] = holder
        key = f"{holder}.{p.kind}"
        if shares[holder] > best.get(key, -1):
            best[key] = shares[holder]
            marks[key] = {"present": True, "page": p.page, "kind": p.ink.kind,
                          "bbox": p.bbox.as_list()}
    for key, mark in marks.items():
        if key.endswith(".公章") and mark["page"] in colourless_pages:
            mark["present"] = None  # a seal is not red there: cannot be judged
    return marks


def touching_pairs(placed: list[Placed]) -> bool:
    """Two round seals whose discs touch or overlap (within half a millimetre)."""
    seals = [p for p in placed if p.kind == "公章"]
    for i, a in enumerate(seals):
        for b in seals[i + 1:]:
            if a.page == b.page and math.dist(a.centre, b.centre) <= a.radius + b.radius + 0.5 * MM:
                return True
    return False


def crosses_rule(p: Placed, boxes: dict[str, Box]) -> bool:
    box = boxes.get(p.details.get("holder") or p.whose)
    if p.kind != "公章" or box is None:
        return False
    cx, cy = p.centre
    return cy - p.radius < box.rect.top or cy + p.radius > box.rect.bottom


def sign_touches_label(p: Placed, boxes: dict[str, Box]) -> bool:
    box = boxes.get(p.whose)
    if p.kind != "签章" or box is None or box.seal is None:
        return False
    ink = p.ink_rect
    return ink.x1 >= box.seal.x0 - 0.5 and ink.bottom > box.seal.top and ink.top < box.seal.bottom


def place_all(rng: random.Random, plan: dict, boxes: dict[str, Box], make_seal, make_sign) -> list[Placed]:
    """Place every mark of the plan. ``make_seal(whose)`` and ``make_sign(whose, kind)`` draw
    the inks. "touching" needs both boxes stacked on one page (otherwise the seals go in_box);
    "wrong_box" moves that box's seal mostly into the other box."""
    placed: list[Placed] = []
    seals: dict[str, Placed] = {}
    order = [w for w in OPINIONS if w in plan and w in boxes]
    hows = {w: plan[w]["seal"] for w in order}
    if "touching" in hows.values() and not stacked(boxes):
        hows = {w: ("in_box" if h == "touching" else h) for w, h in hows.items()}
    for whose in order:
        how = hows[whose]
        if how == "absent":
            continue
        box = boxes[whose]
        other = next((boxes[w] for w in boxes if w != whose), None)
        ink, details = make_seal(whose)
        p = Placed(whose, "公章", ink, box.page, 0, 0, {"how": how, **details})
        p.radius = details["diameter_mm"] / 2 * MM
        if how == "touching":
            partner = next((q for q in seals.values() if q.page == box.page), None)
            if partner is None:  # the first of the pair: low in its box, near the shared rule
                r = p.radius
                label_x = (box.seal or box.sign).centre[0]
                below = other is not None and other.rect.top >= box.rect.bottom - 2
                for _ in range(200):
                    cx = label_x + rng.uniform(-0.6, 0.6) * r
                    cy = box.rect.bottom - rng.uniform(0.15, 0.7) * r if below else box.rect.top + rng.uniform(0.15, 0.7) * r
                    if disc_share(box.rect, cx, cy, r) > 0.55:
                        break
                cx, cy = _clamp_page(box, cx, cy, r)
            else:
                cx, cy = seal_position(rng, "touching", box, p.radius, other,
                                       (*partner.centre, partner.radius))
        elif how == "wrong_box" and other is not None and other.page == box.page:
            cx, cy = seal_position(rng, "wrong_box", box, p.radius, other)
        else:
            cx, cy = seal_position(rng, "in_box" if how == "wrong_box" else how, box, p.radius, other)
        _seal_at(rng, p, cx, cy)
        seals[whose] = p
        placed.append(p)
    for whose in order:
        kind = plan[whose].get("sign")
        if not kind:
            continue
        box = boxes[whose]
        ink, details = make_sign(whose, kind)
        x, top = sign_position(rng, box, ink, plan[whose].get("touch", False))
        placed.append(Placed(whose, "签章", ink, box.page, x, top, {"how": kind, **details}))
    return placed
