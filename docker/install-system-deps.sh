#!/usr/bin/env bash
# Installs the Debian packages decroche drives: debootstrap (sandbox Asterisk), sip-tester
# (sipp: real SIP calls in tests, demo and bench), sox and espeak-ng (test audio), caddy
# (TLS reverse proxy in front of the dashboard; `decroche dashboard caddyfile`), chromium and
# chromium-driver (the dashboard's browser tests drive them with selenium; nothing downloaded).
set -euo pipefail
packages=(debootstrap sip-tester sox libsox-fmt-all espeak-ng ca-certificates caddy chromium
  chromium-driver)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "decroche: apt-get not found; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "decroche: need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi
echo "decroche: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
