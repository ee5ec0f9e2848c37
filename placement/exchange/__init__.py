"""Import and export of participants and vacancies (CSV and the engine's JSON Lines format)."""
