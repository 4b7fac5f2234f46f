"""The `Corpus`: the tables of one load, as polars DataFrames."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from cbmg import _core

if TYPE_CHECKING:
    import polars as pl

PathLike = Union[str, "os.PathLike[str]"]

#: The tables every load returns, in order.
TABLES: tuple[str, ...] = (
    "documents",
    "financials",
    "trials",
    "events",
    "facilities",
    "regulatory",
    "partnerships",
    "grants",
    "contacts",
    "quotes",
    "skipped",
)


class Corpus:
    """The tables extracted from a set of press releases.

    Each table is a ``polars.DataFrame`` built in Rust as Arrow and handed over without
    copying, when first asked for. See SCHEMA.md (or the README) for every column.
    """

    def __init__(self, tables: dict[str, Any]) -> None:
        # Arrow tables from the engine (or DataFrames), wrapped as DataFrames on first access:
        # a load that only needs some tables, or none yet, never imports polars for the rest.
        self._arrow = dict(tables)
        self._frames: dict[str, pl.DataFrame] = {}

    def _table(self, name: str) -> pl.DataFrame:
        frame = self._frames.get(name)
        if frame is None:
            import polars as pl

            frame = self._arrow[name]
            if not isinstance(frame, pl.DataFrame):
                frame = pl.DataFrame(frame)
            self._frames[name] = frame
        return frame

    @property
    def documents(self) -> pl.DataFrame:
        """One row per file read: date, dateline, wire, company, ticker, text."""
        return self._table("documents")

    @property
    def financials(self) -> pl.DataFrame:
        """One row per reported figure: metric, period, value, currency."""
        return self._table("financials")

    @property
    def trials(self) -> pl.DataFrame:
        """One row per clinical-trial mention that states a phase."""
        return self._table("trials")

    @property
    def events(self) -> pl.DataFrame:
        """Conference presentations and company events."""
        return self._table("events")

    @property
    def facilities(self) -> pl.DataFrame:
        """Sites with their size (square feet) and use."""
        return self._table("facilities")

    @property
    def regulatory(self) -> pl.DataFrame:
        """Agency steps: IND accepted/approved/cleared, designations, filings, approvals."""
        return self._table("regulatory")

    @property
    def partnerships(self) -> pl.DataFrame:
        """Partners of the issuer and the kind of partnership."""
        return self._table("partnerships")

    @property
    def grants(self) -> pl.DataFrame:
        """Non-dilutive awards: funder, amount, currency, purpose."""
        return self._table("grants")

    @property
    def contacts(self) -> pl.DataFrame:
        """Media and investor contacts: name, title, organisation, phone, e-mail."""
        return self._table("contacts")

    @property
    def quotes(self) -> pl.DataFrame:
        """Quotations with their speaker and the speaker's title."""
        return self._table("quotes")

    @property
    def skipped(self) -> pl.DataFrame:
        """Files that were not read, with the reason."""
        return self._table("skipped")

    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table, name -> DataFrame."""
        return {name: self._table(name) for name in self._arrow}

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in self._arrow:
            raise KeyError(f"no table named {name!r}; the tables are {', '.join(self._arrow)}")
        return self._table(name)

    def __len__(self) -> int:
        return self.n_rows("documents")

    def n_rows(self, name: str) -> int:
        """Rows of a table, without building its DataFrame."""
        table = self._arrow[name]
        return table.height if hasattr(table, "height") else table.num_rows

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={self.n_rows(name)}" for name in self._arrow)
        return f"Corpus({sizes})"


def _as_paths(path: PathLike | Iterable[PathLike], caller: str) -> list[str]:
    if isinstance(path, (str, os.PathLike)):
        paths = [os.fspath(path)]
    else:
        paths = [os.fspath(p) for p in path]
    if not paths:
        raise ValueError(f"cbmg.{caller}() needs at least one path")
    for p in paths:
        if not Path(p).exists():
            raise FileNotFoundError(2, "No such file or directory", p)
    return paths


def _lexicon_arg(lexicon: PathLike | None) -> str | None:
    return os.fspath(lexicon) if lexicon is not None else None


def _check_batch_size(batch_size: int) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, not {batch_size!r}")


def load(
    path: PathLike | Iterable[PathLike],
    *,
    lexicon: PathLike | None = None,
) -> Corpus:
    """Read press releases and extract every table.

    Args:
        path: a folder (read recursively), a file, or a list of files and folders.
        lexicon: an optional CSV of extra terms (``kind,term,canonical,abbreviation``)
            that extends the built-in lexicons for this load.

    Raises:
        FileNotFoundError: a path that does not exist.
        cbmg.LexiconError: a malformed lexicon file.

    Files that cannot be read (binary, empty, unsupported) do not raise: they are listed
    in ``corpus.skipped`` and the rest are read.
    """
    paths = _as_paths(path, "load")
    return Corpus(dict(_core.load(paths, _lexicon_arg(lexicon))))


def scan(
    path: PathLike | Iterable[PathLike],
    *,
    batch_size: int = 2000,
    lexicon: PathLike | None = None,
) -> Iterator[Corpus]:
    """Read press releases a batch of files at a time, for corpora larger than memory.

    Yields one :class:`Corpus` per ``batch_size`` files, in the order of their paths, so memory
    follows the batch rather than the corpus; ``pl.concat`` of the batches' tables equals
    ``load(path)``'s except that product spellings are unified within each batch, not across
    the corpus. Files passed over while walking the folders come in the first batch's
    ``skipped``. Arguments and errors are those of :func:`load`; the folders are walked (and
    errors raised) when ``scan`` is called, before the first batch is read.
    """
    _check_batch_size(batch_size)
    paths = _as_paths(path, "scan")
    scanner = _core.Scanner(paths, batch_size, _lexicon_arg(lexicon))
    return (Corpus(dict(batch)) for batch in scanner)


def write_parquet(
    path: PathLike | Iterable[PathLike],
    out: PathLike,
    *,
    tables: Iterable[str] | None = None,
    batch_size: int = 2000,
    lexicon: PathLike | None = None,
) -> tuple[int, int]:
    """Extract and write ``out/<table>.parquet`` a batch at a time, without holding the corpus.

    Each batch of ``batch_size`` files becomes one row group of every table file (snappy
    compressed); ``tables`` picks some tables (default all). Returns (documents, skipped).
    """
    names = list(tables or [])
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        raise ValueError(f"no table named {unknown[0]!r}; the tables are {', '.join(TABLES)}")
    _check_batch_size(batch_size)
    paths = _as_paths(path, "write_parquet")
    scanner = _core.Scanner(paths, batch_size, _lexicon_arg(lexicon))
    return scanner.write_parquet(os.fspath(out), names)
