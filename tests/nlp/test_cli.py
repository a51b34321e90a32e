import io
import json
import subprocess
import sys
from typing import Any

from nlp import Understander
from nlp.cli import run


def _run(
    nlu: Understander, lines: list[str], explain: bool = False
) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    rc = run(nlu, "plombier", explain, io.StringIO("\n".join(lines) + "\n"), out, err)
    return rc, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_lines_are_understood(nlu):
    rc, rows, err = _run(nlu, ['{"text": "ça fuit sous l\'évier de la cuisine ça coule partout"}'])
    assert rc == 0 and err == ""
    assert set(rows[0]) == {
        "urgent",
        "category",
        "confidence",
        "name",
        "street",
        "postcode",
        "city",
        "phone",
        "summary",
    }
    assert rows[0]["urgent"] is True


def test_bad_lines_are_reported_and_skipped(nlu):
    lines = [
        "pas du json",
        '{"text": ""}',
        '{"text": "ça sent le gaz", "trade": "boulanger"}',
        '["text"]',
        '{"text": "dupont jean-pierre", "expecting": "name"}',
    ]
    rc, rows, err = _run(nlu, lines, explain=True)
    assert rc == 1
    assert len(rows) == 1 and rows[0]["name"] == "Jean-Pierre Dupont" and rows[0]["reasons"]
    assert "line 1: not JSON" in err
    assert 'line 2: "text" is missing or empty' in err
    assert "line 3: unknown trade 'boulanger'" in err
    assert "line 4:" in err


def test_decroche_nlu_command():
    proc = subprocess.run(
        [sys.executable, "-m", "agent.cli", "nlu", "--trade", "serrurier", "--towns", "Lyon"],
        input='{"text": "j\'ai claqué la porte mes clés sont dedans"}\n',
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["category"] == "porte_claquee"


def test_unknown_trade_option():
    proc = subprocess.run(
        [sys.executable, "-m", "nlp.cli", "--trade", "boulanger", "--towns", ""],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2 and "unknown trade" in proc.stderr
