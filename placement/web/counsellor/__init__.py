"""Counsellor area: the start page, participants and vacancies."""
