"""Standard exports: the versioned event schema and its JSONL, CSV and GeoJSON writers."""
