"""What the demo cases' documents say: one module per agency, shared form builders and helpers.

Every document a demo case records is filled here from that case's own matter (party, place, facts,
legal basis …), that agency's people and the script's clock, so no form borrows the catalogue's
generic example. Dates inside a form never lie after the moment the form is recorded.
"""
