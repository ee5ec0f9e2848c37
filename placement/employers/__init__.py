"""Employers, their vacancies and diversity-awareness modules."""
