"""Frozen dataclass instances made without their ``__init__``.

A frozen dataclass's ``__init__`` sets every field through ``object.__setattr__``. Done once per
entry or cached record, thousands of times a build, that showed in the profile: placing a journal
copies entries with a field or two changed, and loading the cache makes every record again. These
two functions fill the instance's ``__dict__`` instead. They run no ``__post_init__`` and check
nothing, so they are for values already checked: a copy of a valid instance, a record publog wrote.
"""

from __future__ import annotations

from typing import Any, Mapping, TypeVar

T = TypeVar("T")


def replaced(item: T, **changes: Any) -> T:
    """``dataclasses.replace(item, **changes)``, without running ``__init__`` over every field again."""
    new = object.__new__(type(item))
    new.__dict__.update(item.__dict__)
    new.__dict__.update(changes)
    return new


def made(cls: type[T], fields: Mapping[str, Any]) -> T:
    """An instance of ``cls`` holding ``fields``, which must be exactly its fields."""
    new = object.__new__(cls)
    new.__dict__.update(fields)
    return new
