#!/usr/bin/env bash
# Set up, then run the main job on the bundled samples into outputs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
K=.venv/bin/kexie
P=samples/program.yaml
$K fill 通知 --program $P --out outputs/通知 --pdf
$K fill 申报书 --out outputs/空白申报书 --pdf
$K fill 任务书 --data samples/roster.xlsx --program $P --out outputs/任务书 --pdf
$K fill 公示 --data samples/roster.xlsx --program $P --out outputs/公示 --pdf
echo "完成：文书在 outputs/ 下。"
