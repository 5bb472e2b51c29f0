// Integration tests for issue 3 (plans): filled in by its module's work.
