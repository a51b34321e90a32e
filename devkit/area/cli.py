"""`decroche area import FILE` / `decroche area match TEXT...` / `decroche area bench`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from agent.area.ban import AreaFileError
from agent.area.index import ensure_index
from agent.area.service import area_settings, load_area
from agent.config import ConfigError, load_config


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="decroche area", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="index a BAN adresses file (CSV or .csv.gz) into SQLite")
    imp.add_argument("file", type=Path)
    imp.add_argument("--config", type=Path, help="TOML config (its data_dir keeps the index)")
    imp.add_argument("--force", action="store_true", help="rebuild even if the file is unchanged")
    match = sub.add_parser("match", help="match heard address(es) to the area; prints JSON")
    match.add_argument("text", nargs="+", help="Whisper hypotheses, best first")
    match.add_argument("--config", type=Path)
    match.add_argument("--town", help="the town already known")
    match.add_argument("--street-only", action="store_true", help="answer to 'quelle rue ?'")
    match.add_argument("--as-town", action="store_true", help="answer to 'quelle ville ?'")
    bench = sub.add_parser("bench", help="generate a BAN-like file, time its import and matching")
    bench.add_argument("--rows", type=int, default=1_000_000)
    bench.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        if args.command == "import":
            return _import(args.file, args.config, args.force)
        if args.command == "match":
            return _match(args)
        from devkit.area.bench import run_bench

        return run_bench(args.rows, args.dir)
    except (AreaFileError, ConfigError) as exc:
        print(f"decroche area: {exc}", file=sys.stderr)
        return 1


def _import(file: Path, config_path: Path | None, force: bool) -> int:
    config = load_config(config_path)
    settings = area_settings(config)
    cache = settings.cache_dir or (config.data_dir / "area")
    started = time.perf_counter()
    stats = ensure_index(file, cache, force=force)
    elapsed = time.perf_counter() - started
    state = "indexed" if stats.rebuilt else "already indexed (unchanged)"
    print(f"{file}: {state}: {stats.rows} addresses, {stats.streets} streets in {elapsed:.2f} s")
    print(f"index: {stats.path} ({stats.path.stat().st_size / 1e6:.1f} MB)")
    return 0


def _match(args: argparse.Namespace) -> int:
    area = load_area(load_config(args.config))
    if args.as_town:
        town = area.match_town(args.text)
        print(json.dumps(dataclasses.asdict(town) if town else None, ensure_ascii=False))
        return 0 if town else 3
    if args.street_only:
        found = area.match_street(args.text, args.town)
    else:
        found = area.match_address(args.text, args.town)
    out = None
    if found is not None:
        out = {**dataclasses.asdict(found), "street_line": found.street_line}
    print(json.dumps(out, ensure_ascii=False))
    return 0 if found else 3
