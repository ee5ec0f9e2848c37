"""Shortlists, proposals of participants to employers, consent to share, and notes."""
