// Integration tests for issue 3 (reference_story): filled in by its module's work.
