"""complaintctl: complaint handling for small offices, over a directory of YAML files kept in git."""

__version__ = "0.1.0"
