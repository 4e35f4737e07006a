"""Documents: reading inputs, decoding, cleaning, language and publication date."""
