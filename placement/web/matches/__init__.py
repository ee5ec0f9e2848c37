"""Counsellors' match lists, shortlists, proposing, occupation corrections."""
