; note: sar ax, 16 fills ax with the sign and leaves CF the sign too; xchg keeps the old CF
; live-out: ax cf
; trap: cwd; xchg dx, ax
sar ax, 16
