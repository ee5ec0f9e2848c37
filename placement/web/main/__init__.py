"""The start page: each role goes to its own."""
