#!/usr/bin/env bash
# Set up, then run the main job on the bundled samples: the whole chain of every sample programme
# (scripts/chain.sh) — the 2026 试点 in samples/ and each folder of samples/programs/ that holds a
# program.yaml — each into outputs/<计划名称>/: 通知, blank and pre-filled 申报书, 形式审查 of the
# returned forms, 补正通知, review packets, filled score sheets → results.xlsx, 公示 and 任务书.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
programmes=(samples)
for folder in samples/programs/*/; do
  [ -f "$folder/program.yaml" ] && programmes+=("${folder%/}")
done
for folder in "${programmes[@]}"; do
  bash scripts/chain.sh "$folder"
done
echo "全部完成：${#programmes[@]} 个计划的文书在 outputs/<计划名称>/ 下（发给专家的评审包在其中 评审/评审包/，"
echo "      评审/办公室/ 留存，勿发给专家）。"
