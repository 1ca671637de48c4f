"""Hostile submissions made in code: a real PDF given one kind of active content each.

``make(kind, source, target)`` copies ``source`` (any PDF) to ``target`` with the attack named
``kind`` added with pikepdf; ``ATTACKS`` lists them. Each attack carries the marker ``MARKER`` in
its script or file, so a check can look for the attack itself and not only for its keys.
Run as a script to write every variant of a PDF into a folder:
``python tests/hostile_pdfs.py SOURCE.pdf OUTDIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

MARKER = "kexie-hostile-marker"
_JS = f"app.alert('{MARKER}');"


def _js(pdf):
    return pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String(_JS)))


def _launch(pdf):
    return pdf.make_indirect(Dictionary(S=Name.Launch, F=String(f"C:\\Windows\\System32\\calc.exe?{MARKER}"),
                                        Win=Dictionary(F=String("cmd.exe"), P=String(f"/C calc {MARKER}"))))


def _filespec(pdf):
    data = pikepdf.Stream(pdf, f"MZ payload {MARKER}".encode())
    data.Type = Name.EmbeddedFile
    return pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("payload.exe"), UF=String("payload.exe"),
                                        EF=Dictionary(F=data)))


def _link(pdf, page, action):
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 72, 300, 120]),
                                         Border=Array([0, 0, 0]), A=action))
    page.obj.Annots = pdf.make_indirect(Array([*page.obj.get("/Annots", Array()), annot]))
    return annot


def open_action(pdf):
    pdf.Root.OpenAction = _js(pdf)


def document_aa(pdf):
    pdf.Root.AA = Dictionary(WC=_js(pdf), WP=_launch(pdf))


def page_aa(pdf):
    pdf.pages[0].obj.AA = Dictionary(O=_launch(pdf), C=_js(pdf))


def names_javascript(pdf):
    names = pdf.Root.get("/Names", Dictionary())
    names.JavaScript = Dictionary(Names=Array([String("init"), _js(pdf)]))
    pdf.Root.Names = names


def link_javascript(pdf):
    _link(pdf, pdf.pages[0], _js(pdf))


def link_launch(pdf):
    _link(pdf, pdf.pages[-1], _launch(pdf))


def link_file_uri(pdf):
    annot = _link(pdf, pdf.pages[0], Dictionary(S=Name.URI, URI=String(f"file:///etc/passwd?{MARKER}")))
    annot.A.Next = _js(pdf)  # a chained action after it


def embedded_files(pdf):
    names = pdf.Root.get("/Names", Dictionary())
    names.EmbeddedFiles = Dictionary(Names=Array([String("payload.exe"), _filespec(pdf)]))
    pdf.Root.Names = names


def file_attachment(pdf):
    page = pdf.pages[1]
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment,
                                         Rect=Array([400, 400, 420, 420]), FS=_filespec(pdf),
                                         Contents=String("附件")))
    page.obj.Annots = pdf.make_indirect(Array([*page.obj.get("/Annots", Array()), annot]))


def form_scripts(pdf):
    """A text field whose widget runs JavaScript on keystroke and focus, in an AcroForm with XFA."""
    page = pdf.pages[0]
    widget = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("备注"), V=String("filled-in value"),
        Rect=Array([72, 200, 300, 230]), P=page.obj, F=4,
        AA=Dictionary(K=_js(pdf), Fo=_js(pdf)), DA=String("/Helv 10 Tf 0 g")))
    page.obj.Annots = pdf.make_indirect(Array([*page.obj.get("/Annots", Array()), widget]))
    xfa = pikepdf.Stream(pdf, f"<xdp:xdp><script>{_JS}</script></xdp:xdp>".encode())
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]), XFA=xfa, NeedAppearances=True,
                                   AA=Dictionary(K=_js(pdf)),
                                   DR=Dictionary(Font=Dictionary(Helv=Dictionary(
                                       Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))))


def hidden_page_key(pdf):
    """An action hung on a key of the page no viewer reads: copied along with the page."""
    pdf.pages[0].obj.Kexie_Hidden = _js(pdf)


ATTACKS = {f.__name__: f for f in (open_action, document_aa, page_aa, names_javascript, link_javascript,
                                    link_launch, link_file_uri, embedded_files, file_attachment,
                                    form_scripts, hidden_page_key)}


def make(kinds, source, target) -> Path:
    """``source`` with the attacks ``kinds`` (a name or a list of names) added, saved as ``target``."""
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    with pikepdf.open(source) as pdf:
        for kind in kinds:
            ATTACKS[kind](pdf)
        pdf.save(target)
    return Path(target)


if __name__ == "__main__":
    source, folder = Path(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    for name in ATTACKS:
        print(make(name, source, folder / f"{source.stem}-{name}.pdf"))
