"""Pure domain core: no Django imports anywhere in this package."""
