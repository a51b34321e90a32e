"""BAN adresses files indexed into SQLite: formats, errors naming the line, the cache."""

from __future__ import annotations

import gzip
import os
import sqlite3
from pathlib import Path

import pytest

from agent.area.ban import AreaFileError, read_ban
from agent.area.index import ensure_index
from devkit.area.bench import generate_ban

HEADER = "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat"
ROWS = [
    ";;12;;Rue Garibaldi;69003;69383;Lyon 3e Arrondissement;4.85;45.76",
    ";;12;bis;Rue Garibaldi;69003;69383;Lyon 3e Arrondissement;4.85;45.76",
    ";;3;;Rue Garibaldi;69003;69383;Lyon 3e Arrondissement;4.85;45.76",
    ";;1;;Avenue Jean Jaurès;69200;69259;Vénissieux;4.88;45.70",
]


def write(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def streets(db: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name, postcode, town, numbers FROM streets ORDER BY name")
        return [tuple(r) for r in rows]


def test_plain_file_groups_numbers_per_street(tmp_path: Path) -> None:
    stats = ensure_index(write(tmp_path / "a.csv", ROWS), tmp_path / "cache")
    assert (stats.rows, stats.streets, stats.rebuilt) == (4, 2, True)
    assert streets(stats.path) == [
        ("Avenue Jean Jaurès", "69200", "Vénissieux", "1"),
        # arrondissement folded into the city; numbers sorted numerically, rep kept
        ("Rue Garibaldi", "69003", "Lyon", "3 12 12bis"),
    ]


def test_gzip_file_is_read_and_columns_found_by_name(tmp_path: Path) -> None:
    # Columns in another order than BAN's: the header decides.
    header = "nom_commune;code_postal;nom_voie;rep;numero"
    body = "Bron;69500;Avenue Franklin Roosevelt;;7\nBron;69500;Avenue Franklin Roosevelt;ter;7\n"
    path = tmp_path / "b.csv.gz"
    path.write_bytes(gzip.compress((header + "\n" + body).encode()))
    stats = ensure_index(path, tmp_path / "cache")
    assert streets(stats.path) == [("Avenue Franklin Roosevelt", "69500", "Bron", "7 7ter")]


def test_bom_and_blank_lines_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER + "\n" + ROWS[0] + "\n\n").encode())
    assert [r.street for r in read_ban(path)] == ["Rue Garibaldi"]


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [
        ([ROWS[0], ";;5;;Rue Garibaldi;69003"], 3, "6 columns, the header has 10"),
        ([ROWS[0], ROWS[1], ";;x;;Rue Garibaldi;69003;69383;Lyon;4.8;45.7"], 4, "bad numero"),
        ([";;4;;;69003;69383;Lyon;4.8;45.7"], 2, "empty nom_voie"),
    ],
)
def test_malformed_line_is_named(tmp_path: Path, lines: list[str], line: int, words: str) -> None:
    path = write(tmp_path / "bad.csv", lines)
    with pytest.raises(AreaFileError) as err:
        ensure_index(path, tmp_path / "cache")
    assert err.value.line == line
    assert f"bad.csv:{line}:" in str(err.value) and words in str(err.value)


def test_missing_header_column(tmp_path: Path) -> None:
    path = write(tmp_path / "h.csv", [";;1;Rue A;69003"], header="id;id_fantoir;numero;nom_voie;cp")
    with pytest.raises(AreaFileError, match=r"h\.csv:1: header lacks column\(s\) rep, code_postal"):
        ensure_index(path, tmp_path / "cache")


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    body = HEADER + "\n" + ROWS[0] + "\n;;2;;Rue de la République;69002;69382;Lyon;4.8;45.7\n"
    path.write_bytes(body.encode("latin-1"))
    with pytest.raises(AreaFileError, match=r"latin1\.csv:3: not UTF-8"):
        ensure_index(path, tmp_path / "cache")


def test_missing_and_corrupt_gzip_files(tmp_path: Path) -> None:
    with pytest.raises(AreaFileError, match="cannot open"):
        ensure_index(tmp_path / "nope.csv", tmp_path / "cache")
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress((HEADER + "\n" + ROWS[0] + "\n").encode())[:-12])
    with pytest.raises(AreaFileError, match=r"broken\.csv\.gz"):
        ensure_index(broken, tmp_path / "cache")


def test_index_is_reused_then_rebuilt_when_the_file_changes(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", ROWS)
    first = ensure_index(path, tmp_path / "cache")
    again = ensure_index(path, tmp_path / "cache")
    assert first.rebuilt and not again.rebuilt and again.path == first.path
    assert again.streets == 2 and again.rows == 4

    write(path, [*ROWS, ";;9;;Rue Servient;69003;69383;Lyon 3e Arrondissement;4.8;45.7"])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, first.path.stat().st_mtime_ns + 10**9))
    changed = ensure_index(path, tmp_path / "cache")
    assert changed.rebuilt and changed.streets == 3
    assert ("Rue Servient", "69003", "Lyon", "9") in streets(changed.path)


def test_a_failed_rebuild_keeps_no_half_index(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", [*ROWS, "broken;line"])
    with pytest.raises(AreaFileError):
        ensure_index(path, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_generated_file_of_50k_rows(tmp_path: Path) -> None:
    source = tmp_path / "ban.csv"
    written = generate_ban(source, 50_000)
    stats = ensure_index(source, tmp_path / "cache")
    assert stats.rows == 50_000 and stats.streets == written
    with sqlite3.connect(stats.path) as conn:
        (total,) = conn.execute(
            "SELECT sum(length(numbers) - length(replace(numbers, ' ', '')) + 1) FROM streets"
        ).fetchone()
    assert total == 50_000  # every house number of the file, once
