"""Employer area: the organisation's vacancies, their lifecycle, proposals received."""
