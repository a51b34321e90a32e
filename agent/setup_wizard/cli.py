"""`decroche init [--config FILE] [--force] [--non-interactive] [--business ... ]`.

Asks what it was not given on the command line, writes the TOML (never over an existing file
without --force), and loads it back through the real config loader before putting it in place:
a file that would not start the agent is never left behind.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from agent.config import ConfigError, load_config
from agent.setup_wizard.source import InitError, Source
from agent.setup_wizard.wizard import ask_all, render

DEFAULT_PATH = Path("/etc/decroche/decroche.toml")
# flag -> help; each is also the answer's key in the Source (argparse dest: dashes -> _).
FLAGS = {
    "business": "business name",
    "trade": "trade (plombier, serrurier, ...)",
    "mobile": "the artisan's mobile (06..., 07..., +336...)",
    "hours": "opening hours, e.g. 'mon-fri 08:00-18:00; sat 09:00-12:00'",
    "towns": "towns served, comma-separated",
    "trunk-registrar": "operator SIP registrar host[:port], or 'none'",
    "trunk-user": "SIP username",
    "trunk-password": "SIP password",
    "sms": "SMS provider: local | ovh | twilio",
    "ovh-application-key": "OVH application key",
    "ovh-application-secret": "OVH application secret",
    "ovh-consumer-key": "OVH consumer key",
    "ovh-service-name": "OVH SMS account (sms-xx12345-1)",
    "twilio-account-sid": "Twilio account SID",
    "twilio-auth-token": "Twilio auth token",
    "twilio-from": "Twilio sending number",
    "ari-url": "Asterisk ARI URL (default http://127.0.0.1:8088)",
    "ari-password": "ARI password (default: a random one)",
    "data-dir": "data folder (default /var/lib/decroche)",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decroche init", description="write a first decroche config, question by question"
    )
    parser.add_argument("--config", type=Path, default=DEFAULT_PATH, help=f"default {DEFAULT_PATH}")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument(
        "--non-interactive", action="store_true", help="ask nothing: flags or defaults only"
    )
    for flag, help_ in FLAGS.items():
        parser.add_argument(f"--{flag}", help=help_)
    return parser


def write_config(path: Path, text: str) -> None:
    """Write beside the target, prove it loads, then rename into place (0600: it holds
    passwords). The temp file is removed whatever happens."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".decroche-init-", suffix=".toml", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        load_config(temp, require_business=True)
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    path: Path = args.config
    if path.exists() and not args.force:
        print(f"decroche init: {path} exists; use --force to replace it", file=sys.stderr)
        return 2
    flags = {flag: getattr(args, flag.replace("-", "_")) for flag in FLAGS}
    source = Source(flags, interactive=not args.non_interactive)
    try:
        text = render(ask_all(source))
        write_config(path, text)
    except InitError as exc:
        print(f"decroche init: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:  # the answers passed but the loader refused: a bug here
        print(f"decroche init: the written config does not load: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}; next: decroche doctor --config {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
