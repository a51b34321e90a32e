"""Search and pages shared by the dashboard's lists (leads, calls, SMS).

- `fold`: lower case without accents, registered in SQLite so that 'helene' finds 'Hélène'
  (SQLite's LIKE folds ASCII only);
- `number_patterns`: '06 12 34' is searched as typed and as stored (E.164, '+33612 34...');
- `page_of`: one page of a query and the total from a single scan (a window count).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

__all__ = [
    "MAX_QUERY",
    "MAX_WORDS",
    "PAGE_SIZE",
    "ListFilter",
    "Slice",
    "fold",
    "like",
    "number_match",
    "number_patterns",
    "page_number",
    "page_of",
    "search_text",
    "words",
    "words_match",
]

PAGE_SIZE = 20  # rows per page on every list: a phone screen or two, then "suivantes"
MAX_QUERY = 100  # longer search text is cut (it never names a lead)
MAX_WORDS = 6

_MARKS = re.compile("[\u0300-\u036f]")  # the combining accents of Latin letters, once split


def fold(text: object) -> str:
    """Lower case without accents, for search ('Hélène' -> 'helene'); None -> ''.

    Called by SQLite once per row searched: plain ASCII (most rows) takes the fast path."""
    if not isinstance(text, str):
        return ""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def like(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') finding `text` anywhere."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def words(text: str) -> list[str]:
    """The folded words of a search text (at most MAX_WORDS)."""
    return fold(text).split()[:MAX_WORDS]


def number_patterns(text: str) -> list[str]:
    """'06 12 34' matches '+33612 34...' as stored (E.164): both spellings are searched."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 2 or len(digits) * 2 < len(text.replace(" ", "").replace(".", "")):
        return []  # mostly letters: a name or a town, not a number
    found = [digits]
    if digits.startswith("0") and len(digits) > 1:
        found.append("+33" + digits[1:])
    return found


def number_match(columns: Sequence[str], numbers: Sequence[str]) -> tuple[str, list[object]]:
    """Any of `numbers` in any of `columns`, spaces ignored (as typed or as stored)."""
    tests = [f"replace({c}, ' ', '') LIKE ? ESCAPE '\\'" for c in columns for _ in numbers]
    return "(" + " OR ".join(tests) + ")", [like(n) for _ in columns for n in numbers]


def words_match(expr: str, found: Sequence[str]) -> tuple[str, list[object]]:
    """Each word somewhere in the folded text `expr` (SQL), in any order; no words: all."""
    if not found:
        return "1", []
    return "(" + " AND ".join([f"{expr} LIKE ? ESCAPE '\\'"] * len(found)) + ")", [
        like(w) for w in found
    ]


def search_text(text: str | None) -> str:
    """A search box's text, spaces folded and cut to MAX_QUERY."""
    return " ".join((text or "")[:MAX_QUERY].split())


def page_number(raw: str | None) -> int:
    """A page asked in a URL (1..); anything unreadable is the first page."""
    return max(1, int(raw)) if raw and raw.isdigit() and len(raw) < 7 else 1


@dataclass(frozen=True)
class ListFilter:
    """What the calls and SMS lists ask for: a search text (number or name) and a page."""

    text: str = ""
    page: int = 1

    @classmethod
    def parse(cls, text: str | None, page: str | None) -> ListFilter:
        """Unknown values mean "no filter" (a hand-edited URL never errors)."""
        return cls(search_text(text), page_number(page))

    def query(self, page: int | None = None) -> str:
        """The URL query for this search (and another page), for links and forms."""
        pairs = [("q", self.text), ("page", str(page or self.page))]
        return urlencode([(k, v) for k, v in pairs if v and (k, v) != ("page", "1")])


@dataclass(frozen=True)
class Slice:
    """One page of a list: its rows, the total matching, the page shown and how many."""

    rows: list[sqlite3.Row]
    total: int
    page: int
    pages: int


def page_of(
    conn: sqlite3.Connection,
    select: str,
    source: str,
    order: str,
    args: Sequence[object],
    page: int,
    size: int = PAGE_SIZE,
) -> Slice:
    """`SELECT {select} FROM {source} ORDER BY {order}`, the page asked (1..) or the last one
    when it is past the end; `source` holds the table and its WHERE, `args` its parameters.

    One scan gives both the page and the total (a window count), so a search folds each row
    once rather than twice."""
    sql = (
        f"SELECT {select}, COUNT(*) OVER () AS total_rows FROM {source}"
        f" ORDER BY {order} LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, (*args, size, (page - 1) * size)).fetchall()
    if rows:
        total = int(rows[0]["total_rows"])
    else:  # past the last page (or nothing matches): count, then show the last page
        total = int(conn.execute(f"SELECT COUNT(*) FROM {source}", args).fetchone()[0])
        page = max(1, -(-total // size))
        rows = conn.execute(sql, (*args, size, (page - 1) * size)).fetchall()
    return Slice(rows, total, page, max(1, -(-total // size)))
