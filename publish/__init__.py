"""The static site of the warehouse (`xxgk site OUT/`): pages readable offline, charts drawn at build time."""
