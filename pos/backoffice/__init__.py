"""The back office: the shop's PostgreSQL database that every register copies its journal into,
the report sources reading it, and the read-only API accountants' tools connect to."""
