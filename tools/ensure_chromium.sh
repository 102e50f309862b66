#!/usr/bin/env bash
# Install Debian's Chromium for the real-browser tests when it is missing.
# Never downloads a browser build of its own; if apt cannot install it, the browser
# tests are skipped with a loud message (see tests/conftest.py).
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
    || echo "WARNING: could not install chromium; browser tests will be skipped"
else
  echo "WARNING: /usr/bin/chromium missing and cannot apt-get install it; browser tests will be skipped"
fi
exit 0
