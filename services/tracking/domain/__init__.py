"""The tracking service's pure rules: no I/O, standard library only."""
