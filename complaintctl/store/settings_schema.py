"""The shape of the store settings file, `complaintctl.yaml`, as pydantic models: the source of truth that
validates it. The commands use the runtime form (`complaintctl.store.settings`, same class names and fields),
which loads from the per-user cache without importing pydantic."""

from __future__ import annotations

from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(min_length=1)
    roles: list[str] = Field(default_factory=list)
    email: str | None = None


class SmtpSettings(BaseModel):
    """Where the sweep sends its notices. The password is never in the file: it names a variable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str | None = None
    password_env: str | None = None
    sender: str = Field(min_length=3)
    timeout: float = Field(default=30.0, gt=0)


class StoreSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    policy: str = Field(min_length=1)
    office: str = Field(pattern=r"^[A-Z][A-Z0-9]{0,9}$")
    timezone: str = "Asia/Shanghai"
    language: Literal["zh", "en"] | None = None
    calendar: dict[str, Any] | None = None
    people: list[Person] | None = None
    auto_commit: bool = False
    smtp: SmtpSettings | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value
