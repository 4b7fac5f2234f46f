"""The `Corpus`: the tables of one load, as polars DataFrames."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Union

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
    copying. See SCHEMA.md (or the README) for every column.
    """

    def __init__(self, tables: dict[str, pl.DataFrame]) -> None:
        self._tables = tables

    @property
    def documents(self) -> pl.DataFrame:
        """One row per file read: date, dateline, wire, company, ticker, text."""
        return self._tables["documents"]

    @property
    def financials(self) -> pl.DataFrame:
        """One row per reported figure: metric, period, value, currency."""
        return self._tables["financials"]

    @property
    def trials(self) -> pl.DataFrame:
        """One row per clinical-trial mention that states a phase."""
        return self._tables["trials"]

    @property
    def events(self) -> pl.DataFrame:
        """Conference presentations and company events."""
        return self._tables["events"]

    @property
    def facilities(self) -> pl.DataFrame:
        """Sites with their size (square feet) and use."""
        return self._tables["facilities"]

    @property
    def regulatory(self) -> pl.DataFrame:
        """Agency steps: IND accepted/approved/cleared, designations, filings, approvals."""
        return self._tables["regulatory"]

    @property
    def partnerships(self) -> pl.DataFrame:
        """Partners of the issuer and the kind of partnership."""
        return self._tables["partnerships"]

    @property
    def grants(self) -> pl.DataFrame:
        """Non-dilutive awards: funder, amount, currency, purpose."""
        return self._tables["grants"]

    @property
    def contacts(self) -> pl.DataFrame:
        """Media and investor contacts: name, title, organisation, phone, e-mail."""
        return self._tables["contacts"]

    @property
    def quotes(self) -> pl.DataFrame:
        """Quotations with their speaker and the speaker's title."""
        return self._tables["quotes"]

    @property
    def skipped(self) -> pl.DataFrame:
        """Files that were not read, with the reason."""
        return self._tables["skipped"]

    def tables(self) -> dict[str, pl.DataFrame]:
        """Every table, name -> DataFrame."""
        return dict(self._tables)

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self._tables[name]

    def __len__(self) -> int:
        return self.documents.height

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={df.height}" for name, df in self._tables.items())
        return f"Corpus({sizes})"


def _as_paths(path: PathLike | Iterable[PathLike]) -> list[str]:
    if isinstance(path, (str, os.PathLike)):
        return [os.fspath(path)]
    paths = [os.fspath(p) for p in path]
    if not paths:
        raise ValueError("cbmg.load() needs at least one path")
    return paths


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
    import polars as pl

    paths = _as_paths(path)
    for p in paths:
        if not Path(p).exists():
            raise FileNotFoundError(2, "No such file or directory", p)
    raw = _core.load(paths, os.fspath(lexicon) if lexicon is not None else None)
    return Corpus({name: pl.DataFrame(table) for name, table in raw})
