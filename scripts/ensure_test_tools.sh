#!/usr/bin/env bash
# Tools the suite uses beside Python packages: docker-compose (validates the compose
# file without an engine), Chromium and its driver (the browser tests), a CJK font (the
# charts in appraisal reports: Chinese labels, not boxes). Installed from
# Debian's packages when missing and apt is available. The same font is embedded in the
# PDFs the intake tests build (tests/pdfs.py), which fail without it.
set -u
need=()
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing: ${need[*]} (install them to run the whole suite)" >&2
  exit 0
fi
echo "installing ${need[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null 2>&1
  apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || echo "could not install ${need[*]}" >&2
}
exit 0
