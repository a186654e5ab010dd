"""Eligibility criteria as data with clause references, the screening engine and the questionnaire."""
