"""The CJK fonts of this machine (``fc-list :lang=zh``), as (path, face index) pairs.

Seals, name seals, e-signatures and attachment pictures pick among them, so the corpus shows
more than one typeface. The list is sorted, so a seed picks the same font on every run of the
same machine."""

from __future__ import annotations

import functools
import random
import subprocess
from pathlib import Path

from PIL import ImageFont

FALLBACK = [("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
            ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
            ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)]


@functools.lru_cache(maxsize=1)
def cjk_faces() -> tuple[tuple[str, int, str], ...]:
    """(path, index, family) of every Simplified-Chinese-capable face, SC faces preferred."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file", "index", "family", "style"],
                             capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    faces = []
    for line in out.splitlines():
        path, _, rest = line.partition(": ")
        family = rest.split(":", 1)[0].split(",", 1)[0]
        index = 0
        for part in rest.split(":"):
            if part.startswith("index="):
                index = int(part[6:])
        # one face per CJK collection file: the SC one (or the collection's first face)
        if "CJK" in family and not family.endswith(" SC"):
            continue
        if "Mono" in family or "Sharp" in family:
            continue
        faces.append((path, index, family))
    faces = sorted(set(faces))
    if not faces:
        faces = [(p, i, Path(p).stem) for p, i in FALLBACK if Path(p).is_file()]
    return tuple(faces)


def pick(rng: random.Random, prefer: str | None = None) -> tuple[str, int]:
    """A face chosen by the rng; ``prefer`` ("serif", "sans", "bold") narrows the choice."""
    faces = list(cjk_faces())
    if prefer:
        narrowed = [f for f in faces if prefer.lower() in (f[0] + f[2]).lower()]
        faces = narrowed or faces
    path, index, _ = rng.choice(faces)
    return path, index


@functools.lru_cache(maxsize=64)
def load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)
