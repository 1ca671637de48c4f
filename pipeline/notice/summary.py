"""The office's table of a notice run (Excel): who was notified of what and by when, who waits for
a person's check, who had nothing to correct or could not be read."""

from __future__ import annotations

from ..xlsx import STATUS_FILLS, add_table, new_book, to_bytes

#: the colour of each standing, as the 形式审查 report colours statuses
_FILLS = {"notify": STATUS_FILLS["incomplete"], "waiting": STATUS_FILLS["review"], "failed": STATUS_FILLS["error"],
          "unreadable": STATUS_FILLS["error"], "complete": STATUS_FILLS["complete"],
          "superseded": STATUS_FILLS["complete"]}
_ORDER = ("waiting", "failed", "notify", "unreadable", "complete", "superseded")


def summary_workbook(rows: list[dict], standings_text: dict[str, str]) -> bytes:
    """The workbook: a sheet of files, a sheet of every defect notified."""
    rows = sorted(rows, key=lambda r: (_ORDER.index(r["state"]), r["单位"]))
    book = new_book()
    header = ["单位", "文件", "情况", "问题数", "问题", "补正截止", "通知文件", "说明"]
    table = [[r["单位"], r["文件"], standings_text[r["state"]], len(r["defects"]) or None,
              "\n".join(f"{i}. {d.words}：{d.wrong}" for i, d in enumerate(r["defects"], start=1)),
              r["截止"], r["通知"], r["说明"]] for r in rows]
    add_table(book, "补正通知", header, table,
              widths={"单位": 28, "文件": 36, "情况": 18, "问题数": 8, "问题": 60, "补正截止": 14, "通知文件": 40,
                      "说明": 50},
              wrap=("问题", "说明"), row_style=lambda i, _row: {"情况": _FILLS[rows[i]["state"]]})
    defects = [[r["单位"], r["文件"], i, d.page, d.words, d.wrong, d.write]
               for r in rows if r["state"] == "notify" for i, d in enumerate(r["defects"], start=1)]
    add_table(book, "问题清单", ["单位", "文件", "序号", "页码", "栏目", "存在问题", "填写要求"], defects,
              widths=[28, 36, 6, 6, 30, 40, 40], wrap=("存在问题", "填写要求"))
    return to_bytes(book)
