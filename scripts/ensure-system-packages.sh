#!/usr/bin/env bash
# Install the Debian packages Liuhen needs, if they are missing. Usage: ensure-system-packages.sh run|test
# Runs apt-get as root (or through sudo); without either it prints what to install and stops.
set -euo pipefail
mode=${1:-run}
need=()

python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v python3 >/dev/null || need+=(python3)
# the CJK faces every issued PDF embeds (Noto Serif CJK SC stands in for 仿宋/小标宋, see docs/documents.md)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ "$mode" = test ]; then
  command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # a software PKCS#11 token standing in for an agency's HSM/UKey in the signing tests
  command -v softhsm2-util >/dev/null || need+=(softhsm2)
  # pdftotext reads back the watermark of copies (a standard tool a receiver would use too)
  command -v pdftotext >/dev/null || need+=(poppler-utils)
fi

[ ${#need[@]} -eq 0 ] && exit 0
echo "installing system packages: ${need[*]}"
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null; then
  SUDO="sudo"
else
  echo "please install as root: apt-get install ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
