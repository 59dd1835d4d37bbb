"""The test kit that writes realistic stores of every shipped policy (`make_store`), walked through the
policy with the engine (`walk`) from each policy's data (`data`). The tests import it as `storekit` (pytest
puts tests/ on the path); the benchmarks put tests/ on the path themselves; `python benchmarks/make_store.py`
runs its command line."""
