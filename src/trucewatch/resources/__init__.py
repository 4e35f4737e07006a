"""Data the project curates and ships: lexicons, the demo corpus."""
