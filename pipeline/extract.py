"""Read a returned form back into its fields: PDF → pages → fields and marks, one file at a time.

``extract_file`` is a pure function of the file's bytes and the form definition: it reads the
pages (:mod:`pipeline.read`), matches the form (:mod:`pipeline.match`) and returns the file's
entry — fields, marks, where each answer is, what the reader doubts — or the reason it could not.
So a batch runs it in a process pool (:func:`extract_files`), and could run it on a cluster.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import DocumentError, UnreadableDocument
from .forms import FormDefinition
from .incidents import internal_error
from .match import Document, Matcher, read_fields
from .messages import readable
from .read import PageLayout, read_pages, render_pages
from .read.ocr import share_cores
from .processes import worker_pool

#: resolution at which text-layer pages are rendered to look for seals and signatures
MARK_DPI = 150  # at 100 dpi a thin seal ring can fall apart and go unseen
#: scanned pages are looked at again at this resolution to tell a lone 「/」 (which OCR misses
#: or reads as 「1.」) from a blank; at 100 dpi a thin grey slash fades under the ink threshold
BLANK_DPI = 150

#: what reading a damaged file can raise beyond pdfminer's own errors (the renderer, the image
#: code on a picture that is not one, a file that vanished)
_DAMAGE = (MemoryError, RecursionError, ValueError, KeyError, IndexError, TypeError, AttributeError, OSError)


def new_entry(path, form: FormDefinition) -> dict:
    """A file's entry before reading: the keys every entry has, in their order."""
    return {"file": str(path), "form": form.name, "status": "ok", "source": None,
            "fields": {}, "marks": {}, "error": None, "locations": {}, "doubts": []}


def extract_file(path, form: FormDefinition) -> dict:
    """One file's entry of the report: status, source, fields and marks, or the error."""
    entry = new_entry(path, form)
    try:
        layouts, images = _read(path, form)
    except DocumentError as exc:
        return _failed(entry, exc)
    except _DAMAGE as exc:
        # A malformed file can trip pdfminer or the renderer in ways no check foresees; the
        # batch must still finish, with this file reported, not dropped.
        return _failed(entry, UnreadableDocument(path, f"读取时出错，文件可能已损坏（{readable(exc)}）"))
    entry["source"] = "ocr" if any(layout.source == "ocr" for layout in layouts) else "text"
    try:
        entry.update(read_fields(layouts, form, path, images))
    except DocumentError as exc:
        return _failed(entry, exc)
    except Exception as exc:  # a fault in kexie's own matching, not in the file: logged, exit 3
        return _failed(entry, internal_error(exc, f"读取「{path}」"))
    return entry


def _read(path, form: FormDefinition):
    """The file's page layouts and ``images(numbers)`` → {page: (image, dpi)} for its marks."""
    mark_labels = [spec.labels for spec in form.fields if spec.is_mark]

    def keep_dpi(layout: PageLayout) -> float:
        # signatures are judged at full resolution; other scanned pages only for 「/」 or blank
        matcher = Matcher(Document([layout]), form)
        return 1e9 if any(matcher.starting(labels) for labels in mark_labels) else BLANK_DPI

    layouts, scanned = read_pages(path, keep_image=keep_dpi)

    def images(numbers):
        # scanned pages: the straightened image the words were measured on; text pages: render
        result = {n: scanned[n] for n in numbers if n in scanned}
        typed = [n for n in numbers if n not in scanned and layouts[n - 1].source == "text"]
        for number, image in render_pages(path, MARK_DPI, typed) if typed else ():
            turned = layouts[number - 1].turned  # a turned page's words were turned upright
            result[number] = (np.ascontiguousarray(np.rot90(image, -turned // 90)) if turned else image, MARK_DPI)
        return result

    return layouts, images


def _failed(entry: dict, error) -> dict:
    entry.update(status="error", error={"kind": error.kind, "message": error.message})
    return entry


def extract_files(paths, form: FormDefinition, *, workers: int = 1, progress=None) -> list[dict]:
    """Entries for many files, in the given order; with ``workers`` > 1 in a process pool."""
    paths = [Path(p) for p in paths]
    if workers <= 1 or len(paths) < 2:
        entries = []
        for path in paths:
            entries.append(extract_file(path, form))
            if progress:
                progress(1)
        return entries
    
    with worker_pool(workers, share_cores, (workers,)) as pool:
        entries = []
        for entry in pool.map(extract_file, paths, [form] * len(paths)):
            entries.append(entry)
            if progress:
                progress(1)
        return entries
