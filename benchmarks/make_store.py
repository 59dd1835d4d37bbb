"""`python benchmarks/make_store.py DIR --policy metro --count N`: write a realistic store (the generator
is the test kit `tests/storekit/make_store.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from storekit.make_store import main  # noqa: E402

if __name__ == "__main__":
    main()
