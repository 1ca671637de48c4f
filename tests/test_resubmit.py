"""Resubmissions: a 补正通知 is recorded in the workspace; a corrected form of the same 申报单位 in a
later ``kexie validate`` run is linked to the earlier ones — the history per applicant (first
submission, notice, resubmitted, fixed, still open, latest verdict) in the reports — the latest
submission replaces the earlier ones in packets and notices, a resubmission after the 补正
deadline is flagged 「逾期补正」, and a form whose 申报单位 cannot be read is not linked."""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from pathlib import Path

import pytest
from conftest import PROGRAM, ROOT
from test_packet import write_experts
from test_validate import complete_fields, form_record

pytestmark = pytest.mark.slow

NAME = "江苏省科学技术协会"


def _stamp(src: Path, dst: Path, fields: dict) -> None:
    """Sign and seal both 意见 boxes of a rendered form (tools/make_corpus draws the marks)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import make_corpus

    rng = random.Random(14)
    boxes = make_corpus.find_opinion_boxes(src)
    plan = {whose: {"seal": "ok", "sign": True} for whose in make_corpus.OPINIONS}
    units = {"申报单位意见": fields["申报单位"], "试点单位意见": fields["试点单位"]}
    make_corpus.overlay_marks(src, dst, make_corpus.place_marks(rng, plan, boxes, units))


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    """The applicant's forms as PDFs (one LibreOffice run): the first return (no seals, a blank fax,
    a short mobile number), a partial correction (signed and sealed, mobile fixed, fax still blank),
    the complete correction, another complete form of the same application, a complete form whose
    申报单位 is left blank, and a complete form of the same 申报单位 for another 试点单位."""
    from pipeline.fill import fill
    from pipeline.records import Record
    from pipeline.render import find_template

    first = complete_fields()
    first.update({"申报单位负责人.传真": "", "申报单位负责人.手机": "1391234567"})
    partial = complete_fields()
    partial.update({"申报单位负责人.传真": ""})
    nameless = complete_fields()
    nameless.update({"申报单位": ""})
    out = tmp_path_factory.mktemp("forms")
    again = complete_fields()
    again.update({"预期成果": "建成科技志愿服务平台。"})
    neighbour = complete_fields()  # the same 申报单位 recommends another 试点单位: another application
    neighbour.update({"试点单位": "无锡市科学技术协会"})
    wanted = {"first": first, "partial": partial, "final": complete_fields(), "again": again, "nameless": nameless,
              "neighbour": neighbour}
    records = [Record(dict(form_record(f), 文件名=k), k) for k, f in wanted.items()]
    results = fill(find_template("申报书"), records, out / "填写", pdf=True, name_pattern="{文件名}")
    assert all(r.pdf for r in results), [r.error for r in results]
    paths = {}
    for key, result in zip(wanted, results):
        paths[key] = out / f"{key}.pdf"
        if key == "first":
            shutil.copyfile(result.pdf, paths[key])
        else:
            _stamp(Path(result.pdf), paths[key], wanted[key])
    return paths


def _put(folder: Path, source: Path, name: str, mtime: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(source, target)
    os.utime(target, (mtime, mtime))
    return target


def _validate(run, folder, db, date, *reports):
    args = ["validate", folder, "--program", PROGRAM, "--db", db, "--date", date]
    for report in reports:
        args += ["--report", report]
    return run(*args)


@pytest.fixture(scope="module")
def noticed(forms, tmp_path_factory):
    """The first return validated (28 Sept) and its 补正通知 sent (29 Sept; deadline 12 Oct):
    (folder of returns, workspace)."""
    from click.testing import CliRunner

    from pipeline.cli import main

    work = tmp_path_factory.mktemp("noticed")
    folder = work / "回收"
    _put(folder, forms["first"], f"{NAME}.pdf", 1_790_000_000)
    report, db = work / "形式审查.json", work / "kexie.sqlite"
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(folder), "--program", str(PROGRAM), "--db", str(db), "--date",
                                  "2026-09-28", "--report", str(report)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    result = runner.invoke(main, ["notice", str(report), "--program", str(PROGRAM), "--db", str(db), "--out",
                                  str(work / "补正通知"), "--date", "2026-09-29", "--no-pdf"], catch_exceptions=False)
    assert result.exit_code == 0 and "补正截止：2026年10月12日" in result.output, result.output
    return folder, db


def _copy(noticed, tmp_path) -> tuple[Path, Path]:
    folder, db = noticed
    shutil.copytree(folder, tmp_path / "回收", copy_function=shutil.copy2)
    shutil.copyfile(db, tmp_path / "kexie.sqlite")
    return tmp_path / "回收", tmp_path / "kexie.sqlite"


def _history(report: Path) -> list[dict]:
    return json.loads(report.read_text(encoding="utf-8"))["history"]


def _entry(report: Path, name: str) -> dict:
    return next(f for f in json.loads(report.read_text(encoding="utf-8"))["files"] if Path(f["file"]).name == name)


def test_incomplete_notice_corrected_complete_and_only_the_latest_in_the_packet(run, tmp_path, forms, noticed):
    from openpyxl import load_workbook

    folder, db = _copy(noticed, tmp_path)
    # the partial correction arrives on 9 Oct, within the deadline: the mobile is fixed, the fax is not
    _put(folder, forms["partial"], f"{NAME}（补正）.pdf", 1_790_100_000)
    second = tmp_path / "第二次.json"
    result = _validate(run, folder, db, "2026-10-09", second)
    assert result.exit_code == 1, result.output
    (history,) = _history(second)
    assert history["applicant"] == NAME
    assert [(s["file"], s["received"], s["status"]) for s in history["submissions"]] == [
        (f"{NAME}.pdf", "2026-09-28", "incomplete"), (f"{NAME}（补正）.pdf", "2026-10-09", "incomplete")]
    assert [(n["date"], n["deadline"], n["file"]) for n in history["notices"]] == [
        ("2026-09-29", "2026-10-12", f"{NAME}.pdf")]
    assert sorted(history["fixed"]) == sorted(["申报单位负责人—手机", "申报单位意见—签章", "申报单位意见—公章",
                                               "试点单位意见—签章", "试点单位意见—公章"])
    assert history["open"] == ["申报单位负责人—传真"]
    assert history["late"] is False and history["latest"] == {"file": f"{NAME}（补正）.pdf", "status": "incomplete"}
    old = _entry(second, f"{NAME}.pdf")
    assert old["superseded_by"] == f"{NAME}（补正）.pdf"
    assert any("已由后交的「江苏省科学技术协会（补正）.pdf」取代" in p["message"] for p in old["problems"])
    # the same 试点单位 twice in the folder is one applicant correcting its form, not a duplicate
    assert not any(p["kind"] == "duplicate" for p in _entry(second, f"{NAME}（补正）.pdf")["problems"])

    # the complete correction on 10 Oct
    _put(folder, forms["final"], f"{NAME}（再次补正）.pdf", 1_790_200_000)
    third, book = tmp_path / "第三次.json", tmp_path / "第三次.xlsx"
    result = _validate(run, folder, db, "2026-10-10", third, book)
    assert result.exit_code == 0, result.output  # the replaced forms need no one's attention
    assert "不齐全 2 份，需人工核对 0 份，无法读取 0 份（其中 2 份已由同一单位后交的材料取代）" in result.output
    (history,) = _history(third)
    assert [s["received"] for s in history["submissions"]] == ["2026-09-28", "2026-10-09", "2026-10-10"]
    assert history["open"] == [] and "申报单位负责人—传真" in history["fixed"] and len(history["fixed"]) == 6
    assert history["latest"] == {"file": f"{NAME}（再次补正）.pdf", "status": "complete"}
    assert _entry(third, f"{NAME}（再次补正）.pdf")["status"] == "complete"
    assert _entry(third, f"{NAME}（补正）.pdf")["superseded_by"] == f"{NAME}（再次补正）.pdf"

    sheet = [[c.value for c in row] for row in load_workbook(book)["补正记录"].iter_rows()]
    assert sheet[0][:4] == ["申报单位", "首次提交", "补正通知", "补正截止"]
    row = dict(zip(sheet[0], sheet[1]))
    assert row["申报单位"] == NAME and row["首次提交"] == f"2026-09-28 {NAME}.pdf（不齐全）"
    assert row["补正通知"] == "2026-09-29" and row["补正截止"] == "2026-10-12"
    assert row["重新提交"] == f"2026-10-09 {NAME}（补正）.pdf（不齐全）\n2026-10-10 {NAME}（再次补正）.pdf（齐全）"
    assert "申报单位负责人—传真" in row["已改正"] and row["仍未改正"] is None
    assert row["最新结论"] == "齐全" and row["逾期补正"] == "否"

    # a notice run on the new report tells no one: the old forms are replaced, the new one is complete
    result = run("notice", third, "--program", PROGRAM, "--db", db, "--out", tmp_path / "再通知", "--no-pdf",
                 "--date", "2026-10-10")
    assert result.exit_code == 0 and "没有需要补正的申报材料" in result.output, result.output
    result = run("notice", third, "--program", PROGRAM, "--db", db, "--out", tmp_path / "再通知", "--no-pdf",
                 "--file", f"{NAME}.pdf")
    assert result.exit_code == 2 and f"已由后交的「{NAME}（再次补正）.pdf」取代" in result.output, result.output
    assert not (tmp_path / "再通知").exists()
    # only the complete correction goes into the packet; the replaced ones are named with the reason
    experts = write_experts(tmp_path / "experts.xlsx", [["王五", "清华大学", "第一组", ""]])
    result = run("packet", third, "--experts", experts, "--program", PROGRAM, "--out", tmp_path / "评审",
                 "--date", "2026-10-20", "--db", db)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "评审" / "办公室" / "manifest.json").read_text(encoding="utf-8"))
    assert [Path(s["file"]).name for s in manifest["submissions"]] == [f"{NAME}（再次补正）.pdf"]
    reasons = {Path(s["file"]).name: s["reason"] for s in manifest["excluded"]}
    assert set(reasons) == {f"{NAME}.pdf", f"{NAME}（补正）.pdf"}
    assert "已由后交的「江苏省科学技术协会（再次补正）.pdf」取代" in reasons[f"{NAME}（补正）.pdf"]


def test_a_resubmission_after_the_deadline_is_flagged(run, tmp_path, forms, noticed):
    folder, db = _copy(noticed, tmp_path)
    _put(folder, forms["final"], f"{NAME}（补正）.pdf", 1_790_100_000)
    report, book, page = tmp_path / "形式审查.json", tmp_path / "形式审查.xlsx", tmp_path / "形式审查.html"
    result = _validate(run, folder, db, "2026-10-13", report, book, page)
    assert result.exit_code == 1, result.output  # staff must look at it
    entry = _entry(report, f"{NAME}（补正）.pdf")
    assert entry["status"] == "complete"  # flagged, neither refused nor silently accepted
    (late,) = [p for p in entry["problems"] if p["kind"] == "late"]
    assert late["severity"] == "warning"
    assert late["message"] == "逾期补正：补正通知（2026年9月29日）要求2026年10月12日前报送，本材料2026年10月13日收到"
    (history,) = _history(report)
    assert history["late"] is True and history["open"] == []
    assert "逾期补正" in result.output
    from openpyxl import load_workbook

    sheet = [[c.value for c in row] for row in load_workbook(book)["补正记录"].iter_rows()]
    assert dict(zip(sheet[0], sheet[1]))["逾期补正"] == "是（2026-10-13收到，截止2026-10-12）"
    html = page.read_text(encoding="utf-8")
    assert "<h2>补正记录</h2>" in html and '<td class="late">是（2026-10-13收到，截止2026-10-12）</td>' in html
    # the terminal table says it too
    shown = run("validate", folder, "--program", PROGRAM, "--db", db, "--date", "2026-10-14")
    assert f"补正记录：{NAME}：最新结论齐全；逾期补正（2026-10-13收到，截止2026-10-12）" in shown.output


def test_a_later_run_replaces_the_earlier_form_and_another_pilot_is_another_application(run, tmp_path, forms):
    """Two complete forms of one application: the one received later is the submission (packet),
    the earlier is named in a warning; the same 申报单位 for another 试点单位 is not linked."""
    folder, db = tmp_path / "回收", tmp_path / "kexie.sqlite"
    _put(folder, forms["final"], f"{NAME}-乙.pdf", 1_790_200_000)  # the file date says nothing
    assert _validate(run, folder, db, "2026-06-05").exit_code == 0
    _put(folder, forms["again"], f"{NAME}-甲.pdf", 1_790_100_000)
    report = tmp_path / "形式审查.json"
    result = _validate(run, folder, db, "2026-06-08", report)
    assert result.exit_code == 0, result.output  # the same 试点单位 twice is one application corrected
    old = _entry(report, f"{NAME}-乙.pdf")
    assert old["status"] == "complete" and old["superseded_by"] == f"{NAME}-甲.pdf"
    assert [p["severity"] for p in old["problems"] if "取代" in p["message"]] == ["warning"]
    assert "superseded_by" not in _entry(report, f"{NAME}-甲.pdf")
    (history,) = _history(report)
    assert [(s["file"], s["received"]) for s in history["submissions"]] == [
        (f"{NAME}-乙.pdf", "2026-06-05"), (f"{NAME}-甲.pdf", "2026-06-08")]
    assert history["notices"] == [] and history["late"] is False
    experts = write_experts(tmp_path / "experts.xlsx", [["王五", "清华大学", "第一组", ""]])
    result = run("packet", report, "--experts", experts, "--program", PROGRAM, "--out", tmp_path / "评审",
                 "--date", "2026-07-10", "--db", db)
    manifest = json.loads((tmp_path / "评审" / "办公室" / "manifest.json").read_text(encoding="utf-8"))
    assert [Path(s["file"]).name for s in manifest["submissions"]] == [f"{NAME}-甲.pdf"]
    assert [Path(s["file"]).name for s in manifest["excluded"]] == [f"{NAME}-乙.pdf"], result.output
    # the next day the same 申报单位 sends a form for another 试点单位: a new application, nothing replaced
    _put(folder, forms["neighbour"], f"{NAME}-无锡.pdf", 1_790_300_000)
    result = _validate(run, folder, db, "2026-06-09", report)
    assert result.exit_code == 0, result.output
    assert "superseded_by" not in _entry(report, f"{NAME}-甲.pdf")
    assert "superseded_by" not in _entry(report, f"{NAME}-无锡.pdf")
    assert [h["latest"]["file"] for h in _history(report)] == [f"{NAME}-甲.pdf"]


def test_two_forms_of_one_application_first_seen_together_are_not_ordered_by_guess(run, tmp_path, forms):
    """Nothing tells which of two new forms of one application counts (file dates are not to be
    trusted): both stay, each reported as the same unit twice, as before."""
    folder = tmp_path / "回收"
    _put(folder, forms["final"], f"{NAME}-乙.pdf", 1_790_100_000)
    _put(folder, forms["again"], f"{NAME}-甲.pdf", 1_790_200_000)
    report = tmp_path / "形式审查.json"
    assert _validate(run, folder, tmp_path / "kexie.sqlite", "2026-06-08", report).exit_code == 1
    for name in (f"{NAME}-甲.pdf", f"{NAME}-乙.pdf"):
        entry = _entry(report, name)
        assert "superseded_by" not in entry and entry["status"] == "incomplete"
        assert [p["field"] for p in entry["problems"] if p["kind"] == "duplicate"] == ["试点单位"]


def test_a_resubmission_whose_applicant_cannot_be_read_is_not_linked(run, tmp_path, forms, noticed):
    folder, db = _copy(noticed, tmp_path)
    _put(folder, forms["nameless"], "补正材料.pdf", 1_790_100_000)
    report = tmp_path / "形式审查.json"
    result = _validate(run, folder, db, "2026-10-09", report)
    assert result.exit_code == 1, result.output
    entry = _entry(report, "补正材料.pdf")
    assert "superseded_by" not in entry and "superseded_by" not in _entry(report, f"{NAME}.pdf")
    (note,) = [p for p in entry["problems"] if p["kind"] == "review"]
    assert note["field"] == "申报单位" and note["severity"] == "review"
    assert "未能读出申报单位，无法与此前的提交和补正通知对应" in note["message"]
    (history,) = _history(report)  # the applicant's own history is untouched
    assert [s["file"] for s in history["submissions"]] == [f"{NAME}.pdf"]
    # a person reads the unit off the paper, written short: the form is linked on the next run
    assert run("confirm", folder / "补正材料.pdf", "申报单位=江苏省科协", "--by", "张敏", "--db", db).exit_code == 0
    result = _validate(run, folder, db, "2026-10-10", report)
    assert _entry(report, f"{NAME}.pdf")["superseded_by"] == "补正材料.pdf"
    (history,) = _history(report)
    assert [(s["file"], s["received"]) for s in history["submissions"]] == [
        (f"{NAME}.pdf", "2026-09-28"), ("补正材料.pdf", "2026-10-09")]
    assert history["latest"] == {"file": "补正材料.pdf", "status": "complete"} and history["open"] == []
