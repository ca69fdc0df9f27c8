"""Every write of the command centre: keyword-only `<entity>_<action>` functions, one transaction
each, audited. Views, the API, the CLI and the scheduler call these."""
