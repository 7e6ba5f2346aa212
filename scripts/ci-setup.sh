#!/usr/bin/env bash
# What the tests need beyond `npm ci`, installed as root on a CI machine (idempotent; a no-op
# where it is already there): Debian's Chromium for the browser tests (test/browser/).
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "ci-setup: not root; skipping system packages" >&2
  exit 0
fi
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
