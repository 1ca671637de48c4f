"""The page model every reader produces and the form matcher consumes.

Text-layer PDFs (pdfplumber) and scans (OpenCV + OCR) are read into the same plain objects:
words with boxes, cells from the ruling lines, and the marks (seals, signature ink) found on the
page image. Coordinates are PDF points with the origin at the top left (pdfplumber's
convention: ``x0, top, x1, bottom``), so both paths feed one matcher.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Box:
    """An axis-aligned rectangle in points, origin top left."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def intersection(self, other: "Box") -> float:
        """Area shared with ``other``."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return w * h if w > 0 and h > 0 else 0.0

    def contains_point(self, x: float, y: float, slack: float = 0.0) -> bool:
        return self.x0 - slack <= x <= self.x1 + slack and self.top - slack <= y <= self.bottom + slack

    def as_list(self) -> list[float]:
        return [round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1)]


@dataclass
class Word(Box):
    """A run of text on one line; ``score``: the recogniser's confidence (1.0 from a text layer)."""

    text: str = ""
    score: float = 1.0


@dataclass
class Mark(Box):
    """Something found on the page image: ``kind`` "seal" (a red round seal), "faint_seal" (a red
    ring too faded or broken to be sure of, with characters inside) or "seal_shape" (a round
    seal's outline in dark ink, on a page without colour) or "name_seal" (a square red 私章, by its
    straight edges); ``score``: how much of its ring (a name seal: of its sides) is inked."""

    kind: str = "seal"
    score: float = 0.0

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2

    @property
    def radius(self) -> float:
        return (self.width + self.height) / 4


@dataclass
class PageLayout:
    """One page as plain data."""

    number: int  # 1-based
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    cells: list[Box] = field(default_factory=list)
    seals: list[Mark] = field(default_factory=list)
    source: str = "text"  # "text" (a trusted text layer) or "ocr" (words a recogniser read)
    #: how the page arrived: "text" (typed), "scan", "photo" or "sandwich" (a scan with a text layer)
    kind: str = "text"
    #: False for a picture without colour (greyscale, black and white): red cannot be told there
    colour: bool = True
    #: degrees the page was turned clockwise to read it upright (0, 90, 180 or 270)
    turned: int = 0
