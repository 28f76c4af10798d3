"""The reports a department head signs: applications, terms met, coverage and money for
a period, by service, office, channel, settlement and provider, each computed in SQL
over the whole period (see docs/reports.md)."""
