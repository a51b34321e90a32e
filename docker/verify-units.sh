#!/usr/bin/env bash
# Checks the systemd units without installing them or needing systemd as PID 1 (a container,
# a CI box): `systemd-analyze verify` in a scratch root holding the units, the distribution's
# own units (targets they name) and a stand-in ExecStart, then `systemd-analyze security`
# offline (`verify-units.sh [DIR]`, default: this folder). Any verify message (an unknown
# key, a typo in a value) fails. Prints the scores.
set -euo pipefail
here=${1:-$(cd "$(dirname "$0")" && pwd)}  # the folder holding the units
units=(decroche.service decroche-dashboard.service)
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found (apt-get install systemd)" >&2; exit 2; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/opt/decroche/.venv/bin" "$root/etc/systemd/system" "$root/usr/lib/systemd"
printf '#!/bin/sh\n' > "$root/opt/decroche/.venv/bin/decroche"
chmod +x "$root/opt/decroche/.venv/bin/decroche"
cp -r /lib/systemd/system "$root/usr/lib/systemd/"
for unit in "${units[@]}"; do cp "$here/$unit" "$root/etc/systemd/system/"; done
paths=("${units[@]/#//etc/systemd/system/}")
messages=$(systemd-analyze --root="$root" verify "${paths[@]}" 2>&1 || true)
if [ -n "$messages" ]; then echo "$messages" >&2; exit 1; fi
echo "verify: ${units[*]} OK"
for unit in "${units[@]}"; do
  systemd-analyze --offline=true --root="$root" security "/etc/systemd/system/$unit" 2>&1 \
    | grep "Overall exposure" | sed 's/^→ //'
done
