#!/usr/bin/env bash
# Makes the webgpu device's tests runnable on a machine without a GPU: Mesa's lavapipe (a
# Vulkan driver running on the CPU) for Dawn, the WebGPU implementation in the optional
# `webgpu` npm package. Debian 12's own Mesa is too old for Dawn; bookworm-backports' works.
# Idempotent. The apt step needs root and runs only when lavapipe is missing; elsewhere
# (not Debian, no root) it says what is missing and exits 0 — the tests then skip the webgpu
# files with that reason, unless CI_REQUIRE_WEBGPU=1 makes them fail.
# Prints the environment to use:  eval "$(bash scripts/setup-webgpu.sh)"
# (test/setup-webgpu.ts finds the ICD file the same way, so `npm test` needs no eval.)
set -euo pipefail
find_icd() {
  for f in /usr/share/vulkan/icd.d/lvp_icd.*json; do [ -f "$f" ] && { echo "$f"; return; }; done
  return 1
}
if ! find_icd >/dev/null || ! dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q bpo; then
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && grep -q '^12' /etc/debian_version; then
    bpo=/etc/apt/sources.list.d/bookworm-backports.sources
    if [ ! -f "$bpo" ] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d; then
      uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
      printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "${uri:-http://deb.debian.org/debian}" >"$bpo"
    fi
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null
  else
    echo "setup-webgpu: lavapipe (bookworm-backports mesa-vulkan-drivers) is not installed and cannot be installed here (needs root on Debian 12)" >&2
    exit 0
  fi
fi
icd=$(find_icd)
mkdir -p /tmp/xdg-runtime && chmod 700 /tmp/xdg-runtime
echo "export VK_ICD_FILENAMES=$icd XDG_RUNTIME_DIR=/tmp/xdg-runtime"
