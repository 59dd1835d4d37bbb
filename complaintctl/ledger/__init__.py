"""The ledger (台账) in and out: its columns (`columns`), export as CSV, JSON or xlsx (`export`) and
import of an existing ledger (`importer`)."""
