# verify/verify.mk — filled in by its area
