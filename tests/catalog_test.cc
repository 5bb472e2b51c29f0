// Integration tests for issue 3 (catalog): filled in by its module's work.
