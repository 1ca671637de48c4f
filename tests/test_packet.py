"""kexie packet: review packets on real PDFs, with the conflict rule, blind redaction and bad inputs.

Four text-layer submissions in the shape of the 申报书 are drawn once for the module with
reportlab (names, phones, a wrapped address, a name with a space inside, the short form 「…市科协」
in the body); a validation report lists their fields, one of them ``incomplete``.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest

from conftest import PROGRAM
from pipeline.files import sha256_file
from pipeline.forms import load_form
from pipeline.packet.redact import sensitive_strings
from pipeline.text import fold

UNITS = [("江苏省科学技术协会", "苏州市科学技术协会"), ("浙江省科学技术协会", "湖州市科学技术协会"),
         ("山东省科学技术协会", "潍坊市科学技术协会"), ("四川省科学技术协会", "绵阳市科学技术协会")]
PAGES = [4, 5, 4, 6]
STATUS = ["complete", "complete", "complete", "incomplete"]
CRITERIA = 5  # samples/program.yaml


def fields_for(i: int) -> dict:
    applicant, pilot = UNITS[i]
    # S01 and S02 name their group; S03 and S04 are balanced by page count
    fields = {"申报单位": applicant, "试点单位": pilot, "组别": "第一组" if i < 2 else ""}
    for k, block in enumerate(("申报单位负责人", "试点单位负责人")):
        fields.update({
            f"{block}.姓名": ["王建国", "李晓明", "张卫东", "欧阳明", "陈静怡", "刘海洋", "赵敏华", "孙丽萍"][2 * i + k],
            f"{block}.手机": f"139{i}{k}12345{i}{k}",
            f"{block}.电子邮箱": f"lead{i}{k}@kx.org.cn",
            f"{block}.通讯地址": f"{pilot[:3]}人民路{i + 10}号科技大厦{k + 1}楼",
            f"{block}.传真": f"025-8777{i}{k}00",
            f"{block}.办公电话": f"025-8666{i}{k}00",
        })
    fields["试点工作负责人"] = [{"姓名": ["周志刚", "吴国华", "郑晓燕", "钱伟民"][i], "单位": pilot}]
    fields["主要参与团队"] = [{"姓名": ["冯雪梅", "蒋文博", "沈浩然", "韩冰洁"][i], "单位": applicant}]
    return fields


def draw_submission(path: Path, fields: dict, pages: int) -> None:
    from reportlab.pdfgen import canvas

    from pipeline.packet.pages import FONT, cjk_font

    cjk_font()
    c = canvas.Canvas(str(path))
    c.setFont(FONT, 20)
    c.drawString(100, 700, "地方科协深化改革工作试点申报书")
    c.setFont(FONT, 14)
    c.drawString(100, 600, f"试点单位：{fields['试点单位']}")
    c.drawString(100, 570, f"申报单位：{fields['申报单位']}")
    c.showPage()
    c.setFont(FONT, 11)
    c.drawString(72, 780, "一、基本情况")
    y = 750
    for block in ("申报单位负责人", "试点单位负责人"):
        c.drawString(72, y, block)
        y -= 20
        for key in ("姓名", "手机", "电子邮箱", "通讯地址", "传真", "办公电话"):
            value = fields[f"{block}.{key}"]
            if key == "姓名":  # 「王 建国」: a name typed with a space
                value = value[0] + " " + value[1:]
            if key == "通讯地址":  # wrapped in a narrow cell
                c.drawString(90, y, f"{key}：{value[:7]}")
                y -= 16
                c.drawString(138, y, value[7:])
            else:
                c.drawString(90, y, f"{key}：{value}")
            y -= 20
    c.showPage()
    for number in range(3, pages):
        c.setFont(FONT, 11)
        c.drawString(72, 780, f"二、试点内容（第{number}页）")
        c.drawString(72, 750, f"{fields['试点单位'].replace('科学技术协会', '科协')}围绕深化改革开展试点工作，"
                              "建设科技志愿服务体系。")
        c.showPage()
    c.setFont(FONT, 11)
    c.drawString(72, 780, "四、试点工作负责人")
    row = fields["试点工作负责人"][0]
    c.drawString(72, 750, f"{row['姓名']}  男  1978.05  {row['单位']}  主席")
    c.drawString(72, 700, "五、主要参与团队")
    row = fields["主要参与团队"][0]
    c.drawString(72, 670, f"{row['姓名']}  女  1985.09  {row['单位']}  部长")
    c.showPage()
    c.save()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Four submissions, their validation report, and an experts file with two groups."""
    root = tmp_path_factory.mktemp("packet")
    folder = root / "申报材料"
    folder.mkdir()
    entries = []
    for i in range(4):
        fields = fields_for(i)
        path = folder / f"{i + 1:02d}-{fields['申报单位']}.pdf"
        draw_submission(path, fields, PAGES[i])
        entries.append({"file": str(path), "status": STATUS[i], "error": None, "fields": fields,
                        "problems": [] if STATUS[i] == "complete" else [{"message": "「传真」未填写"}]})
    report = root / "validation.json"
    report.write_text(json.dumps({"files": entries, "summary": {}}, ensure_ascii=False), encoding="utf-8")
    experts = write_experts(root / "experts.xlsx", [
        ["张三", "苏州市科学技术协会", "第一组", ""],  # works at S01's 试点单位
        ["李四", "北京大学", "第一组", "湖州市科协；某研究院"],  # avoids S02's 试点单位 (short form)
        ["王五", "清华大学", "第二组", ""],
        ["赵六", "复旦大学", "第二组", ""],
    ])
    return {"root": root, "folder": folder, "report": report, "experts": experts, "entries": entries}


