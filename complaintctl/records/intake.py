"""The intake fields of a complaint record, in one table (`FIELDS`), and the lists every layer reads from it.

One row per field, in the canonical order a record writes them (README "Record format"): its flat key
(`complainant.phone`; the part before the dot is the record's nested mapping), its kind, who sets it
(the tool, a person through `log`, or `import`), the option `log` takes it by, and what `list`, a report
and the redacted ledger do with it. The ledger heading and the option's help are catalogue
keys named after the key (`export.column.KEY`, `log.option.KEY`), in English and Chinese.

Data only: the layers above derive their lists here (the record's key order, `log`'s options and its
validation, `check`, the ledger's columns, import and redaction, the brief, the policy's known fields);
none keeps a list of intake fields of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: text: stripped (a text of several lines keeps them, ending in one newline); code: one of the policy's
#: codes of that name (channel, category, severity, risk), typed as the code or either label; instant:
#: ISO 8601 with its offset, set by the tool; money: a number; as_told: kept as given (a time the
#: complainant describes, "last Sunday evening"); fields: a list of the policy's required fields.
Kind = Literal["text", "code", "instant", "money", "as_told", "fields"]
#: tool: set when the complaint is logged, never typed; person: typed into `log` (an option, `--from`,
#: a prompt) or a ledger column; import: written where a complaint is taken in from elsewhere (`import`,
#: the mail intake): where it came from, what it could not give; archive: written by `archive` when the
#: policy's retention has passed (README "Retention"), never typed, never named by a policy.
Origin = Literal["tool", "person", "import", "archive"]
#: What `export --redact` puts in its place: a pseudonym of a person, phone, e-mail or other contact, or
#: the text with every name, phone number and e-mail address in it replaced; None: kept as it is.
Redaction = Literal["person", "phone", "email", "contact", "text"]


@dataclass(frozen=True, slots=True)
class IntakeField:
    """One intake field: its flat key and what every layer does with it."""

    key: str
    kind: Kind = "text"
    origin: Origin = "person"
    #: `log`'s option names, the long one first ("--description", "-d"); none for what nobody types.
    option: tuple[str, ...] = ()
    #: Every record has it, whatever the policy requires (`check` says when one lacks it).
    always: bool = False
    #: `list` shows or filters by it, and the sweep reads it: the brief keeps it.
    listed: bool = False
    #: A report can group complaints by it (`report --group-by`): the replay's timeline and the digest
    #: keep it (`engine.GROUP_VALUES`, `digest.DIGEST_VALUES`).
    grouped: bool = False
    redaction: Redaction | None = None

    @property
    def automatic(self) -> bool:
        """Set by the tool when the complaint is logged, never typed."""
        return self.origin == "tool"

    @property
    def top(self) -> str:
        """The record's key that holds it: `complainant` for `complainant.phone`."""
        return self.key.partition(".")[0]

    @property
    def sub(self) -> str | None:
        """Its key inside the record's nested mapping (`phone`), None for a top-level field."""
        return self.key.partition(".")[2] or None

    @property
    def heading(self) -> str:
        """The catalogue key of its ledger column's heading."""
        return f"export.column.{self.key}"

    @property
    def help(self) -> str:
        """The catalogue key of its `log` option's help."""
        return f"log.option.{self.key}"

    @property
    def parameter(self) -> str:
        """Its name as a Python parameter (`log`'s option): `complainant_phone`."""
        return self.key.replace(".", "_")


FIELDS: tuple[IntakeField, ...] = (
    IntakeField("id", origin="tool", always=True),
    IntakeField("policy", origin="tool", always=True),
    IntakeField("office", origin="tool", always=True),
    IntakeField("received_at", kind="instant", origin="tool", always=True),
    IntakeField("channel", kind="code", option=("--channel",), always=True, listed=True, grouped=True),
    IntakeField("complainant.name", option=("--name",), redaction="person"),
    IntakeField("complainant.phone", option=("--phone",), redaction="phone"),
    IntakeField("complainant.email", option=("--email",), redaction="email"),
    IntakeField("complainant.contact", option=("--contact",), redaction="contact"),
    IntakeField("subject", option=("--subject",), listed=True, redaction="text"),
    IntakeField("description", option=("--description", "-d"), redaction="text"),
    IntakeField("category", kind="code", option=("--category",), listed=True, grouped=True),
    IntakeField("severity", kind="code", option=("--severity",), listed=True, grouped=True),
    IntakeField("risk", kind="code", option=("--risk",)),
    IntakeField("demands", option=("--demands",), redaction="text"),
    IntakeField("reference", option=("--reference",), redaction="text"),
    IntakeField("location", option=("--location",), grouped=True, redaction="text"),
    IntakeField("service.item", option=("--service-item",)),
    IntakeField("service.staff", option=("--service-staff",), redaction="person"),
    IntakeField("service.time", kind="as_told", option=("--service-time",)),
    IntakeField("amount", kind="money", option=("--amount",)),
    # the key that keeps a re-import from duplicating a complaint (README "Reports, export and import"),
    # or the Message-ID of the e-mail it came from, `mail:<id>` (README "Mail intake")
    IntakeField("source", origin="import"),
    # the required fields the intake could not give (an e-mail has no category), for the office to
    # complete with an `edit` event; `check` warns until it is done (README "Mail intake")
    IntakeField("missing", kind="fields", origin="import"),
    # when `archive` replaced the complainant's personal data, the policy's retention having passed
    # (README "Retention"); a record that has it is not archived again
    IntakeField("archived_at", kind="instant", origin="archive"),
)

BY_KEY: dict[str, IntakeField] = {field.key: field for field in FIELDS}
#: Every flat key, in the canonical order.
KEYS: tuple[str, ...] = tuple(BY_KEY)
#: The record's own keys, in the order a record writes them (README "Record format").
ORDER: tuple[str, ...] = tuple(dict.fromkeys(field.top for field in FIELDS))
#: The record's nested mappings and their keys, in order.
NESTED: dict[str, tuple[str, ...]] = {
    top: tuple(field.sub for field in FIELDS if field.top == top and field.sub is not None)
    for top in ORDER if any(field.top == top and field.sub is not None for field in FIELDS)
}
#: Set by the tool, never typed.
AUTOMATIC: tuple[str, ...] = tuple(field.key for field in FIELDS if field.automatic)
#: What a person types (`log`'s options, a ledger's intake columns), in order.
TYPED: tuple[IntakeField, ...] = tuple(field for field in FIELDS if field.origin == "person")
#: What `log` accepts: everything but what the tool sets (and `archive`).
WRITABLE: tuple[str, ...] = tuple(field.key for field in FIELDS
                                  if not field.automatic and field.origin != "archive")
#: What a policy may require or name in a fact: what the complaint is, not where an import came from (nor
#: when `archive` replaced its personal data).
POLICY_KEYS: tuple[str, ...] = tuple(field.key for field in FIELDS
                                     if field.origin not in ("import", "archive"))
#: In every record, whatever the policy requires.
ALWAYS: tuple[str, ...] = tuple(field.key for field in FIELDS if field.always)
CODED: tuple[str, ...] = tuple(field.key for field in FIELDS if field.kind == "code")
INSTANTS: tuple[str, ...] = tuple(field.key for field in FIELDS if field.kind == "instant")
LISTED: tuple[str, ...] = tuple(field.key for field in FIELDS if field.listed)
GROUPED: tuple[str, ...] = tuple(field.key for field in FIELDS if field.grouped)
