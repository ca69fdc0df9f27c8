"""The sweeps services: campaigns (campaigns.py) and the attempts at the door (visits.py)."""
