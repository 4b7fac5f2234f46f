"""Type stub of the compiled extension module (src/python.rs)."""

from collections.abc import Iterator, Sequence
from typing import Any

__version__: str

class CbmgError(Exception): ...
class LexiconError(ValueError): ...

def load(paths: Sequence[str], lexicon: str | None = None) -> list[tuple[str, Any]]:
    """Read paths; return ``[(table_name, arrow_table)]`` (objects with ``__arrow_c_stream__``)."""

def schemas() -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """Each table's columns as ``(name, arrow type, nullable)``."""

def rules() -> list[tuple[str, str, str, str, int, int]]:
    """Every rule as ``(table, family, name, kind, examples, rejects)``, in file order."""

def check_rules() -> list[tuple[str, str, str, str]]:
    """Run every rule's examples; ``(table, rule, text, problem)`` for each that does not hold."""

def wait_for_warm_up() -> None:
    """Block until the build this module's import started in the background has finished."""

class Scanner:
    """Files discovered once, extracted a batch at a time."""

    def __init__(self, paths: Sequence[str], batch_size: int, lexicon: str | None = None) -> None: ...
    @property
    def total_files(self) -> int: ...
    def __iter__(self) -> Iterator[list[tuple[str, Any]]]: ...
    def __next__(self) -> list[tuple[str, Any]]: ...
    def write_parquet(self, out: str, tables: Sequence[str] = ...) -> tuple[int, int]:
        """Write every remaining batch to ``out/<table>.parquet``; return (documents, skipped)."""
