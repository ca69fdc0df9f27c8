"""Pages of the command centre, one module per concept; thin: parse, call a service, render."""
