"""kexie validate: the 形式审查 rules, bad input, reports and the workspace."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from conftest import PROGRAM, ROOT

from pipeline.dates import parse_period
from pipeline.forms import load_form
from pipeline.program import load_program
from pipeline.validate import Verdict, check_entry, finish, verdict_for

FORM = load_form("申报书")
PERSON = {"姓名": "欧阳明", "手机": "13912345678", "电子邮箱": "oym@jskx.org.cn", "通讯地址": "南京市北京东路39号",
          "邮编": "210008", "传真": "025-83360002", "办公电话": "025-83360001"}
ROW = {"姓名": "李华", "性别": "女", "出生年月": "1985.03", "单位": "苏州市科学技术协会", "职务职称": "副主席"}


def complete_fields() -> dict:
    """A submission with every blank filled and every mark present, by the rules of seed 004."""
    fields = {"试点单位": "苏州市科学技术协会", "申报单位": "江苏省科学技术协会", "试点起止日期": "2026年7月至2027年6月"}
    for who in ("申报单位负责人", "试点单位负责人"):
        fields.update({f"{who}.{k}": v for k, v in PERSON.items()})
    for box in ("申报单位意见", "试点单位意见"):
        fields.update({box: "同意推荐。", f"{box}.日期": "2026年6月5日", f"{box}.签章": True, f"{box}.公章": True})
    for key in ("申报单位推荐理由", "试点单位概况", "改革工作目前进展情况", "改革工作亮点与主要成效", "试点内容",
                "工作计划", "预期成果", "试点成果宣传计划"):
        fields[key] = "内容。"
    fields["试点工作负责人"] = [dict(ROW)]
    fields["主要参与团队"] = [dict(ROW), dict(ROW, 姓名="王强", 性别="男")]
    return fields


def problems_of(fields: dict, program=None, file="江苏省科学技术协会.pdf") -> set[tuple[str, str, str]]:
    entry = {"file": file, "status": "ok", "fields": fields}
    return {(p.field, p.kind, p.severity) for p in check_entry(entry, FORM, program)}


# --- the rules, one by one -----------------------------------------------------------------


def test_a_complete_submission_has_no_problem():
    assert problems_of(complete_fields(), load_program(PROGRAM)) == set()


def test_every_blank_must_hold_content_or_a_slash():
    fields = complete_fields()
    fields["申报单位负责人.传真"] = ""
    fields["试点单位负责人.传真"] = "/"  # 「如无内容请填“/”」: a slash is an answer
    fields["预期成果"] = "  "
    assert problems_of(fields) == {("申报单位负责人.传真", "blank", "error"), ("预期成果", "blank", "error")}


def test_opinion_boxes_need_signature_seal_and_date():
    fields = complete_fields()
    fields.update({"申报单位意见.签章": False, "申报单位意见.公章": False, "申报单位意见.日期": ""})
    assert problems_of(fields) == {("申报单位意见.签章", "missing_signature", "error"),
                                   ("申报单位意见.公章", "missing_seal", "error"),
                                   ("申报单位意见.日期", "blank", "error")}


def test_a_provincial_pilot_leaves_the_pilot_opinion_box_empty():
    fields = complete_fields()
    fields["试点单位"] = fields["申报单位"]
    fields.update({"试点单位意见": "", "试点单位意见.日期": "", "试点单位意见.签章": False, "试点单位意见.公章": False})
    assert problems_of(fields) == set()
    fields["试点单位"] = "苏州市科学技术协会"  # not provincial: the same gaps are problems
    assert {k for k, _, _ in problems_of(fields)} == {"试点单位意见", "试点单位意见.日期", "试点单位意见.签章",
                                                      "试点单位意见.公章"}


def test_row_tables_partial_rows_and_minimum_rows():
    fields = complete_fields()
    fields["主要参与团队"] = [dict(ROW), dict(ROW, 出生年月="", 职务职称=" "), {k: "" for k in ROW}]
    fields["试点工作负责人"] = []
    assert problems_of(fields) == {("主要参与团队[1].出生年月", "blank", "error"),
                                   ("主要参与团队[1].职务职称", "blank", "error"),
                                   ("试点工作负责人", "blank", "error")}


@pytest.mark.parametrize("key, value, ok", [
    ("申报单位负责人.手机", "13912345678", True),
    ("申报单位负责人.手机", "１３９１２３４５６７８", True),   # full-width digits from WPS
    ("申报单位负责人.手机", "1391234567", False),
    ("申报单位负责人.手机", "23912345678", False),
    ("申报单位负责人.邮编", "21000", False),
    ("申报单位负责人.邮编", "210008", True),
    ("申报单位负责人.电子邮箱", "oym.jskx.org.cn", False),
    ("申报单位负责人.电子邮箱", "o_y.m+1@js-kx.org.cn", True),
    ("申报单位负责人.办公电话", "68572088", False),            # no area code
    ("申报单位负责人.办公电话", "010-68572088", True),
    ("申报单位负责人.办公电话", "0512-6852208", True),
    ("申报单位负责人.办公电话", "(010)68572088", True),
    ("申报单位负责人.办公电话", "010-68572088转123", True),
    ("申报单位负责人.传真", "010 6857 2088", True),
    ("申报单位负责人.传真", "1391234567x", False),
    ("申报单位意见.日期", "2026年6月5日", True),
    ("申报单位意见.日期", "2026.6.5", True),
    ("申报单位意见.日期", "2026年6月31日", False),
    ("申报单位意见.日期", "26年6月5日", False),
    ("试点起止日期", "2026年7月至2027年6月", True),
    ("试点起止日期", "2026.07—2027.06", True),
    ("试点起止日期", "2027年6月至2026年7月", False),
    ("主要参与团队[0].出生年月", "1985年3月", True),
    ("主要参与团队[0].出生年月", "1985.13", False),
])
def test_formats(key, value, ok):
    fields = complete_fields()
    if key.startswith("主要参与团队"):
        fields["主要参与团队"][0]["出生年月"] = value
    else:
        fields[key] = value
    expected = set() if ok else {(key, "format", "error")}
    assert problems_of(fields) == expected


def test_programme_rules_period_cycle_deadline_and_file_name():
    program = load_program(PROGRAM)  # 试点期间 2026-07-01..2027-06-30, 12 months, 截止 2026-06-10
    fields = complete_fields()
    fields["试点起止日期"] = "2026年5月至2027年8月"
    fields["试点单位意见.日期"] = "2026年6月11日"
    found = problems_of(fields, program, file="/tmp/回收/申报书-final.pdf")
    assert found == {("试点起止日期", "rule", "error"), ("试点单位意见.日期", "rule", "error"),
                     ("文件名", "rule", "warning")}
    # a warning alone leaves the submission complete
    report = finish([verdict_for({"file": "x.pdf", "status": "ok", "fields": complete_fields()}, FORM, program)], FORM)
    assert report["files"][0]["status"] == "complete"
    assert [p["severity"] for p in report["files"][0]["problems"]] == ["warning"]


def test_duplicates_same_file_twice_and_same_pilot_unit_twice():
    a, b, c = complete_fields(), complete_fields(), complete_fields()
    c["试点单位"], c["申报单位"] = "宁波市科学技术协会", "浙江省科学技术协会"
    verdicts = [Verdict("a.pdf", "ok", [], sha256="h1", fields=a),
                Verdict("a-copy.pdf", "ok", [], sha256="h1", fields=copy.deepcopy(a)),
                Verdict("b.pdf", "ok", [], sha256="h2", fields=b),
                Verdict("c.pdf", "ok", [], sha256="h3", fields=c)]
    report = finish(verdicts, FORM)
    kinds = {f["file"]: {(p["field"], p["kind"]) for p in f["problems"]} for f in report["files"]}
    assert kinds == {"a.pdf": {("试点单位", "duplicate")}, "a-copy.pdf": {("文件", "duplicate")},
                     "b.pdf": {("试点单位", "duplicate")}, "c.pdf": set()}
    assert report["summary"] == {"complete": 1, "incomplete": 3, "review": 0, "error": 0}


def test_period_parsing():
    assert parse_period("2020年 7 月至2021年7月") == ((2020, 7), (2021, 7))  # seed 004's own example
    assert parse_period("2026年7月1日—2027年6月30日") == ((2026, 7), (2027, 6))
    assert parse_period("一年") is None


# --- the command on real files -------------------------------------------------------------


def form_record(fields: dict) -> dict:
    """The data record ``kexie fill 申报书`` renders from flat fields (as the reader gives them back)."""
    out = {"试点单位": fields["试点单位"], "申报单位": fields["申报单位"], "试点起止日期": fields["试点起止日期"]}
    for who in ("申报单位负责人", "试点单位负责人"):
        out[who] = {k: fields[f"{who}.{k}"] for k in PERSON}
    for box in ("申报单位意见", "试点单位意见"):
        out[box] = {"内容": fields[box], "日期": fields[f"{box}.日期"]}
    for key in ("申报单位推荐理由", "试点单位概况", "改革工作目前进展情况", "改革工作亮点与主要成效", "试点内容",
                "工作计划", "预期成果", "试点成果宣传计划", "试点工作负责人", "主要参与团队"):
        out[key] = fields[key]
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Two forms rendered from the template to PDF (one LibreOffice run): a text-layer return
    with known gaps and errors, and a provincial pilot's form."""
    from pipeline.fill import fill
    from pipeline.records import Record
    from pipeline.render import find_template


    gaps = complete_fields()
    gaps.update({"申报单位负责人.传真": "", "申报单位负责人.手机": "1391234567", "试点单位负责人.办公电话": "/"})
    gaps["主要参与团队"][1]["出生年月"] = ""
    provincial = complete_fields()
    provincial.update({"试点单位": "宁夏回族自治区科学技术协会", "申报单位": "宁夏回族自治区科学技术协会",
                       "试点单位意见": "", "试点单位意见.日期": ""})
    out = tmp_path_factory.mktemp("returned")
    records = [Record(form_record(gaps), "gaps"), Record(form_record(provincial), "provincial")]
    results = fill(find_template("申报书"), records, out, pdf=True, name_pattern="{申报单位}")
    assert all(r.pdf for r in results), [r.error for r in results]
    return out


