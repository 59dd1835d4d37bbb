"""The store on disk: its directory and settings (`directory`, `settings`, `settings_schema`), the
derived index of every record's projection (`index`), and `check`, which reads every record and reports
each problem as `path:line: message`."""
