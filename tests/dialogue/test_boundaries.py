"""The dialogue is pure logic: importing it must not pull in the network or ARI layers."""

from __future__ import annotations

import subprocess
import sys


def test_dialogue_imports_no_network_code():
    code = (
        "import sys, agent.dialogue, agent.leads, agent.sms, agent.sms.outbox;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'aiohttp'"
        " or m.startswith(('agent.ari', 'agent.call', 'agent.sms.providers',"
        " 'agent.leads.webhook')));"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
