"""Employer organisations for counsellors: approval, outreach, contact log."""
