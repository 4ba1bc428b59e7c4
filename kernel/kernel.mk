# kernel/kernel.mk — filled in by its area
