#!/usr/bin/env bash
# The browser test drives the machine's Chromium through playwright-core (no browser download). Makes
# sure one is installed, installing Debian's `chromium` package when it is missing and this user can,
# and otherwise exits non-zero with one clear sentence.
set -uo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0

if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "ensure-chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable; point it at a Chromium binary." >&2
  exit 1
fi

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "ensure-chromium: installing Debian's chromium package for the browser test"
  if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/tmp/ensure-chromium.log 2>&1 \
    || { apt-get update >>/tmp/ensure-chromium.log 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >>/tmp/ensure-chromium.log 2>&1; }; then
    [ -x "$CHROMIUM" ] && exit 0
  fi
  echo "ensure-chromium: apt-get could not install chromium (see /tmp/ensure-chromium.log)." >&2
  exit 1
fi

echo "ensure-chromium: no Chromium at $CHROMIUM; install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
