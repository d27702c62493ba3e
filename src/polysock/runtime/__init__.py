"""The runtime: primitives declared once (registry), the standard procedures, ports,
control, conditions, records and threads."""
