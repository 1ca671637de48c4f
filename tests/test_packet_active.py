"""Packets carry pages, not programs: a hostile submission's actions, scripts and files stay out.

Each attack of :mod:`hostile_pdfs` is added in code to a real text-layer submission drawn as in
test_packet; the real ``kexie packet`` packs it, and pikepdf then looks through every object of
the packet written: nothing that can act or carry a file, no trace of the attack's marker, while
the submission's pages and their text are all there.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

import hostile_pdfs
from pipeline.files import sha256_file
from pipeline.text import fold
from test_packet import PAGES, draw_submission, fields_for, pack_report, page_text

#: keys that can act or carry a file (ISO 32000-1 §12.6, §7.11.4, §12.7)
ACTIVE_KEYS = {"/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/AcroForm"}
ACTIVE_TYPES = {"/JavaScript", "/Launch", "/URI", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData",
                "/EmbeddedFile", "/FileAttachment", "/Widget", "/Filespec"}


def survivors(path: Path) -> list[str]:
    """Everything in the PDF at ``path`` that could act, carry a file or hold the attack's marker."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.String) and hostile_pdfs.MARKER in str(obj):
                found.append(f"marker in a string {obj.objgen}")
            if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                continue
            objects = [obj]
            while objects:  # direct dictionaries and arrays nested in the object
                item = objects.pop()
                if isinstance(item, pikepdf.Array):
                    objects.extend(v for v in item if _direct(v))
                    continue
                if isinstance(item, pikepdf.String) and hostile_pdfs.MARKER in str(item):
                    found.append(f"marker in {obj.objgen}")
                if not isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
                    continue
                for key in item.keys():
                    value = item[key]
                    if key in ACTIVE_KEYS:
                        found.append(f"{key} in {obj.objgen}")
                    if key in ("/S", "/Type", "/Subtype") and str(value) in ACTIVE_TYPES:
                        found.append(f"{key} {value} in {obj.objgen}")
                    if _direct(value):
                        objects.append(value)
            if isinstance(obj, pikepdf.Stream):
                try:
                    data = obj.read_bytes()
                except pikepdf.PdfError:
                    data = obj.read_raw_bytes()
                if hostile_pdfs.MARKER.encode() in data:
                    found.append(f"marker in stream {obj.objgen}")
    return found


def _direct(value) -> bool:
    containers = (pikepdf.Array, pikepdf.Dictionary, pikepdf.Stream, pikepdf.String)
    return isinstance(value, containers) and not value.is_indirect


@pytest.fixture(scope="module")
def clean_source(tmp_path_factory):
    """One submission (S03's fields of test_packet), and proof the check sees an attack at all."""
    root = tmp_path_factory.mktemp("active")
    fields = fields_for(2)
    path = root / "潍坊.pdf"
    draw_submission(path, fields, PAGES[2])
    hostile = hostile_pdfs.make(list(hostile_pdfs.ATTACKS), path, root / "all.pdf")
    assert len(survivors(hostile)) >= len(hostile_pdfs.ATTACKS) and survivors(path) == []
    return root, path, fields


def pack_one(run, tmp_path, pdf: Path, fields: dict, *extra):
    result, out = pack_report(run, tmp_path, pdf, fields, *extra)
    return result, sorted(p for p in out.rglob("*.pdf"))


@pytest.mark.parametrize("attack", sorted(hostile_pdfs.ATTACKS))
def test_no_action_script_or_file_reaches_a_packet(attack, clean_source, run, tmp_path):
    root, path, fields = clean_source
    hostile = hostile_pdfs.make(attack, path, tmp_path / f"{attack}.pdf")
    assert survivors(hostile), attack  # the attack is there to be removed
    before = sha256_file(hostile)
    result, packets = pack_one(run, tmp_path, hostile, fields)
    assert result.exit_code == 0, result.output
    assert sha256_file(hostile) == before  # cleaned in memory: the applicant's file is untouched
    assert len(packets) == 1
    assert survivors(packets[0]) == [], attack
    # the pages and their text remain: cover, 目录, the submission's pages, 评分表, 汇总表
    with pikepdf.open(packets[0]) as pdf:
        assert len(pdf.pages) == 1 + 1 + PAGES[2] + 1 + 1
    text = [fold(t) for t in page_text(packets[0], upright_only=True)[0]]
    assert "潍坊市科学技术协会" in text[2] and "围绕深化改革开展试点工作" in text[4]
    assert "沈浩然" in text[1 + PAGES[2]]  # the submission's last page: the team table
    if attack == "form_scripts":  # a filled form field still shows its value, as printed
        assert fold("filled-in value") in text[2]


def test_blind_packets_carry_no_action_either(clean_source, run, tmp_path):
    root, path, fields = clean_source
    hostile = hostile_pdfs.make(list(hostile_pdfs.ATTACKS), path, tmp_path / "all.pdf")
    result, packets = pack_one(run, tmp_path, hostile, fields, "--blind")
    assert result.exit_code == 0, result.output
    assert len(packets) == 1 and survivors(packets[0]) == []


def test_a_script_that_cannot_be_removed_keeps_the_submission_out(clean_source, run, tmp_path):
    """A script hung inside the page's resources is not something a page needs to draw: the
    submission is left out and named, the run says some items need attention (exit 1)."""
    root, path, fields = clean_source
    hostile = tmp_path / "资源中的脚本.pdf"
    with pikepdf.open(path) as pdf:
        pdf.pages[0].Resources.Kexie_Hidden = pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                                  JS=pikepdf.String("app.alert(1)"))
        pdf.save(hostile)
    result, packets = pack_one(run, tmp_path, hostile, fields)
    assert result.exit_code == 1, result.output
    assert "资源中的脚本.pdf" in result.output and "JavaScript" in result.output and "未打入评审包" in result.output
    assert packets == []

