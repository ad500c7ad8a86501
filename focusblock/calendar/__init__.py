"""Calendar I/O: read busy time from the user's exports, write focus blocks as .ics."""
