"""People, organisations, cohorts, curriculum and progress."""
