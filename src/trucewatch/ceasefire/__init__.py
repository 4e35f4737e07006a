"""The ceasefire layer: agreements as records (parties, dates, scope, provisions, status
history, sources), imported from research datasets or built from the news, and the
queries that answer "which truce was in force here, and who is bound by it"."""
