"""Signing in and out, confirming the password again, employer self-registration."""
