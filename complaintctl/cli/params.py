"""Text and flag parameters without pydantic: the group class of the command line.

Typer (0.2x) converts every parameter value through a pydantic TypeAdapter that it builds the first time
the parameter is processed. For a text option or argument that adapter returns the text it was given,
yet building it imports pydantic and generates its schemas: some 60 ms before a command starts, more than
`show` itself takes. So the group installs, on its own options and on the command being run, a coercion
that passes a `str` or a `bool` (or a list of them) through unchanged, and hands anything else (bytes, a
flag's value from an environment variable, a single string where a list is expected) to Typer's own
coercion, built on demand. Other types (paths, numbers) keep Typer's coercion.

This relies on one private attribute of Typer's parameters (`_runtime_param`, built lazily when None);
when a Typer release renames it nothing is installed and everything works as before, only slower (the
start-up test in `tests/test_startup.py` then fails, and says so).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup

# annotation -> (the type of a value passed through, whether the parameter is a list of them)
_PLAIN: dict[Any, tuple[type, bool]] = {str: (str, False), list[str]: (str, True), bool: (bool, False)}


class _Plain:
    """Typer's RuntimeParam protocol (`coerce`) for `str`, `list[str]` and `bool` parameters."""

    __slots__ = ("descriptor", "kind", "many")

    def __init__(self, descriptor: Any, kind: type, many: bool) -> None:
        self.descriptor = descriptor
        self.kind = kind
        self.many = many

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        if self.many:
            if isinstance(value, list | tuple) and all(type(item) is self.kind for item in value):
                return list(value)
        elif type(value) is self.kind and not multiple:
            return value
        return _typer_coercion(self.descriptor).coerce(value, param=param, ctx=ctx)


def _typer_coercion(descriptor: Any) -> Any:
    from typer._coercion import build_runtime_param

    return build_runtime_param(descriptor)


def lighten(params: Any) -> int:
    """Install the plain coercion on these parameters where it applies; how many took it."""
    count = 0
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue  # not a Typer parameter, or its coercion is already built (or Typer changed)
        plain = _PLAIN.get(getattr(descriptor, "annotation", None))
        info = getattr(descriptor, "parameter_info", None)
        if plain is None or getattr(descriptor, "file_annotation", None) is not None \
                or getattr(info, "parser", None) is not None:
            continue
        param._runtime_param = _Plain(descriptor, *plain)
        count += 1
    return count


class LightGroup(TyperGroup):
    """The root group: its own options and the command it runs take the plain coercion."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        lighten(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            lighten(command.get_params(ctx))
        return name, command, rest
