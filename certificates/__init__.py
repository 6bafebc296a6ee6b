"""Eligibility, issuing, PDF rendering, batch printing and public verification."""
