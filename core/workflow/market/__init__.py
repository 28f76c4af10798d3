"""The social order and billing: budget lines, offers, calls and bids, contracts,
assignments, deliveries, invoices, payouts, registers and reports."""
