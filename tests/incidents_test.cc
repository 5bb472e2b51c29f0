// Integration tests for issue 3 (incidents): filled in by its module's work.
