"""What the command line draws: tables, progress bars and notices, one module per topic."""
