#!/usr/bin/env bash
# Install what kexie needs on a Debian machine (as root), only what is missing:
# LibreOffice Writer (headless), CJK fonts, poppler-utils, and a virtualenv with the package.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -q "Noto Serif CJK SC" || need_apt+=(fonts-noto-cjk)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need_apt+=(fonts-wqy-zenhei)  # TrueType CJK for reportlab (packets)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-venv python3-pip)
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then need_apt+=(python3-venv); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "安装系统软件包：${need_apt[*]}"
  if [ "$(id -u)" != 0 ]; then echo "需要 root 权限安装系统软件包" >&2; exit 2; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fontconfig >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.kexie-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi
echo "环境就绪：$(.venv/bin/kexie --version)"
