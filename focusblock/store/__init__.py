"""The store: accounts, remarks, reflections and placed focus blocks."""
