"""The Django app: the domain (sites, events, claims, sources) stored, administered and shown."""
