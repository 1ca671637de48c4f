"""kexie fill through the real CLI on the bundled templates and samples."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
import yaml

from conftest import GOLDEN, PROGRAM, ROOT, ROSTER, docx_text, make_template

TAGS = re.compile(r"\{\{|\{%|\}\}|%\}")


def roster_rows():
    sheet = openpyxl.load_workbook(ROSTER, read_only=True)["名单"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


# --- the four templates ------------------------------------------------------------------


def test_task_books_one_per_unit_with_amount_in_words(run, tmp_path):
    result = run("fill", "任务书", "--data", ROSTER, "--program", PROGRAM, "--out", "out")
    assert result.exit_code == 0, result.output
    rows = roster_rows()
    files = sorted((tmp_path / "out").glob("*.docx"))
    assert len(files) == len(rows) == 24
    for row in rows:
        text = docx_text(tmp_path / "out" / f"{row['申报单位']}-任务书.docx")
        assert not TAGS.search(text)
        for column in ("申报单位", "试点单位", "项目名称", "负责人", "手机", "电子邮箱"):
            assert str(row[column]) in text, (row["申报单位"], column)
        for item in str(row["考核指标"]).splitlines():
            assert item.strip() in text
        assert f"{row['资助金额']:,.2f}" in text
    # amounts in words checked by hand: 财政部《会计基础工作规范》第五十二条
    assert "叁拾伍万元整" in docx_text(tmp_path / "out" / "四川省科学技术协会-任务书.docx")
    gansu = docx_text(tmp_path / "out" / "甘肃省科学技术协会-任务书.docx")
    assert "叁拾壹万贰仟叁佰肆拾伍元整" in gansu
    # 50 % + 50 % of 312,345 yuan: the halves add up exactly
    assert "156,172.50" in gansu and "156,172.50" in gansu.replace("156,172.50", "", 1)
    # the forbidden expenses of the programme (seeds 000, 001) are in the obligations
    assert "罚款、还贷、捐款、赞助、对外投资等费用" in gansu


def test_notice_matches_golden(run, tmp_path):
    result = run("fill", "通知", "--program", PROGRAM, "--out", "out", "--date", "2026-05-21")
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "out" / "通知.docx")
    assert "科协调函改字〔2026〕3号" in text
    assert "申报截止日期为2026年6月10日" in text
    golden = (GOLDEN / "通知.txt").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.strip()] == golden.splitlines()


def test_announcement_lists_every_unit_and_the_period(run, tmp_path):
    result = run("fill", "公示", "--data", ROSTER, "--program", PROGRAM, "--out", "out", "--date", "2026-09-25")
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "out").glob("*.docx"))
    assert [f.name for f in files] == ["公示.docx"]
    text = docx_text(files[0])
    for row in roster_rows():
        assert row["项目名称"] in text.replace("\n", "") and row["负责人"] in text  # 项目名称 may break in its cell
    # 5 working days from Monday 28 September 2026 skip the National Day holiday (1–7 October)
    assert "2026年9月28日至2026年10月9日" in text
    assert "梁  帅" in text or "梁帅" in text


def test_blank_application_form_has_no_tags_and_the_official_labels(run, tmp_path):
    result = run("fill", "申报书", "--out", "out")
    assert result.exit_code == 0, result.output
    (docx,) = (tmp_path / "out").glob("*.docx")
    assert docx.name == "申报书.docx"
    text = docx_text(docx)
    assert not TAGS.search(text)
    for label in ("填 报 说 明", "所有空表均需填写，如无内容请填“/”", "试点起止日期", "办公电话",
                  "申报单位负责人（签章）：", "（单位公章）", "省级试点不填写此栏", "（可另加页）",
                  "试点成果宣传计划", "四、试点工作负责人", "五、主要参与团队"):
        assert label in text, label


def test_prefilled_application_form_carries_every_value(run, tmp_path):
    data = {
        "试点单位": "苏州市科学技术协会", "申报单位": "江苏省科学技术协会", "试点起止日期": "2026年7月至2027年6月",
        "申报单位负责人": {"姓名": "欧阳明", "手机": "13912345678", "电子邮箱": "oym@jskx.org.cn",
                     "通讯地址": "南京市北京东路39号", "邮编": "210008", "传真": "/", "办公电话": "025-83360001"},
        "申报单位意见": {"内容": "同意推荐。申报书所填内容准确。", "日期": "2026年6月5日"},
        "试点内容": "第一段：目的与意义。\n第二段：工作基础 & <现状>。",
        "主要参与团队": [{"姓名": f"成员{i}", "性别": "女", "出生年月": "1988.05", "单位": "苏州市科协",
                      "职务职称": "干部"} for i in range(11)],
    }
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("fill", "申报书", "--data", "a.yaml", "--out", "out")
    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "out" / "江苏省科学技术协会-申报书.docx")
    for value in ("苏州市科学技术协会", "欧阳明", "13912345678", "oym@jskx.org.cn", "025-83360001",
                  "同意推荐。申报书所填内容准确。", "2026年6月5日", "第一段：目的与意义。",
                  "第二段：工作基础 & <现状>。", "成员0", "成员10"):
        assert value in text, value
    assert not TAGS.search(text)


@pytest.mark.slow
def test_pdf_output_renders_chinese_in_a_cjk_font(run, tmp_path):
    import pdfplumber
    import pikepdf

    rows = roster_rows()[:3]
    (tmp_path / "three.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    result = run("fill", "任务书", "--data", "three.json", "--program", PROGRAM, "--out", "out", "--pdf")
    assert result.exit_code == 0, result.output
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    assert len(pdfs) == 3
    for row in rows:
        pdf = tmp_path / "out" / f"{row['申报单位']}-任务书.pdf"
        with pdfplumber.open(pdf) as document:
            text = "".join((page.extract_text() or "") for page in document.pages)
        folded = re.sub(r"\s+", "", text)
        assert row["申报单位"] in folded and re.sub(r"\s+", "", row["项目名称"]) in folded
        with pikepdf.open(pdf) as document:
            fonts = {str(f.get("/BaseFont")) for page in document.pages
                     for f in (page.Resources.get("/Font") or {}).values()}
        assert any("CJK" in f for f in fonts), fonts
        assert "\ufffd" not in text


# --- batches, names, reruns ----------------------------------------------------------------


def test_missing_value_names_template_record_and_variable_and_the_rest_still_render(run, tmp_path):
    rows = roster_rows()[:3]
    del rows[1]["资助金额"]
    (tmp_path / "d.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    result = run("fill", "任务书", "--data", "d.json", "--program", PROGRAM, "--out", "out")
    assert result.exit_code == 1
    assert "任务书" in result.output and "资助金额" in result.output
    assert f"第2条（申报单位={rows[1]['申报单位']}）" in result.output
    names = sorted(p.name for p in (tmp_path / "out").glob("*.docx"))
    assert names == sorted(f"{r['申报单位']}-任务书.docx" for r in (rows[0], rows[2]))


def test_names_are_made_safe_and_collisions_numbered(run, tmp_path):
    rows = [{"名称": "../../etc/passwd"}, {"名称": "a/b:c*?"}, {"名称": "同名"}, {"名称": "同名"}, {"名称": " .. "}]
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    make_template(tmp_path / "t.docx", ["名称：{{ 名称 }}"])
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "同名.docx").write_bytes(b"someone else's file")
    result = run("fill", "t.docx", "--data", "d.yaml", "--out", "out", "--name", "{名称}")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert names == sorted(["etc_passwd.docx", "a_b_c.docx", "同名.docx", "同名-2.docx",
                            "同名-3.docx", "未命名.docx"])
    assert (tmp_path / "out" / "同名.docx").read_bytes() == b"someone else's file"
    assert not list(tmp_path.glob("etc*")) and not (tmp_path.parent / "etc").exists()


def test_rerun_skips_done_work_updates_changed_records_and_keeps_hand_edits(run, tmp_path):
    rows = roster_rows()[:3]
    data = tmp_path / "d.json"
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    args = ("fill", "任务书", "--data", "d.json", "--program", PROGRAM, "--out", "out")
    assert run(*args).exit_code == 0
    again = run(*args)
    assert again.exit_code == 0 and "未变（跳过） 3 份" in again.output
    rows[0]["项目名称"] = "改过的项目名称"
    data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    edited = tmp_path / "out" / f"{rows[1]['申报单位']}-任务书.docx"
    edited.write_bytes(edited.read_bytes() + b"\0")  # someone changed it by hand
    result = run(*args)
    assert result.exit_code == 0
    assert "已更新 1 份" in result.output and "新生成 1 份" in result.output
    assert "改过的项目名称" in docx_text(tmp_path / "out" / f"{rows[0]['申报单位']}-任务书.docx")
    assert edited.read_bytes().endswith(b"\0")
    assert (tmp_path / "out" / f"{rows[1]['申报单位']}-任务书-2.docx").is_file()
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".tmp-")]


# --- data formats --------------------------------------------------------------------------


def test_every_data_format_gives_the_same_documents(run, tmp_path):
    rows = [{"申报单位": "甲科协", "负责人.姓名": "王五", "金额": 1680.32},
            {"申报单位": "乙科协", "负责人.姓名": "赵六", "金额": 1005.5}]
    make_template(tmp_path / "t.docx", ["{{ 申报单位 }}|{{ 负责人.姓名 }}|{{ 金额|rmb_upper }}"])
    header = list(rows[0])
    (tmp_path / "d.csv").write_bytes(
        ("\n".join([",".join(header)] + [",".join(str(r[h]) for h in header) for r in rows]) + "\n").encode("gb18030"))
    book = openpyxl.Workbook()
    book.active.append(header)
    for r in rows:
        book.active.append([r[h] for h in header])
    book.save(tmp_path / "d.xlsx")
    nested = [{"申报单位": r["申报单位"], "负责人": {"姓名": r["负责人.姓名"]}, "金额": r["金额"]} for r in rows]
    (tmp_path / "d.json").write_text(json.dumps(nested, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "d.yaml").write_text(yaml.safe_dump({"记录": nested}, allow_unicode=True), encoding="utf-8")
    expected = {"甲科协|王五|壹仟陆佰捌拾元零叁角贰分", "乙科协|赵六|壹仟零伍元伍角整"}
    for name in ("d.csv", "d.xlsx", "d.json", "d.yaml"):
        result = run("fill", "t.docx", "--data", name, "--out", f"out-{name}", "--name", "{申报单位}")
        assert result.exit_code == 0, (name, result.output)
        texts = {docx_text(p).strip() for p in (tmp_path / f"out-{name}").glob("*.docx")}
        assert texts == expected, name


@pytest.mark.parametrize("content, reason", [
    (b"", "文件是空的"),
    (b"PK\x03\x04 not really a zip", "不是有效的 Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "已加密或是旧版"),
])
def test_bad_excel_files_are_usage_errors_naming_the_file(run, tmp_path, content, reason):
    (tmp_path / "bad.xlsx").write_bytes(content)
    result = run("fill", "任务书", "--data", "bad.xlsx", "--program", PROGRAM)
    assert result.exit_code == 2
    assert "bad.xlsx" in result.output and reason in result.output
    assert not (tmp_path / "outputs").exists() or not list((tmp_path / "outputs").rglob("*.docx"))


@pytest.mark.parametrize("name, content, reason", [
    ("missing.yaml", None, "文件不存在"),
    ("d.txt", "x", "不支持的数据格式"),
    ("d.json", "{not json", "JSON 格式错误"),
    ("d.yaml", "a: [1, 2", "YAML 格式错误"),
    ("d.csv", "申报单位,申报单位\n甲,乙\n", "出现了两次"),
])
def test_bad_data_files(run, tmp_path, name, content, reason):
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    result = run("fill", "任务书", "--data", name, "--program", PROGRAM)
    assert result.exit_code == 2, result.output
    assert name in result.output and reason in result.output


def test_programme_typo_is_refused_with_a_suggestion(run, tmp_path):
    text = PROGRAM.read_text(encoding="utf-8").replace("发文机关:", "发文机构:", 1)
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    result = run("fill", "通知", "--program", "p.yaml")
    assert result.exit_code == 2
    assert "未知的键「发文机构」" in result.output and "发文机关" in result.output


def test_unknown_template_is_a_usage_error(run):
    result = run("fill", "不存在的模板")
    assert result.exit_code == 2 and "找不到模板" in result.output and "任务书" in result.output


# --- the sandbox ---------------------------------------------------------------------------


@pytest.mark.parametrize("tag", [
    "{{ ''.__class__.__mro__ }}",
    "{{ 名称.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
])
def test_templates_cannot_reach_python_internals(run, tmp_path, tag):
    make_template(tmp_path / "evil.docx", [tag])
    (tmp_path / "d.yaml").write_text("名称: x\n", encoding="utf-8")
    result = run("fill", "evil.docx", "--data", "d.yaml", "--out", "out")
    assert result.exit_code == 1
    assert "evil" in result.output and ("不允许" in result.output or "缺少变量" in result.output)
    assert not list((tmp_path / "out").glob("*.docx"))


@pytest.mark.parametrize("template", ["通知", "申报书", "任务书", "公示"])
def test_templates_use_gongwen_fonts_on_a4(template):
    """GB/T 9704: A4, 仿宋_GB2312 body, 黑体 headings, 方正小标宋简体 titles, as East Asian fonts."""
    import zipfile

    from conftest import ROOT

    xml = zipfile.ZipFile(ROOT / "templates" / f"{template}.docx").read("word/document.xml").decode("utf-8")
    east_asian = set(re.findall(r'w:eastAsia="([^"]+)"', xml))
    assert {"仿宋_GB2312", "黑体", "方正小标宋简体"} <= east_asian, east_asian
    assert re.search(r'<w:pgSz w:w="11906" w:h="16838"', xml)  # A4 in twentieths of a point
    top, left = (int(re.search(rf'<w:pgMar [^>]*w:{side}="(\d+)"', xml).group(1)) for side in ("top", "left"))
    assert abs(top / 56.7 - 37) < 0.5 and abs(left / 56.7 - 28) < 0.5  # mm, 公文 margins


@pytest.mark.slow
def test_a_run_killed_half_way_resumes_without_redoing_or_renaming(tmp_path):
    """kill -9 in the middle of a batch: the rerun keeps what was done and finishes the rest."""
    import os
    import signal
    import subprocess
    import sys
    import time

    rows = roster_rows()
    rows = [dict(r, 申报单位=f"{r['申报单位']}{i:03d}") for i in range(6) for r in rows]  # 144 records
    (tmp_path / "d.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "pipeline.cli", "fill", "任务书", "--data", "d.json",
               "--program", str(PROGRAM), "--out", "out"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's pipeline, whatever is installed
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env=env)
    out = tmp_path / "out"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 10:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list(out.glob("*.docx")))
    assert 10 <= done_before < len(rows), "the batch should have been killed half-way"

    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.docx"))
    assert names == sorted(f"{r['申报单位']}-任务书.docx" for r in rows)  # no "-2": nothing taken as foreign
    assert f"未变（跳过） {done_before} 份" in result.stdout or f"未变（跳过） {done_before - 1} 份" in result.stdout
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp-")]
