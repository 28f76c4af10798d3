"""Use cases of the core: intake, eligibility, decisions, people and providers."""
