"""Admin area: user accounts."""
