#!/usr/bin/env bash
# Chromium and a Chinese font from Debian's packages, for the report test (tests/test_report.py),
# installed when missing. Called by .ci/run and by the test itself; needs root (apt-get).
set -euo pipefail
have_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; }
if command -v chromium >/dev/null && have_font; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
pkgs=(chromium fonts-wqy-zenhei)
apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null; }
command -v chromium >/dev/null && have_font
