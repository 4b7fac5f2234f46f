"""The `Corpus`: the tables of one load, as polars DataFrames."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from cbmg import _core
from cbmg import progress as _progress
from cbmg.progress import ProgressArg

if TYPE_CHECKING:
    import polars as pl

    from cbmg.html_view import ReleaseView

PathLike = Union[str, "os.PathLike[str]"]

#: A release date a user supplies: a date, a datetime (its day is taken) or an ISO string.
DateLike = datetime.date | str

#: Dates for releases whose text and path give none: doc_id (or path) -> date, or a function
#: of the path that returns a date or None.
UserDates = Mapping[str, DateLike] | Callable[[str], DateLike | None]

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
    copying, when first asked for. See docs/SCHEMA.md (or the README) for every column.
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
        """One row per file read: date and where it came from, kind, dateline, wire, company,
        ticker, text."""
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

    def series(self, metric: str | Iterable[str] | None = None) -> pl.DataFrame:
        """One figure per (company, metric, period), reconciled across releases.

        The latest release's figure stands (a restatement replaces what came before; within
        one release a current figure beats a comparative, a table beats prose); of the sources
        that agree with it within rounding the most exact gives the value. ``conflict`` marks
        sources that disagree beyond rounding; ``doc_ids`` lists them all. Quarters and halves
        no release states are derived (Q4 = FY - 9M, Q2 = H1 - Q1, Q3 = 9M - H1,
        H2 = FY - H1, by the company's fiscal calendar) and flagged ``derived``, never over a
        stated figure. A narrower figure ("net loss allocable to common stockholders") stands
        only where no release states the plain one, and keeps its ``qualifier``. Figures with
        no company, or in a currency other than the company's usual one (a convenience
        translation), are left out; they stay in ``financials``.

        Args:
            metric: a metric name or several (``"net_loss"``); all by default.
        """
        from cbmg import series

        return series.build(self.financials, self.documents, metric)

    def pipeline(self) -> pl.DataFrame:
        """One row per program (company, product, indication) across releases: the phases in
        order with the date each was first reported, first and last dates, latest phase and
        status, NCT ids, and how many releases report it in news and in boilerplate."""
        from cbmg import pipeline

        return pipeline.build(self.trials)

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
        return int(table.height if hasattr(table, "height") else table.num_rows)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={self.n_rows(name)}" for name in self._arrow)
        return f"Corpus({sizes})"

    def _repr_html_(self) -> str:
        from cbmg.html_view import summary_html

        return summary_html(self)

    def show(self, doc_id: str, tables: Iterable[str] | None = None) -> ReleaseView:
        """The release ``doc_id`` as HTML with every fact's span highlighted, one colour per
        table (``tables`` picks some), the row's values on hover, and a legend. In a notebook
        it shows itself; ``.save(path)`` writes a standalone page.

        Raises:
            KeyError: no document has that id.
        """
        from cbmg.html_view import release_html

        return release_html(self, doc_id, list(tables) if tables is not None else None)

    def __getstate__(self) -> dict[str, bytes]:
        # Each table as Arrow IPC: a Corpus travels between processes (multiprocessing, Dask,
        # Spark workers) with its types intact and without going through Python objects.
        import io

        state = {}
        for name in self._arrow:
            buffer = io.BytesIO()
            self._table(name).write_ipc(buffer)
            state[name] = buffer.getvalue()
        return state

    def __setstate__(self, state: dict[str, bytes]) -> None:
        import io

        import polars as pl

        self._arrow = {name: pl.read_ipc(io.BytesIO(data)) for name, data in state.items()}
        self._frames = {}

    def write_parquet(self, folder: PathLike) -> list[Path]:
        """Writes every table to ``folder/<table>.parquet`` (the folder is made if needed) and
        returns the paths; :meth:`Corpus.read_parquet` reads them back."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in self._arrow:
            path = out / f"{name}.parquet"
            self._table(name).write_parquet(path)
            paths.append(path)
        return paths

    @classmethod
    def read_parquet(cls, folder: PathLike) -> Corpus:
        """A Corpus from ``folder/<table>.parquet`` files, as :meth:`Corpus.write_parquet` or
        :func:`cbmg.write_parquet` wrote them. A table without a file (``write_parquet``'s
        ``tables=`` left it out) is empty, with its columns."""
        import polars as pl

        base = Path(folder)
        if not base.is_dir():
            raise FileNotFoundError(2, "No such directory", str(base))
        found = {name: base / f"{name}.parquet" for name in TABLES}
        if not any(p.exists() for p in found.values()):
            raise FileNotFoundError(2, f"no <table>.parquet file of cbmg in {base}", str(base))
        empty = dict(_core.extract(pl.Series([], dtype=pl.String), [], []))
        tables: dict[str, Any] = {}
        for name, path in found.items():
            tables[name] = pl.read_parquet(path) if path.exists() else pl.DataFrame(empty[name])
        return cls(tables)


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


def _as_date(value: object, doc_id: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"dates: {value!r} for {doc_id!r} is not a YYYY-MM-DD date") from None
    raise TypeError(f"dates: {value!r} for {doc_id!r} is not a date or an ISO date string")


