"""Chinese text handling for triage and search. Plain Python: no Django imports."""