@pytest.mark.slow
def test_validate_real_pdfs_and_bad_inputs_in_one_batch(run, tmp_path, rendered):
    import pikepdf

    batch = tmp_path / "batch"
    batch.mkdir()
    for pdf in rendered.glob("*.pdf"):
        (batch / pdf.name).write_bytes(pdf.read_bytes())
    good = next(rendered.glob("江苏*.pdf")).read_bytes()
    (batch / "空文件.pdf").write_bytes(b"")
    (batch / "不是PDF.pdf").write_text("这是一个文本文件", encoding="utf-8")
    (batch / "截断.pdf").write_bytes(good[: len(good) // 2])
    with pikepdf.open(next(rendered.glob("江苏*.pdf"))) as document:
        document.save(batch / "加密.pdf", encryption=pikepdf.Encryption(owner="o", user="u", R=6))
    with open(batch / "巨大.pdf", "wb") as huge:  # sparse: no disk is used, the size check refuses it
        huge.write(b"%PDF-1.7\n")
        huge.truncate(260 * 1024 * 1024)
    before = {p.name: p.read_bytes() for p in batch.iterdir() if p.stat().st_size < 10_000_000}

    result = run("validate", batch, "--program", PROGRAM, "--format", "json", "--db", tmp_path / "ws.sqlite")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert set(report) >= {"files", "summary"}
    by_name = {f["file"].split("/")[-1]: f for f in report["files"]}
    for entry in report["files"]:
        assert set(entry) >= {"file", "status", "problems", "error"}
        for p in entry["problems"]:
            assert set(p) >= {"field", "kind", "severity", "message", "page"}
    errors = {name: by_name[name]["error"]["kind"] for name in ("空文件.pdf", "不是PDF.pdf", "截断.pdf", "加密.pdf", "巨大.pdf")}
    assert errors == {"空文件.pdf": "unreadable", "不是PDF.pdf": "unreadable", "截断.pdf": "unreadable",
                      "加密.pdf": "encrypted", "巨大.pdf": "unreadable"}
    for name in errors:
        assert by_name[name]["status"] == "error" and name in by_name[name]["error"]["message"]

    gaps = by_name["江苏省科学技术协会.pdf"]
    found = {(p["field"], p["kind"], p["severity"]) for p in gaps["problems"]}
    marks = {(f"{box}.{m}", kind, "error") for box in ("申报单位意见", "试点单位意见")
             for m, kind in (("签章", "missing_signature"), ("公章", "missing_seal"))}  # rendered, never stamped
    assert found == marks | {("申报单位负责人.传真", "blank", "error"), ("申报单位负责人.手机", "format", "error"),
                             ("主要参与团队[1].出生年月", "blank", "error")}
    assert gaps["status"] == "incomplete"
    assert all(p["page"] == 3 for p in gaps["problems"] if p["field"].startswith("申报单位负责人"))

    provincial = by_name["宁夏回族自治区科学技术协会.pdf"]
    assert {(p["field"], p["kind"]) for p in provincial["problems"]} == {
        ("申报单位意见.签章", "missing_signature"), ("申报单位意见.公章", "missing_seal")}
    assert report["summary"] == {"complete": 0, "incomplete": 2, "review": 0, "error": 5}
    after = {p.name: p.read_bytes() for p in batch.iterdir() if p.name in before}
    assert after == before  # inputs are never modified


@pytest.mark.slow
def test_reports_and_the_workspace(run, tmp_path, rendered, monkeypatch):
    from openpyxl import load_workbook

    db = tmp_path / "ws.sqlite"
    args = ("validate", rendered, "--program", PROGRAM, "--db", db,
            "--report", tmp_path / "r.xlsx", "--report", tmp_path / "r.html", "--report", tmp_path / "r.json")
    first = run(*args)
    assert first.exit_code == 1, first.output
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["汇总", "逐份结果", "问题清单"]
    rows = list(book["逐份结果"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "申报单位", "试点单位", "状态", "问题数", "问题", "人工确认")
    assert {r[1] for r in rows[1:]} == {"江苏省科学技术协会", "宁夏回族自治区科学技术协会"}
    assert book["逐份结果"].freeze_panes == "A2" and book["问题清单"].auto_filter.ref
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "申报单位负责人.传真：未填写" in page and page.count("data:image/png;base64,") >= 7
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org", "")

    # a rerun reads every file from the workspace: extraction is not called again
    import pipeline.batch

    def refuse(*_a, **_k):
        raise AssertionError("extracted again")

    monkeypatch.setattr(pipeline.batch, "extract_file", refuse)
    second = run(*args[:6], "--report", tmp_path / "again.json", "--jobs", "1")
    assert second.exit_code == 1
    assert json.loads((tmp_path / "again.json").read_text())["files"] == json.loads((tmp_path / "r.json").read_text())["files"]


def test_usage_errors(run, tmp_path):
    assert run("validate", tmp_path / "nowhere").exit_code == 2
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    result = run("validate", tmp_path / "a.pdf", "--report", tmp_path / "r.docx")
    assert result.exit_code == 2 and ".xlsx" in result.output
    (tmp_path / "empty").mkdir()
    assert run("validate", tmp_path / "empty").exit_code == 2


def test_checks_section_typos_are_refused_by_name(tmp_path):
    from pipeline.errors import FormDefinitionError

    data = yaml.safe_load(FORM.path.read_text(encoding="utf-8"))
    data["checks"]["marks"]["申报单位意见.公章"]["problem"] = "missing_sael"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="missing_seal"):
        load_form(bad)
    data = yaml.safe_load(FORM.path.read_text(encoding="utf-8"))
    data["checks"]["blnak"] = {}
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="blank"):
        load_form(bad)


@pytest.mark.slow
def test_a_validation_killed_half_way_keeps_what_was_done_and_resumes(tmp_path):
    """kill -9 in the middle: every file finished before is in the workspace; the rerun finishes."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    import pikepdf
    from conftest import SAMPLES

    batch = tmp_path / "batch"
    batch.mkdir()
    with pikepdf.open(SAMPLES / "returned" / "江苏省科学技术协会.pdf") as source:
        for i in range(16):
            copy_ = pikepdf.new()
            for page in source.pages[:5]:
                copy_.pages.append(page)
            copy_.docinfo["/Title"] = f"副本 {i}"  # distinct bytes: nothing comes from the cache
            copy_.save(batch / f"{i:02d}.pdf")
    db = tmp_path / "ws.sqlite"
    command = [sys.executable, "-m", "pipeline.cli", "validate", str(batch), "--db", str(db), "--jobs", "1",
               "--format", "json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's pipeline, whatever is installed
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env=env)

    def done() -> int:
        try:
            with sqlite3.connect(db) as connection:
                return connection.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
        except sqlite3.Error:
            return 0

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and done() < 4:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    kept = done()
    assert 4 <= kept < 16, "the run should have been killed half-way"

    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert len(report["files"]) == 16 and report["summary"]["error"] == 0
    assert done() == 16


@pytest.mark.parametrize("written, says", [
    ("2026年6月31日", "日期不存在（2026年6月只有30天）"),
    ("2026.2.29", "日期不存在（2026年2月只有28天）"),
    ("2026年13月5日", "日期不存在（月份应为1至12，现为13）"),
    ("26年6月5日", "日期应写作“××××年×月×日”，如“2026年6月5日”"),  # no date's shape: the format example
])
def test_a_day_the_calendar_lacks_is_named_so_not_a_format_example(written, says):
    """Issue 13 part 6: 「2026年6月31日」 is 「日期不存在」; the example is for what is no date at all."""
    fields = complete_fields()
    fields["申报单位意见.日期"] = written
    entry = {"file": "江苏省科学技术协会.pdf", "status": "ok", "fields": fields}
    [problem] = [p for p in check_entry(entry, FORM) if p.field == "申报单位意见.日期"]
    assert problem.kind == "format" and problem.message.startswith(says), problem.message
