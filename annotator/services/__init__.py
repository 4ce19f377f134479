"""Services: import, export, agreement, suggestions. Plain functions; no UI."""
