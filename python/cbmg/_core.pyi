"""Type stub of the compiled extension module (src/python.rs)."""

from collections.abc import Callable, Iterator, Sequence
from typing import Any, final

from typing_extensions import Self

__all__ = [
    "CbmgError",
    "LexiconError",
    "Scanner",
    "__version__",
    "check_rules",
    "extract",
    "load",
    "rules",
    "schemas",
    "wait_for_warm_up",
]
__version__: str

class CbmgError(Exception): ...
class LexiconError(ValueError): ...

#: ``progress(done, total, bytes)``, called a few times a second while a job runs.
_ProgressCallback = Callable[[int, int, int], object]

def load(
    paths: Sequence[str], lexicon: str | None = None, progress: _ProgressCallback | None = None
) -> list[tuple[str, Any]]:
    """Read paths; return ``[(table_name, arrow_table)]`` (objects with ``__arrow_c_stream__``)."""

def extract(
    texts: Any,
    ids: Sequence[str],
    formats: Sequence[str],
    lexicon: str | None = None,
    progress: _ProgressCallback | None = None,
) -> list[tuple[str, Any]]:
    """Extract texts (an Arrow string array or stream) held in memory, in the order given."""

def schemas() -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """Each table's columns as ``(name, arrow type, nullable)``."""

def rules() -> list[tuple[str, str, str, str, int, int]]:
    """Every rule as ``(table, family, name, kind, examples, rejects)``, in file order."""

def check_rules() -> list[tuple[str, str, str, str]]:
    """Run every rule's examples; ``(table, rule, text, problem)`` for each that does not hold."""

def wait_for_warm_up() -> None:
    """Block until the build this module's import started in the background has finished."""

@final
class Scanner:
    """Files discovered once, extracted a batch at a time."""

    def __new__(
        cls,
        paths: Sequence[str],
        batch_size: int,
        lexicon: str | None = None,
        progress: _ProgressCallback | None = None,
    ) -> Self: ...
    @property
    def total_files(self) -> int: ...
    @property
    def files_done(self) -> int: ...
    def __iter__(self) -> Iterator[list[tuple[str, Any]]]: ...
    def __next__(self) -> list[tuple[str, Any]]: ...
    def write_parquet(self, out: str, tables: Sequence[str] = ...) -> tuple[int, int]:
        """Write every remaining batch to ``out/<table>.parquet``; return (documents, skipped)."""
