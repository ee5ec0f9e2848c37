"""Counsellors' proposals, notes and recorded consents."""
