// Integration tests for issue 3 (postmortems): filled in by its module's work.
