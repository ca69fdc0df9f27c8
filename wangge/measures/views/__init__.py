"""Pages of the measures capability; thin: parse, call a service, render."""
