#!/usr/bin/env bash
# Set up, then run the main job on the bundled samples into outputs/:
# the notice, the blank form, 任务书 and 公示 from the roster; 形式审查 of the returned forms
# in samples/returned/ with Excel/HTML/JSON reports; review packets for the experts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
K=.venv/bin/kexie
P=samples/program.yaml
# exit status 1 means "done, but some items need attention" (listed in the output and reports)
attention_ok() { "$@" || [ $? -eq 1 ]; }

$K fill 通知 --program $P --out outputs/通知 --pdf
$K fill 申报书 --out outputs/空白申报书 --pdf
$K fill 任务书 --data samples/roster.xlsx --program $P --out outputs/任务书 --pdf
$K fill 公示 --data samples/roster.xlsx --program $P --out outputs/公示 --pdf
attention_ok $K validate samples/returned --program $P --db outputs/kexie.sqlite \
  --report outputs/形式审查/形式审查.xlsx --report outputs/形式审查/形式审查.html --report outputs/形式审查/形式审查.json
attention_ok $K notice outputs/形式审查/形式审查.json --program $P --db outputs/kexie.sqlite --out outputs/补正通知 --date 2026-09-29
attention_ok $K packet outputs/形式审查/形式审查.json --experts samples/experts.xlsx --program $P --out outputs/评审
echo "完成：文书在 outputs/ 下；形式审查报告见 outputs/形式审查/，补正通知见 outputs/补正通知/；发给专家的评审包见 outputs/评审/评审包/，"
echo "      分配表和 manifest.json 见 outputs/评审/办公室/（留存，勿发给专家）。"
