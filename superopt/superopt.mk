# superopt/superopt.mk — filled in by its area
