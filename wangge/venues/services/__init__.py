"""The venues' business rules, one module per concept; each public function is one transaction."""
