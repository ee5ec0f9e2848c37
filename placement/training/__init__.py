"""Diversity-awareness training for employers: module content, reading and quizzes, certificates."""
