#!/usr/bin/env bash
# The whole chain of one programme folder into outputs/<计划名称>/:
#   fill 通知 → fill 申报书 (blank, and pre-filled from the roster) → validate the returned forms →
#   补正通知 → review packets → the experts' score sheets filled (tools/fill_score_sheets.py) →
#   scores (results.xlsx) → announce (公示) → 任务书 or 责任书 from results.xlsx.
# The folder holds program.yaml, roster.xlsx and experts.xlsx (written by tools/make_samples.py
# --programme when missing) and optionally returned/ (the forms the units sent back); without
# returned/, the packets are made of the pre-filled forms, as if each unit had sent its own back.
#   bash scripts/chain.sh samples          # the 2026 试点 (seed 004)
#   bash scripts/chain.sh samples/programs/益阳学会服务能力提升计划
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:?用法：bash scripts/chain.sh 计划目录（含 program.yaml）}
PY=.venv/bin/python
K=.venv/bin/kexie
P=$DIR/program.yaml
# exit status 1 means "done, but some items need attention" (listed in the output and reports)
attention_ok() { "$@" || [ $? -eq 1 ]; }

[ -f "$DIR/roster.xlsx" ] && [ -f "$DIR/experts.xlsx" ] || $PY tools/make_samples.py --programme "$DIR"
# the programme's 名称 names its output folder; 形式审查 and 补正通知 are dated its 申报截止日
# and its agreement is a 任务书 or a 责任书 (计划文件「协议.名称」)
# (the agreements are dated the first day of the project period)
read -r NAME DEADLINE AGREEMENT START < <($PY -c 'import sys
from pipeline.naming import safe_filename
from pipeline.program import load_program
p = load_program(sys.argv[1])
print(safe_filename(str(p["名称"])), p["日期"]["截止"], (p.get("协议") or {}).get("名称") or "任务书",
      (p.get("试点期间") or {}).get("开始") or p["日期"]["截止"])' "$P")
O=outputs/$NAME
DB=$O/kexie.sqlite
echo "== $NAME（$DIR）→ $O"

$K fill 通知 --program "$P" --out "$O/通知" --pdf
$K fill 申报书 --out "$O/空白申报书" --pdf
$K fill 申报书 --data "$DIR/roster.xlsx" --out "$O/预填申报书" --pdf
if [ -d "$DIR/returned" ]; then
  attention_ok $K validate "$DIR/returned" --program "$P" --db "$DB" \
    --report "$O/形式审查/形式审查.xlsx" --report "$O/形式审查/形式审查.html" --report "$O/形式审查/形式审查.json"
  $K record 形式审查 --data "$O/形式审查/形式审查.json" --date "$DEADLINE" --program "$P" --db "$DB"
  attention_ok $K notice "$O/形式审查/形式审查.json" --program "$P" --db "$DB" --out "$O/补正通知" --date "$DEADLINE"
  attention_ok $K packet "$O/形式审查/形式审查.json" --experts "$DIR/experts.xlsx" --program "$P" --db "$DB" --out "$O/评审"
else
  echo "（$DIR 中没有 returned/：以预填的申报书作为交回的材料组织评审）"
  attention_ok $K packet "$O/预填申报书" --experts "$DIR/experts.xlsx" --program "$P" --db "$DB" --out "$O/评审"
fi
# the experts' returned sheets: copies of the packet's, filled (the packet's own stay as written,
# so that the next run's packet may replace them)
$K record 评审 --data "$O/评审/办公室/manifest.json" --program "$P" --db "$DB"
$PY tools/fill_score_sheets.py "$O/评审" --seed 1 --out "$O/评审/回收评分表"
$K scores "$O/评审/回收评分表" --program "$P" --roster "$DIR/roster.xlsx" --db "$DB" --out "$O/results.xlsx"
$K announce "$O/results.xlsx" --program "$P" --out "$O/公示"
$K fill "$AGREEMENT" --data "$O/results.xlsx" --program "$P" --out "$O/$AGREEMENT" --pdf
# the project ledger (kexie status): what is recorded so far, the agreements signed
$K record 任务书 --data "$O/results.xlsx" --date "$START" --program "$P" --db "$DB"
$K status --program "$P" --db "$DB" --date "$START" --out "$O/项目台账.xlsx" >/dev/null
reviewed="评审包（评审/评审包/ 发给专家，评审/办公室/ 留存）"
[ -d "$DIR/returned" ] && reviewed="形式审查报告（形式审查/）、补正通知、$reviewed"
echo "完成：$O —— 通知、空白和预填的申报书、$reviewed、评分结果 results.xlsx、公示、$AGREEMENT、项目台账.xlsx。"
