"""PDF → pages: the one place that opens, renders and reads returned PDFs (pypdfium2,
pdfplumber, the OCR engine). What leaves this package is the plain page model of
:mod:`pipeline.read.page`: words, cells and seals in points, origin top left."""

from .page import Box, Mark, PageLayout, Word
from .pages import SCAN_DPI, read_layouts, read_pages
from .pdf import check_file, open_pdf, render_pages

__all__ = ["SCAN_DPI", "Box", "Mark", "PageLayout", "Word", "check_file", "open_pdf", "read_layouts",
           "read_pages", "render_pages"]
