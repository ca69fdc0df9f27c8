"""The teams' writes, one module per subject."""
