"""The Textual user interface: app, screens, widgets and .tcss files."""
