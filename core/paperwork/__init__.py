"""Documents for people: acts of services delivered, invoices, payment registers."""
