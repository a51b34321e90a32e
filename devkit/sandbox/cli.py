"""`decroche pbx up|down|status|cli|render`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from agent.config import ConfigError, load_config
from agent.pbx.freepbx import write_freepbx
from agent.pbx.render import write_rendered
from devkit.sandbox.pbx import Sandbox, SandboxError


def main(argv: list[str]) -> int:
    # --config is accepted before or after the action (`pbx --config X up`, `pbx up --config X`);
    # SUPPRESS keeps a subcommand's unset option from overwriting the one given before it.
    config_option = argparse.ArgumentParser(add_help=False)
    config_option.add_argument("--config", type=Path, default=argparse.SUPPRESS,
                               help="decroche TOML config")  # fmt: skip
    parser = argparse.ArgumentParser(prog="decroche pbx", parents=[config_option])
    sub = parser.add_subparsers(dest="action", required=True)
    for name, help_ in (
        ("up", "install (once), render configs, start, wait for ARI"),
        ("down", "stop the sandbox Asterisk"),
        ("status", "installed? running? ARI answering? (JSON)"),
    ):
        sub.add_parser(name, help=help_, parents=[config_option])
    cli = sub.add_parser("cli", help="run an Asterisk CLI command, e.g. 'core show channels'",
                         parents=[config_option])  # fmt: skip
    cli.add_argument("command", nargs="+")
    render = sub.add_parser("render", help="render asterisk-conf/ + dialplan/ for production",
                            parents=[config_option])  # fmt: skip
    render.add_argument("target", type=Path, nargs="?", help="folder to write, e.g. /etc/asterisk")
    render.add_argument("--freepbx", type=Path, metavar="DIR",
                        help="write FreePBX's *_custom.conf files to DIR instead")  # fmt: skip
    render.add_argument("--ring-group", metavar="N",
                        help="FreePBX: fall back to ring group N (default: the mobile, then"
                        " voicemail)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.action == "render" and (args.target is None) == (args.freepbx is None):
        parser.error("render: give a target folder, or --freepbx DIR")
    if args.action == "render" and args.ring_group and not args.ring_group.isdigit():
        parser.error(f"--ring-group {args.ring_group!r}: a ring group number, e.g. 600")
    args.config = getattr(args, "config", None)
    try:
        config = load_config(args.config)
        sandbox = Sandbox(config)
        if args.action == "up":
            sandbox.start()
            print(f"decroche pbx: Asterisk {sandbox.ari_version()} ready, ARI on {config.ari.url}")
        elif args.action == "down":
            sandbox.stop()
            print("decroche pbx: stopped")
        elif args.action == "status":
            print(json.dumps(asdict(sandbox.status())))
        elif args.action == "cli":
            print(sandbox.cli(" ".join(args.command)), end="")
        elif args.freepbx is not None:
            for path in write_freepbx(config, args.freepbx, args.ring_group):
                print(path)
        else:
            for path in write_rendered(config, args.target, sandbox=False):
                print(path)
    except (ConfigError, SandboxError) as exc:
        print(f"decroche pbx: {exc}", file=sys.stderr)
        return 1
    return 0
