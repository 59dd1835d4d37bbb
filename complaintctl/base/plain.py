"""Frozen records that load without pydantic: the runtime form of a validated pydantic model.

Policies and store settings are validated by pydantic models (`policy/schema.py`, `settings_schema.py`),
the one source of truth for their shape. What the commands use, and what the per-user cache pickles, is
the runtime form: a `Frozen` subclass per model with the same name and the same fields, holding the
validated values, and the methods the rest of the code calls. Loading one from the cache imports neither
pydantic nor the schema (a few tens of milliseconds a command); only validating does.

A runtime class declares its fields as `__slots__` (with annotations for the type checker) and names the
module of its schema in `_schema_module`; `from_model` converts a validated model, `to_model` goes back.
`tests/test_runtime_forms.py` proves that both forms agree for every shipped policy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

R = TypeVar("R", bound="Frozen")

# (schema module, class name) -> runtime class
_REGISTRY: dict[tuple[str, str], type[Frozen]] = {}


def _rebuild(cls: type[R], values: tuple[Any, ...], private: tuple[Any, ...]) -> R:
    """The record with these field values (unpickling: no validation, no __init__)."""
    obj = cls.__new__(cls)
    put = object.__setattr__
    for name, value in zip(cls._fields, values, strict=True):
        put(obj, name, value)
    for name, value in zip(cls._private, private, strict=True):
        put(obj, name, value)
    return obj


class Frozen:
    """A frozen record of named fields. Constructed with keyword arguments it validates them through its
    pydantic schema (as the model would); the cache and `from_model` build it without validation."""

    __slots__ = ()
    _schema_module: ClassVar[str] = ""
    _fields: ClassVar[tuple[str, ...]] = ()
    #: Mutable attributes that are not fields (a policy's source path), with their defaults.
    _private: ClassVar[tuple[str, ...]] = ()
    _private_defaults: ClassVar[tuple[Any, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: list[str] = []
        for klass in reversed(cls.__mro__):
            for name in klass.__dict__.get("__slots__", ()):
                if not name.startswith("_") and name not in fields:
                    fields.append(name)
        cls._fields = tuple(fields)
        if cls._schema_module:
            _REGISTRY[(cls._schema_module, cls.__name__)] = cls

    def __init__(self, **data: Any) -> None:
        model = self.schema()(**{key: _model_value(value) for key, value in data.items()})
        _fill(self, model)

    # -- as pydantic models are used ----------------------------------------------------------------
    @classmethod
    def schema(cls) -> Any:
        """The pydantic model class that validates this record (imports pydantic)."""
        return getattr(importlib.import_module(cls._schema_module), cls.__name__)

    @classmethod
    def model_validate(cls: type[R], data: Any) -> R:
        """Validate `data` through the schema; the runtime form of the result."""
        made = from_model(cls.schema().model_validate(_model_value(data)))
        if not isinstance(made, cls):  # pragma: no cover - the registry maps a schema to its own class
            raise TypeError(f"{cls.__name__}: the schema made a {type(made).__name__}")
        return made

    def model_copy(self: R, *, update: dict[str, Any] | None = None) -> R:
        """A copy with some fields replaced (not validated, as in pydantic)."""
        values = dict(self.items())
        for name, value in (update or {}).items():
            if name not in values:
                raise AttributeError(f"{type(self).__name__} has no field {name!r}")
            values[name] = value
        private = tuple(getattr(self, name) for name in self._private)
        return _rebuild(type(self), tuple(values[name] for name in self._fields), private)

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """As pydantic's `model_dump` of the schema model (imports pydantic)."""
        dumped: dict[str, Any] = to_model(self).model_dump(**options)
        return dumped

    def model_dump_json(self, **options: Any) -> str:
        text: str = to_model(self).model_dump_json(**options)
        return text

    def items(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in self._fields]

    # -- frozen ------------------------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._private:
            object.__setattr__(self, name, value)
            return
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields)

    def __hash__(self) -> int:
        return hash((type(self).__name__, *(_hashable(getattr(self, name)) for name in self._fields)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), tuple(getattr(self, name) for name in self._fields),
                           tuple(getattr(self, name) for name in self._private)))

    def __copy__(self: R) -> R:
        return self

    def __deepcopy__(self: R, memo: dict[int, Any]) -> R:
        return self  # frozen: a copy would be equal and never differ


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((key, _hashable(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    return value


def _fill(record: Frozen, model: Any) -> None:
    put = object.__setattr__
    for name in record._fields:
        put(record, name, _runtime(getattr(model, name)))
    private = getattr(model, "__pydantic_private__", None) or {}
    for name, default in zip(record._private, record._private_defaults, strict=True):
        put(record, name, private.get(name, default))


def _runtime(value: Any) -> Any:
    kind = type(value)
    if kind is tuple:
        return tuple(_runtime(item) for item in value)
    if kind is list:
        return [_runtime(item) for item in value]
    if kind is dict:
        return {key: _runtime(item) for key, item in value.items()}
    if hasattr(kind, "model_fields") and hasattr(value, "__pydantic_fields_set__"):
        return from_model(value)
    return value


def from_model(model: Any) -> Frozen:
    """The runtime form of a validated pydantic model (and of the models inside it)."""
    kind = type(model)
    cls = _REGISTRY.get((kind.__module__, kind.__name__))
    if cls is None:
        raise TypeError(f"no runtime form for {kind.__module__}.{kind.__name__}")
    record = cls.__new__(cls)
    _fill(record, model)
    return record


def to_model(record: Frozen) -> Any:
    """The pydantic model a record is the runtime form of (built without validating again)."""
    schema = record.schema()
    values = {name: _model_value(value) for name, value in record.items()}
    model = schema.model_construct(**values)
    for name in record._private:
        setattr(model, name, getattr(record, name))
    return model


def _model_value(value: Any) -> Any:
    return _each_record(value, to_model)


def dump(value: Any) -> Any:
    """Records as dicts of their fields, recursively (what pydantic's `model_dump()` gives of the model)."""
    return _each_record(value, lambda record: {name: dump(item) for name, item in record.items()})


def _each_record(value: Any, convert: Callable[[Any], Any]) -> Any:
    """`value` with every record in it (inside tuples, lists and dicts) replaced by `convert(record)`."""
    if isinstance(value, Frozen):
        return convert(value)
    if type(value) is tuple:
        return tuple(_each_record(item, convert) for item in value)
    if type(value) is list:
        return [_each_record(item, convert) for item in value]
    if type(value) is dict:
        return {key: _each_record(item, convert) for key, item in value.items()}
    return value
