"""Reports over the store, for the terminal and for files."""
