#!/usr/bin/env bash
# Smoke test of the image against the sandbox Asterisk (`decroche pbx up`): the agent and the
# dashboard containers start read-only, without capabilities, as user decroche; the agent's
# /health says ARI is connected; one real SIP call is answered and greeted (the caller hears
# the agent) and counted in /metrics; the dashboard answers and lists that call.
#   flock /tmp/pbx.lock docker/smoke.sh        (from the project root, the sandbox up)
# ENGINE: the container command ("podman", "docker", or podman with options a host needs).
set -euo pipefail
ENGINE=${ENGINE:-podman}
IMAGE=${IMAGE:-localhost/decroche:latest}
RUN_OPTS=${RUN_OPTS:-}
METRICS_PORT=19464
DASH_PORT=18932
work=$(mktemp -d)
chmod 755 "$work"
cat > "$work/decroche.toml" <<TOML
[business]
name = "Plomberie du Conteneur"
trade = "plombier"
mobile = "+33612345678"
[store]
data_dir = "/var/lib/decroche"
[missed]
enabled = false
[metrics]
port = $METRICS_PORT
[dashboard]
port = $DASH_PORT
TOML
chmod 644 "$work/decroche.toml"
volume="decroche-smoke-$$"
common=(--network host --read-only --tmpfs /tmp --cap-drop ALL
        --security-opt no-new-privileges -v "$work/decroche.toml:/etc/decroche/decroche.toml:ro"
        -v "$volume:/var/lib/decroche")
cleanup() {
  $ENGINE rm -f "smoke-agent-$$" "smoke-dash-$$" >/dev/null 2>&1 || true
  $ENGINE volume rm -f "$volume" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck disable=SC2086
$ENGINE run -d --name "smoke-agent-$$" $RUN_OPTS "${common[@]}" "$IMAGE" \
  run --config /etc/decroche/decroche.toml --log-format json >/dev/null
# shellcheck disable=SC2086
$ENGINE run -d --name "smoke-dash-$$" $RUN_OPTS "${common[@]}" "$IMAGE" \
  dashboard --config /etc/decroche/decroche.toml --log-format json >/dev/null
.venv/bin/python - "$METRICS_PORT" "$DASH_PORT" <<'PY'
import asyncio, json, sys, time, urllib.request

from devkit.caller.caller import SipCaller

metrics_port, dash_port = sys.argv[1], sys.argv[2]

def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=3) as r:
            return r.status, r.read().decode()
    except OSError as exc:
        return getattr(exc, "code", 0) or 0, str(exc)

deadline = time.monotonic() + 120  # the agent loads Whisper and spaCy before ARI
while True:
    status, body = get(f"http://127.0.0.1:{metrics_port}/health")
    if status == 200:
        break
    if time.monotonic() > deadline:
        sys.exit(f"agent not healthy: {status} {body}")
    time.sleep(1)
print("health:", body)

async def call() -> float | None:
    caller = await SipCaller.dial("127.0.0.1", 15060, caller_id="0478000111")
    try:
        return await caller.wait_for_agent_turn(caller.answered_at, quiet_s=1.0)
    finally:
        await caller.hangup()

heard = asyncio.run(call())
assert heard is not None, "the caller heard nothing"
time.sleep(2)
_, text = get(f"http://127.0.0.1:{metrics_port}/metrics")
answered = [l for l in text.splitlines() if l.startswith("decroche_calls_answered_total")]
print("metrics:", answered)
assert answered == ["decroche_calls_answered_total 1.0"], answered
status, page = get(f"http://127.0.0.1:{dash_port}/calls")
assert status == 200, (status, page[:200])
print("dashboard /calls:", status, "lists the call:", "0478" in page or "04 78" in page)
PY
echo "agent logs (JSON, last 3 lines):"
$ENGINE logs "smoke-agent-$$" 2>&1 | tail -3
echo "smoke test: OK"
