"""Jinja filters for Chinese documents: each on its own, then inside the sandbox."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from jinja2.sandbox import SandboxedEnvironment

from pipeline.filters import (
    FILTERS,
    cn_date,
    cn_date_upper,
    installments,
    pad_rows,
    rmb_upper,
    split_items,
    wan,
    wenhao,
    yuan,
)

# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2026, 3, 5), "2026年3月5日"),
        (dt.datetime(2026, 3, 5, 14, 30), "2026年3月5日"),
        ("2026-03-05", "2026年3月5日"),
        (" 2026-03-05 ", "2026年3月5日"),
        ("2026-12-31", "2026年12月31日"),
        ("2026-03", "2026年3月"),
        ("2026-10", "2026年10月"),
        (None, ""),
        ("", ""),
        ("  ", ""),
    ],
)
def test_cn_date(value, expected):
    assert cn_date(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-03-05", "二〇二六年三月五日"),
        (dt.date(2026, 10, 31), "二〇二六年十月三十一日"),
        ("2026-12-20", "二〇二六年十二月二十日"),
        ("2026-11-10", "二〇二六年十一月十日"),
        ("2020-01-01", "二〇二〇年一月一日"),
        ("2026-02-19", "二〇二六年二月十九日"),
        ("2026-02-21", "二〇二六年二月二十一日"),
        ("2026-03-30", "二〇二六年三月三十日"),
        ("2026-03", "二〇二六年三月"),
        (None, ""),
        ("", ""),
    ],
)
def test_cn_date_upper(value, expected):
    assert cn_date_upper(value) == expected


@pytest.mark.parametrize(
    "value", ["2026/03/05", "2026-02-30", "2026-13", "三月五日", "2026-03-05 10:00", 20260305, 2026.3]
)
@pytest.mark.parametrize("date_filter", [cn_date, cn_date_upper])
def test_dates_refuse_anything_else(date_filter, value):
    with pytest.raises(ValueError) as caught:
        date_filter(value)
    assert str(value) in str(caught.value)
    assert "日期" in str(caught.value)


# --- money in 大写 -------------------------------------------------------------------------

RMB_CASES = [
    # required by the brief (财政部《会计基础工作规范》第五十二条)
    (350000, "叁拾伍万元整"),
    (1005.5, "壹仟零伍元伍角整"),
    (1680.32, "壹仟陆佰捌拾元零叁角贰分"),
    (0, "零元整"),
    (0.05, "伍分"),
    (100000000, "壹亿元整"),
    (10.10, "壹拾元壹角整"),
    (107000.53, "壹拾万柒仟元零伍角叁分"),
    (1409.50, "壹仟肆佰零玖元伍角整"),
    (6007.14, "陆仟零柒元壹角肆分"),
    (325.04, "叁佰贰拾伍元零肆分"),
    (1000000, "壹佰万元整"),
    (100010, "壹拾万零壹拾元整"),
    (2000.09, "贰仟元零玖分"),
    # edge cases
    (1, "壹元整"),
    (10, "壹拾元整"),  # 壹拾, never a bare 拾
    (15, "壹拾伍元整"),
    (110, "壹佰壹拾元整"),
    (0.5, "伍角整"),
    (0.55, "伍角伍分"),
    (0.1, "壹角整"),
    (100000001, "壹亿零壹元整"),
    (100001000, "壹亿零壹仟元整"),  # an all-zero 万 section: one 零
    (110000000, "壹亿壹仟万元整"),
    (1010101, "壹佰零壹万零壹佰零壹元整"),
    (400000, "肆拾万元整"),
    (300000.00, "叁拾万元整"),
    (999999999999.99, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    (-5.5, "负伍元伍角整"),
    (-1680.32, "负壹仟陆佰捌拾元零叁角贰分"),
    (-0.001, "零元整"),  # rounds to zero: no 负
    # types and rounding
    (Decimal("1680.32"), "壹仟陆佰捌拾元零叁角贰分"),
    ("350000", "叁拾伍万元整"),
    ("350,000.00", "叁拾伍万元整"),
    (" 1,005.5 ", "壹仟零伍元伍角整"),
    (Decimal("0.005"), "壹分"),  # half-up
    (Decimal("0.004"), "零元整"),
    (Decimal("1.995"), "贰元整"),
    (2.675, "贰元陆角捌分"),  # the float 2.675 is 2.67499…; read as written, then half-up
]


@pytest.mark.parametrize("amount, expected", RMB_CASES)
def test_rmb_upper(amount, expected):
    assert rmb_upper(amount) == expected


@pytest.mark.parametrize(
    "amount", [10**12, "1000000000000", -(10**12), Decimal("999999999999.995")]
)
def test_rmb_upper_refuses_over_9999_yi(amount):
    with pytest.raises(ValueError) as caught:
        rmb_upper(amount)
    assert "超过" in str(caught.value)


BAD_AMOUNTS = ["35万", "abc", "", None, True, float("nan"), float("inf"), "1.2.3", [1], "¥100"]


@pytest.mark.parametrize("money_filter", [rmb_upper, wan, yuan])
@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_money_refuses_non_numbers(money_filter, amount):
    with pytest.raises(ValueError) as caught:
        money_filter(amount)
    assert "金额" in str(caught.value)


# --- money in figures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, expected",
    [
        (350000, "35.00"),
        (1234567, "123.46"),
        (1234550, "123.46"),  # 123.455 half-up
        (1234549, "123.45"),
        (0, "0.00"),
        (50, "0.01"),  # 0.005 half-up
        (49, "0.00"),
        ("400,000", "40.00"),
        (Decimal("12345678900"), "1234567.89"),
        (-350000, "-35.00"),
        (-1, "0.00"),  # never -0.00
    ],
)
def test_wan(amount, expected):
    assert wan(amount) == expected


@pytest.mark.parametrize(
    "amount, expected",
    [
        (350000, "350,000.00"),
        (0, "0.00"),
        (999.995, "1,000.00"),
        (1680.32, "1,680.32"),
        ("1234567.891", "1,234,567.89"),
        ("350,000", "350,000.00"),
        (Decimal("0.5"), "0.50"),
        (-1234.5, "-1,234.50"),
        (-0.001, "0.00"),
    ],
)
def test_yuan(amount, expected):
    assert yuan(amount) == expected


# --- installments --------------------------------------------------------------------------

SCHEDULE = [{"阶段": "首付", "比例": 70}, {"阶段": "尾款", "比例": 30}]


def test_installments_simple():
    parts = installments(350000, SCHEDULE)
    assert parts == [
        {"阶段": "首付", "比例": 70, "金额": Decimal("245000.00")},
        {"阶段": "尾款", "比例": 30, "金额": Decimal("105000.00")},
    ]
    assert all(isinstance(part["金额"], Decimal) for part in parts)


@pytest.mark.parametrize(
    "amount, ratios, expected",
    [
        (100, [33.33, 33.33, 33.34], ["33.33", "33.33", "33.34"]),
        (100, [100 / 3, 100 / 3, 100 - 2 * (100 / 3)], None),  # floats that sum to 100
        (1000.01, [50, 50], ["500.01", "500.00"]),  # 500.005 half-up; the last takes the rest
        (0.01, [50, 50], ["0.01", "0.00"]),
        (333333.33, [40, 30, 30], ["133333.33", "100000.00", "100000.00"]),
        (350000, [100], ["350000.00"]),
        ("350,000", ["60", "40"], ["210000.00", "140000.00"]),
    ],
)
def test_installments_add_up(amount, ratios, expected):
    schedule = [{"阶段": f"第{i + 1}期", "比例": ratio} for i, ratio in enumerate(ratios)]
    parts = installments(amount, schedule)
    assert sum(part["金额"] for part in parts) == Decimal(str(amount).replace(",", "")).quantize(
        Decimal("0.01")
    )
    assert [part["阶段"] for part in parts] == [item["阶段"] for item in schedule]
    if expected is not None:
        assert [part["金额"] for part in parts] == [Decimal(value) for value in expected]


def test_installments_keep_the_schedule_unchanged():
    schedule = [dict(item) for item in SCHEDULE]
    installments(350000, schedule)
    assert schedule == SCHEDULE


@pytest.mark.parametrize(
    "schedule, words",
    [
        ([], "为空"),
        (None, "为空"),
        ([{"阶段": "首付", "比例": 70}], "70"),
        ([{"阶段": "首付", "比例": 33.33}, {"阶段": "尾款", "比例": 66.66}], "99.99"),
        ([{"阶段": "首付", "比例": 70}, {"阶段": "尾款", "比例": 40}], "110"),
        ([{"阶段": "首付", "比例": 120}, {"阶段": "尾款", "比例": -20}], "负数"),
        ([{"阶段": "首付"}], "比例"),
        (["首付"], "首付"),
    ],
)
def test_installments_refuse_bad_schedules(schedule, words):
    with pytest.raises(ValueError) as caught:
        installments(350000, schedule)
    assert words in str(caught.value)


# --- 文号 and lists -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (("科协调函改字", 2020, 3), "科协调函改字〔2020〕3号"),
        (("科协发", "2026", "12"), "科协发〔2026〕12号"),
        (("科协发", 2026, "01"), "科协发〔2026〕1号"),  # GB/T 9704: no 虚位
        (({"前缀": "科协调函改字", "年份": 2020, "序号": 3},), "科协调函改字〔2020〕3号"),
    ],
)
def test_wenhao(args, expected):
    assert wenhao(*args) == expected


@pytest.mark.parametrize(
    "args, words",
    [
        (("科协发",), "年份"),
        (("科协发", 2026), "序号"),
        (({"前缀": "科协发", "年份": 2026},), "序号"),
        (("科协发", 26, 3), "全称"),
        (("科协发", "二〇二六", 3), "数字"),
        (("科协发", 2026, 0), "正整数"),
        (("", 2026, 3), "前缀"),
    ],
)
def test_wenhao_refuses_incomplete(args, words):
    with pytest.raises(ValueError) as caught:
        wenhao(*args)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "rows, n, expected",
    [
        ([{"a": 1}], 3, [{"a": 1}, {}, {}]),
        ([{"a": 1}, {"a": 2}], 2, [{"a": 1}, {"a": 2}]),
        ([{"a": 1}, {"a": 2}, {"a": 3}], 2, [{"a": 1}, {"a": 2}, {"a": 3}]),  # longer: unchanged
        (None, 2, [{}, {}]),
        ([], 0, []),
        ((({"a": 1}),), 2, [{"a": 1}, {}]),
    ],
)
def test_pad_rows(rows, n, expected):
    assert pad_rows(rows, n) == expected


def test_pad_rows_gives_separate_rows_and_leaves_input_alone():
    rows = [{"a": 1}]
    padded = pad_rows(rows, 3)
    padded[1]["b"] = 2
    assert padded[2] == {}
    assert rows == [{"a": 1}]


@pytest.mark.parametrize("rows, n", [([], -1), ([], "3"), ("abc", 3), ({"a": 1}, 3)])
def test_pad_rows_refuses_bad_arguments(rows, n):
    with pytest.raises(ValueError):
        pad_rows(rows, n)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("甲\n乙\n丙", ["甲", "乙", "丙"]),
        ("甲；乙；丙", ["甲", "乙", "丙"]),
        ("甲;乙; 丙 ", ["甲", "乙", "丙"]),
        ("  甲 \r\n\r\n乙；\n丙；", ["甲", "乙", "丙"]),
        ("只有一项", ["只有一项"]),
        ("", []),
        (None, []),
        ("；\n ;", []),
        (["甲", "乙"], ["甲", "乙"]),
        (("甲", "乙"), ["甲", "乙"]),
        ("购置设备，包括电脑、打印机", ["购置设备，包括电脑、打印机"]),  # commas do not split
    ],
)
def test_split_items(text, expected):
    assert split_items(text) == expected


def test_split_items_refuses_non_text():
    with pytest.raises(ValueError):
        split_items(42)


# --- inside the sandbox --------------------------------------------------------------------


@pytest.fixture
def env():
    environment = SandboxedEnvironment(autoescape=False)
    environment.filters.update(FILTERS)
    return environment


def test_filters_dict_names_every_filter():
    assert set(FILTERS) == {
        "cn_date", "cn_date_upper", "rmb_upper", "wan", "total", "yuan", "wenhao", "pad_rows",
        "split_items", "installments", "title_lines", "issuer_flag", "given", "written_date",
    }
    for function in FILTERS.values():
        assert function.__doc__ and "\n" not in function.__doc__.strip()


@pytest.mark.parametrize(
    "source, context, expected",
    [
        ("{{ 350000|rmb_upper }}", {}, "叁拾伍万元整"),
        ("{{ 经费.上限|rmb_upper }}", {"经费": {"上限": 1680.32}}, "壹仟陆佰捌拾元零叁角贰分"),
        ("{{ 350000|wan }}万元", {}, "35.00万元"),
        ("{{ 350000|yuan }}", {}, "350,000.00"),
        ("{{ d|cn_date }}", {"d": dt.date(2026, 3, 5)}, "2026年3月5日"),
        ("{{ '2026-03-05'|cn_date_upper }}", {}, "二〇二六年三月五日"),
        ("{{ 计划.文号|wenhao }}", {"计划": {"文号": {"前缀": "科协调函改字", "年份": 2020, "序号": 3}}},
         "科协调函改字〔2020〕3号"),
        ("{{ '科协调函改字'|wenhao(2020, 3) }}", {}, "科协调函改字〔2020〕3号"),
        ("{% for r in rows|pad_rows(3) %}[{{ r.名称|default('') }}]{% endfor %}",
         {"rows": [{"名称": "甲"}]}, "[甲][][]"),
        ("{% for i in text|split_items %}{{ loop.index }}.{{ i }} {% endfor %}",
         {"text": "甲；乙\n丙"}, "1.甲 2.乙 3.丙 "),
        ("{% for p in 350000|installments(支付) %}{{ p.阶段 }}{{ p.比例 }}%={{ p.金额|yuan }};"
         "{% endfor %}", {"支付": SCHEDULE}, "首付70%=245,000.00;尾款30%=105,000.00;"),
        ("{% for p in 350000|installments(支付) %}{{ p.金额|rmb_upper }};{% endfor %}",
         {"支付": SCHEDULE}, "贰拾肆万伍仟元整;壹拾万伍仟元整;"),
    ],
)
def test_filters_in_sandbox(env, source, context, expected):
    assert env.from_string(source).render(**context) == expected


def test_filter_errors_reach_the_renderer(env):
    # The renderer catches ValueError and turns it into a TemplateError; the message is Chinese.
    with pytest.raises(ValueError, match="35万"):
        env.from_string("{{ '35万'|rmb_upper }}").render()
