"""What the command line draws: tables, progress bars and notices, one module per topic (the agreement
report, suggestions, teams, progress), built from the services' typed results."""
