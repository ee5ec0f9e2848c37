"""Participants: profiles, qualifications and their recognition, consent."""
