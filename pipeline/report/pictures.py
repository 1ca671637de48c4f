"""Pictures of the page areas problems are about: the page rendered, the area outlined, cropped.

A picture is a pure function of the file's bytes, the page and the area, so it is drawn once and
kept in the workspace (the SQLite file of ``kexie validate --db``), keyed by the file's SHA-256,
page and box: an unchanged rerun of a 500-file batch reads them back instead of rendering a page
per problem again (issue 15: 71.7 s for .xlsx + .html against 2.0 s for .json). Within a run,
each page of a file is rendered once for all the problems on it.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

from ..errors import KexieError
from ..read import render_pages
from ..workspace import open_store

#: the resolution of report pictures (enough to read a label; a page is ~600 px tall)
PICTURE_DPI = 72
#: points of page shown around the area
MARGIN = 36.0
#: the longest side of a picture, in pixels
SIDE = 420
#: bump when pictures are drawn differently, so that kept ones are drawn again
PICTURE_VERSION = f"1:{PICTURE_DPI}:{MARGIN}:{SIDE}"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pictures (
    sha256   TEXT NOT NULL,     -- the file's content
    page     INTEGER NOT NULL,  -- 1-based
    box      TEXT NOT NULL,     -- the area outlined, as JSON (points, rounded); "null": the whole page
    version  TEXT NOT NULL,     -- PICTURE_VERSION
    png      TEXT NOT NULL,     -- the picture, base64 PNG
    PRIMARY KEY (sha256, page, box, version)
);
"""


def box_key(bbox) -> str:
    """The key of an area: its corners rounded to 0.1 pt (the reader's floats vary in the last digits)."""
    return json.dumps([round(float(v), 1) for v in bbox] if bbox else None)


class Pictures:
    """The pictures of one report run; kept in ``workspace`` (a SQLite file) when one is given."""

    def __init__(self, workspace=None):
        self.db = open_store(Path(workspace), _SCHEMA) if workspace else None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def of_file(self, path, sha256: str, areas) -> dict[tuple[int, str], str | None]:
        """{(page, box_key): PNG (base64) or None} for the (page, bbox) ``areas`` of one file; None
        when the page cannot be drawn (the problem's words stand alone then)."""
        wanted = {(int(page), box_key(bbox)): bbox for page, bbox in areas}
        found = {key: self._kept(sha256, *key) for key in wanted} if sha256 else dict.fromkeys(wanted)
        missing = sorted(key for key, png in found.items() if png is None)
        if not missing:
            return found
        drawn = _draw(path, {key: wanted[key] for key in missing})
        if sha256 and self.db is not None:
            with self.db:  # one transaction per file
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR REPLACE INTO pictures VALUES (?, ?, ?, ?, ?)",
                                    [(sha256, page, box, PICTURE_VERSION, png)
                                     for (page, box), png in drawn.items() if png is not None])
        found.update(drawn)
        return found

    def _kept(self, sha256: str, page: int, box: str) -> str | None:
        if self.db is None:
            return None
        row = self.db.execute("SELECT png FROM pictures WHERE sha256 = ? AND page = ? AND box = ? AND version = ?",
                              (sha256, page, box, PICTURE_VERSION)).fetchone()
        return row[0] if row else None


def _draw(path, areas: dict[tuple[int, str], list | None]) -> dict[tuple[int, str], str | None]:
    """Render each page once and crop every area on it. A page that cannot be drawn (a damaged
    or over-large file) gives None: the picture is an aid, the report is written without it."""
    drawn: dict[tuple[int, str], str | None] = dict.fromkeys(areas)
    pages = sorted({page for page, _ in areas})
    try:
        for number, pixels in render_pages(path, PICTURE_DPI, pages):
            for (page, box), bbox in areas.items():
                if page == number:
                    drawn[(page, box)] = _crop(pixels, bbox)
    except (KexieError, ValueError, OSError):
        pass  # the pages drawn before the failure keep their pictures
    return drawn


def _crop(pixels, bbox) -> str:
    from PIL import Image, ImageDraw

    image = Image.fromarray(pixels)
    scale = PICTURE_DPI / 72
    if bbox:
        xs, ys = sorted((bbox[0] * scale, bbox[2] * scale)), sorted((bbox[1] * scale, bbox[3] * scale))
        x0, x1, top, bottom = xs[0], xs[1], ys[0], ys[1]
        ImageDraw.Draw(image).rectangle([x0, top, x1, bottom], outline=(220, 0, 0), width=3)
        m = MARGIN * scale
        image = image.crop((max(0, x0 - m), max(0, top - m), min(image.width, x1 + m), min(image.height, bottom + m)))
    image.thumbnail((SIDE, SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return base64.b64encode(out.getvalue()).decode("ascii")


def page_picture(path, page: int, bbox=None) -> str | None:
    """One picture, drawn now (nothing kept): PNG (base64) or None."""
    return Pictures().of_file(path, "", [(page, bbox)])[(int(page), box_key(bbox))]
