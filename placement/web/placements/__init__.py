"""Placements, their follow-ups, and the statistics."""
