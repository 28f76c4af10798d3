"""Open Referral HSDS 3.0: the municipality's catalogue for outside directories."""
