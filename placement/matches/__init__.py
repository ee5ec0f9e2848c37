"""The app's side of matching: turns model objects into engine records, stores embeddings."""