def write_experts(path: Path, rows: list[list], header=("姓名", "单位", "组别", "回避单位")) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def pack(run, batch, out, *extra):
    return run("packet", batch["report"], "--experts", batch["experts"], "--program", PROGRAM,
               "--out", out, "--date", "2026-07-10", *extra)


def manifest(out: Path) -> dict:
    """The manifest of the run whose ``--out`` was ``out`` (the office's folder, beside the packets)."""
    return json.loads((out / "办公室" / "manifest.json").read_text(encoding="utf-8"))


def diagonal(char) -> bool:
    """A character drawn turned (the watermark): its text matrix has a rotation part."""
    return abs(char["matrix"][1]) > 0.01


def page_text(pdf_path: Path, upright_only: bool = False) -> tuple[list[str], list[str]]:
    """Each page's text by pdfplumber (without the diagonal watermark if asked) and by pypdfium2."""
    def keep(obj):
        return not upright_only or obj.get("object_type") != "char" or not diagonal(obj)

    with pdfplumber.open(pdf_path) as pdf:
        plumber = [page.filter(keep).extract_text() or "" for page in pdf.pages]
    document = pdfium.PdfDocument(str(pdf_path))
    pdfium_text = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document.close()
    return plumber, pdfium_text


@pytest.fixture(scope="module")
def normal(batch, tmp_path_factory):
    from click.testing import CliRunner

    from pipeline.cli import main

    out = tmp_path_factory.mktemp("normal") / "评审"
    result = CliRunner().invoke(main, ["packet", str(batch["report"]), "--experts", str(batch["experts"]),
                                       "--program", str(PROGRAM), "--out", str(out), "--date", "2026-07-10",
                                       "--db", str(out.parent / "kexie.sqlite")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def blind(batch, tmp_path_factory):
    from click.testing import CliRunner

    from pipeline.cli import main

    out = tmp_path_factory.mktemp("blind") / "评审"
    result = CliRunner().invoke(main, ["packet", str(batch["report"]), "--experts", str(batch["experts"]),
                                       "--program", str(PROGRAM), "--out", str(out), "--blind",
                                       "--db", str(out.parent / "kexie.sqlite")])
    assert result.exit_code == 0, result.output
    return out


# --- the packets -------------------------------------------------------------------------------


def test_one_packet_and_score_sheet_per_expert(normal):
    """What goes to the experts is in 评审包/, alone; the office's files, which name everyone,
    are in 办公室/ beside it."""
    assert sorted(p.name for p in normal.iterdir()) == ["办公室", "评审包"]
    names = sorted(p.name for p in (normal / "评审包").iterdir())
    assert names == sorted(["第一组-张三.pdf", "第一组-张三.xlsx", "第一组-李四.pdf", "第一组-李四.xlsx",
                            "第二组-王五.pdf", "第二组-王五.xlsx", "第二组-赵六.pdf", "第二组-赵六.xlsx"])
    assert sorted(p.name for p in (normal / "办公室").iterdir()) == ["assignment.xlsx", "manifest.json"]
    assert manifest(normal)["packets_folder"] == "../评审包"


def test_an_out_folder_named_like_the_packets_folder_is_warned_of(run, batch, tmp_path):
    """``--out 评审包`` (the old layout's habit) puts the office's folder inside a folder of that
    name: the run says which folder alone goes to the experts."""
    result = pack(run, batch, tmp_path / "评审包")
    assert result.exit_code == 0, result.output
    assert "注意" in result.output and str(tmp_path / "评审包" / "评审包") in result.output
    assert (tmp_path / "评审包" / "办公室" / "manifest.json").is_file()


def test_only_complete_submissions_from_a_report(normal):
    data = manifest(normal)
    assert [s["code"] for s in data["submissions"]] == ["S01", "S02", "S03"]
    assert [(s["code"], s["failed"]) for s in data["excluded"]] == [("S04", False)]
    assert "形式审查未通过" in data["excluded"][0]["reason"] and "传真" in data["excluded"][0]["reason"]


def test_include_incomplete(run, batch, tmp_path):
    result = pack(run, batch, tmp_path / "out", "--include-incomplete")
    assert result.exit_code == 0, result.output
    assert [s["code"] for s in manifest(tmp_path / "out")["submissions"]] == ["S01", "S02", "S03", "S04"]


def test_page_count_bookmarks_and_labels(normal):
    data = manifest(normal)
    pages = {s["code"]: s["pages"] for s in data["submissions"]}
    for entry in data["packets"]:
        codes = [i["code"] for i in entry["inputs"]]
        path = normal / "评审包" / entry["file"]
        with pikepdf.open(path) as pdf:
            # cover + 目录 + Σ(submission pages + 1 评分表) + 汇总表
            assert len(pdf.pages) == 1 + 1 + sum(pages[c] + 1 for c in codes) + 1 == entry["pages"]
            with pdf.open_outline() as outline:
                titles = [item.title for item in outline.root]
                children = [[c.title for c in item.children] for item in outline.root]
        submissions = {s["code"]: s for s in data["submissions"]}
        expected = [f"{c} {submissions[c]['申报单位']}" for c in codes]
        assert titles == ["封面", "目录"] + expected + ["评分汇总表"]
        assert all(kids == ["评分表"] for kids in children[2:-1])
        document = pdfium.PdfDocument(str(path))
        labels = [document.get_page_label(i) for i in range(len(document))]
        document.close()
        want = ["封面", "目录"]
        for code in codes:
            want += [f"{code}-{n}" for n in range(1, pages[code] + 1)] + [f"{code}-评分表"]
        assert labels == want + ["汇总表"]


def test_submission_pages_score_pages_and_summary(normal):
    plumber, _ = page_text(normal / "评审包" / "第二组-王五.pdf", upright_only=True)
    text = [fold(t) for t in plumber]
    assert "专家评审材料" in text[0] and "王五" in text[0] and "第二组" in text[0]
    assert "本材料仅供评审专家本人使用" in text[0]
    assert "目录" in text[1]
    assert "潍坊市科学技术协会" in text[2]  # S03's cover: the real page, not a copy of text
    score = text[2 + PAGES[2]]
    assert "评分表" in score and all(k in score for k in ("针对性", "创新性", "规范性", "实效性", "完整性"))
    assert "25%" in score
    assert "评分汇总表" in text[-1] and "S03" in text[-1]


def test_watermark_with_the_experts_name_on_every_page(normal):
    for name in ("张三", "李四", "王五", "赵六"):
        path = next((normal / "评审包").glob(f"*-{name}.pdf"))
        plumber, pdfium_text = page_text(path)
        assert all(f"{name}评审专用" in fold(t) for t in pdfium_text), name
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                marks = [c for c in page.chars if diagonal(c)]
                assert name in "".join(c["text"] for c in marks)
                assert all(c["non_stroking_color"] != (0,) for c in marks)
    # the font is embedded (a subset), so the watermark is Chinese in any viewer
    with pikepdf.open(normal / "评审包" / "第一组-李四.pdf") as pdf:
        fonts = [f for page in pdf.pages[:1] for xobj in page.Resources.XObject.values()
                 if "/Resources" in xobj and "/Font" in xobj.Resources for f in xobj.Resources.Font.values()]
        embedded = [f for f in fonts if "/FontDescriptor" in f]  # (Helvetica: reportlab's unused default)
        assert embedded and all("/FontFile2" in f.FontDescriptor for f in embedded)  # TrueType, embedded
        assert all(str(f.BaseFont)[7] == "+" for f in embedded)  # a subset: 「/ABCDEF+…」


def test_conflict_of_interest(normal):
    data = manifest(normal)
    packets = {p["expert"]: [i["code"] for i in p["inputs"]] for p in data["packets"]}
    group_of = {s["code"]: s["group"] for s in data["submissions"]}
    assert group_of == {"S01": "第一组", "S02": "第一组", "S03": "第二组"}  # S03: the lighter group
    assert "S01" not in packets["张三"] and "S01" in packets["李四"]
    assert "S02" not in packets["李四"] and "S02" in packets["张三"]
    reasons = {(a["code"], a["expert"]): a["reason"] for a in data["assignment"]}
    assert reasons[("S01", "张三")] == "回避：本人单位为试点单位"
    assert reasons[("S02", "李四")] == "回避：回避单位含试点单位（湖州市科学技术协会）"
    assert "苏州市科学技术协会" not in "".join(page_text(normal / "评审包" / "第一组-张三.pdf")[1])
    table = openpyxl.load_workbook(normal / "办公室" / "assignment.xlsx")["分配表"]
    rows = [[c.value for c in row] for row in table.iter_rows(min_row=2)]
    assert ["S01", "张三", "否", "回避：本人单位为试点单位"] in [[r[0], r[5], r[7], r[8]] for r in rows]


def test_score_sheets(normal):
    from pipeline.scoresheet import read_score_sheet

    data = manifest(normal)
    for entry in data["packets"]:
        expert, group, rows = read_score_sheet(normal / "评审包" / entry["score_sheet"])
        assert (expert, group) == (entry["expert"], entry["group"])
        assert [r["编号"] for r in rows] == [i["code"] for i in entry["inputs"]]
        assert list(rows[0]["评分"]) == ["针对性", "创新性", "规范性", "实效性", "完整性"]


def test_manifest_hashes(normal, batch):
    data = manifest(normal)
    for item in data["submissions"] + data["excluded"]:
        assert item["sha256"] == sha256_file(item["file"])
    for entry in data["packets"]:
        assert entry["sha256"] == sha256_file(normal / "评审包" / entry["file"])
        for item in entry["inputs"]:
            assert item["sha256"] == sha256_file(item["file"])
    assert data["inputs"]["experts"]["sha256"] == sha256_file(batch["experts"])
    assert data["inputs"]["program"]["sha256"] == sha256_file(PROGRAM)


# --- blind review ------------------------------------------------------------------------------


def test_blind_packets_hold_no_names_units_or_contacts(blind, normal, batch):
    secrets = set()
    for entry in batch["entries"][:3]:
        secrets.update(sensitive_strings(entry["fields"], load_form("申报书")))
    phone = batch["entries"][0]["fields"]["申报单位负责人.手机"]
    assert {"苏州市科协", "王建国", "冯雪梅", "周志刚", phone} <= secrets
    folded = {fold(s) for s in secrets}
    for packet in sorted((blind / "评审包").glob("*.pdf")):
        for texts in page_text(packet):
            joined = fold("".join(texts))
            assert [s for s in folded if s in joined] == [], packet.name
        with pikepdf.open(packet) as pdf:
            assert "/Metadata" not in pdf.Root
            info = " ".join(str(v) for v in pdf.docinfo.values())
            assert not any(s in fold(info) for s in folded)
            with pdf.open_outline() as outline:
                titles = [item.title for item in outline.root][2:-1]
            assert titles and all(t.startswith("申报材料 S0") for t in titles)
    # …while the ordinary packets have them
    joined = fold("".join(page_text(normal / "评审包" / "第一组-李四.pdf")[0]))
    assert "王建国" in joined and "苏州市科协" in joined and phone in joined


def test_blind_score_sheets_are_anonymous(blind):
    from pipeline.scoresheet import read_score_sheet

    assert not list((blind / "评审包").glob("assignment*"))
    for sheet in (blind / "评审包").glob("*.xlsx"):
        _, _, rows = read_score_sheet(sheet)
        assert all(r["申报单位"] == "（匿名）" and r["试点单位"] == "（匿名）" for r in rows)


def test_blind_scanned_pages_are_withheld(tmp_path):
    """A scanned 申报书: pages 1–3 give way to a notice; later pages stay as pictures."""
    from reportlab.pdfgen import canvas

    from pipeline.packet.redact import blind_copy

    form = load_form("申报书")

    import numpy as np
    from PIL import Image

    picture = tmp_path / "page.png"
    Image.fromarray(np.full((200, 140, 3), 250, dtype=np.uint8)).save(picture)
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(5):
        c.drawImage(str(picture), 0, 0, 595, 842)
        c.showPage()
    c.save()
    copy = blind_copy(path, ["江苏省科学技术协会"], form, ocr=False)
    assert copy.pages == 5 and copy.withheld == list(form.blind.withhold_scanned_pages) and copy.scanned == [1, 2, 3, 4, 5]
    out = tmp_path / "copy.pdf"
    out.write_bytes(copy.data)
    plumber, _ = page_text(out)
    assert all("匿名评审中不予提供" in fold(t) for t in plumber[:3])
    assert all(t.strip() == "" for t in plumber[3:])


# --- bad inputs --------------------------------------------------------------------------------


def test_experts_file_without_name_column(run, batch, tmp_path):
    experts = write_experts(tmp_path / "bad.xlsx", [["北京大学", "第一组"]], header=("单位", "组别"))
    result = run("packet", batch["report"], "--experts", experts, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "缺少「姓名」列" in result.output and "bad.xlsx" in result.output
    assert not (tmp_path / "out").exists()


def test_expert_without_group(run, batch, tmp_path):
    experts = write_experts(tmp_path / "bad.xlsx", [["张三", "北京大学", "第一组", ""], ["李四", "复旦大学", "", ""]])
    result = run("packet", batch["report"], "--experts", experts, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "第3行" in result.output and "李四" in result.output and "组别" in result.output


def test_group_without_experts(run, batch, tmp_path):
    data = json.loads(batch["report"].read_text(encoding="utf-8"))
    data["files"][0]["fields"]["组别"] = "第三组"
    report = tmp_path / "validation.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("packet", report, "--experts", batch["experts"], "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "评审组「第三组」没有评审专家" in result.output and "01-江苏省科学技术协会.pdf" in result.output


def test_corrupt_submission_is_left_out_and_named(run, batch, tmp_path):
    data = json.loads(batch["report"].read_text(encoding="utf-8"))
    bad = tmp_path / "损坏的申报书.pdf"
    bad.write_bytes(Path(data["files"][0]["file"]).read_bytes()[:3000])
    data["files"][0]["file"] = str(bad)
    report = tmp_path / "validation.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("keep")
    result = run("packet", report, "--experts", batch["experts"], "--program", PROGRAM, "--out", out)
    assert result.exit_code == 1
    assert "损坏的申报书.pdf" in result.output and "未纳入" in result.output
    data = manifest(out)
    assert [Path(s["file"]).name[:3] for s in data["submissions"]] == ["02-", "03-"]
    failed = [e for e in data["excluded"] if e["failed"]]
    assert len(failed) == 1 and failed[0]["file"] == str(bad)
    assert (out / "earlier.txt").read_text() == "keep"
    assert not list(out.rglob(".tmp-*"))


def test_pdf_folder_input_with_a_corrupt_file(run, batch, tmp_path):
    """PDFs given directly are read with the form reader; one that cannot be read is named."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "坏文件.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    result = run("packet", folder, "--experts", batch["experts"], "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "坏文件.pdf" in result.output
    data = manifest(tmp_path / "out")
    assert data["submissions"] == [] and data["excluded"][0]["failed"] is True
    assert data["packets"] == [] and not list((tmp_path / "out").rglob("*.pdf"))


def test_report_paths_are_read_relative_to_the_report(run, tmp_path, monkeypatch):
    """validate run in one folder writes its JSON into another; packet run from a third finds the files
    (issue 13 part 7: from another folder it found 「文件不存在」)."""
    from conftest import SAMPLES

    returned = tmp_path / "回收" / "第一批"
    returned.mkdir(parents=True)
    (returned / "江苏省科学技术协会.pdf").write_bytes((SAMPLES / "returned" / "江苏省科学技术协会.pdf").read_bytes())
    (tmp_path / "甲").mkdir()
    monkeypatch.chdir(tmp_path / "甲")
    result = run("validate", "../回收/第一批", "--program", PROGRAM, "--db", "k.sqlite", "--report", "../报告/2026/形式审查.json")
    assert result.exit_code == 0, result.output
    report = tmp_path / "报告" / "2026" / "形式审查.json"
    [entry] = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert (report.parent / entry["file"]).resolve() == (returned / "江苏省科学技术协会.pdf").resolve()
    elsewhere = tmp_path / "乙" / "丙"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    experts = write_experts(tmp_path / "专家.xlsx", [["王五", "清华大学", "第一组", ""]])
    result = run("packet", report, "--experts", experts, "--out", "评审", "--date", "2026-07-10")
    assert result.exit_code == 0, result.output
    assert "纳入材料 1 份，未纳入 0 份" in result.output and "文件不存在" not in result.output


def test_a_report_written_by_hand_with_paths_from_the_working_folder_still_works(run, batch, tmp_path, monkeypatch):
    """A report whose paths are relative to where the office runs kexie (not to the report) is read too."""
    data = json.loads(batch["report"].read_text(encoding="utf-8"))
    for entry in data["files"]:
        entry["file"] = str(Path(entry["file"]).relative_to(batch["root"]))
    (tmp_path / "报告").mkdir()
    report = tmp_path / "报告" / "validation.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.chdir(batch["root"])
    result = run("packet", report, "--experts", batch["experts"], "--out", tmp_path / "out", "--date", "2026-07-10")
    assert result.exit_code == 0, result.output
    assert [s["code"] for s in manifest(tmp_path / "out")["submissions"]] == ["S01", "S02", "S03"]


def test_a_submission_the_report_could_not_read_makes_exit_1(run, batch, tmp_path):
    """--help: 有材料无法读取……而未纳入为 1 — also when it was unreadable already in 形式审查."""
    data = json.loads(batch["report"].read_text(encoding="utf-8"))
    data["files"][1].update(status="error", fields={}, error={"kind": "unreadable", "message": "PDF 结构损坏，无法解析"})
    report = tmp_path / "validation.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("packet", report, "--experts", batch["experts"], "--out", tmp_path / "out", "--date", "2026-07-10")
    assert result.exit_code == 1, result.output
    assert "未纳入" in result.output and "02-浙江省科学技术协会.pdf" in result.output and "读取失败" in result.output
    assert [(s["code"], s["failed"]) for s in manifest(tmp_path / "out")["excluded"]] == [("S02", True), ("S04", False)]


def test_the_reason_an_incomplete_submission_is_left_out_is_chinese(normal):
    reason = manifest(normal)["excluded"][0]["reason"]
    assert reason.startswith("形式审查未通过（不齐全）") and "incomplete" not in reason


def pack_report(run, tmp_path, pdf, fields: dict, *extra, program=PROGRAM):
    """``kexie packet`` of one complete submission (a one-line validation report) for one expert;
    (result, the --out folder)."""
    report = tmp_path / "validation.json"
    report.write_text(json.dumps({"files": [{"file": str(pdf), "status": "complete", "error": None,
                                             "fields": fields, "problems": []}]}, ensure_ascii=False),
                      encoding="utf-8")
    experts = write_experts(tmp_path / "experts.xlsx", [["王五", "清华大学", "第二组", ""]])
    out = tmp_path / "out"
    result = run("packet", report, "--experts", experts, "--program", program, "--out", out,
                 "--date", "2026-07-10", *extra)
    return result, out
