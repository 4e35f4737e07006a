"""Human review of the machine's record: decisions on incident fields, and the audit log.

A reviewer confirms, rejects or corrects an incident or an agreement, moves an incident
on the violation ladder, merges incidents or splits one; every action is an append-only
audit row (who, when, what, before, after, why) and can be undone by another. Fusion
keeps a reviewer's value over its own on every re-run and flags a field when its own
value moves away from the reviewer's, and applies merges and splits after linking
(``trucewatch.fusion.incidents``); the agreement builders keep reviewed agreement fields
the same way (``trucewatch.ceasefire.save``).
"""
