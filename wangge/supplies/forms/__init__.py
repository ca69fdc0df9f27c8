"""Forms of the supplies pages: they parse what was typed; the services hold the rules."""
