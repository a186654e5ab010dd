"""The notice as data (clauses, facts, FAQ, lexicon) and the engine that answers questions about it."""
