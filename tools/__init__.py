"""Developer tools that measure the services from outside (not shipped with them)."""
