"""Where each answer comes from: its flag when given, else the installer at the prompt, else
(--non-interactive) its default, or an error naming the missing flag.

A wrong flag value is an error (a script must not silently get something else); a wrong typed
answer is explained and asked again. End of input at a prompt aborts: no half config is
written.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO, TypeVar

from agent.setup_wizard.answers import AnswerError

T = TypeVar("T")


class InitError(Exception):
    """`decroche init` cannot go on: a flag is wrong or missing, or the input ended."""


@dataclass
class Source:
    flags: Mapping[str, str | None]
    interactive: bool = True
    read: Callable[[str], str] | None = None  # None: input() (getpass for secrets on a tty)
    out: TextIO = field(default_factory=lambda: sys.stdout)

    def get(
        self,
        flag: str,
        prompt: str,
        parse: Callable[[str], T],
        default: str | None = None,
        *,
        secret: bool = False,
    ) -> T:
        """The flag's value, the typed answer, or the default, parsed by `parse`."""
        given = self.flags.get(flag)
        if given is not None:
            try:
                return parse(given)
            except AnswerError as exc:
                raise InitError(f"--{flag}: {exc}") from None
        if not self.interactive:
            if default is None:
                raise InitError(f"--{flag} is required with --non-interactive")
            return parse(default)
        return self._ask(prompt, parse, default, secret)

    def _ask(self, prompt: str, parse: Callable[[str], T], default: str | None, secret: bool) -> T:
        shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
        while True:
            raw = self._read(shown, secret)
            if not raw.strip() and default is not None:
                raw = default
            try:
                return parse(raw)
            except AnswerError as exc:
                print(f"  ! {exc}", file=self.out, flush=True)

    def _read(self, shown: str, secret: bool) -> str:
        try:
            if self.read is not None:
                return self.read(shown)
            if secret and sys.stdin.isatty():
                return getpass.getpass(shown)
            print(shown, end="", file=self.out, flush=True)
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line.rstrip("\n")
        except (EOFError, KeyboardInterrupt):
            print(file=self.out)
            raise InitError("input ended before the last question: nothing written") from None