def _with_user_dates(tables: dict[str, Any], dates: UserDates) -> dict[str, Any]:
    """The tables with the user's dates given to the releases whose text and path give none:
    ``documents.date`` (``date_source`` ``user``) and every fact table's ``doc_date``."""
    import polars as pl

    docs = tables["documents"]
    if not isinstance(docs, pl.DataFrame):
        docs = pl.DataFrame(docs)
    supplied: dict[str, datetime.date] = {}
    for doc_id, path in docs.filter(pl.col("date").is_null()).select("doc_id", "path").iter_rows():
        if callable(dates):
            value = dates(path)
        else:
            value = dates.get(doc_id, dates.get(path))
        if value is not None:
            supplied[doc_id] = _as_date(value, doc_id)
    if not supplied:
        return tables

    def user_date() -> pl.Expr:
        return pl.col("doc_id").replace_strict(supplied, default=None, return_dtype=pl.Date)

    out = dict(tables)
    out["documents"] = docs.with_columns(
        date=pl.coalesce("date", user_date()),
        date_source=pl.when(pl.col("date").is_null() & user_date().is_not_null())
        .then(pl.lit("user"))
        .otherwise(pl.col("date_source")),
    )
    for name, table in tables.items():
        if name in ("documents", "skipped"):
            continue
        frame = table if isinstance(table, pl.DataFrame) else pl.DataFrame(table)
        out[name] = frame.with_columns(doc_date=pl.coalesce("doc_date", user_date()))
    return out


def load(
    path: PathLike | Iterable[PathLike],
    *,
    lexicon: PathLike | None = None,
    dates: UserDates | None = None,
    progress: ProgressArg = False,
) -> Corpus:
    """Read press releases and extract every table.

    Args:
        path: a folder (read recursively), a file, or a list of files and folders.
        lexicon: an optional CSV of extra terms (``kind,term,canonical,abbreviation``)
            that extends the built-in lexicons for this load.
        dates: release dates for the files whose text (a dateline or a ``date YYYY-MM-DD``
            line) and path (``2025/0530/``, ``_2025_0530_``, ``2025-05-30``) give none: a
            mapping of doc_id (or path) to a date, or a function of the path returning a
            date or None. A date is a ``datetime.date``, a ``datetime`` or ``"YYYY-MM-DD"``;
            those rows get ``date_source`` ``user``.
        progress: True for a bar on stderr (files done, MB/s, time left), or a function
            called as ``progress(done, total, bytes)`` a few times a second.

    Raises:
        FileNotFoundError: a path that does not exist.
        cbmg.LexiconError: a malformed lexicon file.
        ValueError, TypeError: a supplied date that is not a date.

    Files that cannot be read (binary, empty, unsupported) do not raise: they are listed
    in ``corpus.skipped`` and the rest are read.
    """
    paths = _as_paths(path, "load")
    report = _progress.callback(progress)
    tables = dict(_core.load(paths, _lexicon_arg(lexicon), report))
    if dates is not None:
        tables = _with_user_dates(tables, dates)
    corpus = Corpus(tables)
    _progress.close(report, len(corpus) + corpus.n_rows("skipped"))
    return corpus


def scan(
    path: PathLike | Iterable[PathLike],
    *,
    batch_size: int = 2000,
    lexicon: PathLike | None = None,
    dates: UserDates | None = None,
    progress: ProgressArg = False,
) -> Batches:
    """Read press releases a batch of files at a time, for corpora larger than memory.

    Returns an iterator of one :class:`Corpus` per ``batch_size`` files, in the order of their
    paths, so memory follows the batch rather than the corpus; ``pl.concat`` of the batches'
    tables equals ``load(path)``'s except that product spellings are unified within each
    batch, not across the corpus. Files passed over while walking the folders come in the
    first batch's ``skipped``. Its ``total_files`` is known at once (to drive a bar of your
    own), ``files_done`` as it goes, and ``len()`` is the number of batches. Arguments and
    errors are those of :func:`load`; the folders are walked (and errors raised) when ``scan``
    is called, before the first batch is read.
    """
    _check_batch_size(batch_size)
    paths = _as_paths(path, "scan")
    report = _progress.callback(progress)
    scanner = _core.Scanner(paths, batch_size, _lexicon_arg(lexicon), report)
    return Batches(scanner, batch_size, dates, report)


class Batches:
    """The batches of a :func:`scan`: an iterator of :class:`Corpus`."""

    def __init__(self, scanner: Any, batch_size: int, dates: UserDates | None, report: Any = None) -> None:
        self._scanner = scanner
        self._batch_size = batch_size
        self._dates = dates
        self._report = report

    @property
    def total_files(self) -> int:
        """Files the scan reads in all."""
        return int(self._scanner.total_files)

    @property
    def files_done(self) -> int:
        """Files read so far."""
        return int(self._scanner.files_done)

    def __len__(self) -> int:
        return max(1, -(-self.total_files // self._batch_size))

    def __iter__(self) -> Batches:
        return self

    def __next__(self) -> Corpus:
        batch = next(self._scanner, None)
        if batch is None:
            _progress.close(self._report, self.files_done)
            raise StopIteration
        tables = dict(batch)
        if self._dates is not None:
            tables = _with_user_dates(tables, self._dates)
        return Corpus(tables)


def write_parquet(
    path: PathLike | Iterable[PathLike],
    out: PathLike,
    *,
    tables: Iterable[str] | None = None,
    batch_size: int = 2000,
    lexicon: PathLike | None = None,
    progress: ProgressArg = False,
) -> tuple[int, int]:
    """Extract and write ``out/<table>.parquet`` a batch at a time, without holding the corpus.

    Each batch of ``batch_size`` files becomes one row group of every table file (snappy
    compressed); ``tables`` picks some tables (default all); ``progress`` is as in
    :func:`load`. Returns (documents, skipped).
    """
    names = list(tables or [])
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        raise ValueError(f"no table named {unknown[0]!r}; the tables are {', '.join(TABLES)}")
    _check_batch_size(batch_size)
    paths = _as_paths(path, "write_parquet")
    report = _progress.callback(progress)
    scanner = _core.Scanner(paths, batch_size, _lexicon_arg(lexicon), report)
    written: tuple[int, int] = scanner.write_parquet(os.fspath(out), names)
    _progress.close(report, sum(written))
    return written
