"""The runtime form of policies and settings (`complaintctl.base.plain`) equals the validated pydantic
model."""

from __future__ import annotations

import copy
import inspect
import pickle
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from complaintctl.base import plain
from complaintctl.policy import model, schema
from complaintctl.policy.files import BUILTIN_DIR, builtin_policies
from complaintctl.policy.loader import _plain, _read_yaml, load_policy_file
from complaintctl.store import settings, settings_schema


def _schema_classes(module: object) -> list[type[BaseModel]]:
    return [value for name, value in vars(module).items()
            if inspect.isclass(value) and issubclass(value, BaseModel) and not name.startswith("_")
            and value.__module__ == getattr(module, "__name__", "")]


@pytest.mark.parametrize(("schemas", "runtime"), [(schema, model), (settings_schema, settings)])
def test_every_model_has_a_runtime_twin_with_the_same_fields(schemas: object, runtime: object) -> None:
    classes = _schema_classes(schemas)
    assert classes
    for cls in classes:
        twin = getattr(runtime, cls.__name__)
        assert issubclass(twin, plain.Frozen)
        assert twin._fields == tuple(cls.model_fields), cls.__name__
        assert twin.schema() is cls


def _validated(name: str) -> schema.Policy:
    path = BUILTIN_DIR / f"{name}.yaml"
    root = _read_yaml(path.read_text(encoding="utf-8"), str(path))
    return schema.Policy.model_validate(_plain(root, str(path)))


def test_all_five_builtin_policies_are_there() -> None:
    assert builtin_policies() == ["manufacturing", "metro", "service", "tourism", "wedding"]


@pytest.mark.parametrize("name", ["manufacturing", "metro", "service", "tourism", "wedding"])
def test_the_runtime_policy_equals_the_validated_model(name: str) -> None:
    validated = _validated(name)
    loaded = load_policy_file(BUILTIN_DIR / f"{name}.yaml")
    assert type(loaded) is model.Policy
    # field by field, all the way down, the same values of the same types
    assert plain.dump(loaded) == validated.model_dump()
    assert _types(plain.dump(loaded)) == _types(validated.model_dump())
    assert plain.from_model(validated) == loaded
    # and back: the model rebuilt from the runtime form is the validated one
    back = plain.to_model(loaded)
    assert back.model_dump() == validated.model_dump()
    assert back.model_dump_json(by_alias=True) == validated.model_dump_json(by_alias=True)
    # what the cache holds comes back equal, without the schema
    again = pickle.loads(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == loaded
    assert again._source == loaded._source and again._sha256 == loaded._sha256
    assert copy.deepcopy(loaded) is loaded


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_types(item) for item in value])
    return type(value).__name__


def test_runtime_records_are_frozen_and_validate_when_constructed() -> None:
    label = model.Label(code="x", en="X")
    assert label == model.Label(code="x", en="X", zh="")
    assert hash(label) == hash(model.Label(code="x", en="X"))
    assert label.clause is None and label.text("zh") == "X"
    with pytest.raises(AttributeError):
        label.code = "y"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        model.Label(code="")
    with pytest.raises(ValidationError):
        model.Fact.model_validate({"fact": "severity"})  # no test
    limit = model.Limit.of("working_days", 3)
    assert limit == model.Limit.model_validate({"working_days": 3}) and str(limit) == "3 working days"
    variant = model.LimitVariant(when=(model.Fact.model_validate({"fact": "x", "set": True}),), limit=limit)
    assert variant.limit is not limit and variant.limit == limit
    assert variant.model_copy(update={"clause": "§1"}).clause == "§1" and variant.clause is None


def test_runtime_settings_equal_the_validated_model(tmp_path: Path) -> None:
    data = {"policy": "metro", "office": "MT", "language": "zh", "calendar": {"working_hours": "09:00-17:00"},
            "people": [{"name": "王五", "roles": ["centre"], "email": "w@example.com"}, {"name": "李四"}],
            "smtp": {"host": "mail.example.com", "sender": "desk@example.com"}}
    validated = settings_schema.StoreSettings.model_validate(data)
    runtime = settings.StoreSettings.model_validate(data)
    assert plain.dump(runtime) == validated.model_dump()
    assert runtime == settings.StoreSettings(**data)
    assert runtime.roles_of("王五") == frozenset({"centre"}) and runtime.person("nobody") is None
    assert runtime.model_dump(exclude_none=True) == validated.model_dump(exclude_none=True)
    assert pickle.loads(pickle.dumps(runtime)) == runtime
    with pytest.raises(ValidationError):
        settings.StoreSettings(policy="metro", office="lower")
