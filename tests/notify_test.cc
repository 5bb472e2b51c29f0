// Integration tests for issue 3 (notify): filled in by its module's work.
