"""Alerts: standing rules checked against incidents as fusion makes them, and their delivery.

``rules`` keeps the rules in the store, ``match`` decides whether an incident answers one,
``check`` runs after each fuse batch and records every alert before sending it (so the
same incident never alerts twice, and a climb up the violation ladder sends one update),
and ``deliver`` writes JSON, posts a signed webhook or sends an e-mail.
"""
