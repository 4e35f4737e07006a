"""Human review of the machine's record: decisions on incident fields, and the audit log.

A reviewer confirms, rejects or corrects an incident; every action is an append-only
audit row (who, when, what, before, after, why) and can be undone by another. Fusion
keeps a reviewer's value over its own on every re-run and flags a field when its own
value moves away from the reviewer's (``trucewatch.fusion.incidents``).
"""
