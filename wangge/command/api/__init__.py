"""The command centre over the REST API: tasks, verification lists, events and playbooks. Scoped
like the UI (`.restrict(user, "view")`: anything else answers 404) and written through the same
services (a refused action answers 403, an illegal one 400 with a bilingual message)."""
