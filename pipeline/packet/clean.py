"""Pages, not programs: what of a submission may travel into a packet sent to experts.

A submission is the applicant's file, and a PDF can carry more than pages: an action run when it
opens (``/OpenAction``) or when a page opens or closes (``/AA``), JavaScript (the names tree, link
and form-field actions), actions that start a program or open a file (``/Launch``, ``/GoToR``,
``/GoToE``, a ``file:`` URI), files embedded in it (the names tree, 附件 annotations) and form
fields' scripts (``/AcroForm``'s ``/AA``, XFA). An expert opens the packet on his own machine, so
none of that may reach it (ISO 32000-1 §12.6 actions, §7.11.4 embedded files, §12.7 forms).

Only pages travel into a packet (``pdf.pages.extend``), so the document's own catalog (open
action, names tree, AcroForm with its XFA) is never copied; what a page carries is. So each page
keeps what draws it and nothing else: annotations are first flattened into the page (a filled
form field or a note still shows as it printed), then every annotation and every key outside
:data:`PAGE_KEYS` is dropped. :func:`active_parts` then walks everything the pages still reach
and names what could act; a submission with any left is not packed.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

#: the keys a page keeps: what draws it (ISO 32000-1 Table 30), nothing that acts or annotates
PAGE_KEYS = frozenset({"/Type", "/Parent", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox",
                       "/ArtBox", "/Contents", "/Rotate", "/Group", "/UserUnit"})
#: action types that run something, open or send a file, or leave the packet (§12.6.4)
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/ImportData", "/SubmitForm",
                            "/ResetForm", "/Rendition", "/Movie", "/Sound", "/RichMediaExecute", "/URI",
                            "/Named", "/Hide", "/SetOCGState", "/Trans", "/GoTo3DView", "/Thread"})
#: keys whose mere presence means something can act or carry a file
ACTIVE_KEYS = {"/OpenAction": "打开文件时执行的动作（OpenAction）", "/AA": "自动执行的动作（AA）",
               "/JS": "JavaScript 脚本", "/JavaScript": "JavaScript 脚本",
               "/EmbeddedFiles": "嵌入的文件", "/EF": "嵌入的文件", "/XFA": "表单脚本（XFA）",
               "/AcroForm": "表单域（AcroForm）", "/Annots": "批注或链接"}
_ACTION_NAMES = {"/JavaScript": "JavaScript 脚本", "/Launch": "启动程序的动作（Launch）",
                 "/EmbeddedFile": "嵌入的文件", "/FileAttachment": "附件批注"}


def strip_active(pdf: pikepdf.Pdf) -> None:
    """Keep only what draws each page of ``pdf`` (in memory; the file on disk is not touched)."""
    if "/AcroForm" in pdf.Root:
        try:
            pdf.generate_appearance_streams()  # a filled field shows its value once flattened
        except pikepdf.PdfError:
            pass  # a field without a drawable value: flattening then drops it, as a printer would
    pdf.flatten_annotations("all")
    for page in pdf.pages:
        for key in list(page.obj.keys()):
            if key not in PAGE_KEYS:
                del page.obj[key]
    for key in ("/OpenAction", "/AA", "/Names", "/AcroForm"):
        if key in pdf.Root:  # not copied with the pages anyway; gone from the prepared copy too
            del pdf.Root[key]


def active_parts(pdf: pikepdf.Pdf) -> list[str]:
    """What can act or carry a file among everything the pages of ``pdf`` reach (Chinese names,
    each once): empty for a packet that carries pages only."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    stack = [page.obj for page in pdf.pages]
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            stack.extend(item for item in obj if isinstance(item, (pikepdf.Array, pikepdf.Dictionary, pikepdf.Stream)))
            continue
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        for key in obj.keys():
            if key == "/Parent":
                continue  # the page tree: every page is walked from the list anyway
            value = obj[key]
            if key in ACTIVE_KEYS:
                found.append(ACTIVE_KEYS[key])
            elif key in ("/S", "/Type", "/Subtype") and isinstance(value, Name):
                if str(value) in _ACTION_NAMES:
                    found.append(_ACTION_NAMES[str(value)])
                elif key == "/S" and str(value) in ACTIVE_ACTIONS:
                    found.append(f"动作（{str(value)[1:]}）")
            if isinstance(value, (pikepdf.Array, pikepdf.Dictionary, pikepdf.Stream)):
                stack.append(value)
    return list(dict.fromkeys(found))
