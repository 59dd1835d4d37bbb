"""The record format: one complaint per YAML file, its canonical text (`yamlio`, `yamlres`), the fast
reader and writer beside ruamel (`fastread`, `fastwrite`), the record itself (`record`), the table of its
intake fields (`intake`) and its id (`ids`). Knows nothing of policies or time limits."""
