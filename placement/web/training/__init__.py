"""Diversity-awareness training: modules, quizzes, certificates."""
