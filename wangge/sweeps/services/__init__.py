"""Every write of the sweeps, one transaction each, audited: campaigns (campaigns.py), the
attempts at the door (visits.py) and the decisions on what visits found (proposals.py)."""
