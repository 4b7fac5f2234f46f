"""`cbmg.extract`: the tables of texts already in memory (a DataFrame column, scraped pages)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cbmg import _core
from cbmg import progress as _progress
from cbmg.corpus import Corpus, PathLike, UserDates, _lexicon_arg, _with_user_dates
from cbmg.progress import ProgressArg

if TYPE_CHECKING:
    import polars as pl

#: The formats a text may be given in.
FORMATS = ("txt", "md", "html")

# A text that opens with one of these tags is HTML (an SEC exhibit, a saved page).
_LOOKS_LIKE_HTML = r"(?i)^\s*<(?:!doctype|html|head|body|div|p|table|h\d)\b"


def extract(
    texts: Any,
    *,
    ids: Sequence[str] | pl.Series | None = None,
    dates: UserDates | None = None,
    formats: str | Sequence[str] | None = None,
    lexicon: PathLike | None = None,
    progress: ProgressArg = False,
) -> Corpus:
    """Extract every table from texts held in memory, in parallel with the GIL released.

    Args:
        texts: a list of str, a polars Series (a DataFrame's column, ``df["text"]``), or any
            Arrow string array or stream through the Arrow PyCapsule interface (pyarrow,
            nanoarrow, DuckDB, ... no pyarrow needed). A null is an empty text.
        ids: one unique id per text, its ``doc_id`` in every table (default: ``"0"``,
            ``"1"``, ... by position). An id shaped like a path with a date
            (``2025/0530/slug``) dates a release whose text gives none.
        dates: as in :func:`cbmg.load`, by id.
        formats: ``"txt"``, ``"md"`` or ``"html"`` for all texts, or one per text; by default
            a text that opens with an HTML tag is HTML, any other plain text.
        lexicon: as in :func:`cbmg.load`.
        progress: as in :func:`cbmg.load`: True for a bar on stderr, or a function.

    Returns:
        A :class:`Corpus` whose documents come in the order given; empty or binary texts are
        rows of ``skipped`` (their ``path`` is the id).

    Raises:
        ValueError: ids that are not unique or not one per text; an unknown format.
        TypeError: texts that are not strings.
    """
    column = _as_arrow_strings(texts)
    n = len(column)
    id_list = [str(i) for i in range(n)] if ids is None else [str(i) for i in ids]
    if len(id_list) != n:
        raise ValueError(f"{n} texts but {len(id_list)} ids: give one id per text")
    if len(set(id_list)) != n:
        twice = next(i for i, count in Counter(id_list).items() if count > 1)
        raise ValueError(f"ids must be unique: {twice!r} is given more than once")
    format_list = _formats(formats, column, n)
    report = _progress.callback(progress)
    tables = dict(_core.extract(column, id_list, format_list, _lexicon_arg(lexicon), report))
    _progress.close(report, n)
    if dates is not None:
        tables = _with_user_dates(tables, dates)
    return Corpus(tables)


def _as_arrow_strings(texts: Any) -> Any:
    """An object the engine reads as Arrow strings, with a length."""
    import polars as pl

    if isinstance(texts, pl.Series):
        if texts.dtype not in (pl.String, pl.Null):
            raise TypeError(f"texts must be strings, not a {texts.dtype} Series")
        return texts.cast(pl.String)
    if isinstance(texts, str):
        raise TypeError("texts is a list of texts: wrap a single text in a list")
    if hasattr(texts, "__arrow_c_stream__") or hasattr(texts, "__arrow_c_array__"):
        series = pl.Series(texts) if not isinstance(texts, pl.DataFrame) else None
        if series is None:
            raise TypeError("texts is a DataFrame: pass its text column, df['text']")
        return _as_arrow_strings(series)
    values = list(texts)
    bad = next((v for v in values if v is not None and not isinstance(v, str)), None)
    if bad is not None:
        raise TypeError(f"texts must be strings, not {type(bad).__name__}")
    return pl.Series("text", values, dtype=pl.String)


def _formats(formats: str | Sequence[str] | None, column: pl.Series, n: int) -> list[str]:
    if formats is None:
        # Decided in polars, without copying every text into Python.
        is_html = column.str.contains(_LOOKS_LIKE_HTML).fill_null(False)
        return ["html" if h else "txt" for h in is_html]
    if isinstance(formats, str):
        formats = [formats] * n
    out = [f.lower().lstrip(".") for f in formats]
    if len(out) != n:
        raise ValueError(f"{n} texts but {len(out)} formats: give one format, or one per text")
    for f in out:
        if f not in FORMATS and f not in ("text", "markdown", "htm"):
            raise ValueError(f"unknown format {f!r}: use one of {', '.join(FORMATS)}")
    return out
