"""The store settings file, `complaintctl.yaml`.

The classes here are the runtime form of the settings (`complaintctl.base.plain`): frozen records with
the fields of the pydantic models in `complaintctl.store.settings_schema`, which validate the file.
Constructing one (`StoreSettings(policy=..., office=...)`) or `StoreSettings.model_validate(data)` validates
through the schema; a store's settings come from the per-user cache without importing pydantic.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from complaintctl.base.plain import Frozen

SETTINGS_FILE = "complaintctl.yaml"


class _Settings(Frozen):
    __slots__ = ()
    _schema_module: ClassVar[str] = "complaintctl.store.settings_schema"


class Person(_Settings):
    __slots__ = ("name", "roles", "email")
    name: str
    roles: list[str]
    email: str | None


class SmtpSettings(_Settings):
    """Where the sweep sends its notices. The password is never in the file: it names a variable."""

    __slots__ = ("host", "port", "security", "user", "password_env", "sender", "timeout")
    host: str
    port: int
    security: Literal["starttls", "tls", "none"]
    user: str | None
    password_env: str | None
    sender: str
    timeout: float


class StoreSettings(_Settings):
    __slots__ = ("policy", "office", "timezone", "language", "calendar", "people", "auto_commit", "smtp")
    policy: str
    office: str
    timezone: str
    language: Literal["zh", "en"] | None
    calendar: dict[str, Any] | None
    people: list[Person] | None
    auto_commit: bool
    smtp: SmtpSettings | None

    def person(self, name: str) -> Person | None:
        for person in self.people or ():
            if person.name == name:
                return person
        return None

    def roles_of(self, name: str) -> frozenset[str]:
        person = self.person(name)
        return frozenset(person.roles) if person else frozenset()
