"""In-app notifications and their e-mails (each, a daily digest, or none), sent exactly once."""
