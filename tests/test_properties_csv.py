"""Property tests for the CSV/TSV writer: any text round-trips, and no text cell is armed.

For random rows of random unicode (quotes, separators, \\r, \\n and tabs included; NUL
excluded, which the csv module cannot write), the written file parses back with the csv
module to the same rows and columns; each cell is the input, with a leading ``'`` only
where the input started with one of OWASP's formula characters; and with ``raw=True`` it
round-trips exactly.
"""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from trucewatch.export.writers import write_csv

# Written out here rather than imported from the code under test.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
) | st.sampled_from(["=1+1", "\t=1+1", "\r=1+1", "-2+3", "@SUM(A1)", "+1", "'=x", '"=1"', "a,=b", "x\r\n=y"])
tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda width: st.lists(st.lists(cell_text, min_size=width, max_size=width), max_size=8).map(
        lambda rows: (width, rows)))


def _write(width: int, rows: list[list[str]], *, raw: bool, delimiter: str) -> list[list[str]]:
    columns = tuple(f"c{i}" for i in range(width))
    buf = io.StringIO(newline="")
    count = write_csv(iter([dict(zip(columns, row)) for row in rows]), buf, columns, raw=raw, delimiter=delimiter)
    assert count == len(rows)
    header, *parsed = list(csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter=delimiter))
    assert header == list(columns)
    return parsed


@settings(max_examples=300, deadline=None)
@given(tables, st.sampled_from([",", "\t"]))
def test_neutralised_cells_round_trip_and_are_never_armed(table: tuple[int, list[list[str]]], delimiter: str) -> None:
    width, rows = table
    parsed = _write(width, rows, raw=False, delimiter=delimiter)
    assert len(parsed) == len(rows)
    for written, given_row in zip(parsed, rows):
        assert len(written) == width
        for cell, original in zip(written, given_row):
            assert not cell.startswith(FORMULA_START)
            if original.startswith(FORMULA_START):
                assert cell == "'" + original
            else:
                assert cell == original


@settings(max_examples=300, deadline=None)
@given(tables, st.sampled_from([",", "\t"]))
def test_raw_round_trips_exactly(table: tuple[int, list[list[str]]], delimiter: str) -> None:
    width, rows = table
    assert _write(width, rows, raw=True, delimiter=delimiter) == rows


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(min_value=-10**9, max_value=10**9),
                          st.floats(allow_nan=False, allow_infinity=False)), min_size=1, max_size=5))
def test_numbers_stay_numbers(values: list[float]) -> None:
    """Stored numbers (a longitude -3.5) are data: written as they are, unquoted, never prefixed."""
    columns = tuple(f"c{i}" for i in range(len(values)))
    buf = io.StringIO(newline="")
    write_csv(iter([dict(zip(columns, values))]), buf, columns)
    line = buf.getvalue().split("\r\n")[1]
    assert line == ",".join(repr(float(v)) if isinstance(v, float) else str(v) for v in values)
