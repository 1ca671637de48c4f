"""The OCR engine: one RapidOCR per process (PP-OCR models ship in its wheel), and recognition.

This module is the one place that touches the OCR engine. Detection runs on a whole reduced page
(:mod:`pipeline.read.ocr_words`); recognition of crops runs here, each crop alone padded as in its
batch (same input, a sixth of the memory), and what the recogniser returns in traditional forms
is turned to simplified characters.
"""

from __future__ import annotations

import os
import sys
import threading

import cv2
import numpy as np

# Recognised text below this confidence is dropped.
MIN_TEXT_SCORE = 0.5

_engine = None


_engine_lock = threading.Lock()


#: onnxruntime threads per process; ``None``: one per core. ``share_cores`` sets it in workers.
_threads: int | None = None


def share_cores(workers: int) -> None:
    """Give this process its share of the cores for OCR (a process pool's initializer).

    onnxruntime starts one spinning thread per core in every process: two workers on two
    cores then run four busy threads and each page takes longer than on one core alone.
    """
    global _threads
    _threads = max(1, (os.cpu_count() or 1) // max(1, workers))


def ocr_engine():
    """The process's one RapidOCR engine, created on first use (models ship in the wheel)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                from rapidocr import RapidOCR

                _return_big_blocks()
                threads = {} if _threads is None else {
                    "EngineConfig.onnxruntime.intra_op_num_threads": _threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
                _engine = RapidOCR(params={
                    **threads,
                    # Never shrink what we pass (RapidOCR PR #235 caps the longest side at 2000).
                    "Global.max_side_len": 10000,
                    "Global.log_level": "error",  # an empty crop is normal, not worth a warning on the terminal
                    "Global.text_score": MIN_TEXT_SCORE,
                    # The page is deskewed first: no upside-down lines to classify.
                    "Global.use_cls": False,
                    # Recognition pads every crop to at least this width; the default 320 px
                    # wastes most of the time on short labels such as 「姓名」.
                    "Rec.rec_img_shape": [3, 48, 48],
                    # Detect at the size we pass (the default enlarges a page's short side to 736 px).
                    "Det.limit_type": "min",
                    "Det.limit_side_len": 32,
                })
    return _engine


#: glibc's M_MMAP_THRESHOLD: blocks of this size and more are mapped for themselves.
_M_MMAP_THRESHOLD = -3


_BIG_BLOCK = 2 * 1024 * 1024


def _return_big_blocks() -> None:
    """Have glibc give every block of 2 MB or more back to the system as soon as it is freed.

    onnxruntime's own memory arena is off (RapidOCR's config), so a page's tensors, up to tens
    of MB each and of a new size with every recognition batch, come from malloc. glibc raises
    its mmap threshold to the largest block freed (up to 32 MB); such blocks then stay in the
    heap, whose holes do not fit the next batch's. Measured on a 40-page scan (kexie validate,
    one worker): peak 574 MB as glibc has it, 473 MB pinned at 4 MB, 438 MB at 2 MB, 430 MB at
    1 MB; the pin costs fresh zeroed pages from the kernel, 0.1–0.15 s a page at 2 MB.
    """
    if not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return  # another C library, or the user chose the threshold
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, _BIG_BLOCK)


def detect_lines(gray: np.ndarray) -> list[np.ndarray]:
    """The text lines the detector finds on a grey page image, as 4-point quads in its pixels."""
    engine = ocr_engine()
    with _engine_lock:
        detected = engine(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB), use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(detected, "boxes", None)
    return [] if boxes is None else [np.asarray(quad, dtype=np.float64) for quad in boxes]


def recognise(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence of each grey crop (one line of text), in simplified characters."""
    return [(simplified(text), score) for text, score in _recognised(ocr_engine(), crops)]


_to_simplified = None


def simplified(text: str) -> str:
    """The PP-OCR recogniser was trained on both scripts and now and then returns a character's
    traditional form (「性別」, 「黃」); the forms are written in simplified characters.

    Only characters outside GB 2312 (the simplified set) are converted (OpenCC t2s): 「沈」 is
    a surname in simplified text, though t2s would make it 「沉」.
    """
    global _to_simplified
    if not text or all(_in_gb2312(char) for char in text):
        return text
    if _to_simplified is None:
        import opencc

        _to_simplified = opencc.OpenCC("t2s")
    return "".join(char if _in_gb2312(char) else _to_simplified.convert(char) for char in text)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _recognised(engine, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence of each crop, recognised in one batch."""
    if not crops:
        return []
    images = [cv2.cvtColor(c, cv2.COLOR_GRAY2RGB) for c in crops]
    with _engine_lock:
        recognizer = getattr(engine, "text_rec", None)
        if recognizer is None:
            # The first recognition loads the model; later pages batch through it directly.
            first = engine(images[0], use_det=False, use_cls=False, use_rec=True)
            recognizer = getattr(engine, "text_rec", None)
            if recognizer is None:  # a future RapidOCR without the attribute: one crop at a time
                return [_first_text(first)] + [
                    _first_text(engine(im, use_det=False, use_cls=False, use_rec=True)) for im in images[1:]]
        from rapidocr.ch_ppocr_rec import TextRecInput

        if not all(hasattr(recognizer, name) for name in
                   ("rec_image_shape", "rec_batch_num", "resize_norm_img", "session", "postprocess_op")):
            result = recognizer(TextRecInput(img=images))
            return [(str(t).strip(), float(s)) for t, s in zip(result.txts, result.scores)]
        return _recognise_each(recognizer, images)


def _recognise_each(recognizer, images: list[np.ndarray]) -> list[tuple[str, float]]:
    """RapidOCR's batched recognition, one crop at a time.

    The recogniser sorts crops by width and pads each batch of six to its widest crop; running
    the six as one tensor needs up to ~300 MB on a page of long lines. Each crop alone, padded
    to the same width, gives the model the very same input (same text and scores) in a sixth
    of the memory, and is no slower.
    """
    ratios = np.array([image.shape[1] / float(image.shape[0]) for image in images])
    order = np.argsort(ratios)
    out: list[tuple[str, float]] = [("", 0.0)] * len(images)
    _, height, width = recognizer.rec_image_shape[:3]
    for start in range(0, len(order), recognizer.rec_batch_num):
        group = order[start:start + recognizer.rec_batch_num]
        widest = max([width / height] + [ratios[i] for i in group])
        for i in group:
            tensor = recognizer.resize_norm_img(images[i], widest)[np.newaxis].astype(np.float32)
            lines, _ = recognizer.postprocess_op(recognizer.session(tensor), False,
                                                 wh_ratio_list=[ratios[i]], max_wh_ratio=widest)
            out[i] = (str(lines[0][0]).strip(), float(lines[0][1]))
    return out


def _first_text(result) -> tuple[str, float]:
    txts = getattr(result, "txts", None)
    if not txts:
        return "", 0.0
    return str(txts[0]).strip(), float(result.scores[0])

