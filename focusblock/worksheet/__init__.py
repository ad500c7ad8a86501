"""The reflection worksheet: the question bank and the templates that print it."""
