"""Import and export of participants and vacancies (CSV, JSON Lines)."""
