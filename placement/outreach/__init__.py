"""Outreach to employers: the counsellors' contact log and next steps (a simple CRM)."""
