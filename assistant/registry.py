"""Backends registered by name (embedders, vector stores), built-ins the same way as any added later."""
from __future__ import annotations

from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)


def registrar(table: dict[str, Callable]) -> Callable[[str], Callable[[F], F]]:
    """A decorator factory that puts a backend's factory in `table` under a name."""
    def register(name: str) -> Callable[[F], F]:
        def wrap(factory: F) -> F:
            table[name] = factory
            return factory
        return wrap
    return register
