"""`decroche privacy export NUMBER [--out DIR]` and `decroche privacy delete NUMBER [--yes]`."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from pathlib import Path

from agent.config import Config, load_config
from agent.config_reader import ConfigError
from agent.privacy.actions import AUDIT_FILE, AuditLog, delete_subject, export_subject
from agent.privacy.records import Subject, find_subject, normal_number
from agent.store.db import MigrationError, connect
from nlp.phone_numbers import InvalidPhoneNumber

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decroche privacy",
        description="Export or erase all that concerns one phone number (calls, leads,"
        " transcripts, SMS, missed calls, recordings and clips). Each action is logged.",
    )
    parser.add_argument("--config", type=Path, help="decroche TOML file (default: sandbox)")
    actions = parser.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write data.json and the audio to a folder")
    export.add_argument("number")
    export.add_argument("--out", type=Path, default=Path("."), help="where (default: here)")
    delete = actions.add_parser("delete", help="erase rows and audio files for good")
    delete.add_argument("number")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return parser


def audit_log(config: Config) -> AuditLog:
    return AuditLog(config.data_dir / AUDIT_FILE)


def subject_of(conn: sqlite3.Connection, config: Config, number: str) -> Subject:
    return find_subject(conn, number, config.call.recordings_dir, config.base_dir)


def _summary(subject: Subject) -> str:
    counts = subject.counts()
    return (
        f"{counts['calls']} appel(s), {counts['leads']} demande(s), {counts['sms']} SMS,"
        f" {counts['missed_calls']} appel(s) manqué(s), {counts['webhook_queue']}"
        f" notification(s) webhook, {counts['files']} fichier(s) audio"
    )


def _confirmed(subject: Subject, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print("decroche privacy: add --yes to delete without a terminal", file=sys.stderr)
        return False
    answer = input(f"Supprimer définitivement {_summary(subject)} ? [o/N] ")
    return answer.strip().lower() in ("o", "oui", "y", "yes")


def _run(args: argparse.Namespace, config: Config, number: str) -> int:
    conn = connect(config.database)
    try:
        subject = subject_of(conn, config, number)
        print(f"{number} : {_summary(subject)}")
        if args.action == "export":
            folder = export_subject(subject, args.out, audit_log(config))
            print(f"exporté dans {folder}")
            return 0
        if subject.empty:
            audit_log(config).record("delete", number, "cli", subject.counts())
            return 0
        if not _confirmed(subject, args.yes):
            return 1
        deleted = delete_subject(conn, subject, audit_log(config))
        print(f"supprimé : {deleted.rows}, {deleted.files} fichier(s)")
        return 0
    finally:
        conn.close()


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        config = load_config(args.config, require_business=args.config is not None)
        number = normal_number(args.number)
    except (ConfigError, InvalidPhoneNumber) as exc:
        print(f"decroche privacy: {exc}", file=sys.stderr)
        return 2
    try:
        return _run(args, config, number)
    except (OSError, sqlite3.Error, MigrationError) as exc:
        print(f"decroche privacy: {exc}", file=sys.stderr)
        return 1
