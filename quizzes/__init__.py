"""Question kinds, quiz drawing, grading, attempts and pre/post tests."""
