"""The demo street on day 6 of an outbreak: everything that carries a rule, made through the
services, one module per capability (`run.outbreak_create` calls them in order)."""
