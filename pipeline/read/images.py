"""The scanned pages' straightened images, made again when looked up rather than kept.

Holding the images from the reading costs 3–12 MB a page (a 100-page scan held 360 MB). A page
looked up is rendered again, straightened as the reading did it (flattened, turned, deskewed) and
reduced the same way, which gives the very pixels its words were measured on.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Iterator

import numpy as np

from .pdf import render_pages


class ScanImages(Mapping):
    """{page number: (deskewed image, dpi)} of the scanned pages kept, each made when looked up.

    A page made is kept: a file's marks and its 「/」 checks look up the same few pages.
    """

    def __init__(self, path, dpi: float):
        self.path = Path(path)
        self.dpi = dpi
        self._kept: dict[int, tuple[object, float]] = {}  # page: (how it was straightened, dpi kept at)
        self._made: dict[int, tuple[np.ndarray, float]] = {}

    def keep(self, number: int, how, dpi: float) -> None:
        """Remember to give page ``number`` straightened as ``how`` says (a
        :class:`~pipeline.read.scan.Straightening`), at ``dpi`` or less."""
        self._kept[number] = (how, dpi)
        self._made.pop(number, None)

    def __getitem__(self, number: int) -> tuple[np.ndarray, float]:
        made = self._made.get(number)
        if made is None:
            how, dpi = self._kept[number]
            (_, image), = render_pages(self.path, self.dpi, [number])
            made = self._made[number] = reduced(how.apply(image, self.dpi), self.dpi, dpi)
        return made

    def __contains__(self, number) -> bool:
        return number in self._kept

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(self._kept))

    def __len__(self) -> int:
        return len(self._kept)


def reduced(image: np.ndarray, dpi: float, target: float) -> tuple[np.ndarray, float]:
    """The image at ``target`` dpi when that is lower (same frame, fewer pixels)."""
    if target >= dpi:
        return image, dpi
    from PIL import Image

    height, width = image.shape[:2]
    size = (max(1, round(width * target / dpi)), max(1, round(height * target / dpi)))
    small = np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BOX))
    return small, dpi * size[0] / width

