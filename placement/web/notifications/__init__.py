"""Notifications area: each user's list, read marks, and the choice of e-mails."""
