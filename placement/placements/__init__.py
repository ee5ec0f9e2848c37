"""Placements (phase 5): follow-up schedules, risk signals, reminders and retention statistics."""
