"""The store: accounts, contacts, remarks, reflections and placed focus blocks."""
